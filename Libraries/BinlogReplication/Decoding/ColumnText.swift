/// Turns the bytes of a text column into its value, the same way for the binlog stream and bootstraps.
enum ColumnText {
    /// `collation` is the column's collation id (see `MySQLCharset.forColumn`). JSON columns come out
    /// as compact JSON. Bytes that are not text in the character set throw `UndecodableText`, or become
    /// base64 bytes (counted) when the options say so.
    static func value(_ bytes: some Collection<UInt8>, collation: Int?, column: String, isJSON: Bool,
                      options: ValueDecodingOptions) throws -> ColumnValue {
        let charset = MySQLCharset.forColumn(collation: collation)
        guard let charset, let text = charset.decode(bytes) else {
            let failure = UndecodableText(column: column, charset: charset?.name ?? "collation \(collation ?? 0)", bytes: bytes)
            switch options.onUndecodable {
            case .fail:
                throw failure
            case .base64:
                options.undecodableValues.increment()
                return .bytes(Array(bytes))
            }
        }
        if isJSON { return JSONCompactor.compact(text).map(ColumnValue.json) ?? .string(text) }
        return .string(text)
    }

    /// A GEOMETRY value (SRID + WKB) as the WKT Maxwell prints. A value that is not valid WKB is treated
    /// like undecodable text: an error, or base64 bytes when the options say so.
    static func geometry(_ bytes: some Collection<UInt8>, column: String, options: ValueDecodingOptions) throws -> ColumnValue {
        do {
            return .string(try WellKnownText.fromGeometryValue(bytes))
        } catch {
            switch options.onUndecodable {
            case .fail:
                throw UndecodableText(column: column, charset: "geometry WKB (\(error))", bytes: bytes)
            case .base64:
                options.undecodableValues.increment()
                return .bytes(Array(bytes))
            }
        }
    }
}
