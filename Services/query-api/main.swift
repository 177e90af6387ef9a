// query-api: serves the pipeline's results from Elasticsearch as JSON (the business answers, DAU, the
// OpenAPI document) and the dashboard.
import Common
import Elasticsearch
import Hummingbird
import PipelineCore

let context = ServiceMain.bootstrap(name: "query-api", defaultAddress: "127.0.0.1:8181", waitingFor: ["elasticsearch"])
let env = EnvironmentReader()
let esSettings = ServiceMain.readConfiguration { try ElasticsearchSettings.read(env) }
let maxSearches = ServiceMain.readConfiguration { try env.integer("QUERY_MAX_CONCURRENT_SEARCHES", default: 16, range: 1...1024) }
let access = ServiceMain.readConfiguration {
    try AccessControl.read(env, switchVariable: "QUERY_API_AUTH", fileVariable: "QUERY_API_TOKENS_FILE", logger: context.logger)
}
let elasticsearch = ElasticsearchClient(configuration: esSettings.configuration, logger: context.logger)

let answers = BusinessAnswers(elasticsearch: elasticsearch, settings: esSettings, gate: SearchGate(limit: maxSearches))
let router = Router(context: ServiceRequestContext.self)
router.add(middleware: AuthenticationMiddleware(access: access, protectedPrefix: "/v1/", realm: "query-api"))
QueryRoutes(answers: answers, logger: context.logger).add(to: router)
StaticFiles.load(logger: context.logger).add(to: router)

try await ServiceMain.run(context, router: router, getPaths: [
    "/v1/dau", "/v1/orders/summary", "/v1/orders/by-province", "/v1/orders/by-category", "/v1/products/top",
    "/v1/orders/search", "/v1/orders/{order_id}", "/v1/realtime", "/v1/openapi.json", "/", "/dashboard/{file}",
], services: [
    // Not ready while Elasticsearch does not answer (the answers come from it, per request).
    DependencyProbe("elasticsearch", readiness: context.readiness, logger: context.logger) { try await elasticsearch.ping() },
] + (access.store.map { [$0] } ?? []))
