/// Why a query cannot be answered as asked: the HTTP status, a stable code, a message and the parameter.
public struct QueryError: Error, Equatable, Sendable {
    public var status: Int
    public var code: String
    public var message: String
    public var parameter: String?

    public init(status: Int = 400, code: String, message: String, parameter: String? = nil) {
        self.status = status
        self.code = code
        self.message = message
        self.parameter = parameter
    }

    public static func notFound(_ message: String) -> QueryError { QueryError(status: 404, code: "not_found", message: message) }
}

/// A request's query parameters, read strictly: a parameter given empty (`gender=`) is unset, a value that is
/// not allowed is a `QueryError` naming the parameter.
public struct QueryParameters: Sendable {
    private let values: [String: String]

    public init(_ values: [String: String]) {
        self.values = values.filter { !$0.value.isEmpty }
    }

    /// The business day `name` (required unless `default` is given).
    public func date(_ name: String = "date") throws(QueryError) -> BusinessDate {
        guard let text = values[name] else {
            throw QueryError(code: "missing_parameter", message: "\(name)=YYYY-MM-DD is required", parameter: name)
        }
        guard let date = BusinessDate(text) else {
            throw QueryError(code: "invalid_parameter", message: "\(name) must be a real day written YYYY-MM-DD, got '\(text)'",
                             parameter: name)
        }
        return date
    }

    /// One of `choices`, or `fallback` when unset.
    public func choice(_ name: String, _ choices: [String], default fallback: String?) throws(QueryError) -> String? {
        guard let text = values[name] else { return fallback }
        guard choices.contains(text) else {
            throw QueryError(code: "invalid_parameter",
                             message: "\(name) must be one of \(choices.joined(separator: ", ")), got '\(text)'", parameter: name)
        }
        return text
    }

    /// An integer in `range`, or `fallback` when unset.
    public func integer(_ name: String, in range: ClosedRange<Int64>, default fallback: Int64?) throws(QueryError) -> Int64? {
        guard let text = values[name] else { return fallback }
        guard let value = Int64(text), range.contains(value) else {
            throw QueryError(code: "invalid_parameter",
                             message: "\(name) must be an integer from \(range.lowerBound) to \(range.upperBound), got '\(text)'",
                             parameter: name)
        }
        return value
    }

    /// Free text, nil when unset; at most `maxLength` characters.
    public func text(_ name: String, maxLength: Int = 200) throws(QueryError) -> String? {
        guard let text = values[name] else { return nil }
        guard text.count <= maxLength else {
            throw QueryError(code: "invalid_parameter", message: "\(name) must be at most \(maxLength) characters", parameter: name)
        }
        return text
    }
}
