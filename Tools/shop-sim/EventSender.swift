import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// Sends a delivery plan to log-ingest's `POST /v1/events` with a bounded number of requests in flight,
/// retrying what the retry policy allows and failing on anything else.
struct EventSender: Sendable {
    let endpoint: URL
    let concurrency: Int
    let retryPolicy: RetryPolicy
    let progress: ProgressDisplay
    private let session: URLSession

    /// log-ingest's write key, sent as `Authorization: Bearer <key>`; nil sends none.
    let writeKey: String?
    /// At most this many events per second (requests wait for their turn); nil: as fast as `concurrency` allows.
    var rate: Int?

    /// - Parameter ingestURL: log-ingest's base URL, such as `http://127.0.0.1:8180`.
    init(ingestURL: URL, writeKey: String?, concurrency: Int, retryPolicy: RetryPolicy, progress: ProgressDisplay) {
        endpoint = ingestURL.appendingPathComponent("v1").appendingPathComponent("events")
        self.writeKey = writeKey
        self.concurrency = concurrency
        self.retryPolicy = retryPolicy
        self.progress = progress
        let configuration = URLSessionConfiguration.ephemeral
        configuration.httpMaximumConnectionsPerHost = concurrency
        configuration.timeoutIntervalForRequest = 30
        configuration.requestCachePolicy = .reloadIgnoringLocalCacheData
        session = URLSession(configuration: configuration)
    }

    /// Sends every request of `plan`, `concurrency` at a time; throws the first failure after cancelling the rest.
    func send(_ plan: DeliveryPlan) async throws {
        let started = ContinuousClock.now
        var scheduled = 0  // events of the requests started so far
        try await withThrowingTaskGroup(of: Void.self) { group in
            var pending = plan.requests.makeIterator()
            /// Starts the next request, once its turn has come under `rate`.
            func startNext() async throws -> Bool {
                guard let request = pending.next() else { return false }
                if let rate { try await Task.sleep(until: started + .seconds(Double(scheduled) / Double(rate))) }
                scheduled += request.events.count
                group.addTask { try await self.deliver(request) }
                return true
            }
            for _ in 0..<concurrency {
                guard try await startNext() else { break }
            }
            while try await group.next() != nil {
                _ = try await startNext()
            }
        }
    }

    /// Sends one request until log-ingest accepts it, waiting between attempts as the policy says.
    private func deliver(_ planned: DeliveryPlan.Request) async throws {
        let body = planned.body
        var request = URLRequest(url: endpoint)
        request.httpMethod = "POST"
        request.setValue(body.contentType, forHTTPHeaderField: "Content-Type")
        if let writeKey { request.setValue("Bearer \(writeKey)", forHTTPHeaderField: "Authorization") }
        if let encoding = body.contentEncoding { request.setValue(encoding, forHTTPHeaderField: "Content-Encoding") }
        request.httpBody = Data(try body.bytes())

        let started = ContinuousClock.now
        var attempt = 0
        while true {
            attempt += 1
            try Task.checkCancellation()
            let reason: String
            var retryAfter: String?
            do {
                let (data, response) = try await session.data(for: request)
                guard let http = response as? HTTPURLResponse else {
                    throw ShopSimError(description: "request \(planned.number): the answer is not HTTP")
                }
                if (200..<300).contains(http.statusCode) {
                    try check(acceptedIn: data, of: planned)
                    progress.batchDone(items: planned.events.count)
                    return
                }
                guard RetryPolicy.retryableStatuses.contains(http.statusCode) else {
                    throw ShopSimError(description: refusal(status: http.statusCode, body: data, of: planned))
                }
                reason = "HTTP \(http.statusCode)"
                retryAfter = http.value(forHTTPHeaderField: "Retry-After")
            } catch let error as URLError where error.code != .cancelled {
                reason = "\(error.code) (\(error.localizedDescription))"
            }
            if ContinuousClock.now - started > retryPolicy.giveUpAfter {
                throw ShopSimError(description: "request \(planned.number) to \(endpoint) still failing after "
                    + "\(retryPolicy.giveUpAfter) and \(attempt) attempts; last: \(reason)")
            }
            progress.retried()
            try await Task.sleep(for: retryPolicy.delay(afterAttempt: attempt, retryAfter: retryAfter))
        }
    }

    /// A 2xx answer must account for every event of the request: `{"accepted": n}`.
    private func check(acceptedIn data: Data, of planned: DeliveryPlan.Request) throws {
        struct Accepted: Decodable { var accepted: Int }
        guard let answer = try? JSONDecoder().decode(Accepted.self, from: data) else {
            throw ShopSimError(description: "request \(planned.number): log-ingest answered 2xx without {\"accepted\": n}: "
                + Self.excerpt(data))
        }
        guard answer.accepted == planned.events.count else {
            throw ShopSimError(description: "request \(planned.number): log-ingest accepted \(answer.accepted) of "
                + "\(planned.events.count) events")
        }
    }

    private func refusal(status: Int, body: Data, of planned: DeliveryPlan.Request) -> String {
        let what: String
        switch status {
        case 400: what = "refused the events as invalid"
        case 401: what = "refused the write key (set INGEST_WRITE_KEY)"
        case 413: what = "found the body too large (lower --batch-size)"
        case 415: what = "refused the content type or encoding"
        default: what = "answered an unexpected status"
        }
        return "request \(planned.number) (\(planned.events.count) events, \(planned.format.contentType)"
            + (planned.gzip ? ", gzip" : "") + "): log-ingest \(what): HTTP \(status) " + Self.excerpt(body)
            + (status == 400 || status == 415 ? " -- the simulator sends only valid events, so this is a bug" : "")
    }

    private static func excerpt(_ data: Data) -> String {
        let text = String(decoding: data.prefix(500), as: UTF8.self)
        return data.count > 500 ? text + "…" : text
    }
}
