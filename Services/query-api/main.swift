// query-api: serves the pipeline's results from Elasticsearch as JSON.
import Common
import Elasticsearch
import Hummingbird
import PipelineCore

let context = ServiceMain.bootstrap(name: "query-api", defaultAddress: "127.0.0.1:8181", waitingFor: [])
let env = EnvironmentReader()
let esSettings = ServiceMain.readConfiguration { try ElasticsearchSettings.read(env) }
let elasticsearch = ElasticsearchClient(configuration: esSettings.configuration, logger: context.logger)

let dau = DauRoute(elasticsearch: elasticsearch, index: esSettings.index(forTopic: Topics.dau), logger: context.logger)
let router = Router()
router.get("/v1/dau") { request, _ in await dau.handle(request) }

try await ServiceMain.run(context, router: router, services: [])
