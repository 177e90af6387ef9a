/// Reading without building: the same checks as `JSONParser.parse` (strict syntax, UTF-8, escapes, numbers,
/// depth, duplicate keys), for callers that only need to know a value is valid and where it ends.
extension JSONParser {
    /// Runs `body` on a strict parser over `bytes` that refuses duplicate keys; nil when it throws.
    static func scanning<T>(_ bytes: UnsafeBufferPointer<UInt8>, _ body: (inout JSONParser) throws(JSONParseError) -> T?) -> T? {
        var parser = JSONParser(input: bytes, maximumDepth: defaultMaximumDepth, numbers: .double, rejectsDuplicateKeys: true)
        do { return try body(&parser) } catch { return nil }
    }

    /// Checks the value at `position` as `value()` would read it, and moves past it.
    mutating func skipValue() throws(JSONParseError) {
        guard position < input.count else { throw unexpected(", expected a value") }
        switch input[position] {
        case UInt8(ascii: "{"): try skipObject()
        case UInt8(ascii: "["): try skipArray()
        case UInt8(ascii: "\""): try skipString()
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"): _ = try number()
        case UInt8(ascii: "t"): try literal("true")
        case UInt8(ascii: "f"): try literal("false")
        case UInt8(ascii: "n"): try literal("null")
        default: throw unexpected(", expected a value")
        }
    }

    mutating func skipArray() throws(JSONParseError) {
        try enter()
        position += 1  // [
        skipWhitespace()
        if !next(is: UInt8(ascii: "]")) {
            while true {
                try skipValue()
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
    }

    /// Checks an object member by member: `member(key)` reads each value (for a key it wants) or returns false
    /// to have it skipped. Duplicate keys are refused as `parse(rejectingDuplicateKeys: true)` refuses them.
    mutating func scanObject(_ member: (inout JSONParser, String) throws(JSONParseError) -> Bool) throws(JSONParseError) {
        try enter()
        position += 1  // {
        let firstKey = pendingMembers.count
        defer { pendingMembers.removeSubrange(firstKey...) }
        var keys: Set<String>?  // once an object has many keys, instead of comparing with each
        skipWhitespace()
        if !next(is: UInt8(ascii: "}")) {
            while true {
                guard next(is: UInt8(ascii: "\"")) else { throw unexpected(" in object, expected a member name") }
                let keyStart = position
                let key = try string()
                let repeated: Bool
                if keys != nil {
                    repeated = !keys!.insert(key).inserted
                } else {
                    repeated = pendingMembers[firstKey...].contains { $0.0 == key }
                    pendingMembers.append((key, .null))
                    if pendingMembers.count - firstKey == 32 { keys = Set(pendingMembers[firstKey...].map(\.0)) }
                }
                if repeated { throw JSONParseError(offset: keyStart, message: "duplicate key \"\(key)\" in the object") }
                skipWhitespace()
                guard next(is: UInt8(ascii: ":")) else { throw unexpected(" after a member name, expected ':'") }
                position += 1
                skipWhitespace()
                if try !member(&self, key) { try skipValue() }
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
    }

    mutating func skipObject() throws(JSONParseError) {
        try scanObject { _, _ throws(JSONParseError) in false }
    }

    /// Checks the string at `position` as `string()` would read it, without making the String.
    mutating func skipString() throws(JSONParseError) {
        position += 1  // "
        scratch.removeAll(keepingCapacity: true)  // escape() decodes into it
        while true {
            guard position < input.count else { throw unexpected(" in a string") }
            let byte = input[position]
            if byte == UInt8(ascii: "\"") {
                position += 1
                return
            } else if byte == UInt8(ascii: "\\") {
                try escape()
            } else if byte < 0x20 {
                throw unescapedControlCharacter()
            } else if byte >= 0x80 {
                try skipUTF8Sequence()
            } else {
                position += 1
            }
        }
    }
}
