/// Why a document is not JSON: the byte offset (0-based, from the start of the input) where reading stopped.
public struct JSONParseError: Error, Equatable, Sendable, CustomStringConvertible {
    /// Offset of the offending byte from the start of the input; the input's length for truncated documents.
    public var offset: Int
    /// What was wrong there, e.g. "trailing comma in array".
    public var message: String

    public init(offset: Int, message: String) {
        self.offset = offset
        self.message = message
    }

    public var description: String { "invalid JSON at byte \(offset): \(message)" }
}

/// A strict RFC 8259 reader: one value with optional whitespace around it, nothing else.
///
/// Refused: trailing commas, comments, leading zeros, `+1`, `.5`, `1.`, NaN/Infinity, numbers too large for
/// a Double, raw control characters in strings, unknown escapes, lone surrogates, invalid UTF-8, and nesting
/// deeper than `maximumDepth`. Integer literals that fit Int64 become `.integer`, every other number `.double`
/// (correctly rounded) or, in `.exact` mode, `.decimal` (the literal, for money). In an object with duplicate
/// keys the last member wins, or with `rejectingDuplicateKeys` the document is refused.
public struct JSONParser {
    /// What non-integer numbers become.
    public enum NumberMode: Sendable {
        /// `.double`, correctly rounded (the default).
        case double
        /// `.decimal`, exactly as written (numbers too large for a Double are still refused).
        case exact
    }

    /// The default limit on nested arrays and objects, deep enough for any real document.
    public static let defaultMaximumDepth = 512

    let input: UnsafeBufferPointer<UInt8>
    private let maximumDepth: Int
    private let numbers: NumberMode
    private let rejectsDuplicateKeys: Bool
    var position = 0
    var depth = 0
    /// Reused for strings that contain escapes.
    var scratch: [UInt8] = []
    /// Members of the objects being read, innermost last; reused so that each object allocates only its dictionary.
    var pendingMembers: [(String, JSONValue)] = []

    init(input: UnsafeBufferPointer<UInt8>, maximumDepth: Int, numbers: NumberMode, rejectsDuplicateKeys: Bool) {
        self.input = input
        self.maximumDepth = maximumDepth
        self.numbers = numbers
        self.rejectsDuplicateKeys = rejectsDuplicateKeys
    }

    /// Parses `bytes` as one JSON document; the bytes are read in place when they are contiguous.
    /// `rejectingDuplicateKeys`: an object with the same key twice is an error naming the key (default: the last wins).
    public static func parse(_ bytes: some Collection<UInt8>, maximumDepth: Int = defaultMaximumDepth,
                             numbers: NumberMode = .double,
                             rejectingDuplicateKeys: Bool = false) throws(JSONParseError) -> JSONValue {
        let result = bytes.withContiguousStorageIfAvailable {
            parse(buffer: $0, maximumDepth: maximumDepth, numbers: numbers, rejectsDuplicateKeys: rejectingDuplicateKeys)
        } ?? Array(bytes).withUnsafeBufferPointer {
            parse(buffer: $0, maximumDepth: maximumDepth, numbers: numbers, rejectsDuplicateKeys: rejectingDuplicateKeys)
        }
        return try result.get()
    }

    private static func parse(buffer: UnsafeBufferPointer<UInt8>, maximumDepth: Int, numbers: NumberMode,
                              rejectsDuplicateKeys: Bool) -> Result<JSONValue, JSONParseError> {
        var parser = JSONParser(input: buffer, maximumDepth: maximumDepth, numbers: numbers,
                                rejectsDuplicateKeys: rejectsDuplicateKeys)
        return Result { () throws(JSONParseError) in try parser.document() }
    }

    // MARK: - Structure
    // (Members used by the tree-less scanning in JSONParser+Scanning.swift are internal, not private.)
    // Nesting depth costs stack, so the recursive functions build their errors out of line, in `mutating`
    // helpers: a non-mutating call would copy `self` into every frame (96 KB of stack for 512 levels in
    // release instead of 320 KB).

