/// Reads dimension rows as last known from `<prefix>dimension` (written by the business stream), to name
/// what answers count: provinces, SKUs, trademarks, categories.
public enum DimensionLookup {
    /// The search for the live rows of `table` whose `field` is one of `values` (default: by id).
    public static func body(table: ShopTable, field: String = "id", values: [JSONValue]) -> [UInt8] {
        SearchDSL.body(query: SearchDSL.filter([SearchDSL.term("table", .string(table.rawValue)), SearchDSL.term("deleted", .bool(false)),
                                                SearchDSL.terms(field, values)]),
                       size: max(values.count, 1) * 2)
    }

    /// The rows of the answer, by id.
    public static func rows(_ answer: SearchAnswer) -> [Int64: ShopRow] {
        var rows: [Int64: ShopRow] = [:]
        for hit in answer.hits {
            if let id = hit.source["id"]?.integerValue { rows[id] = ShopRow(hit.source) }
        }
        return rows
    }
}

/// Money figures of answers: integer cents in, two-decimal strings out.
extension Int64 {
    public var asAmount: String { Money.format(cents: self) }
}
