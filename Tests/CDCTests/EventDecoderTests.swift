import Testing
@testable import BinlogReplication

/// Hand-built events for the layouts the recorded binlog does not show.
@Suite struct EventDecoderTests {
    /// A TABLE_MAP body for `db.items`: 10 columns so that bitmaps span two bytes.
    /// id BIGINT UNSIGNED PK, c1..c7 INT, name CHAR(100) utf8mb4 (400 bytes), price DECIMAL(12,2).
    static func itemsTableMap(tableID: UInt64 = 42) -> [UInt8] {
        var body = le(tableID, 6) + [1, 0]
        body += [2] + Array("db".utf8) + [0] + [5] + Array("items".utf8) + [0]
        body += [10] + [8, 3, 3, 3, 3, 3, 3, 3, 254, 246]
        // CHAR(400 bytes): real type 0xfe with the length's bits 8-9 folded in: 0xfe ^ ((400 & 0x300) >> 4).
        let metadata: [UInt8] = [0xFE ^ UInt8((400 & 0x300) >> 4), UInt8(400 & 0xFF), 12, 2]
        body += [UInt8(metadata.count)] + metadata
        body += [0xFE, 0x03]  // nullable: all but id
        body += [1, 2, 0x80, 0x00]  // signedness: id unsigned
        body += [2, 3, 45, 0, 63]  // default charset 45, character column 0 (name) binary; overridden below
        body += [2, 1, 45]  // a second DEFAULT_CHARSET wins: name is utf8mb4 text
        let names = ["id", "c1", "c2", "c3", "c4", "c5", "c6", "c7", "name", "price"].flatMap(lenenc)
        body += [4, UInt8(names.count)] + names
        body += [9, 4, 0, 0, 1, 0]  // PRIMARY_KEY_WITH_PREFIX: (0, 0), (1, 0)
        return body
    }

    private func decoder() throws -> EventDecoder {
        var decoder = EventDecoder()
        _ = try decoder.decode(makeEvent(type: 19, body: Self.itemsTableMap()))
        return decoder
    }

    @Test func tableMapWithDefaultCharsetAndPrefixedKey() throws {
        var decoder = EventDecoder()
        let event = try decoder.decode(makeEvent(type: 19, body: Self.itemsTableMap()))
        guard case .tableMap(let map) = event.payload else { Issue.record("\(event.payload)"); return }
        #expect(map.columns.count == 10)
        #expect(map.columns[8].type == .string)
        #expect(map.columns[8].metadata == 400)
        #expect(map.columns[8].collation == 45)
        #expect(map.columns[9].metadata == (12 << 8 | 2))
        #expect(map.columns[0].unsigned && !map.columns[1].unsigned)
        #expect(map.columns.map(\.nullable) == [false] + Array(repeating: true, count: 9))
        #expect(map.primaryKeyNames == ["id", "c1"])
        #expect(decoder.table(42) == map)
    }

    /// Row values for `items`: id, c1...c7 (nil = NULL), name, price as packed DECIMAL(12,2).
    private func itemsRow(id: UInt64, c: [Int32?], name: String?, priceCents: Int) -> [UInt8] {
        var nulls: UInt16 = 0
        for (index, value) in c.enumerated() where value == nil { nulls |= 1 << (index + 1) }
        if name == nil { nulls |= 1 << 8 }
        var row = le(nulls, 2) + le(id, 8)
        for value in c { if let value { row += le(value, 4) } }
        if let name { row += le(name.utf8.count, 2) + Array(name.utf8) }
        // DECIMAL(12,2): 10 integer digits = 1 + 9 (1 + 4 bytes), 2 fraction digits (1 byte).
        let magnitude = abs(priceCents)
        var price = be(magnitude / 100 / 1_000_000_000, 1) + be(magnitude / 100 % 1_000_000_000, 4) + be(magnitude % 100, 1)
        price[0] |= 0x80
        if priceCents < 0 { price = price.map { ~$0 } }
        return row + price
    }

