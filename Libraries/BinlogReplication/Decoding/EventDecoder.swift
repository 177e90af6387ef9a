/// Decodes raw binlog events (header first, as stored in a binlog file or sent by the server after its
/// status byte) into `BinlogEvent`s, keeping the state later events depend on: the format description
/// and the table maps.
public struct EventDecoder: Sendable {
    /// Whether each event ends with a 4-byte CRC32; updated by every FORMAT_DESCRIPTION event.
    public var checksumEnabled: Bool
    /// Whether to verify those checksums (default true; costs one pass over the bytes).
    public var verifiesChecksums: Bool
    /// The last FORMAT_DESCRIPTION seen, nil before the first.
    public private(set) var formatDescription: FormatDescription?
    /// Chooses the tables whose rows are decoded: returns the table map to use (for example with JSON
    /// columns marked) or nil to skip that table's rows. Default: every table as logged.
    public var prepareTable: @Sendable (TableMap) -> TableMap?
    /// Character set failures and BINARY padding (see `ValueDecodingOptions`).
    public var valueOptions: ValueDecodingOptions

    private var tables: [UInt64: (map: TableMap, included: Bool)] = [:]

    public init(checksumEnabled: Bool = true, verifiesChecksums: Bool = true,
                valueOptions: ValueDecodingOptions = ValueDecodingOptions(),
                prepareTable: @escaping @Sendable (TableMap) -> TableMap? = { $0 }) {
        self.checksumEnabled = checksumEnabled
        self.verifiesChecksums = verifiesChecksums
        self.valueOptions = valueOptions
        self.prepareTable = prepareTable
    }

    /// The table map in force for `tableID`, if one was seen.
    public func table(_ tableID: UInt64) -> TableMap? { tables[tableID]?.map }

    /// Decodes one event; throws `BinlogError` when it is truncated, corrupt or of an unsupported kind.
    public mutating func decode(_ bytes: [UInt8]) throws -> BinlogEvent {
        var reader = ByteReader(bytes)
        let header = try EventHeader(reading: &reader)
        guard Int(header.eventLength) <= bytes.count, header.eventLength >= UInt32(EventHeader.length) else {
            throw BinlogError.truncated(what: "event of type \(header.typeCode)", offset: 0,
                                        need: Int(header.eventLength), available: bytes.count)
        }
        let eventEnd = Int(header.eventLength)
        let isFormatDescription = header.typeCode == EventType.formatDescription.rawValue
        // A FORMAT_DESCRIPTION always reserves the checksum's 4 bytes after its algorithm byte.
        let hasChecksum = isFormatDescription ? formatChecksumAlgorithm(bytes, end: eventEnd) != 0 : checksumEnabled
        if isFormatDescription || hasChecksum, eventEnd >= EventHeader.length + 4 {
            if hasChecksum && verifiesChecksums {
                var storedReader = ByteReader(bytes, offset: eventEnd - 4, end: eventEnd)
                let stored = try storedReader.uint32("checksum")
                var covered = bytes[0..<(eventEnd - 4)]
                if isFormatDescription {
                    // The server computes a FORMAT_DESCRIPTION's checksum before it sets the "binlog in use" flag.
                    covered[covered.startIndex + 17] &= ~0x01
                }
                let computed = CRC32.checksum(covered)
                guard stored == computed else {
                    throw BinlogError.checksumMismatch(eventType: header.typeCode, expected: stored, actual: computed)
                }
            }
        }
        let bodyEnd = (isFormatDescription || hasChecksum) ? eventEnd - 4 : eventEnd
        guard bodyEnd >= EventHeader.length else {
            throw BinlogError.malformed("event of type \(header.typeCode) shorter than its header and checksum")
        }
        var body = ByteReader(bytes, offset: EventHeader.length, end: bodyEnd)
        return BinlogEvent(header: header, payload: try payload(of: header, body: &body))
    }

    private func formatChecksumAlgorithm(_ bytes: [UInt8], end: Int) -> UInt8 {
        end >= EventHeader.length + 5 ? bytes[end - 5] : 0
    }

    private var tableIDSize: Int {
        formatDescription?.postHeaderLength(of: .tableMap) == 6 ? 4 : 6
    }

    private mutating func payload(of header: EventHeader, body: inout ByteReader) throws -> BinlogEvent.Payload {
        guard let type = header.type else { return .other }
        if type.isCompressedRows {
            throw BinlogError.unsupported("compressed binlog events (type \(type.rawValue)); set log_bin_compress=OFF")
        }
        switch type {
        case .formatDescription:
            let description = try decodeFormatDescription(&body)
            formatDescription = description
            checksumEnabled = description.checksumEnabled
            return .formatDescription(description)
        case .rotate:
            let position = try body.uint64("rotate position")
            let file = String(decoding: body.rest(), as: UTF8.self)
            return .rotate(RotateEvent(position: position, file: file))
        case .mariadbGtid:
            let sequence = try body.uint64("gtid sequence")
            let domain = try body.uint32("gtid domain")
            let flags = try body.uint8("gtid flags")
            return .gtid(GtidEvent(gtid: Gtid(domain: domain, serverID: header.serverID, sequence: sequence), flags: flags))
        case .mariadbGtidList:
            let count = Int(try body.uint32("gtid list count") & 0x0FFF_FFFF)
            var list: [Gtid] = []
            for _ in 0..<count {
                let domain = try body.uint32("gtid list domain")
                let server = try body.uint32("gtid list server")
                let sequence = try body.uint64("gtid list sequence")
                list.append(Gtid(domain: domain, serverID: server, sequence: sequence))
            }
            return .gtidList(list)
        case .xid:
            return .xid(try body.uint64("xid"))
        case .query:
            return .query(try decodeQuery(&body))
        case .tableMap:
            let map = try TableMap(reading: &body, tableIDSize: tableIDSize)
            if let prepared = prepareTable(map) {
                tables[map.tableID] = (prepared, true)
                return .tableMap(prepared)
            }
            tables[map.tableID] = (map, false)
            return .tableMap(map)
        case .writeRowsV1, .updateRowsV1, .deleteRowsV1, .writeRowsV2, .updateRowsV2, .deleteRowsV2:
            do {
                return .rows(try decodeRows(type, body: &body))
            } catch var failure as UndecodableText {
                failure.position = "rows event at \(header.position)"
                throw failure
            }
        case .heartbeat:
            return .heartbeat
        default:
            return .other
        }
    }

