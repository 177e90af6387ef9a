import Synchronization

/// Bounds the searches query-api has in flight: beyond `limit` a request is refused at once (503) instead
/// of queueing behind the others while a dashboard polls.
final class SearchGate: Sendable {
    let limit: Int
    private let inFlight = Atomic<Int>(0)

    init(limit: Int) {
        self.limit = limit
    }

    /// Runs `body` if a slot is free; throws `Busy` otherwise.
    func run<T: Sendable>(_ body: () async throws -> T) async throws -> T {
        let (taken, _) = inFlight.add(1, ordering: .acquiringAndReleasing)
        defer { inFlight.subtract(1, ordering: .acquiringAndReleasing) }
        guard taken <= limit else { throw Busy() }
        return try await body()
    }

    struct Busy: Error {}
}
