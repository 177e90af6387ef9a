/// One record ready for Kafka: Maxwell's JSON as the value, its `hash` key, and the string Maxwell's
/// partitioner hashes (`MaxwellPartitioner.partition(forKey:partitions:)` turns it into a partition).
public struct ChangeMessage: Sendable, Equatable {
    public var key: String
    public var value: String
    public var partitionKey: String

    public init(key: String, value: String, partitionKey: String) {
        self.key = key
        self.value = value
        self.partitionKey = partitionKey
    }

    public init(_ record: MaxwellRecord, partitioner: MaxwellPartitioner) {
        self.init(key: record.keyJSON(), value: record.json(), partitionKey: partitioner.partitionKey(for: record))
    }
}

/// Where change messages go (Kafka in the service).
public protocol ChangeSink: Sendable {
    /// Sends `messages` in order and returns once every one is acknowledged; throws if any is not.
    func deliver(_ messages: [ChangeMessage]) async throws
}

/// Where the delivered position is kept (Redis in the service).
public protocol PositionStore: Sendable {
    /// The last stored position, nil when there is none.
    func load() async throws -> ReplicationPosition?
    /// Stores `position`; called only after every record before it was acknowledged.
    func save(_ position: ReplicationPosition) async throws
}
