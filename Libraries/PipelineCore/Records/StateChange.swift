/// A change to processing state in Redis, applied atomically together with the batch's offsets.
public enum StateChange: Sendable, Equatable {
    /// Sets hash `key` field `field` to `value` unless it already holds a smaller number; the key
    /// then expires after `ttlSeconds` (0: never). Idempotent and order-independent, so replays are harmless.
    case hashMinimum(key: String, field: String, value: Int64, ttlSeconds: Int)
    /// Sets hash `key` field `field` to `value` (state the committing consumer owns alone).
    case hashSet(key: String, field: String, value: String)
    /// Removes field `field` of hash `key`.
    case hashDelete(key: String, field: String)
    /// Sets hash `key` field `field` to `value` unless the stored value is newer: both start with a
    /// 20-digit version (see `VersionedValue`), and the stored one wins only if its version is higher.
    /// Equal versions overwrite, so a replay of the same change is harmless.
    case hashSetIfNotOlder(key: String, field: String, value: String)
}

/// The offsets a batch moves one partition from and to.
public struct PartitionProgress: Sendable, Equatable {
    public var topic: String
    public var partition: Int32
    /// Offset of the batch's first message of this partition.
    public var firstOffset: Int64
    /// Offset to resume at: the batch's last offset of this partition plus one.
    public var nextOffset: Int64

    public init(topic: String, partition: Int32, firstOffset: Int64, nextOffset: Int64) {
        self.topic = topic
        self.partition = partition
        self.firstOffset = firstOffset
        self.nextOffset = nextOffset
    }
}
