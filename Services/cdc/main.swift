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
// The HTTP server (health, readiness, metrics, the admin endpoint) starts at once; the capture service
// waits for MySQL, Kafka and Redis itself, reporting them on /readyz, and ends its waits on SIGTERM.
let started = StartedCapture()
let router = Router(context: ServiceRequestContext.self)
BootstrapRoutes(started: started, adminToken: settings.adminToken).register(on: router)
try await ServiceMain.run(context, router: router, routes: [("/v1/bootstrap", "GET, HEAD, POST")], services: [
    CaptureService(reader: reader, producer: producer, admin: admin, redis: redis, kafkaSettings: kafkaSettings,
                   settings: settings, started: started, readiness: context.readiness, logger: context.logger),
])
await producer.shutdown(timeout: .seconds(10))
