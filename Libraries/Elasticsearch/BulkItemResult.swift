/// Elasticsearch's answer for one operation of a `_bulk` request.
public struct BulkItemResult: Sendable, Equatable {
    public var index: String
    public var id: String
    /// The item's own HTTP status (201 created, 200 updated, 409 conflict, 400 mapping error, 429, ...).
    public var status: Int
    /// The error's `type`, e.g. `version_conflict_engine_exception`, `document_parsing_exception`.
    public var errorType: String?
    public var errorReason: String?

    public init(index: String, id: String, status: Int, errorType: String? = nil, errorReason: String? = nil) {
        self.index = index
        self.id = id
        self.status = status
        self.errorType = errorType
        self.errorReason = errorReason
    }

    /// Classifies the result: 2xx written; 409 version conflict stale; 408, 429, 5xx and
    /// `es_rejected_execution_exception` retryable; other 4xx rejected; anything else retryable.
    public var outcome: BulkItemOutcome {
        if (200..<300).contains(status) { return .written }
        if status == 409, errorType?.contains("version_conflict") ?? false { return .staleVersion }
        let reason = [errorType, errorReason].compactMap { $0 }.joined(separator: ": ")
        let described = reason.isEmpty ? "HTTP \(status)" : "HTTP \(status) \(reason)"
        if status == 408 || status == 429 || status >= 500 || errorType == "es_rejected_execution_exception" {
            return .retryable(reason: described)
        }
        if (400..<500).contains(status) { return .rejected(reason: described) }
        return .retryable(reason: described)
    }
}
