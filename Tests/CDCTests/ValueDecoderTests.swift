import Testing
@testable import BinlogReplication

/// One column type per test, byte vectors in the server's row format -> the JSON text Maxwell prints.
@Suite struct ValueDecoderTests {
    private func column(_ type: FieldType, _ metadata: Int = 0, unsigned: Bool = false, collation: Int? = nil,
                        values: [String] = [], json: Bool = false) -> ColumnDefinition {
        ColumnDefinition(name: "c", type: type, metadata: metadata, unsigned: unsigned, collation: collation,
                         values: values, isJSON: json)
    }

    private func json(_ column: ColumnDefinition, _ hex: String) throws -> String {
        jsonText(try decodeValue(column, hexBytes(hex)))
    }

    @Test func integersKeepTheirSignedness() throws {
        #expect(try json(column(.tiny), "ff") == "-1")
        #expect(try json(column(.tiny, unsigned: true), "ff") == "255")
        #expect(try json(column(.tiny), "80") == "-128")
        #expect(try json(column(.short), "d4fe") == "-300")
        #expect(try json(column(.short, unsigned: true), "ffff") == "65535")
        #expect(try json(column(.int24), "000080") == "-8388608")
        #expect(try json(column(.int24), "ffff7f") == "8388607")
        #expect(try json(column(.int24, unsigned: true), "ffffff") == "16777215")
        #expect(try json(column(.long), "00000080") == "-2147483648")
        #expect(try json(column(.long, unsigned: true), "ffffffff") == "4294967295")
        #expect(try json(column(.longlong), "0000000000000080") == "-9223372036854775808")
        #expect(try json(column(.longlong), "ffffffffffffff7f") == "9223372036854775807")
        #expect(try json(column(.longlong, unsigned: true), "ffffffffffffffff") == "18446744073709551615")
        #expect(try json(column(.longlong), "0000000000000000") == "0")
    }

    @Test func floatsPrintAsJava() throws {
        #expect(try json(column(.float, 4), "0000c03f") == "1.5")
        #expect(try json(column(.float, 4), "cdcc8c3f") == "1.1")
        #expect(try json(column(.double, 8), "00000000000002c0") == "-2.25")
        #expect(try json(column(.double, 8), "000000000000f03f") == "1.0")
    }

    /// DECIMAL(precision, scale) metadata.
    private func decimal(_ precision: Int, _ scale: Int) -> ColumnDefinition { column(.newDecimal, precision << 8 | scale) }

    @Test func decimalsAreExact() throws {
        #expect(try json(decimal(10, 2), "7f439eb1a4") == "-12345678.91")
        #expect(try json(decimal(10, 2), "80bc614e5b") == "12345678.91")
        #expect(try json(decimal(5, 2), "800000") == "0.00")
        #expect(try json(decimal(4, 0), "7ffe") == "-1")
        #expect(try json(decimal(10, 8), "800000000a") == "1.0E-7")
        #expect(try json(decimal(10, 0), "800000000a") == "10")
    }

    @Test func sixtyFiveDigitDecimals() throws {
        // DECIMAL(65,30): 8 leading digits (4 bytes), 3 groups of 9, 3 fraction groups, 3 trailing digits (2 bytes).
        var positive = be(99_999_999, 4) + be(999_999_999, 4) + be(999_999_999, 4) + be(999_999_999, 4)
        positive += be(999_999_999, 4) + be(999_999_999, 4) + be(999_999_999, 4) + be(999, 2)
        positive[0] |= 0x80
        let nines = String(repeating: "9", count: 35) + "." + String(repeating: "9", count: 30)
        #expect(jsonText(try decodeValue(decimal(65, 30), positive)) == nines)
        #expect(jsonText(try decodeValue(decimal(65, 30), positive.map { ~$0 })) == "-" + nines)
        var small = [UInt8](repeating: 0, count: positive.count)
        small[0] = 0x80
        small[small.count - 1] = 1
        #expect(jsonText(try decodeValue(decimal(65, 30), small)) == "1E-30")
    }

    @Test func corruptDecimalGroupIsAnError() {
        // A 9-digit group holding 1,000,000,000 cannot come from the server.
        #expect(throws: BinlogError.self) { try decodeValue(decimal(18, 0), [0x80] + be(1_000_000_000, 4).dropFirst(0) + [0, 0, 0, 0]) }
    }

    @Test func datesAndYears() throws {
        #expect(try json(column(.date), "9fd10f") == "\"2024-12-31\"")
        #expect(try json(column(.date), "000000") == "\"0000-00-00\"")
        #expect(try json(column(.year), "7c") == "2024")
        #expect(try json(column(.year), "00") == "0")
    }

    @Test func datetime2WithEachPrecision() throws {
        #expect(try json(column(.datetime2, 3), "99b24431051a7c") == "\"2024-01-02 03:04:05.678\"")
        #expect(try json(column(.datetime2, 0), "8000000000") == "\"0000-00-00 00:00:00\"")
        #expect(try json(column(.datetime2, 6), "8000000000000000") == "\"0000-00-00 00:00:00.000000\"")
        let yearMonth: UInt64 = 9999 * 13 + 12
        let day: UInt64 = (yearMonth << 5) | 31
        let time: UInt64 = (23 << 12) | (59 << 6) | 59
        let packed: UInt64 = ((day << 17) | time) + 0x80_0000_0000
        #expect(jsonText(try decodeValue(column(.datetime2, 0), be(packed, 5))) == "\"9999-12-31 23:59:59\"")
        // 1 and 2 digits share a byte (hundredths), 3 and 4 two bytes, 5 and 6 three bytes.
        let base = be(packed, 5)
        #expect(jsonText(try decodeValue(column(.datetime2, 1), base + [90])) == "\"9999-12-31 23:59:59.9\"")
        #expect(jsonText(try decodeValue(column(.datetime2, 2), base + [99])) == "\"9999-12-31 23:59:59.99\"")
        #expect(jsonText(try decodeValue(column(.datetime2, 4), base + be(9999, 2))) == "\"9999-12-31 23:59:59.9999\"")
        #expect(jsonText(try decodeValue(column(.datetime2, 5), base + be(999_990, 3))) == "\"9999-12-31 23:59:59.99999\"")
        #expect(jsonText(try decodeValue(column(.datetime2, 6), base + be(1, 3))) == "\"9999-12-31 23:59:59.000001\"")
    }

