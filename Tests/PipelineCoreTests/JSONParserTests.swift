import Foundation
import PipelineCore
import Testing

private func parse(_ text: String) throws(JSONParseError) -> JSONValue {
    try JSONCodec.parse(Array(text.utf8))
}

private func serialized(_ value: JSONValue) -> String {
    String(decoding: JSONCodec.serialize(value), as: UTF8.self)
}

/// The error for `bytes`, nil if they parse.
private func parseError(_ bytes: [UInt8], maximumDepth: Int = JSONParser.defaultMaximumDepth) -> JSONParseError? {
    do {
        _ = try JSONParser.parse(bytes, maximumDepth: maximumDepth)
        return nil
    } catch {
        return error
    }
}

@Suite("JSONParser: valid documents")
struct JSONParserValidTests {
    @Test("Scalars, containers and whitespace", arguments: [
        ("null", JSONValue.null), ("true", .bool(true)), ("false", .bool(false)),
        (" \t\r\n null \t\r\n", .null), ("\"\"", .string("")), ("\"abc\"", .string("abc")),
        ("[]", .array([])), ("[ \n ]", .array([])), ("{}", .object([:])), (" { \t } ", .object([:])),
        ("[1,\"a\",null,true,false,[],{}]", .array([.integer(1), .string("a"), .null, .bool(true), .bool(false), .array([]), .object([:])])),
        (" [ 1 , [ 2 , [ 3 ] ] ] ", .array([.integer(1), .array([.integer(2), .array([.integer(3)])])])),
        (#"{"a":{"b":[{"c":null}]},"d":"e"}"#, .object(["a": .object(["b": .array([.object(["c": .null])])]), "d": .string("e")])),
        ("{ \"k\" :\n1 ,\r\n\"l\"\t:\t2 }", .object(["k": .integer(1), "l": .integer(2)])),
        (#"{"":1}"#, .object(["": .integer(1)])),
    ])
    func structure(text: String, expected: JSONValue) throws {
        #expect(try parse(text) == expected)
    }

    @Test("Numbers: integer literals that fit Int64 are integers, every other number a double", arguments: [
        ("0", JSONValue.integer(0)), ("-0", .integer(0)), ("7", .integer(7)), ("-7", .integer(-7)), ("1234567890", .integer(1_234_567_890)),
        ("9223372036854775807", .integer(.max)), ("-9223372036854775808", .integer(.min)),
        ("9223372036854775808", .double(0x1p63)), ("-9223372036854775809", .double(-0x1p63)),
        ("18446744073709551616", .double(18_446_744_073_709_551_616)), ("100000000000000000000000", .double(1e23)),
        ("9007199254740993", .integer(9_007_199_254_740_993)),
        ("1.0", .double(1)), ("1e3", .double(1000)), ("1E3", .double(1000)), ("1e+3", .double(1000)), ("1e-3", .double(0.001)),
        ("0e0", .double(0)), ("0.5", .double(0.5)), ("-1.5", .double(-1.5)), ("2.5E-3", .double(0.0025)),
        ("1.7934912e12", .double(1_793_491_200_000)), ("1793491200000.0", .double(1_793_491_200_000)),
        ("1.7976931348623157e308", .double(.greatestFiniteMagnitude)), ("5e-324", .double(.leastNonzeroMagnitude)),
        ("2.2250738585072014e-308", .double(.leastNormalMagnitude)), ("1e-400", .double(0)),
    ])
    func numbers(text: String, expected: JSONValue) throws {
        #expect(try parse(text) == expected)
    }

    @Test("Doubles are correctly rounded, not accumulated digit by digit", arguments: [
        ("0.1", 0.1), ("0.30000000000000004", 0.30000000000000004), ("9007199254740993.0", 9_007_199_254_740_992),
        ("9007199254740995.0", 9_007_199_254_740_996), ("123456789012345678901234567890e-10", 12_345_678_901_234_567_890.123456789),
        // Exactly halfway between 1 and the next double: ties to even (1); a hair above: the next double.
        ("1.00000000000000011102230246251565404236316680908203125", 1),
        ("1.00000000000000011102230246251565404236316680908203126", 1.0000000000000002),
        ("2.4703282292062328e-324", .leastNonzeroMagnitude), ("1.7976931348623158e308", .greatestFiniteMagnitude),
    ])
    func exactDoubles(text: String, expected: Double) throws {
        let value = try parse(text)
        guard case .double(let double) = value else {
            Issue.record("\(text) read as \(value)")
            return
        }
        #expect(double.bitPattern == expected.bitPattern, "\(text) read as \(double)")
    }

    @Test("Negative zero keeps its sign as a double")
    func negativeZero() throws {
        #expect(try parse("-0.0") == .double(0))
        #expect(try parse("-0.0") == .double(-0.0))
        guard case .double(let double) = try parse("-0.0") else {
            Issue.record("-0.0 is not a double")
            return
        }
        #expect(double.sign == .minus)
    }

    @Test("String escapes, including surrogate pairs in either case of hex digits", arguments: [
        (#""\"\\\/\b\f\n\r\t""#, "\"\\/\u{8}\u{C}\n\r\t"),
        (#""\u0041\u00e9\u00E9\u4E2D""#, "Aéé中"), (#""\u0000""#, "\u{0}"), (#""\u001f\u007f""#, "\u{1F}\u{7F}"),
        (#""\ud83d\ude00""#, "😀"), (#""\uD83D\uDE00""#, "😀"), (#""\uDBFF\uDFFF""#, "\u{10FFFF}"), (#""\u2028\u2029""#, "\u{2028}\u{2029}"),
        (#""a\nb""#, "a\nb"), (#""é\n😀""#, "é\n😀"), (#""\\u0041""#, "\\u0041"),
    ])
    func escapes(text: String, expected: String) throws {
        #expect(try parse(text) == .string(expected))
    }

    @Test("Raw UTF-8 of every length, DEL and non-characters are read as they are")
    func rawUTF8() throws {
        let text = "\"a\u{7F}é中😀\u{10FFFF}\u{FFFF}\u{FEFF}\""
        #expect(try parse(text) == .string("a\u{7F}é中😀\u{10FFFF}\u{FFFF}\u{FEFF}"))
        // Decomposed text is kept as it is (Swift compares strings canonically, so check the bytes).
        #expect(try parse("\"e\u{301}\"").stringValue.map { Array($0.utf8) } == [0x65, 0xCC, 0x81])
    }

    @Test("Duplicate keys: the last member wins, at every depth")
    func duplicateKeys() throws {
        #expect(try parse(#"{"a":1,"b":2,"a":3}"#) == .object(["a": .integer(3), "b": .integer(2)]))
        #expect(try parse(#"{"o":{"x":1,"x":{"y":2}},"o2":[{"k":true,"k":false}]}"#)
            == .object(["o": .object(["x": .object(["y": .integer(2)])]), "o2": .array([.object(["k": .bool(false)])])]))
    }

    @Test("Duplicate keys refused on request, naming the key and where its object starts, at every depth")
    func duplicateKeysRejected() {
        for (text, key, offset) in [(#"{"mid":"a","mid":"b"}"#, "mid", 0), (#"[1, {"o":{"x":1,"y":2,"x":3}}]"#, "x", 9),
                                    (#"{"a":1,"b":{"a":2},"a":{}}"#, "a", 0)] {
            do {
                _ = try JSONParser.parse(Array(text.utf8), rejectingDuplicateKeys: true)
                Issue.record("\(text) was accepted")
            } catch {
                #expect(error.message == "duplicate key \"\(key)\" in the object", "\(text)")
                #expect(error.offset == offset, "\(text)")
            }
        }
        // Equal keys in different objects are fine.
        #expect(throws: Never.self) { try JSONParser.parse(Array(#"{"a":{"a":1},"b":[{"a":2},{"a":3}]}"#.utf8), rejectingDuplicateKeys: true) }
    }

    @Test("Nesting up to the depth limit is accepted")
    func depthLimit() throws {
        let depth = JSONParser.defaultMaximumDepth
        var expected = JSONValue.integer(1)
        for _ in 0..<depth { expected = .array([expected]) }
        let text = String(repeating: "[", count: depth) + "1" + String(repeating: "]", count: depth)
        #expect(try parse(text) == expected)
        #expect(try JSONParser.parse(Array("[[1]]".utf8), maximumDepth: 2) == .array([.array([.integer(1)])]))
    }

    @Test("Slices, non-contiguous collections and Data are read with offsets from their own start")
    func collections() throws {
        let bytes = Array("xxxxx[1,2]".utf8)
        #expect(try JSONCodec.parse(bytes[5...]) == .array([.integer(1), .integer(2)]))
        #expect(try JSONCodec.parse(bytes[5...].lazy.map { $0 }) == .array([.integer(1), .integer(2)]))
        #expect(try JSONCodec.parse(Data(#"{"a":"b"}"#.utf8)) == .object(["a": .string("b")]))
        #expect(try JSONCodec.parse("\"x\"".utf8) == .string("x"))
        let bad = Array("xxxxx[1,]".utf8)
        #expect(throws: JSONParseError(offset: 3, message: "trailing comma in array")) { try JSONCodec.parse(bad[5...]) }
        #expect(throws: JSONParseError(offset: 3, message: "trailing comma in array")) { try JSONCodec.parse(bad[5...].lazy.map { $0 }) }
    }

    @Test("Events from the simulator's format parse to the same values as Foundation's JSONSerialization reads")
    func agreesWithFoundation() throws {
        let text = #"{"actions":[{"action_id":"favor_add","item":"7","item_type":"sku_id","ts":1793566568375}],"#
            + #""common":{"ar":"230000","ba":"Xiaomi","ch":"web","is_new":"1","md":"Xiaomi 9","mid":"mid_1","os":"Android 11.0","#
            + #""uid":"42","vc":"v2.1.134"},"displays":[{"display_type":"query","item":"3","item_type":"sku_id","order":1,"pos_id":2}],"#
            + #""page":{"during_time":2719,"item":"电脑","item_type":"keyword","last_page_id":"home","page_id":"good_list"},"#
            + #""ts":1793566568000,"price":12.5,"tags":["a/b","\u00e9\n"]}"#
        let ours = try parse(text)
        let theirs = try JSONSerialization.jsonObject(with: Data(text.utf8))
        #expect(ours == Self.value(fromFoundation: theirs))
    }

    /// A JSONValue from JSONSerialization's output (numbers: integral NSNumbers without a fraction in the text are
    /// reported as integers by Foundation, which is all this test's input contains besides `12.5`).
    private static func value(fromFoundation object: Any) -> JSONValue? {
        switch object {
        case is NSNull: return .null
        case let string as String: return .string(string)
        case let array as [Any]:
            let elements = array.compactMap(value(fromFoundation:))
            return elements.count == array.count ? .array(elements) : nil
        case let dictionary as [String: Any]:
            var members: [String: JSONValue] = [:]
            for (key, member) in dictionary {
                guard let value = value(fromFoundation: member) else { return nil }
                members[key] = value
            }
            return .object(members)
        case let number as NSNumber:
            if let integer = Int64(exactly: number.doubleValue), number.stringValue == String(integer) { return .integer(integer) }
            return .double(number.doubleValue)
        default: return nil
        }
    }
}

@Suite("JSONParser: invalid documents")
struct JSONParserInvalidTests {
    /// Each case: the document and the byte offset the error must name.
    @Test("Refused with the offset of the offending byte", arguments: [
        // Nothing, or more than one value.
        ("", 0), ("   ", 3), ("1 2", 2), ("{}{}", 2), ("[]]", 2), ("{\"ts\":1}\n{\"ts\":2}", 9), ("null x", 5),
        // Trailing and stray commas.
        ("[1,]", 3), ("[1, ]", 4), ("{\"a\":1,}", 7), ("{\"a\":1 , }", 9), ("[,1]", 1), ("[1,,2]", 3), ("{,}", 1), (",", 0),
        ("{\"common\":{\"mid\":\"m\",},\"ts\":1}", 21),
        // Object syntax.
        ("{\"a\" 1}", 5), ("{\"a\":}", 5), ("{a:1}", 1), ("{'a':1}", 1), ("{1:1}", 1), ("{\"a\";1}", 4), ("[1 2]", 3),
        ("{\"a\":1 \"b\":2}", 7), ("[1:2]", 2), ("{\"a\"}", 4),
        // Truncated input.
        ("[", 1), ("[1", 2), ("[1,", 3), ("{", 1), ("{\"a\"", 4), ("{\"a\":", 5), ("{\"a\":1", 6), ("{\"a\":1,", 7),
        ("\"abc", 4), ("\"ab\\", 4), ("\"\\u12", 5), ("tru", 3), ("nul", 3), ("fals", 4), ("-", 1), ("1.", 2), ("1e", 2), ("1e+", 3),
        // Comments.
        ("// c\n1", 0), ("1 // c", 2), ("/* c */ 1", 0), ("[1/* c */]", 2), ("# c\n1", 0),
        // Numbers.
        ("01", 1), ("-01", 2), ("00", 1), ("0123", 1), ("+1", 0), (".5", 0), ("-.5", 1), ("1.e3", 2), ("1.5.", 3), ("-a", 1),
        ("1ea", 2), ("1e+-1", 3), ("0x10", 1), ("1_000", 1), ("NaN", 0), ("nan", 1), ("Infinity", 0), ("-Infinity", 1), ("inf", 0),
        ("1e400", 0), ("-1e400", 0), ("[0, 1e999]", 4), ("\u{0663}", 0),
        // Literals.
        ("True", 0), ("NULL", 0), ("nulx", 3), ("falsey", 5), ("truee", 4), ("undefined", 0),
        // Control characters inside strings.
        ("\"a\u{1}b\"", 2), ("\"\t\"", 1), ("\"\n\"", 1), ("\"\r\"", 1), ("\"\u{0}\"", 1), ("\"\u{1F}\"", 1), ("{\"a\nb\":1}", 3),
        ("\"\\n\u{1}\"", 3),
        // Escapes.
        ("\"\\x\"", 1), ("\"\\'\"", 1), ("\"\\a\"", 1), ("\"\\U0041\"", 1), ("\"\\0\"", 1), ("\"ab\\ \"", 3),
        ("\"\\u12\"", 5), ("\"\\u12G4\"", 5), ("\"\\u-123\"", 3),
        // Lone or mismatched surrogates.
        ("\"\\ud800\"", 1), ("\"\\udc00\"", 1), ("\"a\\uDFFF\"", 2), ("\"\\ud800\\u0041\"", 1), ("\"\\ud800x\"", 1),
        ("\"\\ud83d\\ud83d\"", 1), ("\"\\ud83d\\n\"", 1), ("\"\\ud83d\\", 1),
    ])
    func refused(text: String, offset: Int) {
        guard let error = parseError(Array(text.utf8)) else {
            Issue.record("accepted: \(text.debugDescription)")
            return
        }
        #expect(error.offset == offset, "\(text.debugDescription): \(error)")
        #expect(!error.message.isEmpty)
        #expect(error.description.contains("byte \(offset)"))
    }

    /// Each case: the bytes and the offset of the first byte that cannot be part of valid UTF-8 there.
    @Test("Invalid UTF-8 is refused in strings, keys and outside them", arguments: [
        ([0x22, 0xFF, 0x22], 1), ([0x22, 0xFE, 0x22], 1), ([0x22, 0x80, 0x22], 1), ([0x22, 0xBF, 0x22], 1),
        ([0x22, 0xC0, 0xAF, 0x22], 1), ([0x22, 0xC1, 0xBF, 0x22], 1),          // overlong two-byte forms
        ([0x22, 0xE0, 0x80, 0xAF, 0x22], 2), ([0x22, 0xF0, 0x80, 0x80, 0xAF, 0x22], 2),  // overlong three- and four-byte forms
        ([0x22, 0xED, 0xA0, 0x80, 0x22], 2),                                 // an encoded surrogate (U+D800)
        ([0x22, 0xF4, 0x90, 0x80, 0x80, 0x22], 2), ([0x22, 0xF5, 0x80, 0x80, 0x80, 0x22], 1),  // above U+10FFFF
        ([0x22, 0xC3, 0x22], 2), ([0x22, 0xE2, 0x82, 0x22], 3), ([0x22, 0xF0, 0x9F, 0x98, 0x22], 4),  // truncated sequences
        ([0x22, 0xC3], 2), ([0x22, 0xE2, 0x82], 3),                          // truncated by the end of input
        ([0x22, 0x5C, 0x6E, 0xFF, 0x22], 3),                                  // after an escape
        ([0x7B, 0x22, 0xC3, 0x28, 0x22, 0x3A, 0x31, 0x7D], 3),                 // in a key
        ([0xFF], 0), ([0x5B, 0x31, 0x2C, 0xC3, 0xA9, 0x5D], 3),                  // outside strings
        ([0xEF, 0xBB, 0xBF, 0x31], 0),                                        // a byte order mark (RFC 8259 §8.1)
    ] as [([UInt8], Int)])
    func invalidUTF8(bytes: [UInt8], offset: Int) {
        guard let error = parseError(bytes) else {
            Issue.record("accepted: \(bytes)")
            return
        }
        #expect(error.offset == offset, "\(bytes): \(error)")
    }

    @Test("Nesting deeper than the limit is an error at the first bracket too many, never a crash", arguments: [
        String(repeating: "[", count: 513) + String(repeating: "]", count: 513),
        String(repeating: "{\"a\":", count: 513) + "1" + String(repeating: "}", count: 513),
        String(repeating: "[{\"a\":", count: 300) + "1" + String(repeating: "}]", count: 300),
        String(repeating: "[", count: 1_000_000),
    ])
    func tooDeep(text: String) {
        let bytes = Array(text.utf8)
        guard let error = parseError(bytes) else {
            Issue.record("accepted a document nested too deeply")
            return
        }
        let expectedOffset = bytes.indices.filter { bytes[$0] == UInt8(ascii: "[") || bytes[$0] == UInt8(ascii: "{") }[512]
        #expect(error.offset == expectedOffset, "\(error)")
        #expect(error.message.contains("512"))
    }

    @Test("A smaller depth limit is honoured")
    func customDepth() {
        #expect(parseError(Array("[[1]]".utf8), maximumDepth: 1)?.offset == 1)
        #expect(parseError(Array(#"{"a":{"b":1}}"#.utf8), maximumDepth: 1)?.offset == 5)
        #expect(parseError(Array("1".utf8), maximumDepth: 0) == nil)
    }

    @Test("Errors read well")
    func messages() {
        #expect(parseError(Array("[1,]".utf8))?.description == "invalid JSON at byte 3: trailing comma in array")
        #expect(parseError(Array("{\"a\":1,}".utf8))?.message == "trailing comma in object")
        #expect(parseError(Array("01".utf8))?.message == "leading zero in a number")
        #expect(parseError(Array("\"\\ud800\"".utf8))?.message == "high surrogate \\uD800 not followed by a low surrogate")
        #expect(parseError(Array("\"\u{1}\"".utf8))?.message == "control character 0x01 in a string must be escaped")
        #expect(parseError(Array("[1 2]".utf8))?.message == "unexpected '2' in array, expected ',' or ']'")
        #expect(parseError(Array("1e400".utf8))?.message == "number 1e400 is out of range")
        #expect(parseError(Array("{} x".utf8))?.message == "unexpected 'x' after the document")
        #expect(parseError(Array("[1,".utf8))?.message == "unexpected end of input, expected a value")
        #expect(parseError(Array("\"\\q\"".utf8))?.message == "invalid escape '\\q'")
    }
}

@Suite("JSONWriter")
struct JSONWriterTests {
    @Test("Exact bytes of strings: minimal escapes, raw UTF-8, no normalisation", arguments: [
        ("", #""""#), ("plain", #""plain""#), ("a\"b\\c/d", #""a\"b\\c/d""#), ("\n\r\t\u{8}\u{C}", #""\n\r\t\b\f""#),
        ("\u{0}\u{1}\u{B}\u{E}\u{1B}\u{1F}", #""\u0000\u0001\u000b\u000e\u001b\u001f""#), ("\u{7F} ~", "\"\u{7F} ~\""),
        ("é中😀\u{2028}\u{2029}\u{FEFF}", "\"é中😀\u{2028}\u{2029}\u{FEFF}\""), ("</script>", #""</script>""#),
        ("e\u{301}", "\"e\u{301}\""), ("\\u0041", #""\\u0041""#), ("\"\"", #""\"\"""#),
    ])
    func strings(string: String, expected: String) {
        let bytes = JSONCodec.serialize(.string(string))
        #expect(bytes == Array(expected.utf8), "\(String(decoding: bytes, as: UTF8.self))")
    }

    @Test("Exact bytes of numbers", arguments: [
        (JSONValue.integer(0), "0"), (.integer(-1), "-1"), (.integer(1_793_491_200_000), "1793491200000"),
        (.integer(.max), "9223372036854775807"), (.integer(.min), "-9223372036854775808"),
        (.double(1.5), "1.5"), (.double(-0.25), "-0.25"), (.double(0.1), "0.1"), (.double(1.0), "1"), (.double(-0.0), "-0"),
        (.double(100), "100"), (.double(9_007_199_254_740_992), "9007199254740992"), (.double(1e16), "1e+16"),
        (.double(1.2345678901234568e17), "1.2345678901234568e+17"), (.double(1e-7), "1e-07"), (.double(.leastNonzeroMagnitude), "5e-324"),
        (.double(.greatestFiniteMagnitude), "1.7976931348623157e+308"), (.double(123_456.789), "123456.789"),
        (.double(.infinity), "null"), (.double(-.infinity), "null"), (.double(.nan), "null"),
    ])
    func numbers(value: JSONValue, expected: String) {
        #expect(serialized(value) == expected)
    }

    @Test("Compact containers, keys sorted by UTF-8 bytes at every depth")
    func containers() {
        #expect(serialized(.array([.object([:]), .array([]), .null, .bool(true), .bool(false)])) == "[{},[],null,true,false]")
        let object = JSONValue.object([
            "b": .integer(1), "a": .integer(2), "B": .integer(3), "a10": .integer(4), "a9": .integer(5), "é": .integer(6),
            "z": .integer(7), "😀": .integer(8), "\u{FFFD}": .integer(9), "": .integer(10), "_": .integer(11),
            "n": .object(["y": .null, "x": .array([.object(["d": .integer(1), "c": .integer(2)])])]),
        ])
        #expect(serialized(object)
            == #"{"":10,"B":3,"_":11,"a":2,"a10":4,"a9":5,"b":1,"n":{"x":[{"c":2,"d":1}],"y":null},"z":7,"é":6,"�":9,"😀":8}"#)
        #expect(serialized(.object(["\"k\n": .string("v")])) == #"{"\"k\n":"v"}"#)
    }

    @Test("Keys sort by bytes, not by Swift's canonical string order (decomposed é sorts after e, before f)")
    func byteOrderNotCanonicalOrder() {
        let value = JSONValue.object(["e\u{301}": .integer(1), "f": .integer(2), "e": .integer(3)])
        #expect(JSONCodec.serialize(value) == Array("{\"e\":3,\"e\u{301}\":1,\"f\":2}".utf8))
    }

    @Test("Same value, same bytes, whatever order the members were inserted in")
    func deterministic() {
        var forward: [String: JSONValue] = [:]
        var backward: [String: JSONValue] = [:]
        let keys = (0..<200).map { "key\($0)" }
        for key in keys { forward[key] = .string(key) }
        for key in keys.reversed() { backward[key] = .string(key) }
        #expect(JSONCodec.serialize(.object(forward)) == JSONCodec.serialize(.object(backward)))
    }
}

@Suite("JSONCodec round trips")
struct JSONRoundTripTests {
    /// Deterministic random values (SplitMix64), so a failure can be replayed from its seed.
    struct Generator {
        var random: SplitMix64
        /// Keep integral doubles out when exact value round trips are checked: they are written as integers.
        var integralDoubles: Bool

        mutating func next() -> UInt64 { random.next() }

        mutating func below(_ bound: Int) -> Int { Int(next() % UInt64(bound)) }

        static let pieces: [String] = [
            "a", "Z", "0", " ", "/", "\"", "\\", "\n", "\r", "\t", "\u{0}", "\u{1}", "\u{1F}", "\u{7F}", "é", "e\u{301}", "中",
            "😀", "\u{2028}", "\u{FEFF}", "\u{FFFD}", "\u{10FFFF}", "\\u0041", "mid_1", "{", "]", ",", ":",
        ]

        mutating func string() -> String {
            (0..<below(8)).map { _ in Self.pieces[below(Self.pieces.count)] }.joined()
        }

        mutating func double() -> Double {
            while true {
                let candidate: Double
                switch below(4) {
                case 0: candidate = Double(bitPattern: next())
                case 1: candidate = Double(Int64(bitPattern: next()) >> below(64)) / 1_000
                case 2: candidate = Double(below(2_000_000)) - 1_000_000
                default: candidate = Double(bitPattern: next() >> 12 | 0x3FF0_0000_0000_0000) - 1.5
                }
                let integral = candidate == candidate.rounded() && candidate.magnitude <= 9_007_199_254_740_992
                if candidate.isFinite && (integralDoubles || !integral) { return candidate }
            }
        }

        mutating func value(depth: Int = 0) -> JSONValue {
            switch below(depth >= 4 ? 5 : 7) {
            case 0: return below(3) == 0 ? .null : .bool(below(2) == 0)
            case 1: return .integer(below(4) == 0 ? [Int64.min, .max, 0, -1][below(4)] : Int64(bitPattern: next()) >> below(64))
            case 2: return .double(double())
            case 3, 4: return .string(string())
            case 5: return .array((0..<below(5)).map { _ in value(depth: depth + 1) })
            default:
                var members: [String: JSONValue] = [:]
                for _ in 0..<below(6) { members[string()] = value(depth: depth + 1) }
                return .object(members)
            }
        }
    }

    @Test("parse(serialize(v)) == v for generated values without integral doubles", arguments: 0..<20)
    func exactRoundTrip(seed: UInt64) throws {
        var generator = Generator(random: SplitMix64(seed: seed), integralDoubles: false)
        for _ in 0..<100 {
            let value = generator.value()
            let bytes = JSONCodec.serialize(value)
            #expect(try JSONCodec.parse(bytes) == value, "\(String(decoding: bytes, as: UTF8.self))")
        }
    }

    @Test("serialize(parse(serialize(v))) == serialize(v) for all generated values", arguments: 0..<10)
    func canonicalBytesAreStable(seed: UInt64) throws {
        var generator = Generator(random: SplitMix64(seed: seed), integralDoubles: true)
        for _ in 0..<100 {
            let bytes = JSONCodec.serialize(generator.value())
            #expect(JSONCodec.serialize(try JSONCodec.parse(bytes)) == bytes)
        }
    }

    @Test("Doubles survive bit for bit; integral ones up to 2^53 come back as integers")
    func doubles() throws {
        var generator = Generator(random: SplitMix64(seed: 7), integralDoubles: false)
        for _ in 0..<2_000 {
            let double = generator.double()
            let value = try JSONCodec.parse(JSONCodec.serialize(.double(double)))
            #expect(value.doubleBits == double.bitPattern, "\(double)")
        }
        #expect(try JSONCodec.parse(JSONCodec.serialize(.double(3))) == .integer(3))
        #expect(try JSONCodec.parse(JSONCodec.serialize(.double(1e16))) == .double(1e16))
    }

    @Test("The canonical bytes are those Foundation's JSONEncoder (sortedKeys, withoutEscapingSlashes) made, so ids are unchanged",
          arguments: 0..<5)
    func matchesFoundationEncoder(seed: UInt64) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        var generator = Generator(random: SplitMix64(seed: seed), integralDoubles: true)
        for _ in 0..<100 {
            let value = generator.value()
            let foundation = [UInt8](try encoder.encode(value))
            let ours = JSONCodec.serialize(value)
            #expect(ours == foundation, "ours \(String(decoding: ours, as: UTF8.self)) vs \(String(decoding: foundation, as: UTF8.self))")
        }
    }
}

private extension JSONValue {
    var doubleBits: UInt64? {
        if case .double(let double) = self { return double.bitPattern }
        return nil
    }
}
