import Testing
@testable import BinlogReplication

@Suite struct MaxwellTests {
    private func record(_ table: String, _ data: [(String, ColumnValue)], primaryKey: [String] = ["id"]) -> MaxwellRecord {
        MaxwellRecord(database: "gmall", table: table, kind: .insert, timestamp: 1, data: data.map { .init($0.0, $0.1) },
                      primaryKey: primaryKey)
    }

    @Test func fieldOrderAndOptionalFields() {
        var row = record("order_info", [("id", .int(5)), ("note", .null)])
        #expect(row.json() == #"{"database":"gmall","table":"order_info","type":"insert","ts":1,"data":{"id":5,"note":null}}"#)
        row.xid = 9
        row.commit = true
        row.position = BinlogPosition(file: "b.000001", offset: 77)
        row.gtid = Gtid(domain: 0, serverID: 1, sequence: 3)
        row.serverID = 1
        row.kind = .update
        row.old = [.init("note", .string("x"))]
        #expect(row.json() == #"{"database":"gmall","table":"order_info","type":"update","ts":1,"xid":9,"commit":true,"#
                + #""position":"b.000001:77","gtid":"0-1-3","server_id":1,"data":{"id":5,"note":null},"old":{"note":"x"}}"#)
        row.kind = .bootstrapInsert
        #expect(row.json().contains(#""type":"bootstrap-insert""#))
    }

    @Test func hashKeyFormats() {
        #expect(record("order_info", [("id", .int(5))]).keyJSON() == #"{"database":"gmall","table":"order_info","pk.id":5}"#)
        let composite = record("t", [("A", .string("x")), ("b", .uint(2))], primaryKey: ["A", "b"])
        #expect(composite.keyJSON() == #"{"database":"gmall","table":"t","pk.a":"x","pk.b":2}"#)
        let keyless = record("log", [("msg", .string("hi"))], primaryKey: [])
        let key = keyless.keyJSON()
        #expect(key.hasPrefix(#"{"database":"gmall","table":"log","_uuid":""#))
        #expect(key == keyless.keyJSON(), "a replay repeats the key")
        #expect(key != record("log", [("msg", .string("ho"))], primaryKey: []).keyJSON())
    }

