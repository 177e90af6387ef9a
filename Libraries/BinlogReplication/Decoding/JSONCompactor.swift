/// Validates a JSON document and removes insignificant whitespace, keeping strings and numbers byte for byte,
/// so that a MariaDB JSON column (stored as text) can be embedded as nested JSON.
enum JSONCompactor {
    /// The compact form of `text`, or nil when it is not one valid JSON value.
    static func compact(_ text: String) -> String? {
        var parser = Parser(bytes: Array(text.utf8))
        guard parser.value(depth: 0), parser.atEndAfterWhitespace() else { return nil }
        return String(decoding: parser.output, as: UTF8.self)
    }

    private struct Parser {
        let bytes: [UInt8]
        var index = 0
        var output: [UInt8] = []

        init(bytes: [UInt8]) {
            self.bytes = bytes
            output.reserveCapacity(bytes.count)
        }

        mutating func skipWhitespace() {
            while index < bytes.count, [0x20, 0x09, 0x0A, 0x0D].contains(bytes[index]) { index += 1 }
        }

        mutating func atEndAfterWhitespace() -> Bool {
            skipWhitespace()
            return index == bytes.count
        }

        mutating func value(depth: Int) -> Bool {
            guard depth < 512 else { return false }
            skipWhitespace()
            guard index < bytes.count else { return false }
            switch bytes[index] {
            case UInt8(ascii: "{"): return container(close: UInt8(ascii: "}"), keyed: true, depth: depth)
            case UInt8(ascii: "["): return container(close: UInt8(ascii: "]"), keyed: false, depth: depth)
            case UInt8(ascii: "\""): return string()
            case UInt8(ascii: "t"): return literal("true")
            case UInt8(ascii: "f"): return literal("false")
            case UInt8(ascii: "n"): return literal("null")
            default: return number()
            }
        }

        mutating func container(close: UInt8, keyed: Bool, depth: Int) -> Bool {
            output.append(bytes[index])
            index += 1
            skipWhitespace()
            if index < bytes.count, bytes[index] == close {
                output.append(close)
                index += 1
                return true
            }
            while true {
                if keyed {
                    skipWhitespace()
                    guard index < bytes.count, bytes[index] == UInt8(ascii: "\""), string() else { return false }
                    skipWhitespace()
                    guard index < bytes.count, bytes[index] == UInt8(ascii: ":") else { return false }
                    output.append(bytes[index])
                    index += 1
                }
                guard value(depth: depth + 1) else { return false }
                skipWhitespace()
                guard index < bytes.count else { return false }
                if bytes[index] == UInt8(ascii: ",") {
                    output.append(bytes[index])
                    index += 1
                } else if bytes[index] == close {
                    output.append(close)
                    index += 1
                    return true
                } else {
                    return false
                }
            }
        }

        mutating func string() -> Bool {
            let start = index
            index += 1
            while index < bytes.count {
                let byte = bytes[index]
                if byte == UInt8(ascii: "\"") {
                    index += 1
                    output.append(contentsOf: bytes[start..<index])
                    return true
                }
                if byte < 0x20 { return false }
                index += byte == UInt8(ascii: "\\") ? 2 : 1
            }
            return false
        }

        mutating func literal(_ word: String) -> Bool {
            let expected = Array(word.utf8)
            guard index + expected.count <= bytes.count, Array(bytes[index..<index + expected.count]) == expected else {
                return false
            }
            output.append(contentsOf: expected)
            index += expected.count
            return true
        }

        mutating func number() -> Bool {
            let start = index
            func digits() -> Int {
                let from = index
                while index < bytes.count, bytes[index] >= 0x30, bytes[index] <= 0x39 { index += 1 }
                return index - from
            }
            if index < bytes.count, bytes[index] == UInt8(ascii: "-") { index += 1 }
            let integerStart = index
            let integerDigits = digits()
            guard integerDigits > 0, !(integerDigits > 1 && bytes[integerStart] == 0x30) else { return false }
            if index < bytes.count, bytes[index] == UInt8(ascii: ".") {
                index += 1
                guard digits() > 0 else { return false }
            }
            if index < bytes.count, bytes[index] == UInt8(ascii: "e") || bytes[index] == UInt8(ascii: "E") {
                index += 1
                if index < bytes.count, bytes[index] == UInt8(ascii: "+") || bytes[index] == UInt8(ascii: "-") { index += 1 }
                guard digits() > 0 else { return false }
            }
            output.append(contentsOf: bytes[start..<index])
            return true
        }
    }
}
