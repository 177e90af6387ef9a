import Foundation
import Testing
@testable import BinlogReplication

/// Decodes events recorded from a real MariaDB binlog and checks every field and the exact Maxwell JSON.
@Suite struct RecordedBinlogTests {
    /// Runs the recorded events through a decoder (marking `j` as JSON) and an assembler.
    private func replay() throws -> (events: [BinlogEvent], transactions: [CommittedTransaction]) {
        var decoder = EventDecoder(checksumEnabled: true) { $0.markingJSON(["j"]) }
        var assembler = TransactionAssembler(file: "binlog.000001")
        var events: [BinlogEvent] = []
        var transactions: [CommittedTransaction] = []
        for recorded in RecordedBinlog.events {
            let event = try decoder.decode(hexBytes(recorded.hex))
            #expect(event.header.typeCode == recorded.type)
            #expect(event.header.position == UInt32(recorded.offset))
            events.append(event)
            if let transaction = assembler.handle(event)?.transaction { transactions.append(transaction) }
        }
        return (events, transactions)
    }

    @Test func formatDescription() throws {
        let (events, _) = try replay()
        guard case .formatDescription(let description) = events[0].payload else {
            Issue.record("first event is \(events[0].payload)")
            return
        }
        #expect(description.binlogVersion == 4)
        #expect(description.serverVersion == "10.11.19-MariaDB-0+deb12u1-log")
        #expect(description.headerLength == 19)
        #expect(description.checksumEnabled)
        #expect(description.postHeaderLength(of: .tableMap) == 8)
        #expect(description.postHeaderLength(of: .query) == 13)
    }