    private func decodeFormatDescription(_ body: inout ByteReader) throws -> FormatDescription {
        let version = try body.uint16("binlog version")
        let serverVersionBytes = try body.take(50, "server version")
        let serverVersion = String(decoding: serverVersionBytes.prefix { $0 != 0 }, as: UTF8.self)
        _ = try body.uint32("create timestamp")
        let headerLength = try body.uint8("header length")
        // What is left: one post-header length per event type, then the checksum algorithm byte.
        let lengths = Array(body.rest())
        let algorithm = lengths.last ?? 0
        return FormatDescription(binlogVersion: version, serverVersion: serverVersion, headerLength: headerLength,
                                 postHeaderLengths: Array(lengths.dropLast()), checksumEnabled: algorithm == 1)
    }

    private func decodeQuery(_ body: inout ByteReader) throws -> QueryEvent {
        let threadID = try body.uint32("query thread id")
        _ = try body.uint32("query execution time")
        let databaseLength = Int(try body.uint8("query database length"))
        let errorCode = try body.uint16("query error code")
        let statusLength = Int(try body.uint16("query status length"))
        try body.skip(statusLength, "query status variables")
        let database = String(decoding: try body.take(databaseLength, "query database"), as: UTF8.self)
        try body.skip(1, "query database terminator")
        let sql = String(decoding: body.rest(), as: UTF8.self)
        return QueryEvent(threadID: threadID, database: database, errorCode: errorCode, sql: sql)
    }

    private func decodeRows(_ type: EventType, body: inout ByteReader) throws -> RowsEvent {
        let kind = type.rowsKind ?? .insert
        let tableID = try body.uintLE(tableIDSize, "rows table id")
        let flags = try body.uint16("rows flags")
        if type == .writeRowsV2 || type == .updateRowsV2 || type == .deleteRowsV2 {
            let extraLength = Int(try body.uint16("rows extra data length"))
            try body.skip(max(0, extraLength - 2), "rows extra data")
        }
        guard let entry = tables[tableID] else { throw BinlogError.unknownTable(tableID: tableID) }
        var event = RowsEvent(kind: kind, tableID: tableID, table: entry.map, flags: flags, rows: [])
        guard entry.included else { return event }

        let count = try body.lengthEncodedCount("rows column count")
        guard count == entry.map.columns.count else {
            throw BinlogError.malformed("rows event for \(entry.map.database).\(entry.map.table) has \(count) columns, its TABLE_MAP \(entry.map.columns.count)")
        }
        let present = try body.takeArray((count + 7) / 8, "columns-present bitmap")
        let presentAfter = kind == .update ? try body.takeArray((count + 7) / 8, "columns-present bitmap (after)") : present
        let columns = entry.map.columns
        do {
            while !body.isAtEnd {
                switch kind {
                case .insert:
                    event.rows.append(RowChange(before: nil, after: try image(columns, present: present, from: &body)))
                case .delete:
                    event.rows.append(RowChange(before: try image(columns, present: present, from: &body), after: nil))
                case .update:
                    let before = try image(columns, present: present, from: &body)
                    let after = try image(columns, present: presentAfter, from: &body)
                    event.rows.append(RowChange(before: before, after: after))
                }
            }
        } catch var failure as UndecodableText {
            (failure.database, failure.table) = (entry.map.database, entry.map.table)
            throw failure
        }
        return event
    }

    /// One row image: a null bitmap over the present columns, then each present non-null value.
    private func image(_ columns: [ColumnDefinition], present: [UInt8], from body: inout ByteReader) throws -> [ColumnValue?] {
        var presentCount = 0
        for index in columns.indices where present[index >> 3] & (1 << (index & 7)) != 0 { presentCount += 1 }
        let nulls = try body.take((presentCount + 7) / 8, "null bitmap")
        let nullBase = nulls.startIndex
        var values = [ColumnValue?](repeating: nil, count: columns.count)
        var position = 0
        for index in columns.indices where present[index >> 3] & (1 << (index & 7)) != 0 {
            if nulls[nullBase + position >> 3] & (1 << (position & 7)) != 0 {
                values[index] = .null
            } else {
                values[index] = try ValueDecoder.decode(columns[index], from: &body, options: valueOptions)
            }
            position += 1
        }
        return values
    }
}
