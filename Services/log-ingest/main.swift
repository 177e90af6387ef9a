// log-ingest: accepts behaviour events over HTTP and writes them to Kafka `ods.log`, keyed by device.
import Common
import Hummingbird
import Kafka
import PipelineCore

let context = ServiceMain.bootstrap(name: "log-ingest", defaultAddress: "127.0.0.1:8180", waitingFor: ["kafka"])
let env = EnvironmentReader()
let kafkaSettings = ServiceMain.readConfiguration { try KafkaSettings.read(env) }
let settings = ServiceMain.readConfiguration { try IngestSettings.read(env) }

let producer = try KafkaProducer(configuration: kafkaSettings.producerConfiguration(), logger: context.logger)
let admin = try KafkaAdmin(configuration: kafkaSettings.adminConfiguration(), logger: context.logger)
let ingestor = EventIngestor(producer: producer, settings: settings, logger: context.logger)

let router = Router()
router.post("/v1/events") { request, _ in await ingestor.handle(request) }

let topicSetup = TopicSetup(admin: admin, topics: [settings.topic], settings: kafkaSettings,
                            readiness: context.readiness, logger: context.logger)
try await ServiceMain.run(context, router: router, services: [topicSetup])
await producer.shutdown(timeout: .seconds(10))
