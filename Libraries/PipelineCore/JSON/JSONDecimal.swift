/// A JSON number kept exactly as written (`12.50`, `-0.01`, `1E-30`), for money and other decimals that a
/// binary `Double` would round. Produced by `JSONParser` in `.exact` number mode; written back verbatim.
public struct JSONDecimal: Sendable, Hashable, CustomStringConvertible {
    /// The number's text, valid JSON number syntax.
    public let text: String

    /// Wraps `text` if it is a JSON number (`-? int frac? exp?`); nil otherwise.
    public init?(_ text: String) {
        guard Self.isNumber(text.utf8) else { return nil }
        self.text = text
    }

    /// For the parser, which has checked the syntax already.
    init(validated text: String) {
        self.text = text
    }

    public var description: String { text }

    /// The number times 10^`places` as an exact integer (`12.5` with 2 places is 1250); nil when that is not a
    /// whole number (`0.125` with 2 places) or does not fit Int64. Never rounds.
    public func scaled(places: Int) -> Int64? {
        var digits: [UInt8] = []
        var negative = false
        var fractionDigits = 0
        var exponent = 0
        var inFraction = false
        var iterator = text.utf8.makeIterator()
        while let byte = iterator.next() {
            switch byte {
            case UInt8(ascii: "-"): negative = true
            case UInt8(ascii: "."): inFraction = true
            case UInt8(ascii: "e"), UInt8(ascii: "E"):
                var exponentText = ""
                while let e = iterator.next() { exponentText.append(Character(Unicode.Scalar(e))) }
                guard let value = Int(exponentText.hasPrefix("+") ? String(exponentText.dropFirst()) : exponentText),
                      abs(value) < 1000 else { return nil }
                exponent = value
            default:
                digits.append(byte &- UInt8(ascii: "0"))
                if inFraction { fractionDigits += 1 }
            }
        }
        // value = digits × 10^(exponent − fractionDigits); we want value × 10^places.
        var shift = exponent - fractionDigits + places
        while shift < 0 {
            guard let last = digits.last else { break }
            guard last == 0 else { return nil }
            digits.removeLast()
            shift += 1
        }
        var result: Int64 = 0
        for digit in digits + Array(repeating: 0, count: max(0, shift)) {
            let (times10, o1) = result.multipliedReportingOverflow(by: 10)
            let (next, o2) = times10.addingReportingOverflow(Int64(digit))
            guard !o1, !o2 else { return nil }
            result = next
        }
        return negative ? -result : result
    }

    /// JSON's number grammar, checked byte by byte.
    static func isNumber(_ bytes: String.UTF8View) -> Bool {
        var bytes = bytes[...]
        func digit(_ b: UInt8?) -> Bool { b.map { $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") } ?? false }
        func digits() -> Bool {
            guard digit(bytes.first) else { return false }
            while digit(bytes.first) { bytes.removeFirst() }
            return true
        }
        if bytes.first == UInt8(ascii: "-") { bytes.removeFirst() }
        if bytes.first == UInt8(ascii: "0") {
            bytes.removeFirst()
        } else if !digits() {
            return false
        }
        if bytes.first == UInt8(ascii: ".") {
            bytes.removeFirst()
            guard digits() else { return false }
        }
        if let e = bytes.first, e | 0x20 == UInt8(ascii: "e") {
            bytes.removeFirst()
            if bytes.first == UInt8(ascii: "+") || bytes.first == UInt8(ascii: "-") { bytes.removeFirst() }
            guard digits() else { return false }
        }
        return bytes.isEmpty
    }
}
