/// What one `_bulk` item's result means for the writer.
public enum BulkItemOutcome: Sendable, Equatable {
    /// Stored (created or updated).
    case written
    /// Refused with a 409 version conflict: under external versioning an equal or newer version is already
    /// stored; for a `create`, the (immutable) document is. Either way this write counts as done.
    case staleVersion
    /// Refused for its content (mapping conflict, malformed document, ...): retrying cannot help; dead-letter it.
    case rejected(reason: String)
    /// Failed for a passing reason (429, 5xx, `es_rejected_execution_exception`): retry it later.
    case retryable(reason: String)
}
