/// One decoded column value, typed the way Maxwell prints it.
public enum ColumnValue: Sendable, Equatable {
    case null
    /// Signed integers and YEAR.
    case int(Int64)
    /// UNSIGNED integers and BIT.
    case uint(UInt64)
    case float(Float)
    case double(Double)
    /// DECIMAL in Java `BigDecimal.toString()` form, e.g. `-12.50` or `1.0E-7`.
    case decimal(String)
    /// Text columns, ENUM, and DATE/TIME/DATETIME/TIMESTAMP in MySQL's text form.
    case string(String)
    /// Binary columns; printed as base64.
    case bytes([UInt8])
    /// SET: the members present, in definition order; printed as a JSON array.
    case set([String])
    /// A JSON column's document, already compact JSON text; printed as nested JSON.
    case json(String)
}
