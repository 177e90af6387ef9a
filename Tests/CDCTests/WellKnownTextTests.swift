import Testing
@testable import BinlogReplication

/// Geometry column values (SRID + WKB) -> the WKT Maxwell prints. Expected texts follow the JTS 1.13 sources
/// (locationtech/jts history at the 1.13 release, Dec 2012, jts/java/src/com/vividsolutions/jts/): io/WKBReader.java
/// (repairs), io/WKTWriter.java (layout, `DecimalFormat("0.################")`), geom/GeometryCollection.java and
/// geom/Polygon.java (`isEmpty`), geom/CoordinateSequences.java (`extend`, `ensureValidRing`); numbers follow
/// java.text.DigitList and jdk.internal.math.FloatingDecimal (JDK 17–25). All were also checked against JTS 1.13
/// compiled from those sources and run on JDK 25.
@Suite struct WellKnownTextTests {
    // MARK: WKB builders (little-endian unless `big`)

    private func uint32(_ value: UInt32, _ big: Bool) -> [UInt8] { big ? be(value, 4) : le(value, 4) }

    private func xy(_ x: Double, _ y: Double, _ big: Bool) -> [UInt8] {
        big ? be(x.bitPattern, 8) + be(y.bitPattern, 8) : le(x.bitPattern, 8) + le(y.bitPattern, 8)
    }

    private func geometry(_ type: UInt32, big: Bool = false, _ body: [UInt8]) -> [UInt8] {
        [big ? 0 : 1] + uint32(type, big) + body
    }

    private func point(_ x: Double, _ y: Double, big: Bool = false) -> [UInt8] { geometry(1, big: big, xy(x, y, big)) }

    private func points(_ coordinates: [(Double, Double)], _ big: Bool) -> [UInt8] {
        uint32(UInt32(coordinates.count), big) + coordinates.flatMap { xy($0.0, $0.1, big) }
    }

    private func lineString(_ coordinates: [(Double, Double)], big: Bool = false) -> [UInt8] {
        geometry(2, big: big, points(coordinates, big))
    }

    private func polygon(_ rings: [[(Double, Double)]], big: Bool = false) -> [UInt8] {
        geometry(3, big: big, uint32(UInt32(rings.count), big) + rings.flatMap { points($0, big) })
    }

    private func collection(_ type: UInt32, _ members: [[UInt8]], big: Bool = false) -> [UInt8] {
        geometry(type, big: big, uint32(UInt32(members.count), big) + members.flatMap { $0 })
    }

    /// The column value: SRID 0 (or `srid`), then the WKB.
    private func wkt(_ wkb: [UInt8], srid: UInt32 = 0) throws -> String {
        try WellKnownText.fromGeometryValue(le(srid, 4) + wkb)
    }

