/// An amount of money in cents (hundredths of a yuan), exact: every amount the simulator writes or expects
/// is one of these, rendered as a DECIMAL string, never a floating-point number.
struct Cents: Hashable, Comparable, Sendable, CustomStringConvertible {
    var value: Int64

    init(_ value: Int64) {
        self.value = value
    }

    /// Whole yuan: `Cents(yuan: 3999)` is 3999.00.
    init(yuan: Int64) {
        value = yuan * 100
    }

    static let zero = Cents(0)

    /// Parses a DECIMAL as the database prints it (`1234.5`, `1234.50`, `-0.01`, `7`); nil for more than two
    /// decimals or anything that is not a decimal number.
    init?(decimal text: String) {
        var digits = Substring(text)
        let negative = digits.first == "-"
        if negative { digits = digits.dropFirst() }
        let parts = digits.split(separator: ".", maxSplits: 1, omittingEmptySubsequences: false)
        guard let whole = parts.first, !whole.isEmpty, whole.allSatisfy(\.isASCIIDigit),
              let yuan = Int64(whole) else { return nil }
        var cents: Int64 = 0
        if parts.count == 2 {
            let fraction = parts[1]
            guard !fraction.isEmpty, fraction.count <= 2, fraction.allSatisfy(\.isASCIIDigit),
                  let number = Int64(fraction) else { return nil }
            cents = fraction.count == 1 ? number * 10 : number
        }
        value = (yuan * 100 + cents) * (negative ? -1 : 1)
    }

    /// The amount with exactly two decimals, as a DECIMAL(…,2) literal and in the expected answers: `1234.50`.
    var description: String {
        let magnitude = value.magnitude
        let fraction = magnitude % 100
        return (value < 0 ? "-" : "") + String(magnitude / 100) + (fraction < 10 ? ".0" : ".") + String(fraction)
    }

    /// Whole yuan for a DECIMAL(…,0) column; only for amounts without cents.
    var wholeYuan: String {
        precondition(value % 100 == 0, "\(self) has cents")
        return String(value / 100)
    }

    static func + (a: Cents, b: Cents) -> Cents { Cents(a.value + b.value) }
    static func - (a: Cents, b: Cents) -> Cents { Cents(a.value - b.value) }
    static func * (a: Cents, count: Int64) -> Cents { Cents(a.value * count) }
    static func += (a: inout Cents, b: Cents) { a.value += b.value }
    static func -= (a: inout Cents, b: Cents) { a.value -= b.value }
    static func < (a: Cents, b: Cents) -> Bool { a.value < b.value }
}

extension Sequence where Element == Cents {
    /// The exact sum.
    func sum() -> Cents { reduce(.zero, +) }
}

private extension Character {
    var isASCIIDigit: Bool { ("0"..."9").contains(self) }
}
