@testable import BinlogReplication
import Testing

/// Collation ids and decoding without a server; `LiveCharsetTests` checks the same against MariaDB.
struct MySQLCharsetTests {
    @Test(arguments: [
        (8, "latin1"), (28, "gbk"), (33, "utf8mb3"), (45, "utf8mb4"), (76, "utf8mb3"), (224, "utf8mb4"),
        (248, "gb18030"), (255, "utf8mb4"), (309, "utf8mb4"), (1032, "latin1"), (1069, "utf8mb4"),
        (2048, "utf8mb3"), (2304, "utf8mb4"), (2560, "ucs2"), (2816, "utf16"), (3271, "utf32"),
    ])
    func collationIDsNameTheirCharsets(id: Int, charset: String) {
        #expect(MySQLCharset.forCollation(id)?.name == charset)
    }

    @Test func binaryAndUnknownCollationsHaveNoCharset() {
        for id in [63, 0, 17, 400, 1087, 3328, 99_999, -1] {
            #expect(MySQLCharset.forCollation(id) == nil, "collation \(id)")
        }
        #expect(MySQLCharset.named("utf8")?.name == "utf8mb3")
        #expect(MySQLCharset.named("binary") == nil)
    }

    @Test(arguments: [
        // MySQL's latin1 is Windows-1252, with the five bytes 1252 leaves undefined as C1 controls.
        ("latin1", [0x80, 0x81, 0x91, 0x99, 0xE9], "€\u{81}‘™é"),
        // gb18030: two-byte, and four-byte for what GBK lacks (MySQL 8.0 only, so not in the live tests).
        ("gb18030", [0xA2, 0xE3, 0x81, 0x30, 0x81, 0x30, 0x95, 0x32, 0x82, 0x36], "€\u{80}𠀀"),
        // Where glibc's SHIFT_JIS and EUC-JP differ from the server, the server wins.
        ("sjis", [0x5C, 0x7E, 0x81, 0x5F], "\\~\\"),
        ("ujis", [0xA1, 0xC0, 0x8F, 0xA2, 0xB7], "\\~"),
        ("big5", [0xA1, 0x45], "\u{2022}"),
        ("ucs2", [0x00, 0x41, 0x4E, 0x2D], "A中"),
        ("utf16", [0xD8, 0x34, 0xDD, 0x1E], "𝄞"),
        ("utf16le", [0x34, 0xD8, 0x1E, 0xDD], "𝄞"),
        ("utf32", [0x00, 0x01, 0xF6, 0x00], "😀"),
        ("tis620", [0xC0, 0xD2, 0xC9, 0xD2], "ภาษา"),
        ("cp932", [], ""),
    ])
    func decodesAsTheServerDoes(charset: String, bytes: [Int], text: String) throws {
        let decoded = try #require(MySQLCharset.named(charset)).decode(bytes.map(UInt8.init))
        #expect(decoded == text)
    }

    @Test(arguments: [
        ("utf8mb4", [0xC3]), ("utf8mb4", [0xED, 0xA0, 0x80]), ("utf8mb3", [0xFF]),
        ("ascii", [0x80]), ("cp1250", [0x81]), ("gbk", [0x81]), ("big5", [0xFF, 0xFF]), ("ujis", [0xA4]),
        ("ucs2", [0xD8, 0x34, 0xDD, 0x1E]), ("ucs2", [0x00]), ("utf16", [0xDC, 0x00]), ("utf16le", [0x00, 0xD8]),
        ("utf32", [0x00, 0x11, 0x00, 0x00]), ("utf32", [0x00, 0x00, 0xD8, 0x00]), ("utf32", [0x00, 0x00, 0x41]),
    ])
    func invalidTextDecodesToNothingRatherThanToReplacementCharacters(charset: String, bytes: [Int]) throws {
        #expect(try #require(MySQLCharset.named(charset)).decode(bytes.map(UInt8.init)) == nil)
    }

    @Test func everySingleByteTableHasAllBytesAndEveryCharsetDecodesASCIIAsItself() throws {
        let ascii = Array("id 42, name".utf8)
        for name in MySQLCharset.singleByteTables.keys.sorted() + MySQLCharset.iconvNames.keys.sorted() + ["gb18030", "utf8mb4"] {
            let charset = try #require(MySQLCharset.named(name))
            // swe7 is ISO 646 Swedish: `@`, `[`, `]`, `{`, `}` and friends are letters, but not these.
            #expect(charset.decode(ascii) == "id 42, name", "\(name)")
        }
    }

    @Test func valueDecoderStopsOrWritesBase64ForInvalidText() throws {
        let column = ColumnDefinition(name: "name", type: .varchar, metadata: 20, collation: 28)  // gbk
        var reader = ByteReader([2, 0x81, 0x20])
        #expect(throws: UndecodableText(column: "name", charset: "gbk", bytes: [0x81, 0x20])) {
            try ValueDecoder.decode(column, from: &reader)
        }
        let options = ValueDecodingOptions(onUndecodable: .base64)
        reader = ByteReader([2, 0x81, 0x20])
        #expect(try ValueDecoder.decode(column, from: &reader, options: options) == .bytes([0x81, 0x20]))
        #expect(options.undecodableValues.value == 1)
    }
}
