import Testing
@testable import Redis

@Suite("SHA-1 of Lua scripts")
struct SHA1Tests {
    @Test("FIPS 180 and RFC 3174 test vectors", arguments: [
        ("", "da39a3ee5e6b4b0d3255bfef95601890afd80709"),
        ("abc", "a9993e364706816aba3e25717850c26c9cd0d89d"),
        ("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq", "84983e441c3bd26ebaae4aa1f95129e5e54670f1"),
        ("The quick brown fox jumps over the lazy dog", "2fd4e1c67a2d28fced849ee1bb76e7391b93eb12"),
    ])
    func vectors(input: String, expected: String) {
        #expect(SHA1.hexDigest(Array(input.utf8)) == expected)
    }

    @Test("a million 'a's span many blocks")
    func millionA() {
        #expect(SHA1.hexDigest([UInt8](repeating: UInt8(ascii: "a"), count: 1_000_000))
            == "34aa973cd4c4daa4f61eeb2bdbad27316534016f")
    }

    @Test("messages around the 55/56/64-byte padding boundaries differ and have 40 hex digits")
    func paddingBoundaries() {
        let digests = (54...66).map { SHA1.hexDigest([UInt8](repeating: 0x61, count: $0)) }
        #expect(Set(digests).count == digests.count)
        #expect(digests.allSatisfy { $0.count == 40 && $0.allSatisfy(\.isHexDigit) })
        // 64 'a's, a known vector (one full block plus a padding block).
        #expect(digests[64 - 54] == "0098ba824b5c16427bd7a1122a5a442a25ec644d")
    }

    @Test("RedisScript names itself by the SHA-1 of its source")
    func scriptName() {
        #expect(RedisScript("return 1").sha1 == "e0e1f9fabfc9d4800c877a703b823ac0578ff8db")
    }
}
