#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A MySQL/MariaDB character set and how its bytes become text: exactly as the server itself converts
/// them to Unicode (the tables in `CharsetTables.swift` come from the server), so that a streamed value
/// reads like the same value SELECTed in utf8mb4.
///
/// UTF-8, UTF-16 and UTF-32 are decoded natively, single-byte character sets by the server's table, and
/// the multibyte East Asian ones by glibc's iconv with the few characters where iconv and the server
/// disagree put right. Bytes that are not text in the character set decode to nil: never to U+FFFD.
public struct MySQLCharset: Sendable, Equatable {
    /// The server's name for it (`utf8mb4`, `latin1`, `gbk`, …).
    public let name: String

    public static func == (lhs: MySQLCharset, rhs: MySQLCharset) -> Bool { lhs.name == rhs.name }

    private enum Decoding: Sendable {
        case utf8, ucs2, utf16BigEndian, utf16LittleEndian, utf32BigEndian
        case singleByte([Unicode.Scalar?])
        case iconv(converter: String, replacements: [UInt32: UInt32])
    }
    private let decoding: Decoding

    /// The character set of a collation id as the TABLE_MAP or a result set gives it; nil for binary
    /// (63) and for ids neither MySQL 8.0 nor MariaDB 10.11 defines.
    public static func forCollation(_ id: Int) -> MySQLCharset? {
        switch id {
        case 0..<1024: return charsetsByCollation[id]
        // MariaDB's NO PAD collations: id + 1024 of the PAD collation of the same character set.
        case 1024..<2048: return forCollation(id - 1024)
        // MariaDB 10.10+'s UCA 14.0 collations: 256 ids per character set.
        case 2048..<3328: return named(["utf8mb3", "utf8mb4", "ucs2", "utf16", "utf32"][(id - 2048) / 256])
        default: return nil
        }
    }

    /// The character set of a column with collation id `collation`; a column whose collation was not logged
    /// is read as utf8mb4. Nil for binary and unknown collations.
    public static func forColumn(collation: Int?) -> MySQLCharset? {
        collation.map { forCollation($0) } ?? named("utf8mb4")
    }

    /// The character set called `name` (`utf8` is `utf8mb3`), nil when unknown or binary.
    public static func named(_ name: String) -> MySQLCharset? { byName[name == "utf8" ? "utf8mb3" : name] }

    /// The text of `bytes`, nil when they are not valid text in this character set.
    public func decode<Bytes: Collection<UInt8>>(_ bytes: Bytes) -> String? {
        switch decoding {
        case .utf8:
            return String(validating: bytes, as: UTF8.self)
        case .ucs2:
            return Self.decodeUTF16(bytes, bigEndian: true, allowSurrogatePairs: false)
        case .utf16BigEndian:
            return Self.decodeUTF16(bytes, bigEndian: true, allowSurrogatePairs: true)
        case .utf16LittleEndian:
            return Self.decodeUTF16(bytes, bigEndian: false, allowSurrogatePairs: true)
        case .utf32BigEndian:
            guard bytes.count % 4 == 0 else { return nil }
            var scalars = String.UnicodeScalarView()
            var iterator = bytes.makeIterator()
            while let b0 = iterator.next(), let b1 = iterator.next(), let b2 = iterator.next(), let b3 = iterator.next() {
                let value = UInt32(b0) << 24 | UInt32(b1) << 16 | UInt32(b2) << 8 | UInt32(b3)
                guard let scalar = Unicode.Scalar(value) else { return nil }
                scalars.append(scalar)
            }
            return String(scalars)
        case .singleByte(let table):
            var scalars = String.UnicodeScalarView()
            for byte in bytes {
                guard let scalar = table[Int(byte)] else { return nil }
                scalars.append(scalar)
            }
            return String(scalars)
        case let .iconv(converter, replacements):
            guard let values = Self.iconvScalars(Array(bytes), from: converter) else { return nil }
            var scalars = String.UnicodeScalarView()
            for value in values {
                guard let scalar = Unicode.Scalar(replacements[value] ?? value) else { return nil }
                scalars.append(scalar)
            }
            return String(scalars)
        }
    }

