/// Exponential backoff between retries of an unavailable dependency: 100 ms doubling up to `maximum`.
public struct Backoff: Sendable {
    public let initial: Duration
    public let maximum: Duration
    private(set) var next: Duration

    public init(initial: Duration = .milliseconds(100), maximum: Duration = .seconds(10)) {
        self.initial = initial
        self.maximum = maximum
        self.next = initial
    }

    /// Sleeps for the current delay and doubles it; throws CancellationError when the task is cancelled.
    public mutating func wait() async throws {
        try await Task.sleep(for: next)
        next = min(next * 2, maximum)
    }

    /// The delay before the next retry, without sleeping (for blocking callers).
    public mutating func nextDelay() -> Duration {
        defer { next = min(next * 2, maximum) }
        return next
    }

    public mutating func reset() { next = initial }
}