    @Test func writeRowsV2WithExtraDataAndTwoRows() throws {
        var decoder = try decoder()
        var body = le(42, 6) + [1, 0] + le(4, 2) + [0xAA, 0xBB]  // v2: extra data (2 bytes after its length)
        body += [10, 0xFF, 0x03]
        body += itemsRow(id: 1, c: [1, nil, 3, nil, 5, nil, 7], name: "北京", priceCents: -1999)
        body += itemsRow(id: UInt64.max, c: [nil, nil, nil, nil, nil, nil, nil], name: nil, priceCents: 0)
        let event = try decoder.decode(makeEvent(type: 30, body: body))
        guard case .rows(let rows) = event.payload else { Issue.record("\(event.payload)"); return }
        #expect(rows.kind == .insert)
        #expect(rows.rows.count == 2)
        #expect(rows.rows[0].after == [.uint(1), .int(1), .null, .int(3), .null, .int(5), .null, .int(7),
                                        .string("北京"), .decimal("-19.99")])
        #expect(rows.rows[1].after == [.uint(UInt64.max)] + Array(repeating: .null, count: 8) + [.decimal("0.00")])
        #expect(rows.rows[0].before == nil)
    }

    @Test func updateWithPartialImagesAndDeleteV1() throws {
        var decoder = try decoder()
        // Before image: id and c1 only (bitmap 0b11); after image: id, c2 (bitmap 0b101).
        var body = le(42, 6) + [1, 0] + [10, 0x03, 0x00, 0x05, 0x00]
        body += [0x00] + le(UInt64(9), 8) + le(Int32(-4), 4)
        body += [0x02] + le(UInt64(9), 8)  // c2 NULL
        let update = try decoder.decode(makeEvent(type: 24, body: body))
        guard case .rows(let rows) = update.payload else { Issue.record("\(update.payload)"); return }
        #expect(rows.kind == .update)
        #expect(rows.rows == [RowChange(before: [.uint(9), .int(-4)] + Array(repeating: nil, count: 8),
                                        after: [.uint(9), nil, .null] + Array(repeating: nil, count: 7))])

        var assembler = TransactionAssembler(file: "mysql-bin.000003")
        _ = assembler.handle(BinlogEvent(header: update.header, payload: .query(QueryEvent(threadID: 1, database: "", errorCode: 0, sql: "BEGIN"))))
        _ = assembler.handle(update)
        let finished = assembler.handle(BinlogEvent(header: update.header, payload: .xid(77)))
        let done = try #require(finished?.transaction)
        // Minimal images: `data` takes c1 from the before image, as Maxwell does.
        #expect(done.records.map { $0.json() } == [
            #"{"database":"db","table":"items","type":"update","ts":1700000000,"xid":77,"commit":true,"position":"mysql-bin.000003:"#
            + "\(update.header.position)" + #"","server_id":7,"data":{"id":9,"c1":-4,"c2":null}}"#,
        ])

        let deleteBody = le(42, 6) + [1, 0] + [10, 0x01, 0x00] + [0x00] + le(UInt64(5), 8)
        let delete = try decoder.decode(makeEvent(type: 25, body: deleteBody))
        guard case .rows(let deleted) = delete.payload else { Issue.record("\(delete.payload)"); return }
        #expect(deleted.kind == .delete)
        #expect(deleted.rows == [RowChange(before: [.uint(5)] + Array(repeating: nil, count: 9), after: nil)])
    }

    @Test func rowsEventWithWrongColumnCountIsAnError() throws {
        var decoder = try decoder()
        let body = le(42, 6) + [1, 0] + [3, 0x07, 0x00]
        #expect(throws: BinlogError.self) { try decoder.decode(makeEvent(type: 23, body: body)) }
    }

    @Test func rotateQueryGtidXidAndHeartbeat() throws {
        var decoder = EventDecoder(checksumEnabled: false)
        let rotate = try decoder.decode(makeEvent(type: 4, body: le(UInt64(4), 8) + Array("mysql-bin.000012".utf8), checksum: false))
        #expect(rotate.payload == .rotate(RotateEvent(position: 4, file: "mysql-bin.000012")))
        decoder.checksumEnabled = true
        let query = try decoder.decode(makeEvent(type: 2, body: le(UInt32(5), 4) + le(UInt32(0), 4) + [4] + le(0, 2)
                                                 + le(3, 2) + [1, 2, 3] + Array("shop".utf8) + [0] + Array("BEGIN".utf8)))
        #expect(query.payload == .query(QueryEvent(threadID: 5, database: "shop", errorCode: 0, sql: "BEGIN")))
        let gtid = try decoder.decode(makeEvent(type: 162, body: le(UInt64(50), 8) + le(UInt32(2), 4) + [0x03] + [UInt8](repeating: 0, count: 14),
                                                serverID: 9))
        #expect(gtid.payload == .gtid(GtidEvent(gtid: Gtid(domain: 2, serverID: 9, sequence: 50), flags: 3)))
        let xid = try decoder.decode(makeEvent(type: 16, body: le(UInt64(123_456_789_012), 8)))
        #expect(xid.payload == .xid(123_456_789_012))
        let list = try decoder.decode(makeEvent(type: 163, body: le(UInt32(1), 4) + le(UInt32(0), 4) + le(UInt32(1), 4) + le(UInt64(8), 8)))
        #expect(list.payload == .gtidList([Gtid(domain: 0, serverID: 1, sequence: 8)]))
        let heartbeat = try decoder.decode(makeEvent(type: 27, body: Array("mysql-bin.000012".utf8)))
        #expect(heartbeat.payload == .heartbeat)
        #expect(throws: BinlogError.self) { try decoder.decode(makeEvent(type: 169, body: [0])) }
    }

    @Test func truncatedEventsAreErrors() throws {
        var decoder = EventDecoder()
        let full = makeEvent(type: 16, body: le(UInt64(1), 8))
        #expect(throws: BinlogError.self) { try decoder.decode(Array(full.prefix(10))) }
        #expect(throws: BinlogError.self) { try decoder.decode(Array(full.dropLast())) }
        #expect(throws: BinlogError.self) { try decoder.decode(makeEvent(type: 16, body: [1, 2, 3])) }
    }

    @Test func gtidAndPositionParsing() {
        #expect(Gtid("0-1-50") == Gtid(domain: 0, serverID: 1, sequence: 50))
        #expect(Gtid("0-1") == nil)
        #expect(Gtid("a-1-2") == nil)
        #expect(BinlogPosition("mysql-bin.000001:1234") == BinlogPosition(file: "mysql-bin.000001", offset: 1234))
        #expect(BinlogPosition(":5") == nil)
        #expect(BinlogPosition("x:y") == nil)
    }
}
