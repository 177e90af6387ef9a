import Common
import Elasticsearch
import Foundation
import Hummingbird
import Logging
import Metrics
import PipelineCore

/// The `/v1` routes of query-api: each reads its parameters strictly, asks `BusinessAnswers`, and answers
/// with a `Codable` value; every failure is mapped in one place (`answer`).
struct QueryRoutes: Sendable {
    let answers: BusinessAnswers
    let logger: Logger

    func add(to router: Router<ServiceRequestContext>) {
        router.get("/v1/dau") { request, _ in await answer("dau", request) { p in try await answers.dau(try p.date()) } }
        router.get("/v1/orders/summary") { request, _ in await answer("orders_summary", request) { p in try await answers.summary(try p.date()) } }
        router.get("/v1/orders/by-province") { request, _ in await answer("orders_by_province", request) { p in try await answers.provinces(try p.date()) } }
        router.get("/v1/orders/by-category") { request, _ in
            await answer("orders_by_category", request) { p in
                let level = try p.choice("level", ["1", "2", "3"], default: "1").flatMap { Int($0) } ?? 1
                return try await answers.categories(try p.date(), level: level)
            }
        }
        router.get("/v1/products/top") { request, _ in
            await answer("products_top", request) { p in
                let date = try p.date()
                let by = try p.choice("by", ["amount", "quantity"], default: "amount") ?? "amount"
                let limit = try p.integer("limit", in: 1...100, default: 10) ?? 10
                return try await answers.products(date, by: by, limit: Int(limit))
            }
        }
        router.get("/v1/orders/search") { request, _ in await answer("orders_search", request) { p in try await answers.search(try LineSearch(p)) } }
        router.get("/v1/orders/{order_id}") { request, context in
            await answer("order", request) { _ in
                guard let text = context.parameters.get("order_id"), let id = Int64(text), id > 0 else {
                    throw QueryError(code: "invalid_parameter", message: "order_id must be a positive integer", parameter: "order_id")
                }
                return try await answers.order(id)
            }
        }
        router.get("/v1/realtime") { request, _ in
            await answer("realtime", request) { p in
                let date = try p.date()
                async let today = answers.dau(date)
                async let yesterday = answers.dau(date.dayBefore)
                async let todayOrders = answers.summary(date)
                async let yesterdayOrders = answers.summary(date.dayBefore)
                return Realtime(date: date, today: .init(dau: try await today, orders: try await todayOrders),
                                yesterday: .init(dau: try await yesterday, orders: try await yesterdayOrders))
            }
        }
    }

    /// Runs `body` with the request's query parameters and maps its outcome to a response (see `response`),
    /// counted in `query_requests_total{endpoint,status}` and timed in `query_request_seconds{endpoint}`.
    private func answer(_ endpoint: String, _ request: Request, _ body: (QueryParameters) async throws -> some Encodable) async -> Response {
        let start = ContinuousClock.now
        let response = await self.response(request, body)
        Counter(label: "query_requests_total", dimensions: [("endpoint", endpoint), ("status", String(response.status.code))]).increment()
        Timer(label: "query_request_seconds", dimensions: [("endpoint", endpoint)]).recordElapsed(since: start)
        return response
    }

    /// The value as JSON, a `QueryError` as its status, a full search gate or an unreachable Elasticsearch as
    /// 503 with `Retry-After`.
    private func response(_ request: Request, _ body: (QueryParameters) async throws -> some Encodable) async -> Response {
        var values: [String: String] = [:]
        for (name, value) in request.uri.queryParameters { values[String(name)] = String(value) }
        do {
            let value = try await body(QueryParameters(values))
            return Response(status: .ok, headers: [.contentType: "application/json"],
                            body: .init(byteBuffer: ByteBuffer(bytes: try Self.encoder.encode(value))))
        } catch let error as QueryError {
            var details: [String: JSONValue] = [:]
            if let parameter = error.parameter { details["parameter"] = .string(parameter) }
            return JSONResponse.error(.init(code: error.status), code: error.code, message: error.message, details: details)
        } catch let error as InvalidSearchAnswer {
            logger.error("cannot read Elasticsearch's answer", metadata: ["path": "\(request.uri.path)", "error": "\(error)"])
            return JSONResponse.error(.serviceUnavailable, code: "search_answer_unreadable", message: "\(error)", headers: [.retryAfter: "5"])
        } catch is SearchGate.Busy {
            return JSONResponse.error(.serviceUnavailable, code: "busy", message: "too many searches in flight; retry shortly",
                                      headers: [.retryAfter: "1"])
        } catch {
            logger.warning("query failed", metadata: ["path": "\(request.uri.path)", "error": "\(error)"])
            return JSONResponse.error(.serviceUnavailable, code: "search_unavailable",
                                      message: "Elasticsearch did not answer; retry later", headers: [.retryAfter: "2"])
        }
    }

    /// Sorted keys (stable bytes), snake_case names, `/` unescaped.
    static let encoder: JSONEncoder = {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        encoder.keyEncodingStrategy = .convertToSnakeCase
        return encoder
    }()
}
