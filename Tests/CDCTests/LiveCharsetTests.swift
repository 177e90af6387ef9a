import BinlogReplication
import Foundation
import Testing
import TestSupport

/// Text in every character set, streamed from a real MariaDB and bootstrapped from it: each value must
/// come out as the text the server itself shows for it, and a value that is not text in its character
/// set must never be changed silently.
@Suite(.serialized) struct LiveCharsetTests {
    /// One column per character set and the text stored in it (sent as utf8mb4; the server converts).
    /// ascii cannot hold anything outside ASCII; gb18030 is MySQL 8.0's, not MariaDB 10.11's, and is
    /// covered by `MySQLCharsetTests` instead.
    static let texts: [(charset: String, text: String)] = [
        ("utf8mb3", "Grüße, 北京"), ("utf8mb4", "emoji 😀 𝄞"), ("latin1", "€ ‘quoted’ ™ é"), ("latin2", "Łódź Żółć"),
        ("ascii", "plain ASCII"), ("gbk", "乪 中文"), ("gb2312", "简体中文"), ("big5", "圖形碼 繁體"), ("ujis", "河 日本語"),
        ("sjis", "ｶﾀｶﾅ 日本語"), ("cp932", "①㈱ 髙"), ("eucjpms", "①㈱ 髙"), ("euckr", "한국어 똠방각하"),
        ("ucs2", "Ωмега 中"), ("utf16", "𝄞 中文"), ("utf16le", "𝄞 中文"), ("utf32", "😀 ü"),
        ("cp1250", "Příliš žluťoučký"), ("cp1251", "Привет, мир"), ("cp1256", "مرحبا"), ("cp1257", "Ąžuolas"),
        ("koi8r", "Привет"), ("koi8u", "Їжак ґ"), ("greek", "Ελληνικά"), ("hebrew", "שלום"), ("tis620", "ภาษาไทย"),
    ]

    /// Character sets of one byte per character: every byte the server has a character for is checked.
    static let singleByte = ["armscii8", "ascii", "cp1250", "cp1251", "cp1256", "cp1257", "cp850", "cp852", "cp866",
                             "dec8", "geostd8", "greek", "hebrew", "hp8", "keybcs2", "koi8r", "koi8u", "latin1", "latin2",
                             "latin5", "latin7", "macce", "macroman", "swe7", "tis620"]

    @Test func everyCharsetStreamsAndBootstrapsAsTheServerShowsIt() async throws {
        let server = try await Live.server()
        let database = Live.uniqueDatabase()
        let (reader, start) = try Live.reader(server, filter: TableFilter(include: [database]))
        let columns = Self.texts.map { "c_\($0.charset) VARCHAR(40) CHARACTER SET \($0.charset)" }
            + ["c_binary VARBINARY(10)", "c_char_utf32 CHAR(12) CHARACTER SET utf32", "c_char_ucs2 CHAR(12) CHARACTER SET ucs2",
               "c_enum_gbk ENUM('乪', '中文') CHARACTER SET gbk", "c_set_big5 SET('圖', '形', '碼') CHARACTER SET big5"]
        let values = Self.texts.map { "'\($0.text)'" } + ["x'c3a9'", "'ab 😀  '", "'Ω  '", "'中文'", "'碼,圖'"]
        try await server.sql("""
            CREATE DATABASE \(database); USE \(database);
            CREATE TABLE t (id INT PRIMARY KEY, \(columns.joined(separator: ", ")));
            INSERT INTO t VALUES (1, \(values.joined(separator: ", ")));
            """)
        // The expected texts are what the server shows, so each survived its character set.
        let shown = try await server.sql("SELECT " + Self.texts.map { "HEX(CONVERT(c_\($0.charset) USING utf8mb4))" }.joined(separator: ", ")
                                   + " FROM t", database: database)
        #expect(Self.hexFields(shown) == Self.texts.map(\.text))

        let streamed = try await Live.collect(reader.batches(from: start), records: 1).flatMap(\.records)
        let data = try #require(streamed.first).data
        for (charset, text) in Self.texts {
            #expect(data.first { $0.name == "c_\(charset)" }?.value == .string(text), "\(charset)")
        }
        #expect(data.first { $0.name == "c_binary" }?.value == .bytes([0xC3, 0xA9]))
        #expect(data.first { $0.name == "c_char_utf32" }?.value == .string("ab 😀"))
        #expect(data.first { $0.name == "c_char_ucs2" }?.value == .string("Ω"))
        #expect(data.first { $0.name == "c_enum_gbk" }?.value == .string("中文"))
        #expect(data.first { $0.name == "c_set_big5" }?.value == .set(["圖", "碼"]))

        let bootstrapped = try await Self.bootstrap(reader, database: database, table: "t")
        #expect(bootstrapped.count == 1)
        #expect(bootstrapped.first.map(LiveColumnTypeTests.dataPart) == LiveColumnTypeTests.dataPart(streamed[0].json()))
    }

