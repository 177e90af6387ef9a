import CRdKafka
import Dispatch
import Logging

/// Cluster administration: creating topics and reading their partition counts. Blocking librdkafka
/// calls run on the admin's own queue.
public final class KafkaAdmin: Sendable {
    private let client: RDKafkaClient
    private let queue = DispatchQueue(label: "kafka-admin")

    /// Connects lazily; throws `.configuration` naming a rejected property.
    public init(configuration: KafkaAdminConfiguration, logger: Logger) throws(KafkaError) {
        client = try RDKafkaClient.make(kind: .producer, properties: configuration.properties,
                                        context: RDKafkaClientContext(logger: logger))
    }

    /// Creates `names` with `partitions` partitions each (CreateTopics API); a topic that exists already
    /// is left as it is, whatever its partition count. `replicationFactor` -1 (the default) takes the
    /// broker's `default.replication.factor`; production clusters usually want 3. Waits up to `timeout`.
    public func createTopics(_ names: [String], partitions: Int32 = 4, replicationFactor: Int16 = -1,
                             timeout: Duration = .seconds(30)) async throws(KafkaError) {
        guard !names.isEmpty else { return }
        try await queue.perform { [client] () throws(KafkaError) in
            try client.withHandle("create topics") { handle throws(KafkaError) in
                try Self.createTopics(names, partitions: partitions, replicationFactor: replicationFactor,
                                      timeout: timeout, handle: handle)
            }
        }
    }

    /// Makes sure `names` exist: creates, as `createTopics` does, only those the cluster's metadata does
    /// not list. So a client that may not create topics (no `Create` ACL: an operator such as Strimzi's
    /// `KafkaTopic` owns them) or a broker without the CreateTopics API (librdkafka's mock cluster) works
    /// once they exist. Returns the topics it created.
    @discardableResult
    public func ensureTopics(_ names: [String], partitions: Int32 = 4, replicationFactor: Int16 = -1,
                             timeout: Duration = .seconds(30)) async throws(KafkaError) -> [String] {
        var missing: [String] = []
        for name in names {
            do {
                _ = try await partitionCount(topic: name, timeout: timeout)
            } catch .unknownTopic {
                missing.append(name)
            }
        }
        try await createTopics(missing, partitions: partitions, replicationFactor: replicationFactor, timeout: timeout)
        return missing
    }

    /// The number of partitions of `topic`, from the cluster's metadata; throws `.unknownTopic` if it
    /// does not exist (it is never auto-created by asking).
    public func partitionCount(topic: String, timeout: Duration = .seconds(10)) async throws(KafkaError) -> Int {
        try await queue.perform { [client] () throws(KafkaError) in
            try client.withHandle("read metadata") { handle throws(KafkaError) in
                try Self.partitionCount(topic: topic, timeout: timeout, handle: handle)
            }
        }
    }

    private static func createTopics(_ names: [String], partitions: Int32, replicationFactor: Int16,
                                     timeout: Duration, handle: OpaquePointer) throws(KafkaError) {
        let operation = "create topics \(names)"
        var newTopics: [OpaquePointer?] = []
        defer { newTopics.forEach { rd_kafka_NewTopic_destroy($0) } }
        for name in names {
            let (topic, message) = withRDKafkaErrorString {
                rd_kafka_NewTopic_new(name, partitions, Int32(replicationFactor), $0, $1)
            }
            guard let topic else {
                throw .operationFailed(operation: "create topic '\(name)'",
                                       code: RD_KAFKA_RESP_ERR__INVALID_ARG.rawValue, message: message)
            }
            newTopics.append(topic)
        }
        let options = rd_kafka_AdminOptions_new(handle, RD_KAFKA_ADMIN_OP_CREATETOPICS)
        defer { rd_kafka_AdminOptions_destroy(options) }
        // The broker waits up to half the time for the creation to finish; the request gets all of it.
        _ = withRDKafkaErrorString {
            rd_kafka_AdminOptions_set_request_timeout(options, timeout.wholeMilliseconds, $0, $1)
        }
        _ = withRDKafkaErrorString {
            rd_kafka_AdminOptions_set_operation_timeout(options, (timeout / 2).wholeMilliseconds, $0, $1)
        }
        let results = rd_kafka_queue_new(handle)
        defer { rd_kafka_queue_destroy(results) }
        newTopics.withUnsafeMutableBufferPointer {
            rd_kafka_CreateTopics(handle, $0.baseAddress, $0.count, options, results)
        }
        // librdkafka answers by the request timeout; the extra second only guards against a lost event.
        guard let event = rd_kafka_queue_poll(results, (timeout + .seconds(1)).wholeMilliseconds) else {
            throw .timedOut(operation: operation, timeout: timeout)
        }
        defer { rd_kafka_event_destroy(event) }
        let code = rd_kafka_event_error(event)
        guard code == RD_KAFKA_RESP_ERR_NO_ERROR else {
            throw .from(code, operation: operation, timeout: timeout)
        }
        guard let result = rd_kafka_event_CreateTopics_result(event) else {
            throw .operationFailed(operation: operation, code: RD_KAFKA_RESP_ERR__BAD_MSG.rawValue,
                                   message: "no CreateTopics result in the answer")
        }
        var count = 0
        guard let topics = rd_kafka_CreateTopics_result_topics(result, &count) else { return }
        for topic in UnsafeBufferPointer(start: topics, count: count) {
            let code = rd_kafka_topic_result_error(topic)
            guard code != RD_KAFKA_RESP_ERR_NO_ERROR, code != RD_KAFKA_RESP_ERR_TOPIC_ALREADY_EXISTS else { continue }
            let name = String(cString: rd_kafka_topic_result_name(topic))
            let message = rd_kafka_topic_result_error_string(topic).map { String(cString: $0) }
                ?? RDKafkaErrorCode.message(code.rawValue)
            throw .operationFailed(operation: "create topic '\(name)'", code: code.rawValue, message: message)
        }
    }

    private static func partitionCount(topic: String, timeout: Duration, handle: OpaquePointer) throws(KafkaError) -> Int {
        guard let topicHandle = rd_kafka_topic_new(handle, topic, nil) else {
            throw .from(rd_kafka_last_error(), operation: "read metadata of '\(topic)'")
        }
        defer { rd_kafka_topic_destroy(topicHandle) }
        var metadata: UnsafePointer<rd_kafka_metadata_t>?
        let code = rd_kafka_metadata(handle, 0, topicHandle, &metadata, timeout.wholeMilliseconds)
        guard code == RD_KAFKA_RESP_ERR_NO_ERROR, let metadata else {
            throw .from(code, operation: "read metadata of '\(topic)'", timeout: timeout)
        }
        defer { rd_kafka_metadata_destroy(metadata) }
        let topics = UnsafeBufferPointer(start: metadata.pointee.topics, count: Int(metadata.pointee.topic_cnt))
        guard let entry = topics.first(where: { String(cString: $0.topic) == topic }),
              entry.err != RD_KAFKA_RESP_ERR_UNKNOWN_TOPIC_OR_PART else {
            throw .unknownTopic(topic)
        }
        guard entry.err == RD_KAFKA_RESP_ERR_NO_ERROR else {
            throw .from(entry.err, operation: "read metadata of '\(topic)'", timeout: timeout)
        }
        return Int(entry.partition_cnt)
    }
}
