/// Decides whether a consumer is stuck: messages are waiting (lag), no batch has been committed for
/// `timeout`, and none of the service's dependencies is known to be down (then a restart would not help:
/// readiness says so instead). Progress is a commit, or having nothing to read.
struct StallDetector {
    let timeout: Duration
    private(set) var lastProgress: ContinuousClock.Instant
    private var lastLagCheck: ContinuousClock.Instant?

    init(timeout: Duration, now: ContinuousClock.Instant) {
        self.timeout = timeout
        self.lastProgress = now
    }

    mutating func progressed(at now: ContinuousClock.Instant) { lastProgress = now }

    /// Whether to ask the brokers for the lag now: only once progress has paused for a while (so a busy
    /// consumer never asks), and then at most every 10 s.
    mutating func shouldCheckLag(at now: ContinuousClock.Instant) -> Bool {
        guard now - lastProgress >= min(timeout / 2, .seconds(30)) else { return false }
        if let last = lastLagCheck, now - last < .seconds(10) { return false }
        lastLagCheck = now
        return true
    }

    enum Verdict: Equatable {
        case fine
        /// Stuck: `waiting` messages, nothing committed for `since`.
        case stuck(waiting: Int64, since: Duration)
    }

    /// The verdict given the lag found (nil: the brokers could not say) and whether a dependency is down.
    mutating func judge(lag: Int64?, dependencyDown: Bool, at now: ContinuousClock.Instant) -> Verdict {
        guard let lag, !dependencyDown else { return .fine }
        if lag == 0 {
            lastProgress = now  // nothing to read counts as keeping up
            return .fine
        }
        let since = now - lastProgress
        return since >= timeout ? .stuck(waiting: lag, since: since) : .fine
    }
}
