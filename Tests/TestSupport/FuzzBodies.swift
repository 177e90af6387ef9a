import PipelineCore

/// Seeded request bodies for fuzzing log-ingest: valid gmall events, mutations of them, random bytes and
/// deep nesting. The same seed gives the same bodies, so a failure is replayed with its seed.
public struct FuzzBodies {
    public enum Kind: String, CaseIterable, Sendable {
        /// Valid events only: must be accepted.
        case valid
        /// A valid body with one mutation (a byte changed, dropped, repeated; a token inserted; a type changed).
        case mutated
        /// Random bytes.
        case random
        /// Arrays or objects nested up to 100,000 deep.
        case deep
    }

    public struct Body: Sendable {
        public var bytes: [UInt8]
        public var format: EventBodyFormat
        public var kind: Kind
        /// For `.valid`: the number of events.
        public var events: Int
    }

    private var rng: SplitMix64

    public init(seed: UInt64) { rng = SplitMix64(seed: seed) }

    public mutating func next() -> Body {
        switch Int.random(in: 0..<10, using: &rng) {
        case 0..<4: return valid()
        case 4..<8: return mutated()
        case 8: return Body(bytes: (0..<Int.random(in: 0...300, using: &rng)).map { _ in UInt8.random(in: 0...255, using: &rng) },
                            format: format(), kind: .random, events: 0)
        default: return deep()
        }
    }

    /// One to five events, as a JSON array or NDJSON.
    public mutating func valid() -> Body {
        let format = format()
        let events = (0..<Int.random(in: 1...5, using: &rng)).map { _ in event() }
        let bytes: [UInt8] = format == .json
            ? JSONCodec.serialize(.array(events))
            : Array(events.map { JSONCodec.serialize($0) + [UInt8(ascii: "\n")] }.joined())
        return Body(bytes: bytes, format: format, kind: .valid, events: events.count)
    }

    private mutating func mutated() -> Body {
        var body = valid()
        body.kind = .mutated
        body.events = 0
        var bytes = body.bytes
        let at = Int.random(in: 0..<bytes.count, using: &rng)
        switch Int.random(in: 0..<7, using: &rng) {
        case 0: bytes[at] = UInt8.random(in: 0...255, using: &rng)
        case 1: bytes.removeSubrange(at..<min(bytes.count, at + Int.random(in: 1...20, using: &rng)))
        case 2: bytes.insert(contentsOf: bytes[at..<min(bytes.count, at + Int.random(in: 1...20, using: &rng))], at: at)
        case 3: bytes.insert(contentsOf: Array(rng.pick(Self.tokens).utf8), at: at)
        case 4: bytes.insert(contentsOf: [[0xFF], [0xC3], [0xED, 0xA0, 0x80], [0x00], [0xF4, 0x90, 0x80, 0x80]][Int.random(in: 0..<5, using: &rng)], at: at)
        case 5:  // a duplicated key in the first object
            if let brace = bytes.firstIndex(of: UInt8(ascii: "{")) { bytes.insert(contentsOf: Array(#""ts":1,"ts":2,"#.utf8), at: brace + 1) }
        default:  // a field of the wrong type, or an unknown one
            let replacement = rng.pick([#""ts":"soon""#, #""ts":-1"#, #""ts":1.5"#, #""common":[]"#, #""page":"home""#, #""extra":1"#,
                                       #""event_id":"""#, #""ts":1e3"#, #""source":"me""#])
            if let brace = bytes.firstIndex(of: UInt8(ascii: "{")) { bytes.insert(contentsOf: Array((replacement + ",").utf8), at: brace + 1) }
        }
        body.bytes = bytes
        return body
    }

    private mutating func deep() -> Body {
        let depth = rng.pick([100, 511, 513, 5_000, 100_000])
        let (open, close) = Bool.random(using: &rng) ? ("[", "]") : (#"{"a":"#, "}")
        let text = String(repeating: open, count: depth) + "1" + String(repeating: close, count: Bool.random(using: &rng) ? depth : depth / 2)
        return Body(bytes: Array(text.utf8), format: format(), kind: .deep, events: 0)
    }

    private mutating func format() -> EventBodyFormat { Bool.random(using: &rng) ? .json : .ndjson }

    /// A gmall event: a page view, an app start, an error or displays and actions, with varied values.
    private mutating func event() -> JSONValue {
        var common: [String: JSONValue] = [
            "mid": .string("fuzz-" + text(1...24)), "ar": rng.pick([.string("110000"), .integer(310000), .null]),
            "uid": rng.pick([.string(String(Int.random(in: 1...99_999, using: &rng))), .integer(Int64.random(in: 1...99_999, using: &rng))]),
            "os": .string(text(0...10)), "is_new": .string(rng.pick(["0", "1"])),
        ]
        if Bool.random(using: &rng) { common["ch"] = .string("渠道-" + text(0...5)) }
        var members: [String: JSONValue] = [
            "common": .object(common), "ts": .integer(Int64.random(in: 0..<EventValidator.maxTimestamp, using: &rng)),
        ]
        switch Int.random(in: 0..<4, using: &rng) {
        case 0: members["start"] = .object(["entry": .string("icon"), "loading_time": .integer(Int64.random(in: 0...9_999, using: &rng))])
        case 1: members["err"] = .object(["error_code": .integer(1), "msg": .string(text(0...30))])
        case 2:
            members["page"] = .object(["page_id": .string("good_detail")])
            members["displays"] = .array([.object(["item": .string("7"), "order": .integer(1)])])
            members["actions"] = .array([.object(["action_id": .string("cart_add"), "ts": .integer(1)])])
        default: members["page"] = .object(["page_id": .string(rng.pick(["home", "search", "cart", "页面"])), "during_time": .double(1.5)])
        }
        if Bool.random(using: &rng) { members["event_id"] = .string(text(1...25)) }  // at most 100 UTF-8 bytes
        return .object(members)
    }

    /// Letters, digits, CJK, emoji, quotes, backslashes and control characters.
    private mutating func text(_ length: ClosedRange<Int>) -> String {
        let alphabet = Array("abcXYZ019 _-\"\\\n\t北京中文😀é\u{7F}\u{2028}")
        return String((0..<Int.random(in: length, using: &rng)).map { _ in alphabet[Int.random(in: 0..<alphabet.count, using: &rng)] })
    }

    private static let tokens = ["{", "}", "[", "]", "\"", ",", ":", "\\", "\\u0000", "\\ud800", "1e400", "-0", "null", "true",
                                 "[]", "{}", "\"\\x\"", "\u{0}", "\n", "0123", "+1", ".5", "NaN", "// c"]
}

extension SplitMix64 {
    mutating func pick<T>(_ choices: [T]) -> T { choices[Int.random(in: 0..<choices.count, using: &self)] }
}
