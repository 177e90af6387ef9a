/// The tables of the shop database (the gmall layout) that the business stream reads, and their roles.
public enum ShopTable: String, Sendable, CaseIterable, Hashable {
    case province = "base_province"
    case category1 = "base_category1"
    case category2 = "base_category2"
    case category3 = "base_category3"
    case trademark = "base_trademark"
    case spu = "spu_info"
    case sku = "sku_info"
    case user = "user_info"
    case order = "order_info"
    case orderLine = "order_detail"

    /// Dimension rows are shared state (any consumer may need any of them); facts are joined per partition.
    public var isDimension: Bool { self != .order && self != .orderLine }

    /// The Redis hash of a dimension table: id → `VersionedValue` of the row's JSON (tombstone when deleted).
    public var dimensionKey: String { "dim:" + rawValue }
}

/// Why a row of the shop database cannot be used: the field and what is wrong with it.
public struct ShopRowError: Error, Equatable, Sendable, CustomStringConvertible {
    public var field: String
    public var problem: String

    public init(field: String, problem: String) {
        self.field = field
        self.problem = problem
    }

    public var description: String { "\(field) \(problem)" }
}

/// Typed reads of a row's columns (Maxwell's `data`).
public struct ShopRow: Sendable, Equatable {
    public var columns: [String: JSONValue]

    public init(_ columns: [String: JSONValue]) {
        self.columns = columns
    }

    public subscript(_ column: String) -> JSONValue? { columns[column] }

    /// An integer column; nil when null or absent; throws when it holds something else.
    public func integer(_ column: String) throws(ShopRowError) -> Int64? {
        switch columns[column] {
        case nil, .null?: return nil
        case .integer(let value)?: return value
        case .string(let text)?:
            guard let value = Int64(text) else { throw ShopRowError(field: column, problem: "is not an integer: \(text)") }
            return value
        case let other?: throw ShopRowError(field: column, problem: "is not an integer: \(other.typeName)")
        }
    }

    /// An integer column that must be present.
    public func requiredInteger(_ column: String) throws(ShopRowError) -> Int64 {
        guard let value = try integer(column) else { throw ShopRowError(field: column, problem: "is missing") }
        return value
    }

    /// A text column (numbers are given as their text, so that `order_status` 1002 and "1002" agree).
    public func text(_ column: String) -> String? {
        switch columns[column] {
        case .string(let text)?: return text
        case .integer(let value)?: return String(value)
        case .decimal(let value)?: return value.text
        default: return nil
        }
    }

    /// The column's value for a document: as it came, `.null` when absent.
    public func value(_ column: String) -> JSONValue { columns[column] ?? .null }

    /// A DECIMAL column in cents, `.null` when null.
    public func cents(_ column: String) throws(ShopRowError) -> JSONValue {
        try Money.cents(columns[column], field: column).map(JSONValue.integer) ?? .null
    }
}