    @Test func tableMapCarriesFullMetadata() throws {
        let (events, _) = try replay()
        let maps = events.compactMap { event -> TableMap? in
            if case .tableMap(let map) = event.payload { return map } else { return nil }
        }
        #expect(maps.count == 3)
        let map = try #require(maps.first)
        #expect(map.tableID == 23)
        #expect(map.database == "shop")
        #expect(map.table == "t")
        #expect(map.hasColumnNames)
        #expect(map.columns.map(\.name) == ["id", "ti", "tu", "si", "mi", "mu", "bi", "bu", "d", "f", "db", "dt", "ts",
                                             "da", "tm", "y", "c", "vc", "tx", "bl", "vb", "bn", "e", "s", "bt", "j", "l1"])
        #expect(map.columns.map(\.type) == [.long, .tiny, .tiny, .short, .int24, .int24, .longlong, .longlong,
                                             .newDecimal, .float, .double, .datetime2, .timestamp2, .date, .time2,
                                             .year, .string, .varchar, .blob, .blob, .varchar, .string, .enum, .set,
                                             .bit, .blob, .varchar])
        #expect(map.columns.filter(\.unsigned).map(\.name) == ["id", "tu", "mu", "bu"])
        #expect(map.columns.filter { !$0.nullable }.map(\.name) == ["id"])
        #expect(map.primaryKey == [0])
        #expect(map.primaryKeyNames == ["id"])
        let byName = Dictionary(uniqueKeysWithValues: map.columns.map { ($0.name, $0) })
        #expect(byName["d"]?.metadata == (10 << 8 | 2))
        #expect(byName["dt"]?.metadata == 3)
        #expect(byName["ts"]?.metadata == 6)
        #expect(byName["tm"]?.metadata == 2)
        #expect(byName["c"]?.metadata == 20)
        #expect(byName["vc"]?.metadata == 80)
        #expect(byName["bn"]?.metadata == 3)
        #expect(byName["bt"]?.metadata == 10)
        #expect(byName["c"]?.collation == 45)
        #expect(byName["bl"]?.collation == 63)
        #expect(byName["vb"]?.isBinary == true)
        #expect(byName["tx"]?.isBinary == false)
        #expect(byName["j"]?.collation == 46)
        #expect(byName["j"]?.isJSON == true)
        #expect(byName["l1"]?.collation == 8)
        #expect(byName["e"]?.values == ["a", "b", "c"])
        #expect(byName["s"]?.values == ["x", "y", "z"])
        #expect(byName["e"]?.collation == 45)
    }

    @Test func gtidAndXidEvents() throws {
        let (events, _) = try replay()
        let gtids = events.compactMap { event -> GtidEvent? in
            if case .gtid(let gtid) = event.payload { return gtid } else { return nil }
        }
        #expect(gtids.map(\.gtid.description) == ["0-1-5", "0-1-6", "0-1-7", "0-1-8"])
        #expect(gtids.map(\.isStandalone) == [true, false, false, false])
        let xids = events.compactMap { event -> UInt64? in
            if case .xid(let xid) = event.payload { return xid } else { return nil }
        }
        #expect(xids == [10, 11, 12])
    }

    private static let insertedRow = #"{"id":1,"ti":-1,"tu":255,"si":-300,"mi":-8388608,"mu":16777215,"#
        + #""bi":-9223372036854775808,"bu":18446744073709551615,"d":-12345678.91,"f":1.5,"db":-2.25,"#
        + #""dt":"2024-01-02 03:04:05.678","ts":"2024-01-02 03:04:05.123456","da":"2024-12-31","tm":"-12:34:56.78","#
        + #""y":2024,"c":"ab","vc":"héllo😀","tx":"text","bl":"AP8=","vb":"AQI=","bn":"QQAA","e":"b","s":["x","z"],"#
        + #""bt":513,"j":{"a":[1,2]},"l1":"é"}"#

    private static let updatedRow = insertedRow
        .replacingFirst(#""tu":255"#, with: #""tu":null"#)
        .replacingFirst(#""vc":"héllo😀""#, with: #""vc":"bye""#)

    @Test func transactionsBecomeExactMaxwellJSON() throws {
        let (_, transactions) = try replay()
        #expect(transactions.count == 4)
        #expect(transactions[0].records.isEmpty, "CREATE TABLE yields no rows")
        #expect(transactions[0].end == ReplicationPosition(binlog: BinlogPosition(file: "binlog.000001", offset: 1883),
                                                             gtid: Gtid(domain: 0, serverID: 1, sequence: 5)))
        let texts = transactions.dropFirst().map { $0.records.map { $0.json() } }
        #expect(texts == [
            [#"{"database":"shop","table":"t","type":"insert","ts":1795874154,"xid":10,"commit":true,"#
             + #""position":"binlog.000001:2493","gtid":"0-1-6","server_id":1,"data":"# + Self.insertedRow + "}"],
            [#"{"database":"shop","table":"t","type":"update","ts":1795874154,"xid":11,"commit":true,"#
             + #""position":"binlog.000001:3009","gtid":"0-1-7","server_id":1,"data":"# + Self.updatedRow
             + #","old":{"tu":255,"vc":"héllo😀"}}"#],
            [#"{"database":"shop","table":"t","type":"delete","ts":1795874154,"xid":12,"commit":true,"#
             + #""position":"binlog.000001:3629","gtid":"0-1-8","server_id":1,"data":"# + Self.updatedRow + "}"],
        ])
        #expect(transactions.map(\.end?.binlog.offset) == [1883, 2685, 3322, 3813])
        #expect(transactions[1].records[0].keyJSON() == #"{"database":"shop","table":"t","pk.id":1}"#)
    }

    @Test func corruptedByteFailsTheChecksum() throws {
        var bytes = hexBytes(RecordedBinlog.events.first { $0.type == 23 }!.hex)
        bytes[30] ^= 0x01
        var decoder = EventDecoder()
        #expect(throws: BinlogError.self) { try decoder.decode(bytes) }
    }

    @Test func rowsWithoutTableMapAreAnError() throws {
        var decoder = EventDecoder()
        let bytes = hexBytes(RecordedBinlog.events.first { $0.type == 23 }!.hex)
        #expect(throws: BinlogError.unknownTable(tableID: 23)) { try decoder.decode(bytes) }
    }

    @Test func filteredTablesAreNotDecoded() throws {
        var decoder = EventDecoder { _ in nil }
        var assembler = TransactionAssembler(file: "binlog.000001")
        var ends: [UInt64?] = []
        for recorded in RecordedBinlog.events {
            if let transaction = assembler.handle(try decoder.decode(hexBytes(recorded.hex)))?.transaction {
                #expect(transaction.records.isEmpty)
                ends.append(transaction.end?.binlog.offset)
            }
        }
        #expect(ends == [1883, 2685, 3322, 3813], "filtered transactions still move the position")
    }
}

extension String {
    func replacingFirst(_ target: String, with replacement: String) -> String {
        guard let range = range(of: target) else { return self }
        return replacingCharacters(in: range, with: replacement)
    }
}