    /// `value` throws `BinlogError.malformed` with a message containing `fragment`.
    private func throwsMalformed(_ value: [UInt8], _ fragment: String, sourceLocation: SourceLocation = #_sourceLocation) {
        let error = #expect(throws: BinlogError.self, sourceLocation: sourceLocation) {
            try WellKnownText.fromGeometryValue(value)
        }
        guard case .malformed(let message)? = error else {
            if let error { Issue.record("not .malformed: \(error)", sourceLocation: sourceLocation) }
            return
        }
        #expect(message.contains(fragment), "\(message)", sourceLocation: sourceLocation)
    }

    // MARK: Types

    /// maxwell src/test/resources/sql/json/test_gis, bytes as MySQL stores them.
    @Test func maxwellsOwnExamples() throws {
        #expect(try WellKnownText.fromGeometryValue(hexBytes("00000000010100000000000000000008400000000000000040"))
                == "POINT (3 2)")
        let collection = collection(7, [point(1, 1), lineString([(0, 1), (1, 2), (2, 3), (3, 4)])])
        #expect(try wkt(collection) == "GEOMETRYCOLLECTION (POINT (1 1), LINESTRING (0 1, 1 2, 2 3, 3 4))")
    }

    @Test func eachTypeInBothByteOrders() throws {
        for big in [false, true] {
            #expect(try wkt(point(-122.4194155, 37.7749295, big: big), srid: 4326) == "POINT (-122.4194155 37.7749295)")
            #expect(try wkt(lineString([(0, 0), (1, 1), (2, 0.5)], big: big)) == "LINESTRING (0 0, 1 1, 2 0.5)")
            let square = [(0.0, 0.0), (10, 0), (10, 10), (0, 10), (0, 0)], hole = [(1.0, 1.0), (2, 1), (2, 2), (1, 1)]
            #expect(try wkt(polygon([square, hole], big: big))
                    == "POLYGON ((0 0, 10 0, 10 10, 0 10, 0 0), (1 1, 2 1, 2 2, 1 1))")
            // JTS 1.13 writes each member of a MULTIPOINT in parentheses.
            #expect(try wkt(collection(4, [point(1, 1, big: big), point(2, 2, big: big)], big: big))
                    == "MULTIPOINT ((1 1), (2 2))")
            #expect(try wkt(collection(5, [lineString([(0, 0), (1, 1)], big: big),
                                           lineString([(2, 2), (3, 3)], big: big)], big: big))
                    == "MULTILINESTRING ((0 0, 1 1), (2 2, 3 3))")
            let triangle = [(0.0, 0.0), (1, 0), (1, 1), (0, 0)]
            let holed = [[(5.0, 5.0), (6, 5), (6, 6), (5, 5)], [(5.2, 5.1), (5.4, 5.1), (5.4, 5.2), (5.2, 5.1)]]
            #expect(try wkt(collection(6, [polygon([triangle], big: big), polygon(holed, big: big)], big: big))
                    == "MULTIPOLYGON (((0 0, 1 0, 1 1, 0 0)), ((5 5, 6 5, 6 6, 5 5), (5.2 5.1, 5.4 5.1, 5.4 5.2, 5.2 5.1)))")
        }
    }

    @Test func nestedCollectionsWithMixedByteOrders() throws {
        let inner = collection(7, [lineString([(0, 0), (1, 1)]), collection(4, [point(2, 2)], big: true)], big: true)
        #expect(try wkt(collection(7, [point(1, 1, big: true), inner, polygon([[(0, 0), (1, 0), (0, 1), (0, 0)]])]))
                == "GEOMETRYCOLLECTION (POINT (1 1), GEOMETRYCOLLECTION (LINESTRING (0 0, 1 1), MULTIPOINT ((2 2))), "
                + "POLYGON ((0 0, 1 0, 0 1, 0 0)))")
    }

    // MARK: Empty geometries

    @Test func emptyGeometries() throws {
        #expect(try wkt(collection(7, [])) == "GEOMETRYCOLLECTION EMPTY")
        #expect(try wkt(lineString([])) == "LINESTRING EMPTY")
        #expect(try wkt(collection(4, [])) == "MULTIPOINT EMPTY")
        #expect(try wkt(collection(5, [])) == "MULTILINESTRING EMPTY")
        #expect(try wkt(collection(6, [])) == "MULTIPOLYGON EMPTY")
        // Polygon.isEmpty() is its shell's.
        #expect(try wkt(polygon([[]])) == "POLYGON EMPTY")
        #expect(try wkt(polygon([[(0, 0), (1, 0), (1, 1), (0, 0)], []])) == "POLYGON ((0 0, 1 0, 1 1, 0 0), EMPTY)")
        // GeometryCollection.isEmpty() is true when every member is empty.
        #expect(try wkt(collection(7, [lineString([])])) == "GEOMETRYCOLLECTION EMPTY")
        #expect(try wkt(collection(7, [collection(7, []), collection(6, [])])) == "GEOMETRYCOLLECTION EMPTY")
        #expect(try wkt(collection(5, [lineString([]), lineString([])])) == "MULTILINESTRING EMPTY")
        #expect(try wkt(collection(7, [lineString([]), point(1, 2)])) == "GEOMETRYCOLLECTION (LINESTRING EMPTY, POINT (1 2))")
        #expect(try wkt(collection(5, [lineString([]), lineString([(1, 1), (2, 2)])])) == "MULTILINESTRING (EMPTY, (1 1, 2 2))")
        #expect(try wkt(collection(6, [polygon([[]]), polygon([[(0, 0), (1, 0), (1, 1), (0, 0)]])]))
                == "MULTIPOLYGON (EMPTY, ((0 0, 1 0, 1 1, 0 0)))")
        // An empty point in WKB is NaN NaN; JTS 1.13 keeps it as a point with NaN ordinates.
        #expect(try wkt(point(.nan, .nan)) == "POINT (NaN NaN)")
        #expect(try wkt(collection(4, [point(.nan, .nan)])) == "MULTIPOINT ((NaN NaN))")
    }

    // MARK: WKBReader's repairs (isStrict = false)

    @Test func shortLineStringsAndOpenRingsAreRepaired() throws {
        #expect(try wkt(lineString([(1, 2)])) == "LINESTRING (1 2, 1 2)")
        #expect(try wkt(polygon([[(0, 0), (1, 0), (1, 1)]])) == "POLYGON ((0 0, 1 0, 1 1, 0 0))")
        #expect(try wkt(polygon([[(0, 0), (1, 1), (0, 0)]])) == "POLYGON ((0 0, 1 1, 0 0, 0 0))")
        #expect(try wkt(polygon([[(3, 4)]])) == "POLYGON ((3 4, 3 4, 3 4, 3 4))")
        #expect(try wkt(polygon([[(0, 0), (1, 0), (1, 1), (0, 1)]])) == "POLYGON ((0 0, 1 0, 1 1, 0 1, 0 0))")
        // Closed by ==, so -0 and 0 match and the last point stays as written.
        #expect(try wkt(polygon([[(0, 0), (1, 0), (1, 1), (-0.0, 0)]])) == "POLYGON ((0 0, 1 0, 1 1, -0 0))")
    }

    // MARK: Numbers: DecimalFormat("0.################")

    @Test(arguments: [
        (3.0, "3"), (-7, "-7"), (100, "100"), (0, "0"), (-0.0, "-0"), (0.1, "0.1"), (-2.5, "-2.5"),
        (1e20, "100000000000000000000"), (1e-20, "0"), (-1e-20, "-0"), (1e-16, "0.0000000000000001"),
        (0.001, "0.001"), (1e-5, "0.00001"), (1e7, "10000000"), (12345678.9, "12345678.9"),
        (1234.5678901234567, "1234.5678901234567"),
        // 17 fraction digits rounded to 16.
        (0.12345678901234567, "0.1234567890123457"),
        // A final 5: FloatingDecimal rounded up to it (the double is below), so no second rounding up...
        (-0.25618168118970175, "-0.2561816811897017"), (1.5e-16, "0.0000000000000001"),
        // ... or truncated to it (the double is above), so it rounds up although 8 is even...
        (0.16916260493992685, "0.1691626049399269"),
        // ... or the double is the tie exactly: 2^-17 and 3 × 2^-17 round half even.
        (0.00000762939453125, "0.0000076293945312"), (0.00002288818359375, "0.0000228881835938"),
        // Integers below 2^63 print FloatingDecimal's exact long digits (2^57, 2^60 less one insignificant digit).
        (144115188075855872.0, "144115188075855872"), (1152921504606846976.0, "1152921504606846980"),
        (9223372036854775808.0, "9223372036854776000"),
        (.infinity, "∞"), (-.infinity, "-∞"), (.nan, "NaN"),
    ])
    func ordinates(value: Double, expected: String) throws {
        #expect(WellKnownText.ordinate(value) == expected)
        #expect(try wkt(point(value, 1)) == "POINT (\(expected) 1)")
    }

    @Test func extremeMagnitudes() {
        #expect(WellKnownText.ordinate(.greatestFiniteMagnitude) == "17976931348623157" + String(repeating: "0", count: 292))
        #expect(WellKnownText.ordinate(.leastNonzeroMagnitude) == "0")
        #expect(WellKnownText.ordinate(-.leastNormalMagnitude) == "-0")
    }

    // MARK: Malformed values

    @Test func truncatedValuesThrow() {
        throwsMalformed([], "no room for its 4-byte SRID")
        throwsMalformed([0, 0, 0], "no room for its 4-byte SRID")
        throwsMalformed([0, 0, 0, 0], "byte order needs 1 bytes at byte 4")
        let full = le(UInt32(0), 4) + point(1, 2)
        throwsMalformed(Array(full.dropLast()), "y needs 8 bytes at byte 17, 7 left")
        throwsMalformed(Array(full.prefix(7)), "geometry type needs 4 bytes")
        throwsMalformed(le(UInt32(0), 4) + Array(lineString([(1, 1), (2, 2)]).dropLast(8)), "linestring point count 2")
        throwsMalformed(le(UInt32(0), 4) + point(1, 2) + [0], "1 bytes after its WKB")
    }

    @Test func unknownTypesAndByteOrdersThrow() {
        let srid = le(UInt32(0), 4)
        throwsMalformed(srid + geometry(8, xy(1, 1, false)), "geometry type 8")
        throwsMalformed(srid + geometry(0, []), "geometry type 0")
        throwsMalformed(srid + geometry(1001, xy(1, 1, false) + le(UInt64(0), 8)), "not a 2D type 1-7")
        throwsMalformed(srid + geometry(0x8000_0001, xy(1, 1, false) + le(UInt64(0), 8)), "0x80000001")
        throwsMalformed(srid + geometry(0x2000_0001, le(UInt32(4326), 4) + xy(1, 1, false)), "0x20000001")
        throwsMalformed(srid + [2] + le(UInt32(1), 4) + xy(1, 1, false), "byte order 2")
        throwsMalformed(srid + collection(4, [lineString([(1, 1), (2, 2)])]), "multipoint member at byte 13 has geometry type 2")
        throwsMalformed(srid + collection(6, [collection(7, [])]), "multipolygon member")
        throwsMalformed(srid + geometry(3, le(UInt32(0), 4)), "polygon at byte 4 has no rings")
        throwsMalformed(srid + polygon([[], [(0, 0), (1, 0), (1, 1), (0, 0)]]), "empty shell but non-empty holes")
        throwsMalformed(srid + polygon([[(.nan, 0), (1, 0), (1, 1), (.nan, 0)]]), "NaN")
    }

    @Test func absurdCountsThrowBeforeAllocating() {
        let srid = le(UInt32(0), 4)
        throwsMalformed(srid + geometry(2, le(UInt32.max, 4) + xy(1, 1, false)), "linestring point count 4294967295")
        throwsMalformed(srid + geometry(3, le(UInt32(0x7FFF_FFFF), 4)), "polygon ring count 2147483647")
        throwsMalformed(srid + geometry(7, be(UInt32.max, 4)), "collection member count")
        throwsMalformed(srid + geometry(4, le(UInt32(2), 4) + point(1, 1)), "multipoint member count 2")
    }

    @Test func nestingIsCapped() throws {
        func nested(_ levels: Int) -> [UInt8] {
            var wkb = point(1, 2)
            for _ in 0..<levels { wkb = collection(7, [wkb]) }
            return wkb
        }
        let sixtyFour = String(repeating: "GEOMETRYCOLLECTION (", count: 64) + "POINT (1 2)" + String(repeating: ")", count: 64)
        #expect(try wkt(nested(64)) == sixtyFour)
        throwsMalformed(le(UInt32(0), 4) + nested(65), "nested deeper than 64")
        // A deep chain of headers alone: no recursion past the cap.
        let chain = [[UInt8]](repeating: [1] + le(UInt32(7), 4) + le(UInt32(1), 4), count: 100_000).flatMap { $0 }
        throwsMalformed(le(UInt32(0), 4) + chain, "nested deeper than 64")
    }
}
