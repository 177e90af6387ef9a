import Dispatch
import Synchronization

/// A dedicated thread that runs `body` again and again until `stop()` or until `body` returns false;
/// `body` should block only briefly (e.g. `rd_kafka_poll` for 100 ms) so that stopping is quick.
final class PollingThread: Sendable {
    private let isStopRequested = Atomic<Bool>(false)
    private let finished = DispatchSemaphore(value: 0)

    init(label: String, body: @escaping @Sendable () -> Bool) {
        DispatchQueue(label: label).async { [self] in
            while !isStopRequested.load(ordering: .acquiring), body() {}
            finished.signal()
        }
    }

    /// Asks the loop to end and waits until it has; idempotent (later callers do not wait).
    func stop() {
        guard !isStopRequested.exchange(true, ordering: .acquiringAndReleasing) else { return }
        finished.wait()
    }
}
