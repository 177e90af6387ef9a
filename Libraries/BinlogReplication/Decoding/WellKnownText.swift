/// MySQL/MariaDB geometry values (SRID + WKB) as the WKT Maxwell prints (JTS 1.13 WKTWriter).
///
/// Maxwell drops the 4 SRID bytes, reads the rest with JTS 1.13 `WKBReader` and prints `Geometry.toText()`.
/// Kept from JTS: a one-point LINESTRING gets its point twice, rings are closed and padded to 4 points, a
/// collection whose members are all empty is `EMPTY`, MULTIPOINT members are parenthesized, ordinates go through
/// `DecimalFormat("0.################")`, and NaN coordinates (an empty point in WKB) print as `NaN`.
/// Stricter than JTS, which reads zeros past the end, ignores trailing bytes and takes any byte order other than
/// 1 as big-endian: truncated values, trailing bytes, byte orders other than 0/1, type codes other than the 2D
/// ones 1–7 (no Z/M/SRID flags), polygons without rings and geometries nested over 64 deep throw.
enum WellKnownText {
    /// `value` is the column's bytes: a 4-byte little-endian SRID, then WKB (either byte order per geometry).
    static func fromGeometryValue(_ value: some Collection<UInt8>) throws -> String {
        let bytes = Array(value)
        guard bytes.count >= 4 else {
            throw BinlogError.malformed("geometry value of \(bytes.count) bytes has no room for its 4-byte SRID")
        }
        var reader = WKBReader(ByteReader(bytes, offset: 4))
        let geometry = try reader.geometry(depth: 0)
        guard reader.bytes.isAtEnd else {
            throw BinlogError.malformed("geometry value has \(reader.bytes.remaining) bytes after its WKB")
        }
        return geometry.taggedText
    }

    /// The deepest nesting of members accepted.
    static let maximumDepth = 64

    /// A JTS ordinate: `DecimalFormat("0.################")`, as `WKTWriter.createFormatter` builds it for the
    /// default FLOATING precision model (16 = `PrecisionModel.getMaximumSignificantDigits()`).
    static func ordinate(_ value: Double) -> String {
        JavaFormat.decimalFormat(value, maximumFractionDigits: 16)
    }
}

/// A parsed geometry, as JTS holds it after `WKBReader`'s repairs.
private indirect enum Geometry {
    case point(x: Double, y: Double)
    case lineString([Coordinate])
    /// Shell first, then holes.
    case polygon([[Coordinate]])
    case multiPoint([Geometry])
    case multiLineString([Geometry])
    case multiPolygon([Geometry])
    case collection([Geometry])

    typealias Coordinate = (x: Double, y: Double)

    /// JTS `isEmpty()`: a WKB point always has a coordinate, a polygon is empty when its shell is, a collection
    /// when every member is.
    var isEmpty: Bool {
        switch self {
        case .point: false
        case .lineString(let points): points.isEmpty
        case .polygon(let rings): rings[0].isEmpty
        case .multiPoint(let members), .multiLineString(let members), .multiPolygon(let members),
             .collection(let members):
            members.allSatisfy(\.isEmpty)
        }
    }

    /// `WKTWriter.appendGeometryTaggedText`.
    var taggedText: String {
        switch self {
        case .point: "POINT " + text
        case .lineString: "LINESTRING " + text
        case .polygon: "POLYGON " + text
        case .multiPoint: "MULTIPOINT " + text
        case .multiLineString: "MULTILINESTRING " + text
        case .multiPolygon: "MULTIPOLYGON " + text
        case .collection: "GEOMETRYCOLLECTION " + text
        }
    }

    /// The text after the tag: `EMPTY` or the parenthesized coordinates / members.
    private var text: String {
        if isEmpty { return "EMPTY" }
        switch self {
        case .point(let x, let y): return "(" + Self.coordinate((x, y)) + ")"
        case .lineString(let points): return Self.sequence(points)
        case .polygon(let rings): return "(" + rings.map(Self.sequence).joined(separator: ", ") + ")"
        case .multiPoint(let members), .multiLineString(let members), .multiPolygon(let members):
            return "(" + members.map(\.text).joined(separator: ", ") + ")"
        case .collection(let members): return "(" + members.map(\.taggedText).joined(separator: ", ") + ")"
        }
    }

    private static func sequence(_ points: [Coordinate]) -> String {
        points.isEmpty ? "EMPTY" : "(" + points.map(coordinate).joined(separator: ", ") + ")"
    }

    private static func coordinate(_ point: Coordinate) -> String {
        WellKnownText.ordinate(point.x) + " " + WellKnownText.ordinate(point.y)
    }
}

/// JTS 1.13 `WKBReader` over the bytes after the SRID, with the byte order of the geometry being read.
private struct WKBReader {
    var bytes: ByteReader
    private var littleEndian = true

    init(_ bytes: ByteReader) { self.bytes = bytes }

