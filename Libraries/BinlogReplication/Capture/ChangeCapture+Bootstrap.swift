import Dispatch
import Foundation

extension ChangeCapture {
    /// Snapshots the rows of `database.table` to the sink as Maxwell does: `bootstrap-start`, one
    /// `bootstrap-insert` per row (read in primary-key pages of `pageSize`, default 1000), `bootstrap-complete`.
    /// Live changes keep flowing through `run()`; a row changed during the snapshot shows up again as a later
    /// live change, so a consumer that applies records in order ends with the current state.
    /// `progress` is called after each page with the number of rows sent so far. Returns that number.
    @discardableResult
    public func bootstrap(database: String, table: String, pageSize: Int = 1000,
                          progress: @Sendable (Int) -> Void = { _ in }) async throws -> Int {
        let configuration = reader.configuration
        let info = try await Self.blocking { () throws -> (key: [String], json: Set<String>) in
            let connection = try BinlogConnection(configuration)
            let key = try connection.query("""
                SELECT COLUMN_NAME FROM information_schema.KEY_COLUMN_USAGE WHERE TABLE_SCHEMA = '\(database.sqlEscaped)'
                AND TABLE_NAME = '\(table.sqlEscaped)' AND CONSTRAINT_NAME = 'PRIMARY' ORDER BY ORDINAL_POSITION
                """).compactMap { $0.first ?? nil }
            let checks = try connection.query("SELECT CHECK_CLAUSE FROM information_schema.CHECK_CONSTRAINTS WHERE CONSTRAINT_SCHEMA = '\(database.sqlEscaped)' AND TABLE_NAME = '\(table.sqlEscaped)'")
            return (key, JSONColumnCatalog.columns(fromCheckClauses: checks.compactMap { $0.first ?? nil }))
        }
        let now = UInt32(Date().timeIntervalSince1970)
        func marker(_ kind: MaxwellRecord.Kind) -> ChangeMessage {
            ChangeMessage(MaxwellRecord(database: database, table: table, kind: kind, timestamp: now, data: [],
                                        primaryKey: info.key), partitioner: partitioner)
        }
        try await sink.deliver([marker(.bootstrapStart)])
        let quotedTable = "`\(database.replacingOccurrences(of: "`", with: "``"))`.`\(table.replacingOccurrences(of: "`", with: "``"))`"
        let order = info.key.map { "`\($0.replacingOccurrences(of: "`", with: "``"))`" }
        var sent = 0
        var after: [String]?  // the last page's primary key values, as SQL literals
        while true {
            var sql = "SELECT * FROM \(quotedTable)"
            if !order.isEmpty {
                if let after { sql += " WHERE (\(order.joined(separator: ", "))) > (\(after.joined(separator: ", ")))" }
                sql += " ORDER BY \(order.joined(separator: ", ")) LIMIT \(pageSize)"
            } else {
                sql += " LIMIT \(pageSize) OFFSET \(sent)"
            }
            let query = sql
            let keyNames = info.key, jsonColumns = info.json, options = reader.valueOptions
            let page = try await Self.blocking { () throws -> (records: [MaxwellRecord], lastKey: [String]?) in
                let connection = try BinlogConnection(configuration)
                try connection.query("SET time_zone = '+00:00'")
                // Text as stored, in each column's character set, decoded below exactly as the binlog's is.
                try connection.query("SET character_set_results = NULL")
                var records: [MaxwellRecord] = []
                var lastKey: [String]?
                try connection.forEachRow(query) { fields, values in
                    var data: [MaxwellRecord.Field] = []
                    for (field, value) in zip(fields, values) {
                        do {
                            data.append(.init(field.name, try TextValue.convert(value, field: field, isJSON: jsonColumns.contains(field.name),
                                                                                 options: options)))
                        } catch var failure as UndecodableText {
                            (failure.database, failure.table, failure.position) = (database, table, "bootstrap")
                            throw failure
                        }
                    }
                    records.append(MaxwellRecord(database: database, table: table, kind: .bootstrapInsert, timestamp: now,
                                                 data: data, primaryKey: keyNames))
                    lastKey = keyNames.map { name in
                        guard let (field, raw) = zip(fields, values).first(where: { $0.0.name == name }), let raw else { return "NULL" }
                        return Self.sqlLiteral(raw, field: field)
                    }
                }
                return (records, lastKey)
            }
            if !page.records.isEmpty {
                try await sink.deliver(page.records.map { ChangeMessage($0, partitioner: partitioner) })
                sent += page.records.count
                progress(sent)
            }
            if page.records.count < pageSize { break }
            after = page.lastKey
        }
        try await sink.deliver([marker(.bootstrapComplete)])
        return sent
    }

    /// A key value as an SQL literal that compares like the column: strings as hex in the column's
    /// character set (the bytes arrive unconverted), numbers and dates quoted as they came.
    static func sqlLiteral(_ raw: [UInt8], field: BinlogConnection.ResultField) -> String {
        if [15, 249, 250, 251, 252, 253, 254].contains(field.type) {
            let hex = "X'" + raw.map { String(format: "%02x", $0) }.joined() + "'"
            guard field.charset != UInt32(ColumnDefinition.binaryCollation),
                  let charset = MySQLCharset.forCollation(Int(field.charset)) else { return hex }
            return "_\(charset.name) \(hex)"
        }
        return "'" + String(decoding: raw, as: UTF8.self).sqlEscaped + "'"
    }

    /// Runs a blocking database call off the cooperative thread pool.
    static func blocking<T: Sendable>(_ body: @escaping @Sendable () throws -> T) async throws -> T {
        try await withCheckedThrowingContinuation { continuation in
            DispatchQueue.global().async { continuation.resume(with: Result { try body() }) }
        }
    }
}
