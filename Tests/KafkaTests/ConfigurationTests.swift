import Testing
@testable import Kafka

@Suite("Kafka configuration")
struct ConfigurationTests {
    @Test("an unknown property name is rejected, naming the property")
    func unknownProperty() throws {
        var configuration = KafkaProducerConfiguration(bootstrapServers: "127.0.0.1:9")
        configuration.extra = ["no.such.property": "1"]
        #expect {
            _ = try KafkaProducer(configuration: configuration, logger: KafkaTestSupport.logger)
        } throws: { error in
            guard case KafkaError.configuration(let property, let message) = error else { return false }
            return property == "no.such.property" && message.contains("No such configuration property")
        }
    }

    @Test("an invalid value is rejected, naming the property, for consumers and admins too")
    func invalidValue() throws {
        var consumer = KafkaConsumerConfiguration(bootstrapServers: "127.0.0.1:9", groupID: "g")
        consumer.extra = ["session.timeout.ms": "banana"]
        #expect {
            _ = try KafkaConsumer(configuration: consumer, logger: KafkaTestSupport.logger,
                                  startingOffsets: { _ in [:] }, revoked: { _ in })
        } throws: { error in
            guard let error = error as? KafkaError, case .configuration(let property, _) = error else { return false }
            return property == "session.timeout.ms" && !error.isRetriable
        }
        var admin = KafkaAdminConfiguration(bootstrapServers: "127.0.0.1:9")
        admin.extra = ["acks": "several"]
        #expect {
            _ = try KafkaAdmin(configuration: admin, logger: KafkaTestSupport.logger)
        } throws: { error in
            guard case KafkaError.configuration(let property, _) = error else { return false }
            return property == "acks"
        }
    }

    @Test("a message timeout shorter than a millisecond is refused instead of meaning 'forever'")
    func zeroMessageTimeout() throws {
        var configuration = KafkaProducerConfiguration(bootstrapServers: "127.0.0.1:9")
        configuration.messageTimeout = .microseconds(500)
        #expect {
            _ = try KafkaProducer(configuration: configuration, logger: KafkaTestSupport.logger)
        } throws: { error in
            guard case KafkaError.configuration(let property, _) = error else { return false }
            return property == "message.timeout.ms"
        }
    }

    @Test("producer defaults: acks=all, idempotence, murmur2 partitioner; extra properties come last")
    func producerDefaults() {
        var configuration = KafkaProducerConfiguration(bootstrapServers: "b:9092")
        configuration.extra = ["linger.ms": "50", "client.id": "log-ingest"]
        let properties = configuration.properties
        let values = Dictionary(properties.map { ($0.name, $0.value) }, uniquingKeysWith: { _, last in last })
        #expect(values["acks"] == "all")
        #expect(values["enable.idempotence"] == "true")
        #expect(values["message.timeout.ms"] == "30000")
        #expect(values["partitioner"] == "murmur2_random")
        #expect(values["queue.buffering.max.messages"] == "100000")
        #expect(values["linger.ms"] == "50")
        #expect(properties.last(where: { $0.name == "linger.ms" })?.value == "50")
        #expect(properties.firstIndex(where: { $0.name == "client.id" })! > properties.firstIndex(where: { $0.name == "acks" })!)
    }

    @Test("consumer defaults: no commits to Kafka, earliest reset, eager assignment, large fetch responses")
    func consumerDefaults() {
        let configuration = KafkaConsumerConfiguration(bootstrapServers: "b:9092", groupID: "enricher")
        let values = Dictionary(configuration.properties.map { ($0.name, $0.value) }, uniquingKeysWith: { _, last in last })
        #expect(values["group.id"] == "enricher")
        #expect(values["enable.auto.commit"] == "false")
        #expect(values["enable.auto.offset.store"] == "false")
        #expect(values["auto.offset.reset"] == "earliest")
        #expect(values["partition.assignment.strategy"] == "range,roundrobin")
        #expect(Int(values["receive.message.max.bytes"] ?? "0")! >= 100_000_000)
    }

    @Test("durations become whole milliseconds, never negative")
    func milliseconds() {
        #expect(Duration.seconds(2).wholeMilliseconds == 2000)
        #expect(Duration.microseconds(1500).wholeMilliseconds == 1)
        #expect(Duration.seconds(-1).wholeMilliseconds == 0)
        #expect(Duration.seconds(Int64.max).wholeMilliseconds == Int32.max)
    }

    @Test("the test's murmur2 matches Kafka's published values")
    func murmur2Reference() {
        // Values from Kafka's UtilsTest.testMurmur2.
        #expect(Int32(bitPattern: KafkaTestSupport.murmur2(Array("21".utf8))) == -973932308)
        #expect(Int32(bitPattern: KafkaTestSupport.murmur2(Array("foobar".utf8))) == -790332482)
        #expect(Int32(bitPattern: KafkaTestSupport.murmur2(Array("a-little-bit-long-string".utf8))) == -985981536)
    }
}
