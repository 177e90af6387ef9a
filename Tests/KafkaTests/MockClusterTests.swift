import Kafka
import Synchronization
import Testing

/// Producer and consumer against librdkafka's in-process mock cluster: no server needed.
@Suite("Kafka against librdkafka's mock cluster")
struct MockClusterTests {
    @Test("records with keys and headers go through and come back from the requested offsets")
    func roundTrip() async throws {
        let cluster = try KafkaMockCluster()
        try cluster.createTopic("orders", partitions: 2)
        let producer = try KafkaProducer(
            configuration: KafkaProducerConfiguration(bootstrapServers: cluster.bootstrapServers),
            logger: KafkaTestSupport.logger)
        let messages = (0..<10).map {
            KafkaProducerMessage(topic: "orders", key: "order-\($0)", value: "payload-\($0)",
                                 headers: [KafkaHeader(key: "seq", string: "\($0)")])
        }
        let reports = try await producer.send(messages)
        #expect(reports.count == 10)
        #expect(reports.allSatisfy { $0.topic == "orders" && $0.offset >= 0 })
        await producer.shutdown()

        let first = reports[0]
        let assigned = Mutex<[KafkaTopicPartition]>([])
        let consumer = try KafkaConsumer(
            configuration: KafkaConsumerConfiguration(bootstrapServers: cluster.bootstrapServers, groupID: "g"),
            logger: KafkaTestSupport.logger,
            startingOffsets: { partitions in
                assigned.withLock { $0 = partitions }
                // Skip the first record of the first message's partition.
                return [KafkaTopicPartition(topic: "orders", partition: first.partition): first.offset + 1]
            },
            revoked: { _ in })
        try consumer.subscribe(topics: ["orders"])
        let received = try await KafkaTestSupport.consume(consumer, count: 9)
        await consumer.close()

        #expect(Set(assigned.withLock { $0 }.map(\.partition)) == [0, 1])
        #expect(received.count == 9)
        #expect(!received.contains { $0.partition == first.partition && $0.offset == first.offset })
        for message in received {
            let index = try #require(reports.firstIndex { $0.partition == message.partition && $0.offset == message.offset })
            #expect(message.key == Array("order-\(index)".utf8))
            #expect(message.value == Array("payload-\(index)".utf8))
            #expect(message.headers == [KafkaHeader(key: "seq", string: "\(index)")])
        }
    }

    @Test("cancelling the task that polls ends the poll early without an error")
    func cancelledPoll() async throws {
        let cluster = try KafkaMockCluster()
        try cluster.createTopic("quiet", partitions: 1)
        let consumer = try KafkaConsumer(
            configuration: KafkaConsumerConfiguration(bootstrapServers: cluster.bootstrapServers, groupID: "g"),
            logger: KafkaTestSupport.logger, startingOffsets: { _ in [:] }, revoked: { _ in })
        try consumer.subscribe(topics: ["quiet"])
        let started = ContinuousClock.now
        let poll = Task { try await consumer.poll(maxMessages: 10, timeout: .seconds(600)) }
        try await Task.sleep(for: .milliseconds(300))
        poll.cancel()
        #expect(try await poll.value.isEmpty)
        // Not a speed check: only the cancellation can end the poll this far before its 600 s timeout.
        #expect(ContinuousClock.now - started < .seconds(300))
        await consumer.close()
    }

    @Test("clients dropped without shutdown or close are torn down safely, their partitions revoked")
    func dropWithoutClosing() async throws {
        let cluster = try KafkaMockCluster()
        try cluster.createTopic("dropped", partitions: 1)
        var producer: KafkaProducer? = try KafkaProducer(
            configuration: KafkaProducerConfiguration(bootstrapServers: cluster.bootstrapServers),
            logger: KafkaTestSupport.logger)
        let reports = try await producer?.send([KafkaProducerMessage(topic: "dropped", key: nil, value: "v")])
        #expect(reports?.count == 1)
        producer = nil

        let revoked = Mutex<[KafkaTopicPartition]>([])
        var consumer: KafkaConsumer? = try KafkaConsumer(
            configuration: KafkaConsumerConfiguration(bootstrapServers: cluster.bootstrapServers, groupID: "g"),
            logger: KafkaTestSupport.logger, startingOffsets: { _ in [:] },
            revoked: { partitions in revoked.withLock { $0 += partitions } })
        try consumer?.subscribe(topics: ["dropped"])
        let received = try await KafkaTestSupport.consume(try #require(consumer), count: 1)
        #expect(received.count == 1)
        consumer = nil
        // The last reference may go on the consumer's queue a moment later: wait for the revocation.
        let deadline = ContinuousClock.now + .seconds(10)
        while revoked.withLock({ $0.isEmpty }), ContinuousClock.now < deadline {
            try await Task.sleep(for: .milliseconds(20))
        }
        #expect(revoked.withLock { $0 } == [KafkaTopicPartition(topic: "dropped", partition: 0)])
    }

    @Test("topics that exist are not created again: a cluster without CreateTopics (or the Create ACL) will do")
    func existingTopicsAreNotCreated() async throws {
        let cluster = try KafkaMockCluster()
        try cluster.createTopic("present", partitions: 3)
        let admin = try KafkaAdmin(configuration: KafkaAdminConfiguration(bootstrapServers: cluster.bootstrapServers),
                                   logger: KafkaTestSupport.logger)
        // The mock has no CreateTopics API: a creation request would fail (time out) here.
        #expect(try await admin.ensureTopics(["present"], partitions: 3, timeout: .seconds(5)).isEmpty)
        #expect(try await admin.partitionCount(topic: "present") == 3)
    }
}