    @Test func everyByteOfEverySingleByteCharsetDecodesAsTheServerConvertsIt() async throws {
        let server = try await Live.server()
        let database = Live.uniqueDatabase()
        let (reader, start) = try Live.reader(server, filter: TableFilter(include: [database]))
        // The bytes each character set has a character for, as the server converts them one by one
        // (it shows `?`, or for tis620 U+FFFD, for a byte it has none for; cdc refuses those).
        var mapped: [String: [UInt8]] = [:]
        for charset in Self.singleByte {
            let shown = try await server.sql("SELECT " + (1...255).map { "HEX(CONVERT(CONVERT(X'\(Self.hex([UInt8($0)]))' USING \(charset)) USING utf8mb4))" }
                .joined(separator: ", "))
            mapped[charset] = zip(1...255, Self.hexFields(shown)).filter { $0.0 == 0x3F || ($0.1 != "?" && $0.1 != "\u{FFFD}") }.map { UInt8($0.0) }
            #expect(mapped[charset]!.count > 120, "\(charset) maps \(mapped[charset]!.count) bytes")
        }
        try await server.sql("""
            CREATE DATABASE \(database); USE \(database);
            CREATE TABLE t (id INT PRIMARY KEY, \(Self.singleByte.map { "c_\($0) VARCHAR(255) CHARACTER SET \($0)" }.joined(separator: ", ")));
            INSERT INTO t VALUES (1, \(Self.singleByte.map { "CONVERT(X'\(Self.hex(mapped[$0]!))' USING \($0))" }.joined(separator: ", ")));
            """)
        let expected = Self.hexFields(try await server.sql("SELECT " + Self.singleByte.map { "HEX(CONVERT(c_\($0) USING utf8mb4))" }
            .joined(separator: ", ") + " FROM t", database: database))
        let streamed = try await Live.collect(reader.batches(from: start), records: 1).flatMap(\.records)
        let data = try #require(streamed.first).data
        for (charset, text) in zip(Self.singleByte, expected) {
            #expect(data.first { $0.name == "c_\(charset)" }?.value == .string(text), "\(charset)")
        }
        let bootstrapped = try await Self.bootstrap(reader, database: database, table: "t")
        #expect(bootstrapped.first.map(LiveColumnTypeTests.dataPart) == LiveColumnTypeTests.dataPart(streamed[0].json()))
    }

    @Test func aValueThatIsNotTextInItsCharsetStopsTheStreamNamingIt() async throws {
        let server = try await Live.server()
        let database = Live.uniqueDatabase()
        let (reader, start) = try Live.reader(server, filter: TableFilter(include: [database]))
        // cp1250 has no character for 0x81, yet a single-byte column stores any byte.
        try await server.sql("""
            CREATE DATABASE \(database); USE \(database);
            CREATE TABLE t (id INT PRIMARY KEY, name VARCHAR(10) CHARACTER SET cp1250);
            INSERT INTO t VALUES (1, CONVERT(X'418142' USING cp1250));
            """)
        do {
            let records = try await Live.collect(reader.batches(from: start), records: 1)
            Issue.record("the undecodable value was streamed: \(records.flatMap(\.records).map { $0.json() })")
        } catch let failure as UndecodableText {
            #expect(failure.database == database)
            #expect(failure.table == "t")
            #expect(failure.column == "name")
            #expect(failure.charset == "cp1250")
            #expect(failure.bytes == [0x41, 0x81, 0x42])
            #expect(failure.position.contains(#/^[^,]+\.\d+, rows event at \d+$/#), "\(failure.position)")
            #expect(failure.description.contains("CDC_ON_UNDECODABLE=base64"))
        }
        let capture = ChangeCapture(reader: reader, sink: MemorySink(), store: MemoryStore())
        await #expect(throws: UndecodableText.self) { try await capture.bootstrap(database: database, table: "t") }
    }

