import BinlogReplication
import Foundation
import Testing
import TestSupport

/// Transactions, filters, resuming and failures against a real MariaDB.
@Suite struct LiveReplicationTests {
    @Test func transactionsUpdatesAndDeletes() async throws {
        let server = try await Live.server()
        let db = Live.uniqueDatabase()
        try await server.sql("""
            CREATE DATABASE \(db);
            CREATE TABLE \(db).orders (id BIGINT PRIMARY KEY, user_id INT, total DECIMAL(10,2), status VARCHAR(10));
            CREATE TABLE \(db).lines (id INT PRIMARY KEY, order_id BIGINT, sku VARCHAR(10));
            """)
        let (reader, start) = try Live.reader(server, filter: TableFilter(include: [db]))
        try await server.sql("""
            BEGIN;
            INSERT INTO \(db).orders VALUES (1, 7, 10.50, 'new'), (2, 8, 0.99, 'new');
            INSERT INTO \(db).lines VALUES (10, 1, 'A'), (11, 1, NULL);
            COMMIT;
            UPDATE \(db).orders SET status = 'paid', total = 11.00 WHERE id = 1;
            UPDATE \(db).orders SET user_id = user_id WHERE id = 2;
            DELETE FROM \(db).lines WHERE order_id = 1;
            """)
        // Other tests share the server: their transactions arrive empty (filtered out) and are skipped here.
        let transactions = try await Live.collect(reader.batches(from: start), records: 7).filter { !$0.records.isEmpty }
        #expect(transactions.map(\.records.count) == [4, 1, 2], "the no-op UPDATE changes no row and logs nothing")
        let first = transactions[0].records
        #expect(Set(first.map(\.xid)).count == 1 && first[0].xid != nil, "one xid for the whole transaction")
        #expect(Set(first.map(\.gtid)).count == 1)
        #expect(first.map(\.commit) == [false, false, false, true])
        #expect(transactions.map(\.records.last?.commit) == [true, true, true])
        #expect(transactions[0].end?.gtid == first[0].gtid)
        #expect(transactions.flatMap(\.records).map(Live.normalised) == [
            #"{"database":"\#(db)","table":"orders","type":"insert","ts":0,"xid":0,"position":"_:0","gtid":"0-0-0","server_id":0,"data":{"id":1,"user_id":7,"total":10.50,"status":"new"}}"#,
            #"{"database":"\#(db)","table":"orders","type":"insert","ts":0,"xid":0,"position":"_:0","gtid":"0-0-0","server_id":0,"data":{"id":2,"user_id":8,"total":0.99,"status":"new"}}"#,
            #"{"database":"\#(db)","table":"lines","type":"insert","ts":0,"xid":0,"position":"_:0","gtid":"0-0-0","server_id":0,"data":{"id":10,"order_id":1,"sku":"A"}}"#,
            #"{"database":"\#(db)","table":"lines","type":"insert","ts":0,"xid":0,"commit":true,"position":"_:0","gtid":"0-0-0","server_id":0,"data":{"id":11,"order_id":1,"sku":null}}"#,
            #"{"database":"\#(db)","table":"orders","type":"update","ts":0,"xid":0,"commit":true,"position":"_:0","gtid":"0-0-0","server_id":0,"data":{"id":1,"user_id":7,"total":11.00,"status":"paid"},"old":{"total":10.50,"status":"new"}}"#,
            #"{"database":"\#(db)","table":"lines","type":"delete","ts":0,"xid":0,"position":"_:0","gtid":"0-0-0","server_id":0,"data":{"id":10,"order_id":1,"sku":"A"}}"#,
            #"{"database":"\#(db)","table":"lines","type":"delete","ts":0,"xid":0,"commit":true,"position":"_:0","gtid":"0-0-0","server_id":0,"data":{"id":11,"order_id":1,"sku":null}}"#,
        ])
        // The position names the rows event in the current binlog file, and the server agrees on the GTID.
        let last = try #require(transactions.last)
        #expect(last.records[0].position?.file.hasPrefix("binlog.") == true)
        #expect(last.records[0].position!.offset < (try #require(last.end)).binlog.offset)
        #expect(last.records[0].serverID == UInt32(server.serverID))
        let serverGtid = try #require(Gtid(try await server.sql("SELECT @@gtid_binlog_pos").trimmingCharacters(in: .whitespacesAndNewlines)))
        let ours = try #require(last.end?.gtid)
        #expect(serverGtid.domain == ours.domain && serverGtid.serverID == ours.serverID && serverGtid.sequence >= ours.sequence)
        #expect(first[0].keyJSON() == #"{"database":"\#(db)","table":"orders","pk.id":1}"#)
    }

    @Test func excludedTablesNeverReachTheOutput() async throws {
        let server = try await Live.server()
        let db = Live.uniqueDatabase()
        try await server.sql("CREATE DATABASE \(db); CREATE TABLE \(db).kept (id INT PRIMARY KEY); CREATE TABLE \(db).secret (id INT PRIMARY KEY);")
        let (reader, start) = try Live.reader(server, filter: TableFilter(include: [db], exclude: ["\(db).secret"]))
        try await server.sql("INSERT INTO \(db).secret VALUES (1); INSERT INTO \(db).kept VALUES (2); INSERT INTO mysql.help_topic (help_topic_id, name, help_category_id, description, example, url) VALUES (99999, 'cdc-test', 1, '', '', '');")
        let transactions = try await Live.collect(reader.batches(from: start), records: 1)
        let tables = transactions.flatMap(\.records).map(\.table)
        #expect(tables == ["kept"])
        #expect(transactions.first?.records.isEmpty == true, "the excluded table's transaction comes first, empty")
        try await server.sql("DELETE FROM mysql.help_topic WHERE help_topic_id = 99999")
    }

    @Test func resumesAfterAStoredGtidWithoutRepeats() async throws {
        let server = try await Live.server()
        let db = Live.uniqueDatabase()
        try await server.sql("CREATE DATABASE \(db); CREATE TABLE \(db).t (id INT PRIMARY KEY);")
        let (reader, start) = try Live.reader(server, filter: TableFilter(include: [db]))
        try await server.sql("INSERT INTO \(db).t VALUES (1); INSERT INTO \(db).t VALUES (2);")
        let firstRun = try await Live.collect(reader.batches(from: start), records: 2).filter { !$0.records.isEmpty }
        let stored = try #require(firstRun.first?.end?.gtid)
        try await server.sql("INSERT INTO \(db).t VALUES (3);")
        let secondRun = try await Live.collect(reader.batches(from: .gtid(stored.description)), records: 2)
        #expect(secondRun.flatMap(\.records).compactMap { $0.value(of: "id") } == [.int(2), .int(3)])
        #expect(secondRun.flatMap(\.records).first?.json() == firstRun[1].records.first?.json(), "a replay is byte-identical")
        let byFile = try await Live.collect(reader.batches(from: .binlog((try #require(firstRun[0].end)).binlog)), records: 2)
        #expect(byFile.flatMap(\.records).compactMap { $0.value(of: "id") } == [.int(2), .int(3)])
    }

    @Test func purgedPositionStopsWithAClearError() async throws {
        let server = try await Live.server()
        let reader = BinlogReader(configuration: Live.configuration(server), filter: TableFilter())
        let stream = reader.batches(from: .binlog(BinlogPosition(file: "binlog.999999", offset: 4)))
        await #expect {
            for try await _ in stream {}
        } throws: { error in
            guard case ReplicationError.positionPurged(let message) = error else { return false }
            return message.contains("re-bootstrap")
        }
    }

    @Test func serverWithoutFullMetadataIsRefusedNamingTheSetting() async throws {
        let server = try await MariaDBServer.start(serverID: 2, extraArguments: ["--binlog-row-metadata=MINIMAL"])
        defer { Task { await server.stop() } }
        let reader = BinlogReader(configuration: Live.configuration(server))
        #expect {
            _ = try reader.currentEnd()
        } throws: { error in
            guard case ReplicationError.serverSetting(let message) = error else { return false }
            return message.contains("binlog_row_metadata is MINIMAL, must be FULL")
        }
        await server.stop()
    }

    @Test func survivesADatabaseCrashAndRestart() async throws {
        let server = try await MariaDBServer.start(serverID: 3)
        let db = Live.uniqueDatabase()
        try await server.sql("CREATE DATABASE \(db); CREATE TABLE \(db).t (id INT PRIMARY KEY);")
        let (reader, start) = try Live.reader(server, filter: TableFilter(include: [db]))
        let stream = reader.batches(from: start)
        try await server.sql("INSERT INTO \(db).t VALUES (1);")
        let collector = Task { try await Live.collect(stream, records: 3, timeout: .seconds(60)) }
        try await Task.sleep(for: .seconds(1))
        await server.crash()
        try await server.restart()
        try await server.sql("INSERT INTO \(db).t VALUES (2); INSERT INTO \(db).t VALUES (3);")
        let transactions = try await collector.value
        let ids = transactions.flatMap(\.records).compactMap { $0.value(of: "id") }
        #expect(ids == [.int(1), .int(2), .int(3)])
        await server.stop()
    }

    @Test func aTransactionLargerThanTheBufferArrivesInPartsIdenticalToTheWhole() async throws {
        let server = try await Live.server()
        let db = Live.uniqueDatabase()
        try await server.sql("CREATE DATABASE \(db); CREATE TABLE \(db).t (id INT PRIMARY KEY, v VARCHAR(8));")
        let end = try BinlogReader(configuration: Live.configuration(server)).currentEnd()
        // One statement per row: each rows event holds one row, so the parts are exactly the limit.
        let inserts = (1...25).map { "INSERT INTO \(db).t VALUES (\($0), 'v\($0)');" }.joined()
        try await server.sql("""
            INSERT INTO \(db).t VALUES (0, 'before');
            BEGIN; \(inserts) UPDATE \(db).t SET v = 'x' WHERE id = 0; DELETE FROM \(db).t WHERE id = 3; COMMIT;
            INSERT INTO \(db).t VALUES (100, 'after');
            """)
        let whole = try await Live.collect(BinlogReader(configuration: Live.configuration(server), filter: TableFilter(include: [db]))
            .batches(from: .binlog(end.binlog)), records: 29).filter { !$0.records.isEmpty }
        let limited = BinlogReader(configuration: Live.configuration(server), filter: TableFilter(include: [db]),
                                    limit: BufferLimit(records: 4, bytes: .max))
        let parts = try await Live.collect(limited.batches(from: .binlog(end.binlog)), records: 29).filter { !$0.records.isEmpty }
        #expect(whole.map(\.records.count) == [1, 27, 1])
        #expect(parts.allSatisfy { $0.records.count <= 4 }, "no part holds more than the limit")
        #expect(parts.map { $0.end != nil } == [true] + Array(repeating: false, count: parts.count - 3) + [true, true],
                "only a transaction's last part carries the position")
        #expect(parts.flatMap(\.records).map { $0.json() } == whole.flatMap(\.records).map { $0.json() },
                "same records, byte for byte: xid on every row, commit on the last")
        #expect(parts.compactMap(\.end) == whole.compactMap(\.end))
    }
}
