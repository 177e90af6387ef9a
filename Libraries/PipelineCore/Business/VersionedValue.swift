/// A value stored with the version it came from, as one string: the version in 20 zero-padded digits,
/// then a space and the payload, or the digits alone for a deletion (a tombstone). Fixed-width digits
/// compare as text in the order of the numbers, which is how the Redis commit script keeps the newest
/// (`StateChange.hashSetIfNotOlder`).
public struct VersionedValue: Sendable, Equatable {
    public var version: Int64
    /// nil: deleted at `version`.
    public var payload: String?

    public init(version: Int64, payload: String?) {
        self.version = version
        self.payload = payload
    }

    public static func encode(version: Int64, payload: String?) -> String {
        let digits = String(max(0, version))
        let padded = String(repeating: "0", count: max(0, 20 - digits.count)) + digits
        return payload.map { padded + " " + $0 } ?? padded
    }

    public var encoded: String { Self.encode(version: version, payload: payload) }

    /// Reads `encode`'s form; nil for anything else.
    public static func decode(_ text: String) -> VersionedValue? {
        let utf8 = text.utf8
        guard utf8.count >= 20 else { return nil }
        let digitsEnd = utf8.index(utf8.startIndex, offsetBy: 20)
        guard let version = Int64(String(text[..<digitsEnd])) else { return nil }
        if digitsEnd == utf8.endIndex { return VersionedValue(version: version, payload: nil) }
        guard utf8[digitsEnd] == UInt8(ascii: " ") else { return nil }
        return VersionedValue(version: version, payload: String(text[utf8.index(after: digitsEnd)...]))
    }
}
