/// Identity of events that arrive without an `event_id`.
public enum EventID {
    /// A 32-hex-digit id derived from the event's content (FNV-1a 128 over its canonical JSON, sorted
    /// keys): a client that resends the same event without an id gets the same id, so the resend is
    /// counted once. Not a cryptographic hash; ids are not secrets.
    public static func derive(from event: JSONValue) -> String {
        let digest = fnv1a128(JSONCodec.serialize(event))
        return hex(UInt64(truncatingIfNeeded: digest >> 64)) + hex(UInt64(truncatingIfNeeded: digest))
    }

    /// FNV-1a, 128-bit variant (offset basis and prime from the FNV specification).
    static func fnv1a128(_ bytes: [UInt8]) -> UInt128 {
        var hash: UInt128 = 0x6c62272e07bb0142_62b821756295c58d
        let prime: UInt128 = 0x0000000001000000_000000000000013B
        for byte in bytes {
            hash ^= UInt128(byte)
            hash = hash &* prime
        }
        return hash
    }

    private static func hex(_ value: UInt64) -> String {
        let digits = String(value, radix: 16)
        return String(repeating: "0", count: 16 - digits.count) + digits
    }
}
