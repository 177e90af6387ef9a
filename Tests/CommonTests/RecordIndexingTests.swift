import Common
import Elasticsearch
import Kafka
import PipelineCore
import Testing

@Suite struct RecordIndexingTests {
    let settings = try! ElasticsearchSettings.read(EnvironmentReader([:]))

    static func message(topic: String = "dwd.dau", key: String?, value: String, headers: [KafkaHeader] = []) -> KafkaConsumerMessage {
        KafkaConsumerMessage(topic: topic, partition: 0, offset: 7, key: key.map { Array($0.utf8) }, value: Array(value.utf8),
                             headers: headers, timestamp: nil)
    }

    @Test func aRecordRoundTripsFromOutputRecordToBulkOperation() throws {
        let record = OutputRecord(topic: "dwd.dau", id: "2026-11-01:m1", version: 42, document: .object(["mid": .string("m1")]))
        let produced = record.kafkaMessage
        let consumed = KafkaConsumerMessage(topic: produced.topic, partition: 1, offset: 3, key: produced.key,
                                            value: produced.value, headers: produced.headers, timestamp: nil)
        let operation = try BulkOperation.forRecord(consumed, settings: settings).get()
        #expect(operation.index == "gmall_dau")
        #expect(operation.id == "2026-11-01:m1")
        #expect(operation.version == 42)
        #expect(operation.document == Array(#"{"mid":"m1"}"#.utf8))
    }

    @Test func unversionedRecordsHaveNoVersion() throws {
        let operation = try BulkOperation.forRecord(Self.message(topic: "dwd.page_log", key: "e1", value: "{}"), settings: settings).get()
        #expect(operation.version == nil)
        #expect(operation.index == "gmall_page_log")
    }

    @Test func messagesThatCannotBeIndexedSayWhy() {
        let cases: [KafkaConsumerMessage] = [
            Self.message(key: nil, value: "{}"),
            Self.message(key: "", value: "{}"),
            Self.message(key: "k", value: "[1]"),
            Self.message(key: "k", value: "not json"),
            Self.message(key: "k", value: "{}", headers: [KafkaHeader(key: "version", value: Array("-1".utf8))]),
            Self.message(key: "k", value: "{}", headers: [KafkaHeader(key: "version", value: Array("x".utf8))]),
        ]
        for message in cases {
            guard case .failure(let problem) = BulkOperation.forRecord(message, settings: settings) else {
                Issue.record("expected a failure for \(message)")
                continue
            }
            #expect(!problem.reason.isEmpty)
        }
    }
}
