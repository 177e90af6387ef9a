// sink-es: consumes the `dwd.*` topics as group `sink-es` and writes them idempotently to
// Elasticsearch; offsets are committed to Redis after the bulk write succeeded.
import Common
import Elasticsearch
import Kafka
import PipelineCore
import Redis

let context = ServiceMain.bootstrap(name: "sink-es", defaultAddress: "127.0.0.1:8183", waitingFor: ["kafka", "elasticsearch"])
let env = EnvironmentReader()
let kafkaSettings = ServiceMain.readConfiguration { try KafkaSettings.read(env) }
let redisSettings = ServiceMain.readConfiguration { try RedisSettings.read(env) }
let esSettings = ServiceMain.readConfiguration { try ElasticsearchSettings.read(env) }
let settings = ServiceMain.readConfiguration { try SinkSettings.read(env) }

let redis = RedisClient(configuration: redisSettings.configuration, logger: context.logger)
let elasticsearch = ElasticsearchClient(configuration: esSettings.configuration, logger: context.logger)
let producer = try KafkaProducer(configuration: kafkaSettings.producerConfiguration(), logger: context.logger)
let admin = try KafkaAdmin(configuration: kafkaSettings.adminConfiguration(), logger: context.logger)
let topics = TopicSetup(admin: admin, topics: settings.topics + [Topics.sinkDeadLetter],
                        settings: kafkaSettings, readiness: context.readiness, logger: context.logger)
let readiness = context.readiness
let logger = context.logger

let group = "sink-es"
let consumer = try BatchConsumerService(
    kafka: kafkaSettings.consumerConfiguration(group: group),
    offsets: OffsetStore(redis: redis, group: group, logger: context.logger),
    processor: SinkProcessor(elasticsearch: elasticsearch, producer: producer, settings: esSettings,
                             bulkSize: BulkSizer(maximum: settings.batchSize), logger: context.logger),
    options: kafkaSettings.consumerOptions(topics: settings.topics, maxBatchSize: settings.batchSize),
    readiness: context.readiness, liveness: context.liveness, logger: context.logger,
    prepare: {
        try await topics.ensureTopics()
        for template in IndexTemplates.all(prefix: esSettings.indexPrefix, refreshInterval: settings.refreshInterval) {
            try await waitForDependency("elasticsearch", readiness: readiness, logger: logger,
                                        what: "install index template \(template.name)") {
                try await elasticsearch.putIndexTemplate(name: template.name, body: template.body)
            }
        }
    })

try await ServiceMain.run(context, services: [consumer])
await producer.shutdown(timeout: .seconds(10))
