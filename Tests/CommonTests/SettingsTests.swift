@testable import Common
import PipelineCore
import Testing

@Suite struct SettingsTests {
    @Test func defaults() throws {
        let env = EnvironmentReader([:])
        let kafka = try KafkaSettings.read(env)
        #expect(kafka.brokers == "127.0.0.1:9092")
        #expect(kafka.partitions == 4)
        let es = try ElasticsearchSettings.read(env)
        #expect(es.configuration.url == "http://127.0.0.1:9200")
        #expect(es.index(forTopic: "dwd.page_log") == "gmall_page_log")
        #expect(es.index(forTopic: "dwd.dau") == "gmall_dau")
        let redis = try RedisSettings.read(env)
        #expect(redis.configuration.port == 6379)
        let service = try ServiceSettings.read(env, defaultAddress: "127.0.0.1:8180")
        #expect(service.httpPort == 8180 && service.logFormat == "text")
    }

    @Test func badValuesNameTheVariable() {
        #expect(throws: ConfigurationError.self) { try KafkaSettings.read(EnvironmentReader(["KAFKA_BROKERS": "a:1,b"])) }
        do {
            _ = try KafkaSettings.read(EnvironmentReader(["KAFKA_TOPIC_PARTITIONS": "0"]))
            Issue.record("expected an error")
        } catch {
            #expect(error.variable == "KAFKA_TOPIC_PARTITIONS")
        }
        #expect(throws: ConfigurationError.self) { try ElasticsearchSettings.read(EnvironmentReader(["ELASTICSEARCH_URL": "localhost:9200"])) }
        #expect(throws: ConfigurationError.self) { try ElasticsearchSettings.read(EnvironmentReader(["ELASTICSEARCH_INDEX_PREFIX": "Bad*"])) }
        #expect(throws: ConfigurationError.self) { try RedisSettings.read(EnvironmentReader(["REDIS_ADDR": "redis"])) }
        #expect(throws: ConfigurationError.self) { try ServiceSettings.read(EnvironmentReader(["LOG_FORMAT": "xml"]), defaultAddress: "127.0.0.1:1") }
    }
}
