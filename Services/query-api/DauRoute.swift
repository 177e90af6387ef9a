import Common
import Elasticsearch
import Hummingbird
import Logging
import PipelineCore

/// `GET /v1/dau?date=YYYY-MM-DD`: the day's daily active devices and their first-seen hours.
struct DauRoute: Sendable {
    let elasticsearch: ElasticsearchClient
    let index: String
    let logger: Logger

    func handle(_ request: Request) async -> Response {
        guard let text = request.uri.queryParameters["date"].map(String.init) else {
            return JSONResponse.error(.badRequest, code: "missing_date", message: "query parameter date=YYYY-MM-DD is required")
        }
        guard let date = BusinessDate(text) else {
            return JSONResponse.error(.badRequest, code: "invalid_date", message: "date must be a real day written YYYY-MM-DD",
                                      details: ["date": .string(text)])
        }
        do {
            let body = try await elasticsearch.search(index: index, body: DauQuery.searchBody(for: date))
            let answer = try DauQuery.answer(for: date, searchResponse: body)
            return JSONResponse.make(.ok, .object([
                "date": .string(answer.date), "dau": .integer(Int64(answer.dau)),
                "by_hour": .array(answer.byHour.map { .integer(Int64($0)) }),
            ]))
        } catch ElasticsearchError.http(status: 404, body: _) {
            // Nothing has been indexed yet: no device was active.
            return JSONResponse.make(.ok, .object([
                "date": .string(date.description), "dau": .integer(0),
                "by_hour": .array(Array(repeating: .integer(0), count: 24)),
            ]))
        } catch {
            logger.warning("DAU query failed", metadata: ["date": "\(date)", "error": "\(error)"])
            return JSONResponse.error(.serviceUnavailable, code: "search_unavailable",
                                      message: "Elasticsearch did not answer; retry later", headers: [.retryAfter: "2"])
        }
    }
}
