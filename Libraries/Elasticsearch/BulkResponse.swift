import Foundation

/// Elasticsearch's answer to a `_bulk` request: one result per operation, in the order sent.
public struct BulkResponse: Sendable, Equatable {
    public var items: [BulkItemResult]
    /// The server-side time Elasticsearch reports (`took`), in milliseconds.
    public var tookMillis: Int

    public init(items: [BulkItemResult], tookMillis: Int) {
        self.items = items
        self.tookMillis = tookMillis
    }

    /// Parses a `_bulk` answer body. Pure. Throws `.invalidResponse` on malformed JSON or when the number
    /// of items differs from `expectedCount`, the number of operations sent.
    public static func parse(_ body: [UInt8], expectedCount: Int) throws(ElasticsearchError) -> BulkResponse {
        let wire: Wire
        do {
            wire = try JSONDecoder().decode(Wire.self, from: Data(body))
        } catch {
            throw .invalidResponse("cannot parse the _bulk answer (\(error)): \(ElasticsearchResponse.excerpt(body, limit: 256))")
        }
        guard wire.items.count == expectedCount else {
            throw .invalidResponse("the _bulk answer has \(wire.items.count) items for \(expectedCount) operations")
        }
        var items: [BulkItemResult] = []
        items.reserveCapacity(wire.items.count)
        for (position, item) in wire.items.enumerated() {
            guard item.count == 1, let result = item.values.first else {
                throw .invalidResponse("_bulk item \(position) has \(item.count) actions instead of one")
            }
            items.append(BulkItemResult(
                index: result.index ?? "", id: result.id ?? "", status: result.status,
                errorType: result.error?.type, errorReason: result.error?.reason))
        }
        return BulkResponse(items: items, tookMillis: wire.took ?? 0)
    }

    private struct Wire: Decodable {
        var took: Int?
        /// Each item is `{"<action>": {...}}`, the action being index, create, update or delete.
        var items: [[String: Item]]
    }

    private struct Item: Decodable {
        var index: String?
        var id: String?
        var status: Int
        var error: ItemError?

        enum CodingKeys: String, CodingKey {
            case index = "_index", id = "_id", status, error
        }
    }

    private struct ItemError: Decodable {
        var type: String?
        var reason: String?
    }
}
