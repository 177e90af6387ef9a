import Logging

/// An Elasticsearch client over libcurl's multi interface: every request runs on the client's one thread
/// (`CurlMultiLoop`), never on Swift's cooperative pool, over at most `maxConnections` reused keep-alive
/// connections. Safe to share between tasks.
public final class ElasticsearchClient: Sendable {
    public let configuration: ElasticsearchConfiguration
    private let baseURL: String
    private let logger: Logger
    private let loop: CurlMultiLoop

    /// Creates the client; nothing connects until the first request.
    public init(configuration: ElasticsearchConfiguration = ElasticsearchConfiguration(), logger: Logger) {
        self.configuration = configuration
        var base = configuration.url
        while base.hasSuffix("/") { base.removeLast() }
        self.baseURL = base
        self.logger = logger
        loop = CurlMultiLoop(maxConnections: configuration.maxConnections)
    }

    /// Sends one request (`path` already percent-encoded, query string included) and returns the answer whatever
    /// its HTTP status; throws `.unreachable` when no answer came, `.invalidResponse` above `maxResponseBytes`.
    public func request(
        _ method: String, _ path: String, body: [UInt8]?, contentType: String = "application/json"
    ) async throws -> ElasticsearchResponse {
        let path = path.hasPrefix("/") ? path : "/" + path
        var headers = ["Expect:"]  // no 100-continue round trip before large bodies
        if body != nil { headers.append("Content-Type: \(contentType)") }
        if let apiKey = configuration.apiKey { headers.append("Authorization: ApiKey \(apiKey)") }
        let request = CurlRequest(
            method: method, url: baseURL + path, label: "\(method) \(path)", headers: headers, body: body,
            username: configuration.username, password: configuration.password, caFile: configuration.caFile,
            connectTimeout: configuration.connectTimeout, timeout: configuration.requestTimeout,
            maxResponseBytes: configuration.maxResponseBytes)
        let started = ContinuousClock.now
        let response: ElasticsearchResponse = try await withCheckedThrowingContinuation { continuation in
            do throws(ElasticsearchError) {
                loop.start(try CurlTransfer(request) { continuation.resume(with: $0) })
            } catch {
                continuation.resume(throwing: error)
            }
        }
        logger.debug("Elasticsearch request", metadata: [
            "request": "\(method) \(path)", "status": "\(response.status)",
            "bytes_sent": "\(body?.count ?? 0)", "bytes_received": "\(response.body.count)",
            "elapsed": "\(ContinuousClock.now - started)",
        ])
        return response
    }

    /// Writes the operations with one `_bulk` request and returns the per-item results in order; a 200 with
    /// `"errors": true` is not thrown. `refresh` makes the writes searchable before returning. A transport
    /// error or a non-2xx answer for the whole request throws: retry the whole batch (the writes are idempotent).
    public func bulk(_ operations: [BulkOperation], refresh: Bool = false) async throws -> BulkResponse {
        guard !operations.isEmpty else { return BulkResponse(items: [], tookMillis: 0) }
        let response = try await request(
            "POST", refresh ? "/_bulk?refresh=true" : "/_bulk",
            body: BulkOperation.ndjson(operations), contentType: "application/x-ndjson"
        ).requireSuccess()
        return try BulkResponse.parse(response.body, expectedCount: operations.count)
    }

    /// Runs a search (`POST /<index>/_search`; `index` may be a pattern or comma list) and returns the raw
    /// JSON answer; a missing index throws `.http(status: 404, ...)`.
    public func search(index: String, body: [UInt8]) async throws -> [UInt8] {
        try await request("POST", "/\(URLPath.segment(index))/_search", body: body).requireSuccess().body
    }

    /// The document's `_source` JSON as stored, or nil if the document (or its index) does not exist.
    public func get(index: String, id: String) async throws -> [UInt8]? {
        let response = try await request("GET", "/\(URLPath.segment(index))/_source/\(URLPath.segment(id))", body: nil)
        if response.status == 404 { return nil }
        return try response.requireSuccess().body
    }

    /// Creates or replaces a composable index template (`PUT /_index_template/<name>`).
    public func putIndexTemplate(name: String, body: [UInt8]) async throws {
        _ = try await request("PUT", "/_index_template/\(URLPath.segment(name))", body: body).requireSuccess()
    }

    /// Makes recent writes to `index` searchable now (`POST /<index>/_refresh`).
    public func refresh(index: String) async throws {
        _ = try await request("POST", "/\(URLPath.segment(index))/_refresh", body: nil).requireSuccess()
    }

    /// Checks that the cluster answers `GET /` with a 2xx status.
    public func ping() async throws {
        _ = try await request("GET", "/", body: nil).requireSuccess()
    }
}
