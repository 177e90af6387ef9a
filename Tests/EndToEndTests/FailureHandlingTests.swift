import Foundation
import Kafka
import Logging
import Redis
import Testing
import TestSupport

/// What the consumers do with input they cannot use and with a dependency that is down.
@Suite(.serialized, .timeLimit(.minutes(5)))
struct FailureHandlingTests {
    static let logger = Logger(label: "failure-tests")

    static func event(mid: String, ts: Int64) -> String {
        "{\"common\":{\"mid\":\"\(mid)\"},\"page\":{\"page_id\":\"home\"},\"ts\":\(ts)}"
    }

    /// Reads `topic` from the start until `count` messages arrived (or 30 s passed).
    static func read(_ topic: String, count: Int, stack: LocalStack) async throws -> [KafkaConsumerMessage] {
        let consumer = try KafkaConsumer(
            configuration: KafkaConsumerConfiguration(bootstrapServers: stack.kafkaBootstrapServers,
                                                      groupID: LocalStack.uniqueName("reader")),
            logger: logger, startingOffsets: { _ in [:] }, revoked: { _ in })
        try consumer.subscribe(topics: [topic])
        var messages: [KafkaConsumerMessage] = []
        let deadline = ContinuousClock.now + .seconds(30)
        while messages.count < count && ContinuousClock.now < deadline {
            messages += try await consumer.poll(maxMessages: 100, timeout: .milliseconds(500))
        }
        await consumer.close()
        return messages
    }

    @Test("unusable messages go to the dead-letter topics with a reason; the stream goes on")
    func deadLetters() async throws {
        let pipeline = try await PipelineUnderTest.start()
        do {
            let producer = try KafkaProducer(configuration: KafkaProducerConfiguration(bootstrapServers: pipeline.stack.kafkaBootstrapServers),
                                             logger: Self.logger)
            // Not an event: the enricher cannot read it. A page-log record whose hour is not a
            // number: Elasticsearch's mapping rejects it. Then a good event behind both.
            _ = try await producer.send([
                KafkaProducerMessage(topic: "ods.log", key: "m", value: "this is not json"),
                KafkaProducerMessage(topic: "dwd.page_log", key: "bad-doc", value: #"{"hour":"noon","date":"2030-01-01"}"#),
            ])
            let (status, _) = try await pipeline.ingest(Data(Self.event(mid: "after-bad", ts: 1_893_474_000_000).utf8))
            #expect(status == 202)
            await producer.shutdown()

            let enricherDLQ = try await Self.read("dlq.enricher", count: 1, stack: pipeline.stack)
            #expect(enricherDLQ.count == 1)
            #expect(enricherDLQ.first.map { String(decoding: $0.value, as: UTF8.self) } == "this is not json")
            #expect(enricherDLQ.first?.headers.contains { $0.key == "dlq.reason" } == true)

            let sinkDLQ = try await Self.read("dlq.sink-es", count: 1, stack: pipeline.stack)
            #expect(sinkDLQ.count == 1)
            #expect(sinkDLQ.first?.key.map { String(decoding: $0, as: UTF8.self) } == "bad-doc")
            let reason = sinkDLQ.first?.headers.first { $0.key == "dlq.reason" }.map { String(decoding: $0.value, as: UTF8.self) }
            #expect(reason?.isEmpty == false, "the reason Elasticsearch gave travels with the message")

            // The good event behind them arrives.
            #expect(try await Self.awaitDAU(pipeline, "2030-01-01", 1) == 1)
        } catch {
            Issue.record("\(error)\n\(pipeline.logs())")
        }
        await pipeline.stop()
    }

    static func dau(_ pipeline: PipelineUnderTest, _ date: String) async throws -> Int {
        let (_, body) = try await pipeline.query("/v1/dau?date=\(date)")
        return (try JSONSerialization.jsonObject(with: body) as? [String: Any])?["dau"] as? Int ?? -1
    }

    /// Waits until the query API reports `expected` devices on `date`; returns the last answer.
    static func awaitDAU(_ pipeline: PipelineUnderTest, _ date: String, _ expected: Int) async throws -> Int {
        var dau = -1
        for _ in 0..<120 {
            dau = (try? await Self.dau(pipeline, date)) ?? -1
            if dau == expected { break }
            try await Task.sleep(for: .milliseconds(500))
        }
        return dau
    }

    static func post(_ pipeline: PipelineUnderTest, devices: Range<Int>, ts: Int64) async throws -> Int {
        let body = devices.map { Self.event(mid: "dev-\($0)", ts: ts + Int64($0) * 1000) }.joined(separator: "\n")
        return try await pipeline.ingest(Data(body.utf8), contentType: "application/x-ndjson").0
    }

    @Test("Elasticsearch down mid-stream: sink-es pauses without committing, then catches up with nothing missing")
    func elasticsearchOutage() async throws {
        let elasticsearch = try await StandaloneElasticsearch.start()
        let pipeline = try await PipelineUnderTest.start(environment: [
            "sink-es": ["ELASTICSEARCH_URL": elasticsearch.url], "query-api": ["ELASTICSEARCH_URL": elasticsearch.url],
        ])
        do {
            let dayOne: Int64 = 1_893_474_000_000, dayTwo = dayOne + 86_400_000
            #expect(try await Self.post(pipeline, devices: 0..<20, ts: dayOne) == 202)
            #expect(try await Self.awaitDAU(pipeline, "2030-01-01", 20) == 20)

            var configuration = RedisConfiguration()
            configuration.port = pipeline.stack.redisPort
            let redis = RedisClient(configuration: configuration, logger: Self.logger)
            let committedBefore = try await redis.execute(["HGETALL", "offsets:sink-es:dwd.dau"])

            await elasticsearch.pause()
            #expect(!Network.isListening(port: elasticsearch.port), "Elasticsearch is down")
            #expect(try await Self.post(pipeline, devices: 20..<50, ts: dayTwo) == 202)
            try await Task.sleep(for: .seconds(4))
            let (readyStatus, readyBody) = try await pipeline.readiness("sink-es")
            #expect(readyStatus == 503, "sink-es reports that it cannot work: \(readyBody)\n\(pipeline.logs())")
            #expect(try await redis.execute(["HGETALL", "offsets:sink-es:dwd.dau"]) == committedBefore,
                    "no offset moves while Elasticsearch is down")

            try await elasticsearch.resume()
            #expect(try await Self.awaitDAU(pipeline, "2030-01-02", 30) == 30)
            #expect(try await Self.dau(pipeline, "2030-01-01") == 20)
            let (afterStatus, _) = try await pipeline.readiness("sink-es")
            #expect(afterStatus == 200)
        } catch {
            Issue.record("\(error)\n\(pipeline.logs())")
        }
        await pipeline.stop()
        await elasticsearch.stop()
    }