    @Test func timestamp2IsUTC() throws {
        #expect(try json(column(.timestamp2, 6), "65937d2501e240") == "\"2024-01-02 03:04:05.123456\"")
        #expect(try json(column(.timestamp2, 0), "00000000") == "\"0000-00-00 00:00:00\"")
        #expect(try json(column(.timestamp2, 0), "00000001") == "\"1970-01-01 00:00:01\"")
        #expect(try json(column(.timestamp2, 3), "7fffffff2706") == "\"2038-01-19 03:14:07.999\"")
        #expect(try json(column(.timestamp2, 0), "5a7b9300") == "\"2018-02-08 00:00:00\"")
    }

    @Test func time2IncludingNegativeAndLong() throws {
        #expect(try json(column(.time2, 2), "7f3747b2") == "\"-12:34:56.78\"")
        #expect(try json(column(.time2, 0), "800000") == "\"00:00:00\"")
        let longest = (838 << 12) | (59 << 6) | 59
        #expect(jsonText(try decodeValue(column(.time2, 0), be(0x80_0000 + longest, 3))) == "\"838:59:59\"")
        #expect(jsonText(try decodeValue(column(.time2, 0), be(0x80_0000 - longest, 3))) == "\"-838:59:59\"")
        #expect(try json(column(.time2, 3), "7fefffec78") == "\"-01:00:00.500\"")
        #expect(try json(column(.time2, 6), "7fffffffffff") == "\"-00:00:00.000001\"")
        #expect(jsonText(try decodeValue(column(.time2, 6), be(0x8000_0000_0000 + ((1 << 36) | 123_456), 6))) == "\"01:00:00.123456\"")
    }

    @Test func oldTemporalTypes() throws {
        #expect(jsonText(try decodeValue(column(.datetime), le(UInt64(20240102030405), 8))) == "\"2024-01-02 03:04:05\"")
        #expect(jsonText(try decodeValue(column(.time), le(-123456, 3))) == "\"-12:34:56\"")
        #expect(jsonText(try decodeValue(column(.timestamp), le(1_704_164_645, 4))) == "\"2024-01-02 03:04:05\"")
    }

    @Test func textDecodesByCollation() throws {
        #expect(try json(column(.varchar, 80, collation: 45), "0a68c3a96c6c6ff09f9880") == "\"héllo😀\"")
        #expect(try json(column(.varchar, 80, collation: 45), "00") == "\"\"")
        #expect(jsonText(try decodeValue(column(.varchar, 1200, collation: 45), le(3, 2) + Array("abc".utf8))) == "\"abc\"")
        #expect(try json(column(.string, 20, collation: 45), "026162") == "\"ab\"")
        #expect(try json(column(.varchar, 5, collation: 8), "01e9") == "\"é\"")
        #expect(try json(column(.blob, 2, collation: 45), "040074657874") == "\"text\"")
        #expect(try json(column(.blob, 4, collation: 45), "00000000") == "\"\"")
    }

    @Test func binaryIsBase64AndBinaryCharIsPadded() throws {
        #expect(try json(column(.blob, 2, collation: 63), "020000ff") == "\"AP8=\"")
        #expect(try json(column(.blob, 2), "020000ff") == "\"AP8=\"")
        #expect(try json(column(.varchar, 8, collation: 63), "020102") == "\"AQI=\"")
        #expect(try json(column(.string, 3, collation: 63), "0141") == "\"QQAA\"")
        #expect(try json(column(.string, 3, collation: 63), "00") == "\"AAAA\"")
    }

    @Test func enumSetAndBit() throws {
        let letters = ["a", "b", "c"]
        #expect(try json(column(.enum, 1, values: letters), "02") == "\"b\"")
        #expect(try json(column(.enum, 1, values: letters), "00") == "\"\"")
        #expect(try json(column(.enum, 2, values: letters), "0300") == "\"c\"")
        #expect(try json(column(.set, 1, values: ["x", "y", "z"]), "05") == #"["x","z"]"#)
        #expect(try json(column(.set, 1, values: ["x", "y", "z"]), "00") == "[]")
        #expect(try json(column(.bit, 10), "0201") == "513")
        #expect(try json(column(.bit, 1), "01") == "1")
        #expect(try json(column(.bit, 64), "ffffffffffffffff") == "18446744073709551615")
    }

    @Test func jsonColumnsNestAndInvalidTextStaysAString() throws {
        #expect(try json(column(.blob, 4, collation: 46, json: true), "0d0000007b2261223a205b312c20325d7d") == #"{"a":[1,2]}"#)
        #expect(jsonText(try decodeValue(column(.blob, 4, collation: 46, json: true), le(3, 4) + Array("{x}".utf8))) == "\"{x}\"")
    }

    @Test func truncatedValueIsAnError() {
        #expect(throws: BinlogError.self) { try decodeValue(column(.longlong), [1, 2, 3]) }
        #expect(throws: BinlogError.self) { try decodeValue(column(.varchar, 80, collation: 45), [5, 0x61]) }
        #expect(throws: BinlogError.self) { try decodeValue(column(.json, 4), le(1, 4) + [0]) }
    }
}