    private mutating func document() throws(JSONParseError) -> JSONValue {
        skipWhitespace()
        let value = try value()
        skipWhitespace()
        guard position == input.count else { throw unexpected(" after the document") }
        return value
    }

    private mutating func value() throws(JSONParseError) -> JSONValue {
        guard position < input.count else { throw unexpected(", expected a value") }
        switch input[position] {
        case UInt8(ascii: "{"): return try object()
        case UInt8(ascii: "["): return try array()
        case UInt8(ascii: "\""): return .string(try string())
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"): return try number()
        case UInt8(ascii: "t"): try literal("true"); return .bool(true)
        case UInt8(ascii: "f"): try literal("false"); return .bool(false)
        case UInt8(ascii: "n"): try literal("null"); return .null
        default: throw unexpected(", expected a value")
        }
    }

    /// Whether the byte at `position` is `byte` (false at the end of input).
    @inline(__always)
    func next(is byte: UInt8) -> Bool {
        position < input.count && input[position] == byte
    }

    mutating func enter() throws(JSONParseError) {
        depth += 1
        if depth > maximumDepth { throw tooDeep() }
    }

    private mutating func array() throws(JSONParseError) -> JSONValue {
        try enter()
        position += 1  // [
        var elements: [JSONValue] = []
        skipWhitespace()
        if !next(is: UInt8(ascii: "]")) {
            while true {
                elements.append(try value())
                skipWhitespace()
                if next(is: UInt8(ascii: "]")) { break }
                guard next(is: UInt8(ascii: ",")) else { throw unexpected(" in array, expected ',' or ']'") }
                position += 1
                skipWhitespace()
                if next(is: UInt8(ascii: "]")) { throw failure("trailing comma in array") }
            }
        }
        position += 1  // ]
        depth -= 1
        return .array(elements)
    }

    private mutating func object() throws(JSONParseError) -> JSONValue {
        try enter()
        let start = position
        position += 1  // {
        let firstMember = pendingMembers.count
        skipWhitespace()
        if !next(is: UInt8(ascii: "}")) {
            while true {
                guard next(is: UInt8(ascii: "\"")) else { throw unexpected(" in object, expected a member name") }
                let key = try string()
                skipWhitespace()
                guard next(is: UInt8(ascii: ":")) else { throw unexpected(" after a member name, expected ':'") }
                position += 1
                skipWhitespace()
                let member = try value()
                pendingMembers.append((key, member))
                skipWhitespace()
                if next(is: UInt8(ascii: "}")) { break }
                guard next(is: UInt8(ascii: ",")) else { throw unexpected(" in object, expected ',' or '}'") }
                position += 1
                skipWhitespace()
                if next(is: UInt8(ascii: "}")) { throw failure("trailing comma in object") }
            }
        }
        position += 1  // }
        depth -= 1
        let members = takeMembers(from: firstMember)
        if rejectsDuplicateKeys && members.count != pendingMembers.count - firstMember {
            throw duplicateKey(in: firstMember, objectStart: start)
        }
        pendingMembers.removeSubrange(firstMember...)
        return .object(members)
    }

    /// The error for an object whose pending members (from `first`) repeat a key.
    @inline(never)
    private mutating func duplicateKey(in first: Int, objectStart: Int) -> JSONParseError {
        var seen = Set<String>()
        let key = pendingMembers[first...].first { !seen.insert($0.0).inserted }?.0 ?? ""
        pendingMembers.removeSubrange(first...)
        return JSONParseError(offset: objectStart, message: "duplicate key \"\(key)\" in the object")
    }

    /// The members pending since `first` as a dictionary (the last of duplicate keys wins); the caller removes them.
    @inline(never)
    private func takeMembers(from first: Int) -> [String: JSONValue] {
        if first == pendingMembers.count { return [:] }
        return Dictionary(pendingMembers[first...], uniquingKeysWith: { _, last in last })
    }