    @Test func partitionsByPrimaryKeyOrConfiguredColumns() {
        let partitioner = MaxwellPartitioner(columnsByTable: ["order_detail": ["order_id"], "gmall.order_info": ["id"]])
        let detail = record("order_detail", [("id", .int(7)), ("order_id", .int(1001))])
        let order = record("order_info", [("id", .int(1001))])
        #expect(partitioner.partitionKey(for: detail) == "1001")
        #expect(partitioner.partitionKey(for: order) == "1001")
        // Java: "1001".hashCode() == 1507424; abs(1507424 % 4) == 0.
        #expect(partitioner.partition(for: detail, partitions: 4) == 0)
        #expect(partitioner.partition(for: order, partitions: 4) == partitioner.partition(for: detail, partitions: 4))
        let user = record("user_info", [("id", .int(123))])
        #expect(partitioner.partitionKey(for: user) == "123")
        #expect(partitioner.partition(for: user, partitions: 4) == 2)
        let nullOrder = record("order_detail", [("id", .int(8)), ("order_id", .null)])
        #expect(partitioner.partitionKey(for: nullOrder) == "8", "falls back to the primary key")
        #expect(MaxwellPartitioner(columnsByTable: ["order_detail": ["order_id"]], fallback: .table)
            .partitionKey(for: nullOrder) == "order_detail")
        #expect(partitioner.partitionKey(for: record("log", [("m", .string("x"))], primaryKey: [])) == "gmalllog")
        #expect(partitioner.partitionKey(for: record("t", [("a", .string("x")), ("b", .int(2))], primaryKey: ["a", "b"])) == "x2")
        #expect(partitioner.partitionKey(for: record("t", [("a", .null)], primaryKey: ["a"])) == "None")
    }

    @Test func tableFilter() {
        let everything = TableFilter()
        #expect(everything.includes(database: "gmall", table: "order_info"))
        #expect(!everything.includes(database: "mysql", table: "user"))
        #expect(!everything.includes(database: "information_schema", table: "tables"))
        let filter = TableFilter(include: ["gmall", "shop.orders"], exclude: ["gmall.tmp_*", "*.audit"])
        #expect(filter.includes(database: "gmall", table: "order_info"))
        #expect(!filter.includes(database: "gmall", table: "tmp_load"))
        #expect(!filter.includes(database: "gmall", table: "audit"))
        #expect(filter.includes(database: "shop", table: "orders"))
        #expect(!filter.includes(database: "shop", table: "users"))
        #expect(!filter.includes(database: "other", table: "orders"))
        #expect(TableFilter.matches(pattern: "a*b*c", "a-x-b-y-c"))
        #expect(!TableFilter.matches(pattern: "a*b", "a-x-b-y"))
    }

    @Test func assemblerBuffersUntilXidAndMarksTheLastRowCommit() throws {
        var decoder = EventDecoder()
        _ = try decoder.decode(makeEvent(type: 19, body: EventDecoderTests.itemsTableMap()))
        var assembler = TransactionAssembler()
        #expect(assembler.handle(try decoder.decode(makeEvent(type: 4, body: le(UInt64(4), 8) + Array("bin.000002".utf8)))) == nil)
        #expect(assembler.currentFile == "bin.000002")
        #expect(assembler.handle(try decoder.decode(makeEvent(type: 162, body: le(UInt64(8), 8) + le(UInt32(0), 4) + [0]
                                                              + [UInt8](repeating: 0, count: 6), nextPosition: 300))) == nil)
        let insertBody = le(42, 6) + [1, 0] + [10, 0x01, 0x00] + [0x00] + le(UInt64(1), 8) + [0x00] + le(UInt64(2), 8)
        #expect(assembler.handle(try decoder.decode(makeEvent(type: 23, body: insertBody, nextPosition: 400))) == nil)
        #expect(assembler.bufferedRowCount == 2)
        let xid = try decoder.decode(makeEvent(type: 16, body: le(UInt64(55), 8), nextPosition: 431))
        let finished = assembler.handle(xid)
        let done = try #require(finished?.transaction)
        #expect(done.records.map(\.xid) == [55, 55])
        #expect(done.records.map(\.commit) == [false, true])
        // Both rows come from the one 52-byte rows event ending at 400.
        let positions: [String?] = done.records.map { $0.position?.description }
        #expect(positions == ["bin.000002:348", "bin.000002:348"])
        #expect(done.end == ReplicationPosition(binlog: BinlogPosition(file: "bin.000002", offset: 431),
                                                gtid: Gtid(domain: 0, serverID: 7, sequence: 8)))
        #expect(done.records[0].json().contains(#""data":{"id":1}"#))
        #expect(assembler.bufferedRowCount == 0)
    }

    @Test func nonTransactionalCommitHasNoXid() throws {
        var assembler = TransactionAssembler(file: "bin.000001")
        let header = EventHeader(timestamp: 1, typeCode: 2, serverID: 1, eventLength: 50, nextPosition: 900, flags: 0)
        let table = TableMap(tableID: 1, database: "d", table: "t", columns: [ColumnDefinition(name: "id", type: .long)], primaryKey: [0])
        _ = assembler.handle(BinlogEvent(header: header, payload: .gtid(GtidEvent(gtid: Gtid(domain: 0, serverID: 1, sequence: 4), flags: 0))))
        _ = assembler.handle(BinlogEvent(header: header, payload: .rows(RowsEvent(kind: .insert, tableID: 1, table: table, flags: 1,
                                                                                   rows: [RowChange(before: nil, after: [.int(3)])]))))
        let finished = assembler.handle(BinlogEvent(header: header, payload: .query(QueryEvent(threadID: 1, database: "d", errorCode: 0, sql: "COMMIT"))))
        let done = try #require(finished?.transaction)
        #expect(done.records.map { $0.json() } == [#"{"database":"d","table":"t","type":"insert","ts":1,"commit":true,"position":"bin.000001:850","gtid":"0-1-4","server_id":1,"data":{"id":3}}"#])
    }

    /// One transaction of `rows` single-row inserts: GTID at `start`, rows events, XID, 10 bytes each.
    private static func largeTransaction(rows: Int, start: UInt32 = 100,
                                         value: (Int) -> ColumnValue = { .int(Int64($0)) }) -> [BinlogEvent] {
        func header(_ position: UInt32) -> EventHeader {
            EventHeader(timestamp: 1, typeCode: 0, serverID: 1, eventLength: 10, nextPosition: start - 100 + position + 10, flags: 0)
        }
        let table = TableMap(tableID: 1, database: "d", table: "t", columns: [ColumnDefinition(name: "id", type: .long)], primaryKey: [0])
        var events = [BinlogEvent(header: header(100), payload: .gtid(GtidEvent(gtid: Gtid(domain: 0, serverID: 1, sequence: 9), flags: 0)))]
        for row in 0..<rows {
            events.append(BinlogEvent(header: header(110 + UInt32(row) * 10), payload: .rows(RowsEvent(
                kind: .insert, tableID: 1, table: table, flags: 1, rows: [RowChange(before: nil, after: [value(row)])]))))
        }
        events.append(BinlogEvent(header: header(110 + UInt32(rows) * 10), payload: .xid(42)))
        return events
    }

    @Test func aTransactionOverTheRowLimitIsCountedThenReplayedInParts() throws {
        let events = Self.largeTransaction(rows: 5)
        var unlimited = TransactionAssembler(file: "bin.000001")
        let whole = try #require(events.compactMap { unlimited.handle($0) }.first?.transaction)

        var firstPass = TransactionAssembler(file: "bin.000001", limit: BufferLimit(records: 2, bytes: .max))
        let outputs = events.compactMap { firstPass.handle($0) }
        #expect(outputs == [.oversized(OversizedTransaction(start: BinlogPosition(file: "bin.000001", offset: 100), xid: 42))])
        #expect(firstPass.bufferedRowCount == 0, "an oversized transaction's rows are not held")

        var replay = TransactionAssembler(file: "bin.000001", limit: BufferLimit(records: 2, bytes: .max), replaying: OversizedTransaction(
            start: BinlogPosition(file: "bin.000001", offset: 100), xid: 42))
        let parts = events.compactMap { replay.handle($0)?.transaction }
        #expect(parts.map(\.records.count) == [2, 2, 1])
        #expect(parts.map { $0.end == nil } == [true, true, false], "only the last part carries the position")
        #expect(parts.last?.end == whole.end)
        #expect(parts.flatMap(\.records) == whole.records, "the parts together are the transaction, xid and commit included")

        // After the replayed transaction, the next large one is detected again.
        let next = Self.largeTransaction(rows: 3, start: 1000)
        #expect(next.compactMap { replay.handle($0) } == [.oversized(OversizedTransaction(
            start: BinlogPosition(file: "bin.000001", offset: 1000), xid: 42))])
    }

    @Test func aTransactionOverTheByteLimitIsDeliveredInPartsToo() throws {
        // Rows of about 1,130 bytes each (`approximateSize`): three exceed 2,500 bytes.
        let events = Self.largeTransaction(rows: 5) { .string(String(repeating: "x", count: 1000 + $0)) }
        var unlimited = TransactionAssembler(file: "bin.000001")
        let whole = try #require(events.compactMap { unlimited.handle($0) }.first?.transaction)
        let limit = BufferLimit(records: .max, bytes: 2500)
        var firstPass = TransactionAssembler(file: "bin.000001", limit: limit)
        let oversized = try #require(events.compactMap { firstPass.handle($0) }.first)
        guard case .oversized(let transaction) = oversized else { Issue.record("\(oversized)"); return }
        var replay = TransactionAssembler(file: "bin.000001", limit: limit, replaying: transaction)
        let parts = events.compactMap { replay.handle($0)?.transaction }
        #expect(parts.map(\.records.count) == [2, 2, 1])
        #expect(parts.flatMap(\.records) == whole.records)

        // One row larger than the limit on its own is held whole: a row cannot be split.
        var single = TransactionAssembler(file: "bin.000001", limit: BufferLimit(records: .max, bytes: 100))
        let one = Self.largeTransaction(rows: 1) { _ in .string(String(repeating: "y", count: 5000)) }
        #expect(one.compactMap { single.handle($0)?.transaction }.map(\.records.count) == [1])
    }
}
