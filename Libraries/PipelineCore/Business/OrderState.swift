/// An order in the join state of the partition that owns it.
public struct OrderRef: Sendable, Hashable, Comparable {
    public var partition: Int32
    public var orderID: Int64

    public init(partition: Int32, orderID: Int64) {
        self.partition = partition
        self.orderID = orderID
    }

    public static func < (a: OrderRef, b: OrderRef) -> Bool { (a.partition, a.orderID) < (b.partition, b.orderID) }
}

/// One line of an order in the join state.
public struct LineRef: Sendable, Hashable, Comparable {
    public var order: OrderRef
    public var lineID: Int64

    public init(order: OrderRef, lineID: Int64) {
        self.order = order
        self.lineID = lineID
    }

    public static func < (a: LineRef, b: LineRef) -> Bool { (a.order, a.lineID) < (b.order, b.lineID) }
}

/// What the join knows of one line: its newest row (nil once deleted) and version, the dimension fields it
/// was joined with (nil until joined), and since when it has been held waiting for a row (epoch ms).
public struct LineState: Sendable, Equatable {
    public var version: Int64
    public var row: ShopRow?
    public var snapshot: [String: JSONValue]?
    public var heldSince: Int64?

    public init(version: Int64, row: ShopRow?, snapshot: [String: JSONValue]? = nil, heldSince: Int64? = nil) {
        self.version = version
        self.row = row
        self.snapshot = snapshot
        self.heldSince = heldSince
    }
}

/// The join state of one order: its row and its lines, stored as one Redis hash per order
/// (`BusinessKeys.order`) with field `order` and a field `line:<id>` per line, each a JSON object.
public struct OrderState: Sendable, Equatable {
    public var order: VersionedRow?
    public var lines: [Int64: LineState]

    public init(order: VersionedRow? = nil, lines: [Int64: LineState] = [:]) {
        self.order = order
        self.lines = lines
    }

    public static let orderField = "order"
    public static func lineField(_ id: Int64) -> String { "line:\(id)" }

    /// The state in the fields of its hash (as HGETALL returns them).
    public init(fields: [String: String]) throws(ShopRowError) {
        self.init()
        for (field, text) in fields {
            guard case .object(let object)? = try? JSONCodec.parse(Array(text.utf8), numbers: .exact),
                  let version = object["v"]?.integerValue else {
                throw ShopRowError(field: "join state \(field)", problem: "is not a versioned JSON object")
            }
            let row = object["row"]?.objectValue.map(ShopRow.init)
            if field == Self.orderField {
                order = VersionedRow(version: version, row: row)
            } else if field.hasPrefix("line:"), let id = Int64(field.dropFirst(5)) {
                lines[id] = LineState(version: version, row: row, snapshot: object["snapshot"]?.objectValue,
                                      heldSince: object["held_since"]?.integerValue)
            }
        }
    }

    public static func encode(_ order: VersionedRow) -> String {
        JSONCodec.serialize(.object(["v": .integer(order.version), "row": order.row.map { .object($0.columns) } ?? .null])).asText
    }

    public static func encode(_ line: LineState) -> String {
        var object: [String: JSONValue] = ["v": .integer(line.version), "row": line.row.map { .object($0.columns) } ?? .null]
        if let snapshot = line.snapshot { object["snapshot"] = .object(snapshot) }
        if let heldSince = line.heldSince { object["held_since"] = .integer(heldSince) }
        return JSONCodec.serialize(.object(object)).asText
    }
}

/// Redis keys of the business stream's join state. Per-partition keys share the hash tag `{ods.db:<p>}`, so
/// that on Redis Cluster one partition's state lives in one slot.
public enum BusinessKeys {
    /// Hash of one order's join state (`OrderState`).
    public static func order(_ ref: OrderRef) -> String { "bs:{ods.db:\(ref.partition)}:order:\(ref.orderID)" }
    /// Hash of a partition's held lines: `<order id>/<line id>` → held since (epoch ms).
    public static func held(partition: Int32) -> String { "bs:{ods.db:\(partition)}:held" }
    public static func heldField(_ line: LineRef) -> String { "\(line.order.orderID)/\(line.lineID)" }

    /// The line of a `held` hash field; nil for anything else.
    public static func heldLine(partition: Int32, field: String) -> LineRef? {
        let parts = field.split(separator: "/")
        guard parts.count == 2, let order = Int64(parts[0]), let line = Int64(parts[1]) else { return nil }
        return LineRef(order: OrderRef(partition: partition, orderID: order), lineID: line)
    }
}
