/// Number formatting exactly as Java prints it, because Maxwell's JSON is written by Jackson from Java values:
/// `BigDecimal.toString()` for DECIMAL, `Float.toString` / `Double.toString` for FLOAT / DOUBLE.
public enum JavaFormat {
    /// `BigDecimal.toString()` of the value `digits × 10^-scale` (digits without sign, scale ≥ 0).
    public static func bigDecimal(negative: Bool, digits: Substring, scale: Int) -> String {
        var coefficient = digits.drop { $0 == "0" }
        if coefficient.isEmpty { coefficient = "0" }
        let isZero = coefficient == "0"
        let sign = negative && !isZero ? "-" : ""
        let adjusted = coefficient.count - 1 - scale
        if scale == 0 { return sign + coefficient }
        if adjusted >= -6 {
            if coefficient.count > scale {
                let split = coefficient.index(coefficient.endIndex, offsetBy: -scale)
                return sign + coefficient[..<split] + "." + coefficient[split...]
            }
            return sign + "0." + String(repeating: "0", count: scale - coefficient.count) + coefficient
        }
        var text = sign + String(coefficient.first!)
        if coefficient.count > 1 { text += "." + coefficient.dropFirst() }
        return text + "E" + (adjusted > 0 ? "+" : "") + String(adjusted)
    }

    /// `Double.toString(value)` (JDK 19+ shortest digits): plain between 10^-3 and 10^7, else `d.dddE±n`.
    public static func double(_ value: Double) -> String {
        if value.isNaN { return "NaN" }
        if value.isInfinite { return value < 0 ? "-Infinity" : "Infinity" }
        return format(shortest: "\(value)", negative: value.sign == .minus)
    }

    /// `Float.toString(value)`, with the float's own shortest digits.
    public static func float(_ value: Float) -> String {
        if value.isNaN { return "NaN" }
        if value.isInfinite { return value < 0 ? "-Infinity" : "Infinity" }
        return format(shortest: "\(value)", negative: value.sign == .minus)
    }

    /// Rewrites Swift's shortest round-trip text (`1.5`, `1e-05`, `1.2345e+16`) in Java's layout.
    private static func format(shortest: String, negative: Bool) -> String {
        var text = Substring(shortest)
        if text.first == "-" { text = text.dropFirst() }
        var exponent = 0
        if let e = text.firstIndex(where: { $0 == "e" || $0 == "E" }) {
            exponent = Int(text[text.index(after: e)...]) ?? 0
            text = text[..<e]
        }
        // Mantissa digits with the point removed; value = 0.d1d2... × 10^pointPosition.
        let parts = text.split(separator: ".", omittingEmptySubsequences: false)
        let integer = parts[0]
        let fraction = parts.count > 1 ? parts[1] : ""
        var digits = Array(integer + fraction)
        var pointPosition = integer.count + exponent
        while digits.count > 1, digits.first == "0" { digits.removeFirst(); pointPosition -= 1 }
        while digits.count > 1, digits.last == "0" { digits.removeLast() }
        let sign = negative ? "-" : ""
        if digits == ["0"] { return sign + "0.0" }
        let scientific = pointPosition - 1
        if scientific >= -3 && scientific < 7 {
            if pointPosition <= 0 {
                return sign + "0." + String(repeating: "0", count: -pointPosition) + String(digits)
            }
            if digits.count <= pointPosition {
                return sign + String(digits) + String(repeating: "0", count: pointPosition - digits.count) + ".0"
            }
            return sign + String(digits[..<pointPosition]) + "." + String(digits[pointPosition...])
        }
        let rest = digits.count > 1 ? String(digits[1...]) : "0"
        return sign + String(digits[0]) + "." + rest + "E" + String(scientific)
    }

    /// Java's `String.hashCode()`: `s[0]*31^(n-1) + ... + s[n-1]` over UTF-16 code units, wrapping at 32 bits.
    public static func hashCode(_ text: String) -> Int32 {
        var hash: Int32 = 0
        for unit in text.utf16 { hash = hash &* 31 &+ Int32(unit) }
        return hash
    }
}
