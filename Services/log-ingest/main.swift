// log-ingest: accepts behaviour events over HTTP and writes them to Kafka `ods.log`, keyed by device.
import Common
import Hummingbird
import Kafka
import PipelineCore

let context = ServiceMain.bootstrap(name: "log-ingest", defaultAddress: "127.0.0.1:8180", waitingFor: ["kafka"])
let env = EnvironmentReader()
let kafkaSettings = ServiceMain.readConfiguration { try KafkaSettings.read(env) }
let settings = ServiceMain.readConfiguration { try IngestSettings.read(env) }
let access = ServiceMain.readConfiguration {
    try AccessControl.read(env, switchVariable: "INGEST_AUTH", fileVariable: "INGEST_WRITE_KEYS_FILE", logger: context.logger)
}

let producer = try KafkaProducer(configuration: kafkaSettings.producerConfiguration(), logger: context.logger)
let admin = try KafkaAdmin(configuration: kafkaSettings.adminConfiguration(), logger: context.logger)
let ingestor = EventIngestor(producer: producer, settings: settings, access: access, logger: context.logger,
                             limits: RateLimits(settings: settings))

let router = Router(context: ServiceRequestContext.self)
router.post("/v1/events") { request, context in await ingestor.handle(request, context: context) }
router.on("/v1/events", method: .options) { request, _ in ingestor.preflight(request) }

let topicSetup = TopicSetup(admin: admin, topics: [settings.topic], settings: kafkaSettings,
                            readiness: context.readiness, logger: context.logger)
try await ServiceMain.run(context, router: router, routes: [("/v1/events", "POST, OPTIONS")],
                          services: [topicSetup] + (access.store.map { [$0] } ?? []))
await producer.shutdown(timeout: .seconds(10))
