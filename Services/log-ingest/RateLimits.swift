import Common
import Hummingbird
import Metrics

/// The per-write-key and per-client-address limits of ingest: token buckets charged one token per event.
struct RateLimits: Sendable {
    let byKey: TokenBuckets?
    let byClient: TokenBuckets?
    private let refusals: [String: Counter]

    init(settings: IngestSettings) {
        byKey = settings.keyRate > 0 ? TokenBuckets(rate: Double(settings.keyRate), burst: 2 * Double(settings.keyRate)) : nil
        byClient = settings.clientRate > 0 ? TokenBuckets(rate: Double(settings.clientRate), burst: 2 * Double(settings.clientRate)) : nil
        refusals = ["key": Counter(label: "ingest_rate_limited_total", dimensions: [("limit", "key")]),
                    "client": Counter(label: "ingest_rate_limited_total", dimensions: [("limit", "client")])]
        // The limits in force, for dashboards (0: off).
        Gauge(label: "ingest_rate_limit_events_per_second", dimensions: [("limit", "key")]).record(settings.keyRate)
        Gauge(label: "ingest_rate_limit_events_per_second", dimensions: [("limit", "client")]).record(settings.clientRate)
    }

    /// nil when `events` more events fit both limits (and are taken), else the `429` to answer.
    func admit(_ events: Int, source: String, client: String) -> Response? {
        if let byClient, let wait = byClient.take(events, for: client) {
            return refuse("client", "this client address (\(client)) sends more than INGEST_CLIENT_RATE events per second", wait)
        }
        if let byKey, let wait = byKey.take(events, for: source) {
            byClient?.refund(events, for: client)
            return refuse("key", "write key \(source) sends more than INGEST_KEY_RATE events per second", wait)
        }
        return nil
    }

    private func refuse(_ limit: String, _ message: String, _ wait: Duration) -> Response {
        refusals[limit]?.increment()
        let seconds = max(1, Int((Double(wait.components.seconds) + Double(wait.components.attoseconds) / 1e18).rounded(.up)))
        return JSONResponse.error(.tooManyRequests, code: "rate_limited", message: message + "; retry after \(seconds) s",
                                  details: ["limit": .string(limit)], headers: [.retryAfter: String(seconds)])
    }
}
