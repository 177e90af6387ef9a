import BinlogReplication
import Testing
import TestSupport

/// SQL in, exact Maxwell JSON out, against a real MariaDB: one table per column type, one multi-row INSERT
/// per table; each value's JSON text is compared byte for byte.
@Suite(.serialized) struct LiveColumnTypeTests {
    struct Case: Sendable, CustomStringConvertible {
        let type: String
        /// SQL literal -> the JSON Maxwell prints for it.
        let values: [(String, String)]
        var description: String { type }
    }

    static let nines35 = String(repeating: "9", count: 35)
    static let nines30 = String(repeating: "9", count: 30)
    static let nines65 = String(repeating: "9", count: 65)

    static let cases: [Case] = [
        Case(type: "TINYINT", values: [("-128", "-128"), ("127", "127"), ("NULL", "null")]),
        Case(type: "TINYINT UNSIGNED", values: [("0", "0"), ("255", "255")]),
        Case(type: "SMALLINT", values: [("-32768", "-32768"), ("32767", "32767")]),
        Case(type: "SMALLINT UNSIGNED", values: [("65535", "65535")]),
        Case(type: "MEDIUMINT", values: [("-8388608", "-8388608"), ("8388607", "8388607")]),
        Case(type: "MEDIUMINT UNSIGNED", values: [("16777215", "16777215")]),
        Case(type: "INT", values: [("-2147483648", "-2147483648"), ("2147483647", "2147483647")]),
        Case(type: "INT UNSIGNED", values: [("4294967295", "4294967295")]),
        Case(type: "BIGINT", values: [("-9223372036854775808", "-9223372036854775808"), ("9223372036854775807", "9223372036854775807")]),
        Case(type: "BIGINT UNSIGNED", values: [("18446744073709551615", "18446744073709551615"), ("0", "0")]),
        Case(type: "DECIMAL(10,2)", values: [("-0.01", "-0.01"), ("12345678.9", "12345678.90"), ("0", "0.00"), ("-12345678.99", "-12345678.99")]),
        Case(type: "DECIMAL(65,30)", values: [("-\(nines35).\(nines30)", "-\(nines35).\(nines30)"), ("\(nines35).\(nines30)", "\(nines35).\(nines30)"),
                                             ("0.000000000000000000000000000001", "1E-30"), ("0", "0E-30")]),
        Case(type: "DECIMAL(65,0)", values: [(nines65, nines65), ("-\(nines65)", "-\(nines65)")]),
        Case(type: "DECIMAL(5,5)", values: [("0.00001", "0.00001"), ("-0.99999", "-0.99999")]),
        Case(type: "FLOAT", values: [("1.5", "1.5"), ("-3.25", "-3.25"), ("0.1", "0.1")]),
        Case(type: "DOUBLE", values: [("4.2341", "4.2341"), ("1e100", "1.0E100"), ("-2.5e-5", "-2.5E-5"), ("100", "100.0")]),
        Case(type: "DATE", values: [("'0000-00-00'", "\"0000-00-00\""), ("'1000-01-01'", "\"1000-01-01\""), ("'9999-12-31'", "\"9999-12-31\"")]),
        Case(type: "DATETIME", values: [("'0000-00-00 00:00:00'", "\"0000-00-00 00:00:00\""), ("'2024-02-29 23:59:59'", "\"2024-02-29 23:59:59\"")]),
        Case(type: "DATETIME(1)", values: [("'2024-02-29 23:59:59.1'", "\"2024-02-29 23:59:59.1\"")]),
        Case(type: "DATETIME(2)", values: [("'2024-02-29 23:59:59.12'", "\"2024-02-29 23:59:59.12\"")]),
        Case(type: "DATETIME(3)", values: [("'2024-02-29 23:59:59.123'", "\"2024-02-29 23:59:59.123\""), ("'0000-00-00 00:00:00'", "\"0000-00-00 00:00:00.000\"")]),
        Case(type: "DATETIME(4)", values: [("'1000-01-01 00:00:00.0001'", "\"1000-01-01 00:00:00.0001\"")]),
        Case(type: "DATETIME(5)", values: [("'2024-02-29 23:59:59.12345'", "\"2024-02-29 23:59:59.12345\"")]),
        Case(type: "DATETIME(6)", values: [("'9999-12-31 23:59:59.999999'", "\"9999-12-31 23:59:59.999999\""), ("'2024-01-01 00:00:00'", "\"2024-01-01 00:00:00.000000\"")]),
        Case(type: "TIMESTAMP NULL", values: [("'0000-00-00 00:00:00'", "\"0000-00-00 00:00:00\""), ("'1970-01-01 00:00:01'", "\"1970-01-01 00:00:01\"")]),
        Case(type: "TIMESTAMP(6) NULL", values: [("'2038-01-19 03:14:07.999999'", "\"2038-01-19 03:14:07.999999\""), ("NULL", "null")]),
        Case(type: "TIMESTAMP(3) NULL", values: [("'2024-05-06 07:08:09.010'", "\"2024-05-06 07:08:09.010\"")]),
        Case(type: "TIME", values: [("'-838:59:59'", "\"-838:59:59\""), ("'838:59:59'", "\"838:59:59\""), ("'00:00:00'", "\"00:00:00\"")]),
        Case(type: "TIME(1)", values: [("'-00:00:00.5'", "\"-00:00:00.5\"")]),
        Case(type: "TIME(3)", values: [("'-01:00:00.500'", "\"-01:00:00.500\""), ("'12:34:56.789'", "\"12:34:56.789\"")]),
        Case(type: "TIME(6)", values: [("'-838:59:59.000000'", "\"-838:59:59.000000\""), ("'00:00:00.000001'", "\"00:00:00.000001\"")]),
        Case(type: "YEAR", values: [("2024", "2024"), ("1901", "1901"), ("2155", "2155"), ("0", "0")]),
        Case(type: "CHAR(10)", values: [("''", "\"\""), ("'abc'", "\"abc\""), ("'ab  '", "\"ab\"")]),
        Case(type: "CHAR(100)", values: [("'北京'", "\"北京\"")]),
        Case(type: "VARCHAR(300)", values: [("'😀𝄞 ok'", "\"😀𝄞 ok\""), ("'q\"b\\\\s\\n\\t\\r'", #""q\"b\\s\n\t\r""#), ("''", "\"\"")]),
        Case(type: "VARCHAR(5) CHARACTER SET latin1", values: [("'é'", "\"é\"")]),
        Case(type: "TEXT", values: [("'text'", "\"text\""), ("''", "\"\"")]),
        Case(type: "MEDIUMTEXT", values: [("'medium'", "\"medium\"")]),
        Case(type: "LONGTEXT", values: [("'long'", "\"long\"")]),
        Case(type: "BINARY(4)", values: [("x'00'", "\"AAAAAA==\""), ("x'01020304'", "\"AQIDBA==\"")]),
        Case(type: "VARBINARY(10)", values: [("x'00ff'", "\"AP8=\""), ("x''", "\"\"")]),
        Case(type: "BLOB", values: [("x'68656c6c6f'", "\"aGVsbG8=\"")]),
        Case(type: "LONGBLOB", values: [("x'ff'", "\"/w==\"")]),
        Case(type: "ENUM('a','b','c')", values: [("'c'", "\"c\""), ("'a'", "\"a\""), ("NULL", "null")]),
        Case(type: "SET('x','y','z')", values: [("''", "[]"), ("'x,y,z'", #"["x","y","z"]"#), ("'z,x'", #"["x","z"]"#)]),
        Case(type: "BIT(1)", values: [("b'1'", "1"), ("b'0'", "0")]),
        Case(type: "BIT(64)", values: [("b'\(String(repeating: "1", count: 64))'", "18446744073709551615")]),
        // Spatial types as Maxwell prints them (JTS 1.13 WKT; see WellKnownTextTests for the formatting rules).
        Case(type: "GEOMETRY", values: [("ST_GeomFromText('POINT(3 2)')", #""POINT (3 2)""#),
                                        ("ST_GeomFromText('GEOMETRYCOLLECTION(POINT(1 1),LINESTRING(0 1,1 2,2 3,3 4))')",
                                         #""GEOMETRYCOLLECTION (POINT (1 1), LINESTRING (0 1, 1 2, 2 3, 3 4))""#)]),
        Case(type: "POINT", values: [("ST_GeomFromText('POINT(116.397128 39.916527)')", #""POINT (116.397128 39.916527)""#),
                                     ("ST_GeomFromText('POINT(-0.5 1e-7)')", #""POINT (-0.5 0.0000001)""#)]),
        Case(type: "LINESTRING", values: [("ST_GeomFromText('LINESTRING(0 0,1 1.5,2.25 -3)')", #""LINESTRING (0 0, 1 1.5, 2.25 -3)""#)]),
        Case(type: "POLYGON", values: [("ST_GeomFromText('POLYGON((0 0,10 0,10 10,0 10,0 0),(1 1,2 1,2 2,1 1))')",
                                        #""POLYGON ((0 0, 10 0, 10 10, 0 10, 0 0), (1 1, 2 1, 2 2, 1 1))""#)]),
        Case(type: "MULTIPOINT", values: [("ST_GeomFromText('MULTIPOINT(1 1,2 2)')", #""MULTIPOINT ((1 1), (2 2))""#)]),
        Case(type: "MULTILINESTRING", values: [("ST_GeomFromText('MULTILINESTRING((0 0,1 1),(2 2,3 3))')",
                                                #""MULTILINESTRING ((0 0, 1 1), (2 2, 3 3))""#)]),
        Case(type: "MULTIPOLYGON", values: [("ST_GeomFromText('MULTIPOLYGON(((0 0,1 0,1 1,0 0)),((2 2,3 2,3 3,2 2)))')",
                                             #""MULTIPOLYGON (((0 0, 1 0, 1 1, 0 0)), ((2 2, 3 2, 3 3, 2 2)))""#)]),
        Case(type: "GEOMETRYCOLLECTION", values: [("ST_GeomFromText('GEOMETRYCOLLECTION(POLYGON((0 0,1 0,1 1,0 0)),MULTIPOINT(5 5))')",
                                                   #""GEOMETRYCOLLECTION (POLYGON ((0 0, 1 0, 1 1, 0 0)), MULTIPOINT ((5 5)))""#),
                                                  ("NULL", "null")]),
        Case(type: "JSON", values: [(#"'{"b": [1, {"c": null}], "a": "é😀"}'"#, #"{"b":[1,{"c":null}],"a":"é😀"}"#),
                                    ("'[]'", "[]"), (#"'"str"'"#, #""str""#), ("'1.5'", "1.5")]),
    ]

    @Test func everyColumnTypeAndEdgeValue() async throws {
        let server = try await Live.server()
        let database = Live.uniqueDatabase()
        let (reader, start) = try Live.reader(server, filter: TableFilter(include: [database]))
        var sql = "CREATE DATABASE \(database) CHARACTER SET utf8mb4; USE \(database);\n"
        var expected: [String] = []
        for (index, testCase) in Self.cases.enumerated() {
            sql += "CREATE TABLE t\(index) (id INT PRIMARY KEY AUTO_INCREMENT, v \(testCase.type));\n"
            sql += "INSERT INTO t\(index) (v) VALUES " + testCase.values.map { "(\($0.0))" }.joined(separator: ", ") + ";\n"
            for (row, value) in testCase.values.enumerated() {
                let commit = row == testCase.values.count - 1 ? #""commit":true,"# : ""
                expected.append(#"{"database":"\#(database)","table":"t\#(index)","type":"insert","ts":0,"xid":0,"#
                                + commit + #""position":"_:0","gtid":"0-0-0","server_id":0,"data":{"id":\#(row + 1),"v":\#(value.1)}}"#)
            }
        }
        try await server.sql(sql)
        let transactions = try await Live.collect(reader.batches(from: start), records: expected.count)
        let actual = transactions.flatMap(\.records).map(Live.normalised)
        #expect(actual.count == expected.count)
        for (index, pair) in zip(actual, expected).enumerated() {
            #expect(pair.0 == pair.1, "record \(index)")
        }

        // Bootstrap reads the same rows with SELECT: every value must print exactly as the binlog's did.
        let sink = MemorySink()
        let capture = ChangeCapture(reader: reader, sink: sink, store: MemoryStore())
        var bootstrapped: [String] = []
        for index in Self.cases.indices {
            let before = sink.messages.count
            let count = try await capture.bootstrap(database: database, table: "t\(index)", pageSize: 2)
            let messages = Array(sink.messages[before...])
            #expect(count == Self.cases[index].values.count)
            #expect(messages.first?.value.contains(#""type":"bootstrap-start","ts":"#) == true)
            #expect(messages.first?.value.hasSuffix(#","data":{}}"#) == true)
            #expect(messages.last?.value.contains(#""type":"bootstrap-complete""#) == true)
            bootstrapped += messages.dropFirst().dropLast().map { Self.dataPart($0.value) }
        }
        #expect(bootstrapped == expected.map(Self.dataPart))
        #expect(sink.messages.dropFirst().first?.key == #"{"database":"\#(database)","table":"t0","pk.id":1}"#)
    }

    /// The `"data":{…}` member of a record's JSON.
    static func dataPart(_ json: String) -> String {
        guard let range = json.range(of: #","data":"#) else { return json }
        return String(json[range.lowerBound...].dropLast())
    }
}
