/// A dimension row's identity: its table and primary key.
public struct DimensionKey: Sendable, Hashable, Comparable, CustomStringConvertible {
    public var table: ShopTable
    public var id: Int64

    public init(_ table: ShopTable, _ id: Int64) {
        self.table = table
        self.id = id
    }

    public static func < (a: DimensionKey, b: DimensionKey) -> Bool { (a.table.rawValue, a.id) < (b.table.rawValue, b.id) }
    public var description: String { "\(table.rawValue)#\(id)" }
}

/// A row with the version of the change that wrote it; `row` nil when that change deleted it.
public struct VersionedRow: Sendable, Equatable {
    public var version: Int64
    public var row: ShopRow?

    public init(version: Int64, row: ShopRow?) {
        self.version = version
        self.row = row
    }

    /// As stored in Redis (`VersionedValue` with the row's JSON).
    public var encoded: String {
        VersionedValue.encode(version: version, payload: row.map { JSONCodec.serialize(.object($0.columns)).asText })
    }

    /// Reads `encoded`'s form; throws for anything else.
    public static func decode(_ text: String) throws(ShopRowError) -> VersionedRow {
        guard let value = VersionedValue.decode(text) else { throw ShopRowError(field: "stored row", problem: "is not a versioned value") }
        guard let payload = value.payload else { return VersionedRow(version: value.version, row: nil) }
        guard case .object(let columns)? = try? JSONCodec.parse(Array(payload.utf8), numbers: .exact) else {
            throw ShopRowError(field: "stored row", problem: "is not a JSON object")
        }
        return VersionedRow(version: value.version, row: ShopRow(columns))
    }
}

/// The dimension rows a batch can see: those read from Redis, overlaid with the batch's own dimension
/// changes (the newer version wins, as in Redis). A key not read yet is "unfetched": the caller reads it
/// and plans again, so that lookups never guess.
public struct DimensionView: Sendable {
    private var stored: [DimensionKey: VersionedRow] = [:]
    private var fetched: Set<DimensionKey> = []
    private var overlay: [DimensionKey: VersionedRow] = [:]

    public init() {}

    /// Records what Redis holds for `key` (nil: nothing).
    public mutating func recordFetched(_ key: DimensionKey, _ value: VersionedRow?) {
        fetched.insert(key)
        if let value { stored[key] = value } else { stored[key] = nil }
    }

    public func isFetched(_ key: DimensionKey) -> Bool { fetched.contains(key) }

    /// Applies a change of the batch (unless older than what is overlaid already).
    public mutating func apply(_ key: DimensionKey, _ value: VersionedRow) {
        if let current = overlay[key], current.version > value.version { return }
        overlay[key] = value
    }

    /// The newest known version of `key`, nil when neither Redis nor the batch has it.
    public func current(_ key: DimensionKey) -> VersionedRow? {
        switch (stored[key], overlay[key]) {
        case (let s?, let o?): return o.version >= s.version ? o : s
        case (let s?, nil): return s
        case (nil, let o): return o
        }
    }
}
