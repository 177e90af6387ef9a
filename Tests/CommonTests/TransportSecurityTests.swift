@testable import Common
import Elasticsearch
import Foundation
import Kafka
import Logging
import PipelineCore
import Testing
import TestSupport

/// The TLS and SASL paths against real endpoints: stunnel (with a CA made for the test) in front of the local
/// Kafka/Elasticsearch stand-in, and the stand-in's own SASL PLAIN. What the stand-in cannot do is said where
/// it matters: it advertises its plaintext address to Kafka clients, so over TLS only the bootstrap
/// connection (metadata) runs; its SCRAM exchange is broken, so SCRAM is checked as configuration only.
@Suite(.serialized, .timeLimit(.minutes(3)))
struct TransportSecurityTests {
    static let logger = Logger(label: "tls-tests")

    @Test("Elasticsearch over HTTPS: the CA from ELASTICSEARCH_CA_FILE is trusted; another CA or a wrong host name is refused")
    func elasticsearchOverHTTPS() async throws {
        let stack = try await LocalStack.shared()
        let tls = try await TLSTerminator.start(forwardingTo: stack.elasticsearchPort)
        defer { Task { await tls.stop() } }
        func client(url: String, ca: String) throws -> ElasticsearchClient {
            let settings = try ElasticsearchSettings.read(EnvironmentReader(["ELASTICSEARCH_URL": url, "ELASTICSEARCH_CA_FILE": ca]))
            return ElasticsearchClient(configuration: settings.configuration, logger: Self.logger)
        }
        let trusted = try client(url: "https://127.0.0.1:\(tls.port)", ca: tls.caFile)
        let index = LocalStack.uniqueName("tls")
        #expect(try await trusted.request("PUT", "/\(index)/_doc/1?refresh=true", body: Array(#"{"a":1}"#.utf8)).status == 201)
        #expect(try await trusted.request("GET", "/\(index)/_doc/1", body: nil).status == 200)

        for (url, ca, reason) in [("https://127.0.0.1:\(tls.port)", tls.otherCAFile, "a certificate signed by another CA"),
                                  ("https://localhost:\(tls.port)", tls.caFile, "a certificate for another host name")] {
            do {
                _ = try await client(url: url, ca: ca).request("GET", "/", body: nil)
                Issue.record("accepted \(reason)")
            } catch let error as ElasticsearchError {
                guard case .unreachable(let message) = error else { Issue.record("\(error)"); continue }
                #expect(message.contains("certificate") || message.contains("SSL"), "\(reason): \(message)")
            }
        }
    }

    @Test("Kafka over TLS: metadata through the TLS bootstrap with the CA from KAFKA_SSL_CA_FILE; another CA gets nothing")
    func kafkaOverTLS() async throws {
        let stack = try await LocalStack.shared()
        let topic = LocalStack.uniqueName("tls-topic")
        let plain = try KafkaAdmin(configuration: KafkaAdminConfiguration(bootstrapServers: stack.kafkaBootstrapServers), logger: Self.logger)
        try await plain.createTopics([topic], partitions: 3)
        let tls = try await TLSTerminator.start(forwardingTo: stack.kafkaPort)
        defer { Task { await tls.stop() } }
        func admin(ca: String) throws -> KafkaAdmin {
            let settings = try KafkaSettings.read(EnvironmentReader([
                "KAFKA_BROKERS": "127.0.0.1:\(tls.port)", "KAFKA_SECURITY_PROTOCOL": "ssl", "KAFKA_SSL_CA_FILE": ca,
            ]))
            return try KafkaAdmin(configuration: settings.adminConfiguration(), logger: Self.logger)
        }
        #expect(try await admin(ca: tls.caFile).partitionCount(topic: topic) == 3)
        await #expect(throws: KafkaError.self) { _ = try await admin(ca: tls.otherCAFile).partitionCount(topic: topic, timeout: .seconds(3)) }
    }

    @Test("Kafka with SASL PLAIN (password from a file): a message makes the round trip")
    func kafkaWithSASL() async throws {
        let stack = try await LocalStack.shared()
        let passwordFile = FileManager.default.temporaryDirectory.appendingPathComponent(LocalStack.uniqueName("sasl-password"))
        try "not-in-the-environment\n".write(to: passwordFile, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(at: passwordFile) }
        let settings = try KafkaSettings.read(EnvironmentReader([
            "KAFKA_BROKERS": stack.kafkaBootstrapServers, "KAFKA_SECURITY_PROTOCOL": "sasl_plaintext",
            "KAFKA_SASL_MECHANISM": "PLAIN", "KAFKA_SASL_USERNAME": "gmall", "KAFKA_SASL_PASSWORD_FILE": passwordFile.path,
        ]))
        let topic = LocalStack.uniqueName("sasl-topic")
        try await KafkaAdmin(configuration: settings.adminConfiguration(), logger: Self.logger).createTopics([topic], partitions: 1)
        let producer = try KafkaProducer(configuration: settings.producerConfiguration(), logger: Self.logger)
        _ = try await producer.send([KafkaProducerMessage(topic: topic, key: "k", value: "over SASL")])
        await producer.shutdown()
        let consumer = try KafkaConsumer(configuration: settings.consumerConfiguration(group: LocalStack.uniqueName("sasl")),
                                         logger: Self.logger, startingOffsets: { _ in [:] }, revoked: { _ in })
        try consumer.subscribe(topics: [topic])
        var received: [KafkaConsumerMessage] = []
        let deadline = ContinuousClock.now + .seconds(30)
        while received.isEmpty && ContinuousClock.now < deadline {
            received += try await consumer.poll(maxMessages: 10, timeout: .milliseconds(500))
        }
        await consumer.close()
        #expect(received.map { String(decoding: $0.value, as: UTF8.self) } == ["over SASL"])
    }
}