    /// A geometry with its byte order and type code; a multi-geometry's members must have the type `only`.
    mutating func geometry(depth: Int, only: (type: UInt32, of: String)? = nil) throws -> Geometry {
        let start = bytes.offset
        switch try byte("byte order") {
        case 0: littleEndian = false
        case 1: littleEndian = true
        case let order: throw BinlogError.malformed("WKB byte order \(order) at byte \(start) is neither 0 nor 1")
        }
        let type = try uint32("geometry type")
        if let only, type != only.type {
            throw BinlogError.malformed("WKB \(only.of) member at byte \(start) has geometry type \(type)")
        }
        switch type {
        case 1: return try .point(x: double("x"), y: double("y"))
        case 2: return try .lineString(lineString())
        case 3:
            let rings = try count("polygon ring", minimumSize: 4)
            guard rings > 0 else {
                throw BinlogError.malformed("WKB polygon at byte \(start) has no rings (JTS would read a shell anyway)")
            }
            let polygon = try (0..<rings).map { _ in try ring() }
            if polygon[0].isEmpty && polygon.contains(where: { !$0.isEmpty }) {
                throw BinlogError.malformed("WKB polygon at byte \(start) has an empty shell but non-empty holes")
            }
            return .polygon(polygon)
        case 4: return try .multiPoint(members(of: (1, "multipoint"), minimumSize: 21, depth: depth))
        case 5: return try .multiLineString(members(of: (2, "multilinestring"), minimumSize: 9, depth: depth))
        case 6: return try .multiPolygon(members(of: (3, "multipolygon"), minimumSize: 9, depth: depth))
        case 7: return try .collection(members(of: nil, minimumSize: 9, depth: depth))
        default:
            throw BinlogError.malformed("WKB geometry type \(type) (0x\(String(type, radix: 16))) at byte \(start) "
                + "is not a 2D type 1-7; Z, M and SRID flags are unsupported")
        }
    }

    /// A LINESTRING's points; one point is doubled, as JTS does (`CoordinateSequences.extend`).
    private mutating func lineString() throws -> [Geometry.Coordinate] {
        let points = try coordinates("linestring point")
        return points.count == 1 ? points + points : points
    }

    /// A polygon ring, closed and padded to 4 points with its first point as JTS does
    /// (`CoordinateSequences.ensureValidRing`); `LinearRing` then rejects a ring that still is not closed (NaN).
    private mutating func ring() throws -> [Geometry.Coordinate] {
        var points = try coordinates("ring point")
        guard let first = points.first else { return points }
        let last = points[points.count - 1]
        if points.count < 4 || first.x != last.x || first.y != last.y {
            points += repeatElement(first, count: max(1, 4 - points.count))
        }
        guard !first.x.isNaN && !first.y.isNaN else {
            throw BinlogError.malformed("WKB polygon ring starts with a NaN coordinate, so it cannot be closed")
        }
        return points
    }

    private mutating func coordinates(_ what: String) throws -> [Geometry.Coordinate] {
        try (0..<count(what, minimumSize: 16)).map { _ in try (x: double("x"), y: double("y")) }
    }

    /// The members of a multi-geometry (all of type `only`) or of a collection, each with its own byte order.
    private mutating func members(of only: (type: UInt32, of: String)?, minimumSize: Int, depth: Int) throws -> [Geometry] {
        guard depth < WellKnownText.maximumDepth else {
            throw BinlogError.malformed("WKB geometries nested deeper than \(WellKnownText.maximumDepth)")
        }
        return try (0..<count(only.map { "\($0.of) member" } ?? "collection member", minimumSize: minimumSize)).map { _ in
            try geometry(depth: depth + 1, only: only)
        }
    }

    /// A count of elements of at least `minimumSize` bytes each, checked against the bytes left.
    private mutating func count(_ what: String, minimumSize: Int) throws -> Int {
        let count = Int(try uint32("\(what) count"))
        guard count <= bytes.remaining / minimumSize else {
            throw BinlogError.malformed(
                "WKB \(what) count \(count) at byte \(bytes.offset - 4) is more than the \(bytes.remaining) bytes left hold")
        }
        return count
    }

    private mutating func byte(_ what: String) throws -> UInt8 {
        try need(1, what)
        return try bytes.uint8(what)
    }

    private mutating func uint32(_ what: String) throws -> UInt32 {
        try need(4, what)
        return UInt32(try littleEndian ? bytes.uintLE(4, what) : bytes.uintBE(4, what))
    }

    private mutating func double(_ what: String) throws -> Double {
        try need(8, what)
        return Double(bitPattern: try littleEndian ? bytes.uintLE(8, what) : bytes.uintBE(8, what))
    }

    private func need(_ count: Int, _ what: String) throws {
        guard bytes.remaining >= count else {
            throw BinlogError.malformed(
                "WKB truncated: \(what) needs \(count) bytes at byte \(bytes.offset), \(bytes.remaining) left")
        }
    }
}
