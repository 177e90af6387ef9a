import Testing
@testable import BinlogReplication

/// Expected texts were printed by Java 17 on this machine (`BigDecimal.toString`, `Double.toString`,
/// `Float.toString`, `String.hashCode`).
@Suite struct JavaFormatTests {
    @Test(arguments: [
        ("-", "1234567891", 2, "-12345678.91"),
        ("", "000", 2, "0.00"),
        ("", "1", 7, "1E-7"),
        ("", "10", 8, "1.0E-7"),
        ("", "0", 10, "0E-10"),
        ("", "123", 0, "123"),
        ("-", "050", 2, "-0.50"),
        ("-", "000", 2, "0.00"),
        ("", "99999999999999999999999999999999999999999999999999999999999999999", 30,
         "99999999999999999999999999999999999.999999999999999999999999999999"),
        ("-", "1", 6, "-0.000001"),
        ("", "1000000", 6, "1.000000"),
    ])
    func bigDecimal(sign: String, digits: String, scale: Int, expected: String) {
        #expect(JavaFormat.bigDecimal(negative: sign == "-", digits: Substring(digits), scale: scale) == expected)
    }

    @Test(arguments: [
        (Double(1.5), "1.5"), (-2.25, "-2.25"), (0.1, "0.1"), (100.0, "100.0"), (1e7, "1.0E7"), (9999999.0, "9999999.0"),
        (0.001, "0.001"), (9.99e-4, "9.99E-4"), (1e16, "1.0E16"), (123456789.125, "1.23456789125E8"),
        (-0.0, "-0.0"), (0.0, "0.0"), (4.2341, "4.2341"), (1e21, "1.0E21"),
        (1.7976931348623157e308, "1.7976931348623157E308"), (0.3, "0.3"), (2.0 / 3, "0.6666666666666666"),
    ])
    func double(value: Double, expected: String) {
        #expect(JavaFormat.double(value) == expected)
    }

    static let floats: [(Float, String)] = [
        (1.5, "1.5"), (0.1, "0.1"), (3.4028235e38, "3.4028235E38"), (1.1, "1.1"), (16777216, "1.6777216E7"),
        (1e7, "1.0E7"), (1.0e-3, "0.001"), (1.2345678e-5, "1.2345678E-5"), (2.0 / 3, "0.6666667"),
    ]

    @Test(arguments: floats)
    func float(value: Float, expected: String) {
        #expect(JavaFormat.float(value) == expected)
    }

    @Test func nonFiniteNumbersAreJacksonStrings() {
        #expect(jsonText(.double(.nan)) == "\"NaN\"")
        #expect(jsonText(.float(-.infinity)) == "\"-Infinity\"")
    }

    @Test(arguments: [
        ("", Int32(0), Int32(0)), ("a", 97, 1), ("5", 53, 1), ("123", 48690, 2), ("shopt", 109413438, 2),
        ("héllo😀", 291564465, 1), ("order_info", 756086527, 3), ("None", 2433880, 0), ("1001", 1507424, 0),
        ("polygenelubricants", Int32.min, 0), ("order_detail 42", 1051226364, 0), ("北京", 679541, 1),
    ])
    func hashCodeAndPartition(text: String, hash: Int32, partitionOf4: Int32) {
        #expect(JavaFormat.hashCode(text) == hash)
        #expect(MaxwellPartitioner.partition(forKey: text, partitions: 4) == partitionOf4)
    }

    @Test func partitionOfMinimumHashIsNotNegative() {
        // Java: Math.abs(Integer.MIN_VALUE % 5) == 3.
        #expect(MaxwellPartitioner.partition(forKey: "polygenelubricants", partitions: 5) == 3)
    }
}
