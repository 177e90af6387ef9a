// cdc: reads the MySQL/MariaDB binlog and writes every row change to Kafka `ods.db` in Maxwell's format,
// storing the delivered position in Redis. See docs/cdc.md.
import BinlogReplication
import Common
import Hummingbird
import Kafka
import PipelineCore
import Redis

let context = ServiceMain.bootstrap(name: "cdc", defaultAddress: "127.0.0.1:8184", waitingFor: ["kafka", "redis", "mysql"])
let env = EnvironmentReader()
let kafkaSettings = ServiceMain.readConfiguration { try KafkaSettings.read(env) }
let redisSettings = ServiceMain.readConfiguration { try RedisSettings.read(env) }
let settings = ServiceMain.readConfiguration { try CDCSettings.read(env) }

let producer = try KafkaProducer(configuration: kafkaSettings.producerConfiguration(), logger: context.logger)
let admin = try KafkaAdmin(configuration: kafkaSettings.adminConfiguration(), logger: context.logger)
let redis = RedisClient(configuration: redisSettings.configuration, logger: context.logger)
let reader = BinlogReader(configuration: settings.replication, filter: settings.filter,
                          limit: settings.buffer, valueOptions: settings.valueOptions, logger: context.logger)
let sourceServerID = try await waitForDependency("mysql", readiness: context.readiness, logger: context.logger,
                                                 what: "read the source's server_id") {
    try BinlogConnection(settings.replication).serverID()
}
let store = RedisPositionStore(client: redis, key: RedisPositionStore.key(serverID: sourceServerID, clientID: settings.clientID),
                               readiness: context.readiness, logger: context.logger)
let topicSetup = TopicSetup(admin: admin, topics: [settings.topic], settings: kafkaSettings,
                            readiness: context.readiness, logger: context.logger)
try await topicSetup.ensureTopics()
let partitions = try await waitForDependency("kafka", readiness: context.readiness, logger: context.logger,
                                             what: "read the partition count of \(settings.topic)") {
    Int32(try await admin.partitionCount(topic: settings.topic))
}
let sink = KafkaChangeSink(producer: producer, topic: settings.topic, partitions: partitions,
                           readiness: context.readiness, logger: context.logger)
let capture = ChangeCapture(reader: reader, sink: sink, store: store, partitioner: settings.partitioner, logger: context.logger)
let bootstraps = BootstrapQueue(capture: capture, redis: redis,
                                key: BootstrapQueue.key(serverID: sourceServerID, clientID: settings.clientID),
                                readiness: context.readiness, logger: context.logger)
let router = Router(context: ServiceRequestContext.self)
BootstrapRoutes(queue: bootstraps, adminToken: settings.adminToken).register(on: router)
try await ServiceMain.run(context, router: router, routes: [("/v1/bootstrap", "GET, HEAD, POST")], services: [
    CaptureService(capture: capture, bootstraps: bootstraps, startupBootstraps: settings.bootstrap,
                   readiness: context.readiness, logger: context.logger),
])
await producer.shutdown(timeout: .seconds(10))