    mutating func literal(_ word: StaticString) throws(JSONParseError) {
        for expected in UnsafeBufferPointer(start: word.utf8Start, count: word.utf8CodeUnitCount) {
            guard next(is: expected) else { throw unexpected(" in a literal, expected '\(word)'") }
            position += 1
        }
    }

    @inline(__always)
    mutating func skipWhitespace() {
        while position < input.count {
            switch input[position] {
            case 0x20, 0x0A, 0x0D, 0x09: position += 1
            default: return
            }
        }
    }

    // MARK: - Numbers

    /// `-? (0 | [1-9][0-9]*) (. [0-9]+)? ([eE] [+-]? [0-9]+)?`; integers are accumulated negatively so that
    /// Int64.min fits, everything else goes through `Double(String)` (correctly rounded).
    mutating func number() throws(JSONParseError) -> JSONValue {
        let start = position
        let negative = input[position] == UInt8(ascii: "-")
        if negative { position += 1 }
        var accumulated: Int64 = 0
        var overflow = false
        switch position < input.count ? input[position] : 0 {
        case UInt8(ascii: "0"):
            position += 1
            if position < input.count, isDigit(input[position]) { throw failure("leading zero in a number") }
        case UInt8(ascii: "1")...UInt8(ascii: "9"):
            while position < input.count, isDigit(input[position]) {
                let digit = Int64(input[position] &- UInt8(ascii: "0"))
                if !overflow {
                    let (times10, o1) = accumulated.multipliedReportingOverflow(by: 10)
                    let (next, o2) = times10.subtractingReportingOverflow(digit)
                    overflow = o1 || o2
                    accumulated = next
                }
                position += 1
            }
        default:
            throw unexpected(" in a number, expected a digit")
        }
        var isInteger = true
        if position < input.count, input[position] == UInt8(ascii: ".") {
            isInteger = false
            position += 1
            try digits(" after '.', expected a digit")
        }
        if position < input.count, input[position] | 0x20 == UInt8(ascii: "e") {
            isInteger = false
            position += 1
            if position < input.count, input[position] == UInt8(ascii: "+") || input[position] == UInt8(ascii: "-") {
                position += 1
            }
            try digits(" in the exponent, expected a digit")
        }
        if isInteger && !overflow {
            if negative { return .integer(accumulated) }
            if accumulated != .min { return .integer(-accumulated) }
        }
        let value = try double(from: start)
        if numbers == .exact {
            let text = String(decoding: UnsafeBufferPointer(rebasing: input[start..<position]), as: UTF8.self)
            return .decimal(JSONDecimal(validated: text))
        }
        return .double(value)
    }

    /// The number from `start` to `position` (valid JSON syntax) as a correctly rounded finite Double.
    @inline(never)
    private func double(from start: Int) throws(JSONParseError) -> Double {
        let text = String(decoding: UnsafeBufferPointer(rebasing: input[start..<position]), as: UTF8.self)
        guard let double = Double(text), double.isFinite else {
            throw JSONParseError(offset: start, message: "number \(text) is out of range")
        }
        return double
    }

    /// Skips one or more digits; `context` completes the error message when there is none.
    private mutating func digits(_ context: String) throws(JSONParseError) {
        guard position < input.count, isDigit(input[position]) else { throw unexpected(context) }
        repeat { position += 1 } while position < input.count && isDigit(input[position])
    }

    @inline(__always)
    private func isDigit(_ byte: UInt8) -> Bool { byte &- UInt8(ascii: "0") < 10 }

    // MARK: - Strings

    /// Reads a string starting at its opening quote. Runs without escapes are validated and copied in one go.
    mutating func string() throws(JSONParseError) -> String {
        position += 1  // "
        let start = position
        while true {
            guard position < input.count else { throw unexpected(" in a string") }
            let byte = input[position]
            if byte == UInt8(ascii: "\"") {
                let run = UnsafeBufferPointer(rebasing: input[start..<position])
                position += 1
                return String(decoding: run, as: UTF8.self)
            } else if byte == UInt8(ascii: "\\") {
                return try escapedString(from: start)
            } else if byte < 0x20 {
                throw unescapedControlCharacter()
            } else if byte >= 0x80 {
                try skipUTF8Sequence()
            } else {
                position += 1
            }
        }
    }

