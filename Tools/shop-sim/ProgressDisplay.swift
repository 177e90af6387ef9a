import Foundation
import Synchronization

/// Progress of a run on stderr: redrawn in place at most four times a second on a terminal, one line
/// every two seconds otherwise; a summary line at the end.
final class ProgressDisplay: Sendable {
    private struct State {
        var events = 0
        var requests = 0
        var retries = 0
        var lastLength = 0
    }

    private let totalEvents: Int
    private let totalRequests: Int
    private let interactive: Bool
    private let started = ContinuousClock.now
    private let state = Mutex(State())

    init(totalEvents: Int, totalRequests: Int, interactive: Bool = isatty(STDERR_FILENO) == 1) {
        self.totalEvents = totalEvents
        self.totalRequests = totalRequests
        self.interactive = interactive
    }

    /// Counts a request that log-ingest accepted.
    func requestDone(events: Int) {
        state.withLock {
            $0.events += events
            $0.requests += 1
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

    /// Replaces the progress line with the summary: events, requests, seconds and events per second.
    func finish(completed: Bool) {
        let seconds = elapsedSeconds
        let line = state.withLock { state in
            (completed ? "" : "stopped: \(state.events) of \(totalEvents) events accepted; ")
                + "sent \(state.events) events in \(state.requests) requests (\(state.retries) retried) in "
                + Self.format(seconds, digits: 2) + " s: " + Self.format(Double(state.events) / max(seconds, 0.001), digits: 0)
                + " events/s"
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
            let percent = totalEvents == 0 ? 100 : state.events * 100 / totalEvents
            return "events \(state.events)/\(totalEvents) (\(percent)%)  requests \(state.requests)/\(totalRequests)"
                + "  retries \(state.retries)  " + Self.format(Double(state.events) / max(seconds, 0.001), digits: 0)
                + " events/s"
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
