/// Money as integer cents: read exactly from DECIMAL values, written as two-decimal strings.
public enum Money {
    /// The cents of a DECIMAL value (`12.5` → 1250, `3` → 300); nil for null or absent. Throws for a value
    /// that is not an exact number of cents (a binary double, `0.125`, text).
    public static func cents(_ value: JSONValue?, field: String) throws(ShopRowError) -> Int64? {
        guard let value, value != .null else { return nil }
        guard let cents = value.scaled(places: 2) else {
            throw ShopRowError(field: field, problem: "is not an exact amount in cents: \(JSONCodec.serialize(value).asText)")
        }
        return cents
    }

    /// `1250` → `"12.50"`, `-5` → `"-0.05"`.
    public static func format(cents: Int64) -> String {
        let magnitude = cents.magnitude
        let fraction = magnitude % 100
        return (cents < 0 ? "-" : "") + String(magnitude / 100) + "." + (fraction < 10 ? "0" : "") + String(fraction)
    }
}

extension Array where Element == UInt8 {
    /// The bytes as text (invalid UTF-8 repaired), for messages.
    var asText: String { String(decoding: self, as: UTF8.self) }
}
