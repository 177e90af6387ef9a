/// The 19-byte header every binlog event starts with.
public struct EventHeader: Sendable, Equatable {
    /// Seconds since the epoch when the statement began on the source server.
    public var timestamp: UInt32
    /// The raw event type code (see `EventType`).
    public var typeCode: UInt8
    public var serverID: UInt32
    /// Length of the whole event, header and checksum included.
    public var eventLength: UInt32
    /// Offset of the next event in the binlog file (0 for artificial events).
    public var nextPosition: UInt32
    public var flags: UInt16

    public static let length = 19
    /// Set on events the server made up for the replication stream (the first ROTATE, for example).
    public static let artificialFlag: UInt16 = 0x20

    public var type: EventType? { EventType(rawValue: typeCode) }
    /// Offset of this event in its binlog file, as Maxwell's `position` shows it.
    public var position: UInt32 { nextPosition >= eventLength ? nextPosition - eventLength : 0 }
    public var isArtificial: Bool { flags & Self.artificialFlag != 0 }

    public init(timestamp: UInt32, typeCode: UInt8, serverID: UInt32, eventLength: UInt32, nextPosition: UInt32,
                flags: UInt16) {
        self.timestamp = timestamp
        self.typeCode = typeCode
        self.serverID = serverID
        self.eventLength = eventLength
        self.nextPosition = nextPosition
        self.flags = flags
    }

    init(reading reader: inout ByteReader) throws {
        timestamp = try reader.uint32("header timestamp")
        typeCode = try reader.uint8("header type")
        serverID = try reader.uint32("header server id")
        eventLength = try reader.uint32("header event length")
        nextPosition = try reader.uint32("header next position")
        flags = try reader.uint16("header flags")
    }
}
