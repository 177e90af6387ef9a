/// How much decoded change data may be held in memory at one place: a number of records and their
/// approximate size in bytes (`MaxwellRecord.approximateSize`). A single record is always allowed.
public struct BufferLimit: Sendable, Equatable {
    public var records: Int
    public var bytes: Int

    /// Defaults: 10,000 records, 64 MiB.
    public init(records: Int = 10_000, bytes: Int = 64 << 20) {
        self.records = max(1, records)
        self.bytes = max(1, bytes)
    }

    public static let unlimited = BufferLimit(records: .max, bytes: .max)

    /// True when `records` records of `bytes` bytes in all are more than this allows.
    public func isExceeded(records: Int, bytes: Int) -> Bool {
        records > self.records || bytes > self.bytes
    }
}

extension ColumnValue {
    /// Roughly the memory this value takes: its text or bytes, or a word for numbers.
    var approximateSize: Int {
        switch self {
        case .null, .int, .uint, .float, .double: return 8
        case .decimal(let text), .string(let text), .json(let text): return text.utf8.count
        case .bytes(let bytes): return bytes.count
        case .set(let members): return members.reduce(0) { $0 + $1.utf8.count }
        }
    }
}

extension MaxwellRecord {
    /// Roughly the memory this record takes (its values and column names plus a fixed overhead), for
    /// `BufferLimit`.
    public var approximateSize: Int {
        func size(_ fields: [Field]) -> Int { fields.reduce(0) { $0 + $1.name.utf8.count + $1.value.approximateSize } }
        return 128 + size(data) + size(old)
    }
}
