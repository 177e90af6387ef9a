import Synchronization

/// What `/readyz` reports: ready when no dependency is marked as waited for. Services mark a
/// dependency (Kafka, Redis, Elasticsearch) while they cannot reach it and clear it once they can.
public final class Readiness: Sendable {
    private let waitingFor = Mutex<Set<String>>([])

    /// Starts with `initiallyWaitingFor` marked, so a service is not ready before it has checked them.
    public init(initiallyWaitingFor: Set<String> = []) {
        waitingFor.withLock { $0 = initiallyWaitingFor }
    }

    public func markUnavailable(_ dependency: String) { _ = waitingFor.withLock { $0.insert(dependency) } }
    public func markAvailable(_ dependency: String) { _ = waitingFor.withLock { $0.remove(dependency) } }

    /// The dependencies being waited for, sorted; empty when ready.
    public var unavailable: [String] { waitingFor.withLock { $0.sorted() } }
}
