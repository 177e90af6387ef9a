// enricher: consumes `ods.log` as group `enricher`, emits page views to `dwd.page_log` and each
// device's first event of a business day to `dwd.dau`; consumes `ods.db` as group `enricher-db`, keeps
// the shop's dimension rows in Redis and joins orders with their lines and dimensions into `dwd.order`
// and `dwd.order_wide`. Both exactly once (see docs/architecture.md).
import Common
import Kafka
import PipelineCore
import Redis

let context = ServiceMain.bootstrap(name: "enricher", defaultAddress: "127.0.0.1:8182", waitingFor: ["kafka"])
let env = EnvironmentReader()
let kafkaSettings = ServiceMain.readConfiguration { try KafkaSettings.read(env) }
let redisSettings = ServiceMain.readConfiguration { try RedisSettings.read(env) }
let settings = ServiceMain.readConfiguration { try EnricherSettings.read(env) }

let redis = RedisClient(configuration: redisSettings.configuration, logger: context.logger)
let producer = try KafkaProducer(configuration: kafkaSettings.producerConfiguration(), logger: context.logger)
let admin = try KafkaAdmin(configuration: kafkaSettings.adminConfiguration(), logger: context.logger)
let topics = TopicSetup(admin: admin, topics: [Topics.odsLog, Topics.pageLog, Topics.dau, Topics.enricherDeadLetter,
                                               Topics.odsDB, Topics.order, Topics.orderWide, Topics.dimension],
                        settings: kafkaSettings, readiness: context.readiness, logger: context.logger)
let group = "enricher"
let businessState = BusinessStateReader(reader: RedisHashReader(redis: redis))
let processor = EnrichProcessor(
    producer: producer,
    state: DauState(redis: redis, ttlSeconds: settings.stateTTLDays * 86_400),
    planner: DauPlanner(calendar: BusinessCalendar(timeZone: settings.timeZone)),
    dimensions: businessState,
    logger: context.logger)
let consumer = try BatchConsumerService(
    kafka: kafkaSettings.consumerConfiguration(group: group),
    offsets: OffsetStore(redis: redis, group: group, logger: context.logger),
    processor: processor, options: kafkaSettings.consumerOptions(topics: [Topics.odsLog], maxBatchSize: settings.batchSize),
    readiness: context.readiness, liveness: context.liveness, logger: context.logger,
    prepare: { try await topics.ensureTopics() })


let businessGroup = "enricher-db"
let businessConsumer = try BatchConsumerService(
    kafka: kafkaSettings.consumerConfiguration(group: businessGroup),
    offsets: OffsetStore(redis: redis, group: businessGroup, logger: context.logger),
    processor: BusinessProcessor(producer: producer, state: businessState, database: settings.shopDatabase,
                                 logger: context.logger),
    options: kafkaSettings.consumerOptions(topics: [Topics.odsDB], maxBatchSize: settings.batchSize),
    readiness: context.readiness, liveness: context.liveness, logger: context.logger,
    prepare: { try await topics.ensureTopics() })

try await ServiceMain.run(context, services: [consumer, businessConsumer])
await producer.shutdown(timeout: .seconds(10))