    @Test func theBase64ChoiceWritesTheBytesAndCountsThem() async throws {
        let server = try await Live.server()
        let database = Live.uniqueDatabase()
        let options = ValueDecodingOptions(onUndecodable: .base64)
        let (reader, start) = try Live.reader(server, filter: TableFilter(include: [database]), valueOptions: options)
        try await server.sql("""
            CREATE DATABASE \(database); USE \(database);
            CREATE TABLE t (id INT PRIMARY KEY, name VARCHAR(10) CHARACTER SET ascii, ok VARCHAR(10) CHARACTER SET ascii);
            INSERT INTO t VALUES (1, CONVERT(X'80' USING ascii), 'fine');
            """)
        let streamed = try await Live.collect(reader.batches(from: start), records: 1).flatMap(\.records)
        #expect(streamed.first?.value(of: "name") == .bytes([0x80]))
        #expect(streamed.first?.value(of: "ok") == .string("fine"))
        #expect(options.undecodableValues.value == 1)
        let bootstrapped = try await Self.bootstrap(reader, database: database, table: "t")
        #expect(bootstrapped.first.map(LiveColumnTypeTests.dataPart) == #","data":{"id":1,"name":"gA==","ok":"fine"}"#)
        #expect(options.undecodableValues.value == 2)
    }

    /// BINARY(n): all n bytes as stored (default), or as the binlog logs it without trailing zeros (Maxwell's).
    @Test(arguments: [(ValueDecodingOptions.BinaryPadding.padded, #""AAECAwAAAAAAAA==""#), (.maxwell, #""AAECAw==""#)])
    func binaryPadding(_ padding: ValueDecodingOptions.BinaryPadding, expected: String) async throws {
        let server = try await Live.server()
        let database = Live.uniqueDatabase()
        let (reader, start) = try Live.reader(server, filter: TableFilter(include: [database]),
                                              valueOptions: ValueDecodingOptions(binaryPadding: padding))
        try await server.sql("""
            CREATE DATABASE \(database); USE \(database);
            CREATE TABLE t (id BINARY(10) PRIMARY KEY, n INT);
            INSERT INTO t VALUES (x'00010203', 1), (x'00010204', 2), (x'0001020400000000000a', 3);
            """)
        let streamed = try await Live.collect(reader.batches(from: start), records: 3).flatMap(\.records)
        #expect(streamed.first.map { LiveColumnTypeTests.dataPart($0.json()) } == #","data":{"id":\#(expected),"n":1}"#)
        // Paged by the key (page size 2): the key of a page's last row must find the rows after it.
        let bootstrapped = try await Self.bootstrap(reader, database: database, table: "t", pageSize: 2)
        #expect(bootstrapped.map(LiveColumnTypeTests.dataPart) == streamed.map { LiveColumnTypeTests.dataPart($0.json()) })
    }

    /// The JSON of each `bootstrap-insert` record of a bootstrap of `database.table`.
    static func bootstrap(_ reader: BinlogReader, database: String, table: String, pageSize: Int = 1000) async throws -> [String] {
        let sink = MemorySink()
        let capture = ChangeCapture(reader: reader, sink: sink, store: MemoryStore())
        try await capture.bootstrap(database: database, table: table, pageSize: pageSize)
        return sink.messages.map(\.value).filter { $0.contains(#""type":"bootstrap-insert""#) }
    }

    static func hex(_ bytes: [UInt8]) -> String { bytes.map { String(format: "%02X", $0) }.joined() }

    /// The tab-separated HEX(...) fields of the first output line, decoded as UTF-8 text.
    static func hexFields(_ output: String) -> [String] {
        let line = output.split(separator: "\n").first ?? ""
        return line.split(separator: "\t", omittingEmptySubsequences: false).map { field in
            var bytes: [UInt8] = []
            var index = field.startIndex
            while let next = field.index(index, offsetBy: 2, limitedBy: field.endIndex), index != field.endIndex {
                bytes.append(UInt8(field[index..<next], radix: 16) ?? 0)
                index = next
            }
            return String(decoding: bytes, as: UTF8.self)
        }
    }
}