    /// The slow path for a string with escapes: decodes into `scratch`, starting over from `start`.
    private mutating func escapedString(from start: Int) throws(JSONParseError) -> String {
        scratch.removeAll(keepingCapacity: true)
        scratch.append(contentsOf: UnsafeBufferPointer(rebasing: input[start..<position]))
        while true {
            guard position < input.count else { throw unexpected(" in a string") }
            let byte = input[position]
            switch byte {
            case UInt8(ascii: "\""):
                position += 1
                return String(decoding: scratch, as: UTF8.self)
            case UInt8(ascii: "\\"):
                try escape()
            case 0..<0x20:
                throw unescapedControlCharacter()
            case 0x80...:
                let sequenceStart = position
                try skipUTF8Sequence()
                scratch.append(contentsOf: UnsafeBufferPointer(rebasing: input[sequenceStart..<position]))
            default:
                scratch.append(byte)
                position += 1
            }
        }
    }

    /// Decodes the escape at `position` (a backslash) into `scratch`.
    mutating func escape() throws(JSONParseError) {
        position += 1
        guard position < input.count else { throw unexpected(" in an escape") }
        let byte = input[position]
        position += 1
        switch byte {
        case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"): scratch.append(byte)
        case UInt8(ascii: "b"): scratch.append(0x08)
        case UInt8(ascii: "f"): scratch.append(0x0C)
        case UInt8(ascii: "n"): scratch.append(0x0A)
        case UInt8(ascii: "r"): scratch.append(0x0D)
        case UInt8(ascii: "t"): scratch.append(0x09)
        case UInt8(ascii: "u"):
            let escapeStart = position - 2
            var scalar = UInt32(try hexQuad())
            switch scalar {
            case 0xD800...0xDBFF:
                guard position + 1 < input.count, input[position] == UInt8(ascii: "\\"), input[position + 1] == UInt8(ascii: "u") else {
                    throw JSONParseError(offset: escapeStart, message: "high surrogate \\u\(hex(scalar)) not followed by a low surrogate")
                }
                position += 2
                let low = UInt32(try hexQuad())
                guard (0xDC00...0xDFFF).contains(low) else {
                    throw JSONParseError(offset: escapeStart, message: "high surrogate \\u\(hex(scalar)) followed by \\u\(hex(low)), not a low surrogate")
                }
                scalar = 0x10000 + ((scalar - 0xD800) << 10) + (low - 0xDC00)
            case 0xDC00...0xDFFF:
                throw JSONParseError(offset: escapeStart, message: "lone low surrogate \\u\(hex(scalar))")
            default:
                break
            }
            appendUTF8(scalar)
        default:
            position -= 2
            throw JSONParseError(offset: position, message: "invalid escape '\\\(describe(byte, quoted: false))'")
        }
    }

    /// Appends the UTF-8 form of `scalar` (at most U+10FFFF, not a surrogate) to `scratch`.
    private mutating func appendUTF8(_ scalar: UInt32) {
        switch scalar {
        case ..<0x80:
            scratch.append(UInt8(scalar))
        case ..<0x800:
            scratch.append(UInt8(0xC0 | scalar >> 6))
            scratch.append(UInt8(0x80 | scalar & 0x3F))
        case ..<0x10000:
            scratch.append(UInt8(0xE0 | scalar >> 12))
            scratch.append(UInt8(0x80 | scalar >> 6 & 0x3F))
            scratch.append(UInt8(0x80 | scalar & 0x3F))
        default:
            scratch.append(UInt8(0xF0 | scalar >> 18))
            scratch.append(UInt8(0x80 | scalar >> 12 & 0x3F))
            scratch.append(UInt8(0x80 | scalar >> 6 & 0x3F))
            scratch.append(UInt8(0x80 | scalar & 0x3F))
        }
    }

