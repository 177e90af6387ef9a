/// Why an Elasticsearch call failed.
public enum ElasticsearchError: Error, Sendable, Equatable, CustomStringConvertible {
    /// No HTTP answer: connection refused, DNS failure, timeout, connection reset (curl's message included).
    case unreachable(String)
    /// An HTTP answer with a status the call did not expect; `body` is cut to about 2 KB.
    case http(status: Int, body: String)
    /// An answer that could not be used: malformed JSON, wrong item count, larger than `maxResponseBytes`.
    case invalidResponse(String)

    public var description: String {
        switch self {
        case .unreachable(let message): return "Elasticsearch unreachable: \(message)"
        case .http(let status, let body): return "Elasticsearch answered HTTP \(status): \(body)"
        case .invalidResponse(let message): return "invalid Elasticsearch response: \(message)"
        }
    }
}