    @Test("a consumer fenced by a member with its group.instance.id stops its service with status 1; restarted, it goes on")
    func fencedConsumerStopsTheService() async throws {
        let pipeline = try await PipelineUnderTest.start()
        do {
            let dayOne: Int64 = 1_893_474_000_000
            #expect(try await Self.post(pipeline, devices: 0..<10, ts: dayOne) == 202)
            #expect(try await Self.awaitDAU(pipeline, "2030-01-01", 10) == 10)

            // An impostor joins sink-es's group under sink-es's static member id: the broker fences sink-es.
            var configuration = KafkaConsumerConfiguration(bootstrapServers: pipeline.stack.kafkaBootstrapServers, groupID: "sink-es")
            configuration.extra["group.instance.id"] = "sink-es-0"
            let impostor = try KafkaConsumer(configuration: configuration, logger: Self.logger,
                                             startingOffsets: { _ in [:] }, revoked: { _ in })
            try impostor.subscribe(topics: ["dwd.dau"])
            let sink = try #require(pipeline.processes["sink-es"])
            let deadline = ContinuousClock.now + .seconds(40)
            while sink.isRunning && ContinuousClock.now < deadline {
                _ = try await impostor.poll(maxMessages: 1, timeout: .milliseconds(200))
            }
            await impostor.close()
            #expect(await sink.waitForExit(timeout: .seconds(25)) == 1, "sink-es still runs: \(sink.logTail())")
            #expect(sink.logTail().contains("Kafka consumer failed for good"), "\(sink.logTail())")

            // A new process (as its supervisor would start) consumes on from the committed offsets.
            try await pipeline.crashAndRestart("sink-es")
            #expect(try await Self.post(pipeline, devices: 10..<25, ts: dayOne) == 202)
            #expect(try await Self.awaitDAU(pipeline, "2030-01-01", 25) == 25)
        } catch {
            Issue.record("\(error)\n\(pipeline.logs())")
        }
        await pipeline.stop()
    }
}