    private static func decodeUTF16<Bytes: Collection<UInt8>>(_ bytes: Bytes, bigEndian: Bool,
                                                               allowSurrogatePairs: Bool) -> String? {
        guard bytes.count % 2 == 0 else { return nil }
        var units: [UInt16] = []
        units.reserveCapacity(bytes.count / 2)
        var iterator = bytes.makeIterator()
        while let first = iterator.next(), let second = iterator.next() {
            let unit = bigEndian ? UInt16(first) << 8 | UInt16(second) : UInt16(second) << 8 | UInt16(first)
            // UCS-2 is the Basic Multilingual Plane only: a surrogate is not a character there.
            if !allowSurrogatePairs && UTF16.isSurrogate(unit) { return nil }
            units.append(unit)
        }
        return String(validating: units, as: UTF16.self)
    }

    /// Converts with glibc iconv to UTF-32 code points; nil when iconv finds an invalid or incomplete sequence.
    private static func iconvScalars(_ input: [UInt8], from converter: String) -> [UInt32]? {
        guard !input.isEmpty else { return [] }
        let handle = iconv_open("UTF-32LE", converter)
        guard let handle, handle != UnsafeMutableRawPointer(bitPattern: -1) else { return nil }
        defer { iconv_close(handle) }
        // No supported character set has a character shorter than one byte: one code point per byte at most.
        var output = [UInt32](repeating: 0, count: input.count)
        var source = input
        let written: Int? = source.withUnsafeMutableBytes { sourceBuffer in
            output.withUnsafeMutableBytes { outputBuffer -> Int? in
                var sourcePointer = sourceBuffer.baseAddress?.assumingMemoryBound(to: CChar.self)
                var sourceLeft = sourceBuffer.count
                var outputPointer = outputBuffer.baseAddress?.assumingMemoryBound(to: CChar.self)
                var outputLeft = outputBuffer.count
                let result = iconv(handle, &sourcePointer, &sourceLeft, &outputPointer, &outputLeft)
                guard result != -1, sourceLeft == 0 else { return nil }
                // A stateful converter may hold back its last character until flushed.
                guard iconv(handle, nil, nil, &outputPointer, &outputLeft) != -1 else { return nil }
                return (outputBuffer.count - outputLeft) / 4
            }
        }
        guard let written else { return nil }
        return output.prefix(written).map { UInt32(littleEndian: $0) }
    }

    private static let byName: [String: MySQLCharset] = {
        var charsets: [String: MySQLCharset] = [:]
        func add(_ name: String, _ decoding: Decoding) { charsets[name] = MySQLCharset(name: name, decoding: decoding) }
        add("utf8mb3", .utf8)
        add("utf8mb4", .utf8)
        add("ucs2", .ucs2)
        add("utf16", .utf16BigEndian)
        add("utf16le", .utf16LittleEndian)
        add("utf32", .utf32BigEndian)
        for (name, table) in singleByteTables {
            let scalars = table.unicodeScalars.map { $0.value == 0xFFFF ? nil : $0 }
            precondition(scalars.count == 256, "the \(name) table has \(scalars.count) entries")
            add(name, .singleByte(scalars))
        }
        for (name, converter) in iconvNames {
            add(name, .iconv(converter: converter, replacements: iconvReplacements[name] ?? [:]))
        }
        // MySQL 8.0 only (MariaDB 10.11 has no gb18030), so not in the generated tables.
        add("gb18030", .iconv(converter: "GB18030", replacements: [:]))
        return charsets
    }()

    private static let charsetsByCollation: [MySQLCharset?] = {
        var charsets = [MySQLCharset?](repeating: nil, count: 1024)
        for (ids, name) in collationRanges where name != "binary" {
            for id in ids { charsets[id] = named(name) }
        }
        return charsets
    }()
}
