import Synchronization

/// What `/healthz` reports: alive unless a component says it is stuck, such as a consumer with messages
/// waiting that has made no progress for too long while none of its dependencies is known to be down.
/// Failing liveness asks Kubernetes to restart the process: only for what a restart can cure.
public final class Liveness: Sendable {
    private let stuck = Mutex<[String: String]>([:])

    public init() {}

    public func markStuck(_ component: String, reason: String) { stuck.withLock { $0[component] = reason } }
    public func markProgressing(_ component: String) { _ = stuck.withLock { $0.removeValue(forKey: component) } }

    /// The stuck components and why, sorted by component; empty when alive.
    public var stuckComponents: [(component: String, reason: String)] {
        stuck.withLock { $0.sorted { $0.key < $1.key }.map { ($0.key, $0.value) } }
    }
}
