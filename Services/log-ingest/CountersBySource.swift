import Metrics
import Synchronization

/// One counter per source (write key name), created on first use; the names come from the credentials
/// file, so there are as many as configured keys.
final class CountersBySource: Sendable {
    private let label: String
    private let counters = Mutex<[String: Counter]>([:])

    init(label: String) { self.label = label }

    func increment(_ source: String, by amount: Int) {
        let counter = counters.withLock { counters in
            if let counter = counters[source] { return counter }
            let counter = Counter(label: label, dimensions: [("source", source)])
            counters[source] = counter
            return counter
        }
        counter.increment(by: amount)
    }
}
