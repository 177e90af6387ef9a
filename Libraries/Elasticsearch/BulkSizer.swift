import Synchronization

/// How many documents go into one `_bulk` request: all of a batch while Elasticsearch keeps up; after a
/// request fails (a timeout, most often: a request that outlasts `ELASTICSEARCH_TIMEOUT` would fail again
/// the same way on every retry) half as many for the retries, down to `minimum`; doubled again after each
/// success. The writes are idempotent, so a batch written in parts and retried is written once.
public final class BulkSizer: Sendable {
    public let maximum: Int
    public let minimum: Int
    private let current: Mutex<Int>

    public init(maximum: Int, minimum: Int = 25) {
        self.maximum = max(1, maximum)
        self.minimum = max(1, min(minimum, maximum))
        current = Mutex(self.maximum)
    }

    /// Documents per request now.
    public var size: Int { current.withLock { $0 } }

    public func failed() { current.withLock { $0 = max(minimum, $0 / 2) } }
    public func succeeded() { current.withLock { $0 = min(maximum, $0 * 2) } }
}

extension Array {
    /// Consecutive slices of at most `size` (at least 1) elements, in order.
    public func chunked(by size: Int) -> [ArraySlice<Element>] {
        let size = Swift.max(1, size)
        return stride(from: 0, to: count, by: size).map { self[$0..<Swift.min($0 + size, count)] }
    }
}
