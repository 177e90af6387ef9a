import Foundation
import Synchronization

/// Progress of a run on stderr: items sent in batches (events in requests to log-ingest, statements in
/// transactions to the shop database), redrawn in place at most four times a second on a terminal, one
/// line every two seconds otherwise; a summary line at the end.
final class ProgressDisplay: Sendable {
    /// What is counted, in the display's words.
    struct Units: Sendable {
        var items: String
        var batches: String
        /// What happened to a finished batch ("accepted").
        var done: String
        /// What the run did, in the summary ("sent").
        var verb: String
        /// Whether batches can be retried (shown with the count of retries).
        var retries: Bool

        static let events = Units(items: "events", batches: "requests", done: "accepted", verb: "sent", retries: true)
        static let statements = Units(items: "statements", batches: "transactions", done: "committed",
                                      verb: "committed", retries: false)
    }

    private struct State {
        var items = 0
        var batches = 0
        var retries = 0
    }

    private let units: Units
    private let totalItems: Int
    private let totalBatches: Int
    private let interactive: Bool
    private let started = ContinuousClock.now
    private let state = Mutex(State())

    init(units: Units = .events, totalItems: Int, totalBatches: Int, interactive: Bool = isatty(STDERR_FILENO) == 1) {
        self.units = units
        self.totalItems = totalItems
        self.totalBatches = totalBatches
        self.interactive = interactive
    }

    /// Counts a finished batch (a request log-ingest accepted, a committed transaction) of `items` items.
    func batchDone(items: Int) {
        state.withLock {
            $0.items += items
            $0.batches += 1
        }
    }

    /// Counts a request that will be sent again.
    func retried() {
        state.withLock { $0.retries += 1 }
    }

    /// Draws the progress until the task is cancelled.
    func run() async {
        let interval: Duration = interactive ? .milliseconds(250) : .seconds(2)
        while !Task.isCancelled {
            try? await Task.sleep(for: interval)
            if Task.isCancelled { break }
            draw()
        }
    }

    /// Replaces the progress line with the summary: items, batches, seconds and items per second.
    func finish(completed: Bool) {
        let seconds = elapsedSeconds
        let line = state.withLock { state in
            (completed ? "" : "stopped: \(state.items) of \(totalItems) \(units.items) \(units.done); ")
                + "\(units.verb) \(state.items) \(units.items) in \(state.batches) \(units.batches)"
                + (units.retries ? " (\(state.retries) retried)" : "") + " in "
                + Self.format(seconds, digits: 2) + " s: " + Self.format(Double(state.items) / max(seconds, 0.001), digits: 0)
                + " \(units.items)/s"
        }
        write(interactive ? "\r\u{1B}[2K" + line + "\n" : line + "\n")
    }

    private var elapsedSeconds: Double {
        let elapsed = ContinuousClock.now - started
        return Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
    }

    private func draw() {
        let seconds = elapsedSeconds
        let line = state.withLock { state in
            let percent = totalItems == 0 ? 100 : state.items * 100 / totalItems
            return "\(units.items) \(state.items)/\(totalItems) (\(percent)%)  \(units.batches) \(state.batches)/\(totalBatches)"
                + (units.retries ? "  retries \(state.retries)" : "") + "  "
                + Self.format(Double(state.items) / max(seconds, 0.001), digits: 0) + " \(units.items)/s"
        }
        write(interactive ? "\r\u{1B}[2K" + line : line + "\n")
    }

    private func write(_ text: String) {
        FileHandle.standardError.write(Data(text.utf8))
    }

    static func format(_ value: Double, digits: Int) -> String {
        String(format: "%.\(digits)f", value)
    }
}
