/// One row change in Maxwell's format: `database, table, type, ts, xid, commit, position, gtid, server_id,
/// data, old`, in that order, each present only when known (`commit` only when true, `old` only when not empty).
public struct MaxwellRecord: Sendable, Equatable {
    public enum Kind: String, Sendable {
        case insert, update, delete
        case bootstrapStart = "bootstrap-start"
        case bootstrapInsert = "bootstrap-insert"
        case bootstrapComplete = "bootstrap-complete"
    }

    /// A column name with its value, in table column order.
    public struct Field: Sendable, Equatable {
        public var name: String
        public var value: ColumnValue
        public init(_ name: String, _ value: ColumnValue) {
            self.name = name
            self.value = value
        }
    }

    public var database: String
    public var table: String
    public var kind: Kind
    /// Seconds since the epoch of the statement on the source (`ts`).
    public var timestamp: UInt32
    public var xid: UInt64?
    /// True on the last row of a transaction only.
    public var commit: Bool
    /// Binlog file and offset of the rows event (`position`).
    public var position: BinlogPosition?
    public var gtid: Gtid?
    public var serverID: UInt32?
    public var data: [Field]
    /// Previous values of the columns an update changed.
    public var old: [Field]
    /// The table's primary key column names, for the Kafka key and partitioning.
    public var primaryKey: [String]

    public init(database: String, table: String, kind: Kind, timestamp: UInt32, xid: UInt64? = nil, commit: Bool = false,
                position: BinlogPosition? = nil, gtid: Gtid? = nil, serverID: UInt32? = nil, data: [Field],
                old: [Field] = [], primaryKey: [String] = []) {
        self.database = database
        self.table = table
        self.kind = kind
        self.timestamp = timestamp
        self.xid = xid
        self.commit = commit
        self.position = position
        self.gtid = gtid
        self.serverID = serverID
        self.data = data
        self.old = old
        self.primaryKey = primaryKey
    }

    /// The value of column `name` in `data`, nil when absent.
    public func value(of name: String) -> ColumnValue? {
        data.first { $0.name == name }?.value
    }

    /// The record as Maxwell's JSON text, byte for byte.
    public func json() -> String {
        var writer = MaxwellJSONWriter(capacity: 128 + data.count * 24)
        writer.beginObject()
        writer.key("database"); writer.string(database)
        writer.key("table"); writer.string(table)
        writer.key("type"); writer.string(kind.rawValue)
        writer.key("ts"); writer.number(timestamp)
        if let xid { writer.key("xid"); writer.number(xid) }
        if commit { writer.key("commit"); writer.bool(true) }
        if let position { writer.key("position"); writer.string(position.description) }
        if let gtid { writer.key("gtid"); writer.string(gtid.description) }
        if let serverID { writer.key("server_id"); writer.number(serverID) }
        writer.key("data")
        Self.write(data, to: &writer)
        if !old.isEmpty {
            writer.key("old")
            Self.write(old, to: &writer)
        }
        writer.endObject()
        return writer.text
    }

    /// Maxwell's `hash` Kafka key: `{"database":…,"table":…,"pk.<column>":value,…}`; a table without a
    /// primary key gets `"_uuid"` (derived from the record's content, so that a replay repeats it).
    public func keyJSON() -> String {
        var writer = MaxwellJSONWriter(capacity: 96)
        writer.beginObject()
        writer.key("database"); writer.string(database)
        writer.key("table"); writer.string(table)
        if primaryKey.isEmpty {
            writer.key("_uuid"); writer.string(Self.contentUUID(json()))
        } else {
            for column in primaryKey {
                writer.key("pk." + column.lowercased())
                (value(of: column) ?? .null).write(to: &writer)
            }
        }
        writer.endObject()
        return writer.text
    }

    private static func write(_ fields: [Field], to writer: inout MaxwellJSONWriter) {
        writer.beginObject()
        for field in fields {
            writer.key(field.name)
            field.value.write(to: &writer)
        }
        writer.endObject()
    }

    /// A UUID-shaped text from two FNV-1a hashes of `text`.
    static func contentUUID(_ text: String) -> String {
        var first: UInt64 = 0xcbf2_9ce4_8422_2325, second: UInt64 = 0x6c62_272e_07bb_0142
        for byte in text.utf8 {
            first = (first ^ UInt64(byte)) &* 0x100_0000_01b3
            second = (second ^ UInt64(byte)) &* 0x100_0000_01b3 &+ 1
        }
        let hex = (String(first, radix: 16).leftPadded(16) + String(second, radix: 16).leftPadded(16)).map { $0 }
        return String(hex[0..<8]) + "-" + String(hex[8..<12]) + "-" + String(hex[12..<16]) + "-"
            + String(hex[16..<20]) + "-" + String(hex[20..<32])
    }
}

extension String {
    fileprivate func leftPadded(_ width: Int) -> String {
        count >= width ? self : String(repeating: "0", count: width - count) + self
    }
}

/// A binlog file and an offset in it, written `file:offset`.
public struct BinlogPosition: Sendable, Hashable, CustomStringConvertible {
    public var file: String
    public var offset: UInt64

    public init(file: String, offset: UInt64) {
        self.file = file
        self.offset = offset
    }

    /// Parses `file:offset`; nil when the text is not one.
    public init?(_ text: some StringProtocol) {
        guard let colon = text.lastIndex(of: ":"), let offset = UInt64(text[text.index(after: colon)...]),
              colon > text.startIndex else { return nil }
        self.init(file: String(text[..<colon]), offset: offset)
    }

    public var description: String { "\(file):\(offset)" }
}
