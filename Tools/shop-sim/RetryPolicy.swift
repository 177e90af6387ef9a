import Foundation

/// When and how long to wait before sending a request again: after connection errors, 429 and 503,
/// honouring `Retry-After`, with capped exponential backoff, giving up after `giveUpAfter`.
struct RetryPolicy: Sendable {
    /// Wait after the first failure; doubles after each further one. Default 100 ms.
    var initialBackoff: Duration = .milliseconds(100)
    /// Longest wait between two attempts, also the cap on `Retry-After`. Default 5 s.
    var maximumBackoff: Duration = .seconds(5)
    /// How long one request may keep failing before the run fails. Default 120 s.
    var giveUpAfter: Duration = .seconds(120)

    /// HTTP statuses that mean "later": the service is busy or Kafka is unavailable.
    static let retryableStatuses: Set<Int> = [429, 503]

    /// The wait before attempt `attempt + 1` (attempt counts from 1), given the server's `Retry-After`.
    func delay(afterAttempt attempt: Int, retryAfter: String?) -> Duration {
        if let retryAfter, let seconds = Int(retryAfter.trimmingCharacters(in: .whitespaces)), seconds >= 0 {
            return min(.seconds(seconds), maximumBackoff)
        }
        var delay = initialBackoff
        for _ in 1..<max(1, attempt) where delay < maximumBackoff { delay *= 2 }
        return min(delay, maximumBackoff)
    }
}
