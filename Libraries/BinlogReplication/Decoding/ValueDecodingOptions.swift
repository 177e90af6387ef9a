import Synchronization

/// The choices in turning column bytes into JSON values, the same for the binlog stream and bootstraps.
public struct ValueDecodingOptions: Sendable {
    /// What to do with a text value that is not valid in its column's character set.
    public enum Undecodable: String, Sendable, CaseIterable {
        /// Stop the stream with an error naming the value (default): nothing is ever replaced silently.
        case fail
        /// Write the value's bytes as base64 and count it in `undecodableValues`.
        case base64
    }

    /// How a BINARY(n) value is written.
    public enum BinaryPadding: String, Sendable, CaseIterable {
        /// All n bytes, as stored and as SELECT returns them (default).
        case padded
        /// Without trailing zero bytes, as the binlog logs it and Maxwell writes it.
        case maxwell
    }

    public var onUndecodable: Undecodable
    public var binaryPadding: BinaryPadding
    /// Counts the values written as base64 under `.base64`; shared by every decoder given these options.
    public let undecodableValues: UndecodableCounter

    public init(onUndecodable: Undecodable = .fail, binaryPadding: BinaryPadding = .padded,
                undecodableValues: UndecodableCounter = UndecodableCounter()) {
        self.onUndecodable = onUndecodable
        self.binaryPadding = binaryPadding
        self.undecodableValues = undecodableValues
    }
}

/// A count of values written as base64 because they were not valid text in their character set.
public final class UndecodableCounter: Sendable {
    private let count = Atomic<Int>(0)
    public init() {}
    public var value: Int { count.load(ordering: .relaxed) }
    func increment() { count.add(1, ordering: .relaxed) }
}

/// A text value that is not valid in its column's character set, with where it was found, filled in
/// as the error travels up (the value decoder knows the column, the event decoder the table and event,
/// the reader the binlog file).
public struct UndecodableText: Error, Equatable, CustomStringConvertible {
    public var column: String
    /// The character set's name, or `collation <id>` when the collation id is unknown.
    public var charset: String
    /// The value's first bytes (at most 16).
    public var bytes: [UInt8]
    public var database = ""
    public var table = ""
    /// Where: `mysql-bin.000003, rows event at 1234` (the event's offset), or `bootstrap`.
    public var position = ""

    public init(column: String, charset: String, bytes: some Collection<UInt8>) {
        self.column = column
        self.charset = charset
        self.bytes = Array(bytes.prefix(16))
    }

    public var description: String {
        let hex = bytes.map { String($0, radix: 16, uppercase: true).leftPadded(to: 2) }.joined(separator: " ")
        return "column `\(column)` of `\(database)`.`\(table)` is not valid \(charset) text (bytes \(hex)\(bytes.count == 16 ? " …" : ""))"
            + (position.isEmpty ? "" : " at \(position)")
            + "; cdc stops rather than change the value: fix the row, or set CDC_ON_UNDECODABLE=base64 to write such values as base64"
    }
}

private extension String {
    func leftPadded(to width: Int) -> String { String(repeating: "0", count: max(0, width - count)) + self }
}