    private mutating func hexQuad() throws(JSONParseError) -> UInt16 {
        var value: UInt16 = 0
        for _ in 0..<4 {
            guard position < input.count else { throw unexpected(" in a \\u escape, expected a hex digit") }
            let byte = input[position]
            let digit: UInt8
            switch byte {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): digit = byte - UInt8(ascii: "0")
            case UInt8(ascii: "a")...UInt8(ascii: "f"): digit = byte - UInt8(ascii: "a") + 10
            case UInt8(ascii: "A")...UInt8(ascii: "F"): digit = byte - UInt8(ascii: "A") + 10
            default: throw unexpected(" in a \\u escape, expected a hex digit")
            }
            value = value << 4 | UInt16(digit)
            position += 1
        }
        return value
    }

    /// Checks the UTF-8 sequence at `position` (lead byte >= 0x80) per RFC 3629: no overlong forms, no
    /// surrogates, nothing above U+10FFFF; on success `position` is past it.
    mutating func skipUTF8Sequence() throws(JSONParseError) {
        let lead = input[position]
        let length: Int
        var lowerBound: UInt8 = 0x80
        var upperBound: UInt8 = 0xBF
        switch lead {
        case 0xC2...0xDF: length = 2
        case 0xE0: length = 3; lowerBound = 0xA0
        case 0xE1...0xEC, 0xEE...0xEF: length = 3
        case 0xED: length = 3; upperBound = 0x9F
        case 0xF0: length = 4; lowerBound = 0x90
        case 0xF1...0xF3: length = 4
        case 0xF4: length = 4; upperBound = 0x8F
        default: throw JSONParseError(offset: position, message: "invalid UTF-8 byte \(describe(lead, quoted: false))")
        }
        for index in 1..<length {
            guard position + index < input.count else {
                throw JSONParseError(offset: input.count, message: "unexpected end of input in a UTF-8 sequence")
            }
            let byte = input[position + index]
            let range = index == 1 ? lowerBound...upperBound : 0x80...0xBF
            guard range.contains(byte) else {
                throw JSONParseError(offset: position + index,
                                     message: "invalid UTF-8 sequence (byte \(describe(byte, quoted: false)) after lead byte \(describe(lead, quoted: false)))")
            }
        }
        position += length
    }

    // MARK: - Errors

    /// "unexpected X<context>" at `position`, X being the byte there or the end of input.
    @inline(never)
    mutating func unexpected(_ context: String) -> JSONParseError {
        let found = position < input.count ? describe(input[position]) : "end of input"
        return JSONParseError(offset: position, message: "unexpected \(found)\(context)")
    }

    @inline(never)
    mutating func failure(_ message: StaticString) -> JSONParseError {
        JSONParseError(offset: position, message: "\(message)")
    }

    @inline(never)
    mutating func tooDeep() -> JSONParseError {
        JSONParseError(offset: position, message: "nesting deeper than \(maximumDepth) arrays and objects")
    }

    @inline(never)
    mutating func unescapedControlCharacter() -> JSONParseError {
        JSONParseError(offset: position, message: "control character \(describe(input[position])) in a string must be escaped")
    }

    /// A byte for an error message: a printable ASCII character in quotes, else its hex value.
    private func describe(_ byte: UInt8, quoted: Bool = true) -> String {
        if (0x21...0x7E).contains(byte) {
            let character = String(UnicodeScalar(byte))
            return quoted ? "'\(character)'" : character
        }
        return "0x" + hex(UInt32(byte), width: 2)
    }

    private func hex(_ value: UInt32, width: Int = 4) -> String {
        let digits = String(value, radix: 16, uppercase: true)
        return String(repeating: "0", count: max(0, width - digits.count)) + digits
    }
}
