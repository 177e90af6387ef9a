/// One decoded binlog event: its header and what this library understood of its body.
public struct BinlogEvent: Sendable, Equatable {
    public var header: EventHeader
    public var payload: Payload

    public enum Payload: Sendable, Equatable {
        case formatDescription(FormatDescription)
        case rotate(RotateEvent)
        case gtid(GtidEvent)
        case gtidList([Gtid])
        case xid(UInt64)
        case query(QueryEvent)
        case tableMap(TableMap)
        case rows(RowsEvent)
        case heartbeat
        /// An event with nothing this library needs (checkpoints, annotations, intvar, ...).
        case other
    }

    public init(header: EventHeader, payload: Payload) {
        self.header = header
        self.payload = payload
    }
}

/// FORMAT_DESCRIPTION: the layout of the events that follow in this binlog.
public struct FormatDescription: Sendable, Equatable {
    public var binlogVersion: UInt16
    public var serverVersion: String
    public var headerLength: UInt8
    /// Post-header length per event type code (index = type code - 1).
    public var postHeaderLengths: [UInt8]
    /// True when every following event ends with a 4-byte CRC32.
    public var checksumEnabled: Bool

    public func postHeaderLength(of type: EventType) -> Int? {
        let index = Int(type.rawValue) - 1
        return index < postHeaderLengths.count ? Int(postHeaderLengths[index]) : nil
    }
}

/// ROTATE: the stream continues in another binlog file.
public struct RotateEvent: Sendable, Equatable {
    public var position: UInt64
    public var file: String
}

/// A MariaDB global transaction id, written `domain-server-sequence`.
public struct Gtid: Sendable, Hashable, CustomStringConvertible {
    public var domain: UInt32
    public var serverID: UInt32
    public var sequence: UInt64

    public init(domain: UInt32, serverID: UInt32, sequence: UInt64) {
        self.domain = domain
        self.serverID = serverID
        self.sequence = sequence
    }

    /// Parses `domain-server-sequence`; nil when the text is not one.
    public init?(_ text: some StringProtocol) {
        let parts = text.split(separator: "-", omittingEmptySubsequences: false)
        guard parts.count == 3, let domain = UInt32(parts[0]), let server = UInt32(parts[1]),
              let sequence = UInt64(parts[2]) else { return nil }
        self.init(domain: domain, serverID: server, sequence: sequence)
    }

    public var description: String { "\(domain)-\(serverID)-\(sequence)" }
}

/// MariaDB's GTID event: it opens an event group, in place of a BEGIN query.
public struct GtidEvent: Sendable, Equatable {
    public var gtid: Gtid
    public var flags: UInt8
    /// Set when the group is a single statement with no COMMIT or XID after it (DDL, for example).
    public var isStandalone: Bool { flags & 0x01 != 0 }

    public static let standaloneFlag: UInt8 = 0x01
    public static let groupCommitFlag: UInt8 = 0x02
}

/// QUERY: a statement as text (BEGIN, COMMIT, DDL, statements on non-transactional tables).
public struct QueryEvent: Sendable, Equatable {
    public var threadID: UInt32
    public var database: String
    public var errorCode: UInt16
    public var sql: String
}
