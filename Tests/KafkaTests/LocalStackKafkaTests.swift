import Kafka
import Synchronization
import Testing
import TestSupport

/// The client against the real Kafka stand-in (noida-db) that `LocalStack` starts.
@Suite("Kafka against the local stand-in")
struct LocalStackKafkaTests {
    private func admin(_ stack: LocalStack) throws -> KafkaAdmin {
        try KafkaAdmin(configuration: KafkaAdminConfiguration(bootstrapServers: stack.kafkaBootstrapServers),
                       logger: KafkaTestSupport.logger)
    }

    private func producer(_ stack: LocalStack) throws -> KafkaProducer {
        try KafkaProducer(configuration: KafkaProducerConfiguration(bootstrapServers: stack.kafkaBootstrapServers),
                          logger: KafkaTestSupport.logger)
    }

    @Test("topics are created with their partition count, and creating them again is no error")
    func createTopics() async throws {
        let stack = try await LocalStack.shared()
        let admin = try admin(stack)
        let topics = [LocalStack.uniqueName("kafka-create"), LocalStack.uniqueName("kafka-create")]
        try await admin.createTopics(topics, partitions: 4, replicationFactor: 1)
        try await admin.createTopics(topics, partitions: 4, replicationFactor: 1)
        for topic in topics {
            #expect(try await admin.partitionCount(topic: topic) == 4)
        }
        let unknown = LocalStack.uniqueName("kafka-missing")
        await #expect(throws: KafkaError.unknownTopic(unknown)) {
            _ = try await admin.partitionCount(topic: unknown)
        }
    }

    @Test("ensureTopics creates only the topics the cluster does not list, and says which")
    func ensureTopicsCreatesOnlyMissing() async throws {
        let stack = try await LocalStack.shared()
        let admin = try admin(stack)
        let existing = LocalStack.uniqueName("kafka-ensure"), missing = LocalStack.uniqueName("kafka-ensure")
        try await admin.createTopics([existing], partitions: 2, replicationFactor: 1)
        #expect(try await admin.ensureTopics([existing, missing], partitions: 3, replicationFactor: 1) == [missing])
        #expect(try await admin.partitionCount(topic: existing) == 2)
        #expect(try await admin.partitionCount(topic: missing) == 3)
        #expect(try await admin.ensureTopics([existing, missing], partitions: 3, replicationFactor: 1).isEmpty)
    }

    @Test("the broker's default replication factor is used unless one is given")
    func defaultReplicationFactor() async throws {
        let stack = try await LocalStack.shared()
        let admin = try admin(stack)
        let topic = LocalStack.uniqueName("kafka-default-rf")
        try await admin.createTopics([topic], partitions: 2)
        #expect(try await admin.partitionCount(topic: topic) == 2)
    }

    @Test("a replication factor the cluster cannot honour is an error naming the topic")
    func impossibleReplicationFactor() async throws {
        let stack = try await LocalStack.shared()
        let topic = LocalStack.uniqueName("kafka-rf3")
        await #expect {
            try await admin(stack).createTopics([topic], partitions: 1, replicationFactor: 3, timeout: .seconds(10))
        } throws: { error in
            guard case KafkaError.operationFailed(let operation, _, _) = error else { return false }
            return operation.contains(topic)
        }
    }

    @Test("a batch with keys and headers is acknowledged in order and read back from the chosen offsets, then again after a seek")
    func produceConsumeSeek() async throws {
        let stack = try await LocalStack.shared()
        let topic = LocalStack.uniqueName("kafka-roundtrip")
        try await admin(stack).createTopics([topic], partitions: 4, replicationFactor: 1)
        let producer = try producer(stack)
        let messages = (0..<40).map {
            KafkaProducerMessage(topic: topic, key: "device-\($0 % 10)", value: "event-\($0)",
                                 headers: [KafkaHeader(key: "event_id", string: "id-\($0)"),
                                           KafkaHeader(key: "empty", value: [])])
        }
        let reports = try await producer.send(messages)
        await producer.shutdown()

        // Reports come in input order: per partition, offsets grow with the input index.
        #expect(reports.count == messages.count)
        let byPartition = Dictionary(grouping: reports, by: \.partition)
        #expect(byPartition.count > 1, "keys of ten devices should spread over several of 4 partitions")
        for (_, partitionReports) in byPartition {
            #expect(partitionReports.map(\.offset) == Array(0..<Int64(partitionReports.count)))
        }

        // Start the busiest partition at offset 3, and leave the others to auto.offset.reset (earliest).
        let busiest = try #require(byPartition.max { $0.value.count < $1.value.count })
        let skipped = KafkaTopicPartition(topic: topic, partition: busiest.key)
        let asked = Mutex<[KafkaTopicPartition]>([])
        let revoked = Mutex<[KafkaTopicPartition]>([])
        var configuration = KafkaConsumerConfiguration(bootstrapServers: stack.kafkaBootstrapServers,
                                                       groupID: LocalStack.uniqueName("group"))
        configuration.sessionTimeout = .seconds(10)
        let consumer = try KafkaConsumer(
            configuration: configuration, logger: KafkaTestSupport.logger,
            startingOffsets: { partitions in
                asked.withLock { $0 += partitions }
                return [skipped: 3]
            },
            revoked: { partitions in revoked.withLock { $0 += partitions } })
        try consumer.subscribe(topics: [topic])
        let expectedCount = messages.count - 3
        let received = try await KafkaTestSupport.consume(consumer, count: expectedCount)
        #expect(received.count == expectedCount)
        #expect(Set(asked.withLock { $0 }) == Set((0..<4).map { KafkaTopicPartition(topic: topic, partition: $0) }))
        #expect(consumer.assignment.count == 4)

        let ofSkipped = received.filter { $0.topicPartition == skipped }
        #expect(ofSkipped.first?.offset == 3)
        #expect(ofSkipped.map(\.offset) == Array(3..<Int64(busiest.value.count)))
        for message in received {
            let index = try #require(reports.firstIndex { $0.partition == message.partition && $0.offset == message.offset })
            #expect(message.key == Array("device-\(index % 10)".utf8))
            #expect(message.value == Array("event-\(index)".utf8))
            #expect(message.headers == [KafkaHeader(key: "event_id", string: "id-\(index)"), KafkaHeader(key: "empty", value: [])])
            #expect(message.timestamp != nil)
        }

        // Seek the skipped partition back to its start: exactly its records come again, from offset 0.
        try await consumer.seek([skipped: 0])
        let again = try await KafkaTestSupport.consume(consumer, count: busiest.value.count, within: .seconds(15))
        #expect(again.map(\.topicPartition) == Array(repeating: skipped, count: busiest.value.count))
        #expect(again.map(\.offset) == Array(0..<Int64(busiest.value.count)))
        #expect(try await consumer.poll(maxMessages: 10, timeout: .milliseconds(300)).isEmpty)

        await consumer.close()
        #expect(Set(revoked.withLock { $0 }) == Set(asked.withLock { $0 }))
        #expect(consumer.assignment.isEmpty)
        await #expect(throws: KafkaError.closed(operation: "poll")) {
            _ = try await consumer.poll(maxMessages: 1, timeout: .milliseconds(10))
        }
    }

    @Test("records with the same key land in the same partition, the one the Java client would pick")
    func keyPartitioning() async throws {
        let stack = try await LocalStack.shared()
        let topic = LocalStack.uniqueName("kafka-keys")
        try await admin(stack).createTopics([topic], partitions: 4, replicationFactor: 1)
        let producer = try producer(stack)
        let keys = (0..<12).map { "order-\($0)" }
        let messages = (keys + keys).map { KafkaProducerMessage(topic: topic, key: $0, value: "{}") }
        let reports = try await producer.send(messages)
        await producer.shutdown()
        for (index, key) in keys.enumerated() {
            #expect(reports[index].partition == reports[index + keys.count].partition)
            #expect(reports[index].partition == KafkaTestSupport.javaPartition(of: Array(key.utf8), partitions: 4))
        }
    }

    @Test("an explicit partition overrides the key's")
    func explicitPartition() async throws {
        let stack = try await LocalStack.shared()
        let topic = LocalStack.uniqueName("kafka-explicit")
        try await admin(stack).createTopics([topic], partitions: 4, replicationFactor: 1)
        let producer = try producer(stack)
        let key = "order-1"
        let byKey = KafkaTestSupport.javaPartition(of: Array(key.utf8), partitions: 4)
        let chosen = (byKey + 1) % 4
        let reports = try await producer.send([KafkaProducerMessage(topic: topic, key: key, value: "{}", partition: chosen)])
        await producer.shutdown()
        #expect(reports.map(\.partition) == [chosen])
    }

    @Test("sending to an unreachable broker fails within the message timeout instead of hanging")
    func unreachableBroker() async throws {
        var configuration = KafkaProducerConfiguration(bootstrapServers: "127.0.0.1:\(try Network.freePort())")
        configuration.messageTimeout = .seconds(2)
        let producer = try KafkaProducer(configuration: configuration, logger: KafkaTestSupport.logger)
        let started = ContinuousClock.now
        await #expect {
            _ = try await producer.send([KafkaProducerMessage(topic: "nowhere", key: "k", value: "v")])
        } throws: { error in
            guard let error = error as? KafkaError, case .deliveryFailed(let topic, _, _) = error else { return false }
            return topic == "nowhere" && error.isRetriable
        }
        let elapsed = ContinuousClock.now - started
        #expect(elapsed >= .seconds(1.5) && elapsed < .seconds(60), "took \(elapsed)")
        await producer.shutdown()
    }

    @Test("shutdown resumes a send still waiting for its acknowledgement, and later sends fail at once")
    func shutdownResumesWaitingSend() async throws {
        var configuration = KafkaProducerConfiguration(bootstrapServers: "127.0.0.1:\(try Network.freePort())")
        configuration.messageTimeout = .seconds(120)
        let producer = try KafkaProducer(configuration: configuration, logger: KafkaTestSupport.logger)
        let send = Task {
            try await producer.send([KafkaProducerMessage(topic: "nowhere", key: "k", value: "v")])
        }
        try await Task.sleep(for: .milliseconds(300))
        let started = ContinuousClock.now
        await producer.shutdown(timeout: .milliseconds(200))
        await #expect(throws: KafkaError.self) { _ = try await send.value }
        // Far below the 120 s message timeout: shutdown, not the timeout, resumed the send.
        #expect(ContinuousClock.now - started < .seconds(60))
        await #expect(throws: KafkaError.closed(operation: "send")) {
            _ = try await producer.send([KafkaProducerMessage(topic: "nowhere", key: "k", value: "v")])
        }
        await producer.shutdown()
    }

    @Test("a full local queue is reported as queueFull once the records already enqueued are settled")
    func queueFull() async throws {
        var configuration = KafkaProducerConfiguration(bootstrapServers: "127.0.0.1:\(try Network.freePort())")
        configuration.messageTimeout = .seconds(1)
        configuration.queueBufferingMaxMessages = 5
        let producer = try KafkaProducer(configuration: configuration, logger: KafkaTestSupport.logger)
        let messages = (0..<10).map { KafkaProducerMessage(topic: "nowhere", key: "k\($0)", value: "v") }
        await #expect(throws: KafkaError.queueFull(topic: "nowhere")) {
            _ = try await producer.send(messages)
        }
        await producer.shutdown()
    }

    @Test("a second group member takes over half the partitions: the first is told what it lost and keeps the rest")
    func rebalanceBetweenMembers() async throws {
        let stack = try await LocalStack.shared()
        let topic = LocalStack.uniqueName("kafka-rebalance")
        try await admin(stack).createTopics([topic], partitions: 4, replicationFactor: 1)
        var configuration = KafkaConsumerConfiguration(bootstrapServers: stack.kafkaBootstrapServers,
                                                       groupID: LocalStack.uniqueName("group"))
        configuration.sessionTimeout = .seconds(10)
        let revokedFromFirst = Mutex<[KafkaTopicPartition]>([])
        let first = try KafkaConsumer(configuration: configuration, logger: KafkaTestSupport.logger,
                                      startingOffsets: { _ in [:] },
                                      revoked: { partitions in revokedFromFirst.withLock { $0 += partitions } })
        let second = try KafkaConsumer(configuration: configuration, logger: KafkaTestSupport.logger,
                                       startingOffsets: { _ in [:] }, revoked: { _ in })
        try first.subscribe(topics: [topic])
        let deadline = ContinuousClock.now + .seconds(30)
        while first.assignment.count < 4, ContinuousClock.now < deadline {
            _ = try await first.poll(maxMessages: 10, timeout: .milliseconds(200))
        }
        #expect(first.assignment.count == 4)

        try second.subscribe(topics: [topic])
        async let secondLoop: Void = {
            while second.assignment.count != 2, ContinuousClock.now < deadline {
                _ = try await second.poll(maxMessages: 10, timeout: .milliseconds(200))
            }
        }()
        while first.assignment.count != 2, ContinuousClock.now < deadline {
            _ = try await first.poll(maxMessages: 10, timeout: .milliseconds(200))
        }
        try await secondLoop

        #expect(first.assignment.count == 2)
        #expect(second.assignment.count == 2)
        #expect(first.assignment.isDisjoint(with: second.assignment))
        // Eager rebalancing revokes all four before handing two back.
        #expect(Set(revokedFromFirst.withLock { $0 }).count == 4)
        await first.close()
        await second.close()
    }
}
