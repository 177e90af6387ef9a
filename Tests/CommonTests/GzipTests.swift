import Common
import Testing

@Suite struct GzipTests {
    /// `gzip.compress(b'[{"a":1}]', mtime=0)` from Python.
    static let small: [UInt8] = [31, 139, 8, 0, 0, 0, 0, 0, 2, 3, 139, 174, 86, 74, 84, 178, 50, 172, 141, 5, 0,
                                 125, 115, 203, 242, 9, 0, 0, 0]

    /// 100,000 bytes of "x" compressed to 132 bytes: a small decompression bomb.
    static let bomb: [UInt8] = [31, 139, 8, 0, 0, 0, 0, 0, 2, 3, 237, 193, 49, 1, 0, 0, 0, 194, 160, 218, 139, 111, 13, 15, 160]
        + Array(repeating: 0, count: 96) + [128, 87, 3, 113, 17, 7, 254, 160, 134, 1, 0]

    @Test func inflatesGzip() throws {
        #expect(try Gzip.inflate(Self.small, limit: 1024) == Array(#"[{"a":1}]"#.utf8))
    }

    @Test func inflatesUpToTheLimitExactly() throws {
        #expect(try Gzip.inflate(Self.bomb, limit: 100_000).count == 100_000)
    }

    @Test func refusesOutputBeyondTheLimit() {
        #expect(throws: GzipError.tooLarge(limit: 99_999)) { try Gzip.inflate(Self.bomb, limit: 99_999) }
    }

    @Test func refusesTruncatedAndGarbageInput() {
        #expect(throws: GzipError.self) { try Gzip.inflate(Array(Self.small.dropLast(6)), limit: 1024) }
        #expect(throws: GzipError.self) { try Gzip.inflate(Array("not gzip at all".utf8), limit: 1024) }
        #expect(throws: GzipError.self) { try Gzip.inflate([], limit: 1024) }
    }
}
