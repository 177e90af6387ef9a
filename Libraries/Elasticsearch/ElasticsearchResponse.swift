/// An HTTP answer from Elasticsearch, whatever its status.
public struct ElasticsearchResponse: Sendable, Equatable {
    public var status: Int
    public var body: [UInt8]

    public init(status: Int, body: [UInt8]) {
        self.status = status
        self.body = body
    }

    /// True for a 2xx status.
    public var isSuccess: Bool { (200..<300).contains(status) }

    /// Returns the response if its status is 2xx, else throws `ElasticsearchError.http` with the body cut to 2 KB.
    public func requireSuccess() throws(ElasticsearchError) -> ElasticsearchResponse {
        guard isSuccess else { throw .http(status: status, body: Self.excerpt(body)) }
        return self
    }

    /// The first 2 KB of `body` as text, marked when cut.
    static func excerpt(_ body: [UInt8], limit: Int = 2048) -> String {
        let text = String(decoding: body.prefix(limit), as: UTF8.self)
        return body.count > limit ? text + "… (\(body.count) bytes)" : text
    }
}
