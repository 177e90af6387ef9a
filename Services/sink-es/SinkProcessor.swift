import Common
import Elasticsearch
import Kafka
import Logging
import Metrics
import PipelineCore

/// Writes a batch of `dwd.*` records to Elasticsearch with `_bulk`, the record id as `_id`: versioned
/// records with external versioning, the others (immutable) created once (either way a 409 means the
/// write is already there: done). Documents
/// Elasticsearch rejects for their content go to the dead-letter topic with the reason; items it
/// cannot take now (429, 5xx) are retried with backoff; an unreachable Elasticsearch throws, so the
/// whole batch is retried and nothing is skipped.
struct SinkProcessor: BatchProcessor {
    let elasticsearch: ElasticsearchClient
    let producer: KafkaProducer
    let settings: ElasticsearchSettings
    /// Documents per `_bulk` request, smaller after failed requests.
    let bulkSize: BulkSizer
    let logger: Logger
    let written = Counter(label: "sink_documents_total", dimensions: [("outcome", "written")])
    let stale = Counter(label: "sink_documents_total", dimensions: [("outcome", "stale_version")])
    let deadLettered = Counter(label: "sink_documents_total", dimensions: [("outcome", "dead_letter")])

    func process(_ batch: [KafkaConsumerMessage]) async throws -> [StateChange] {
        var operations: [BulkOperation] = []
        var sources: [KafkaConsumerMessage] = []
        var rejected: [DeadLetter] = []
        for message in batch {
            switch BulkOperation.forRecord(message, settings: settings) {
            case .success(let operation):
                operations.append(operation)
                sources.append(message)
            case .failure(let problem):
                rejected.append(DeadLetter(source: message, reason: problem.reason))
            }
        }
        var pending = Array(operations.indices)
        var backoff = Backoff()
        while !pending.isEmpty {
            var retry: [Int] = []
            for part in pending.chunked(by: bulkSize.size) {
                let response: BulkResponse
                do {
                    response = try await elasticsearch.bulk(part.map { operations[$0] })
                    bulkSize.succeeded()
                } catch {
                    bulkSize.failed()  // the batch is retried with smaller requests
                    throw error
                }
                for (position, item) in zip(part, response.items) {
                    switch item.outcome {
                    case .written: written.increment()
                    case .staleVersion: stale.increment()
                    case .rejected(let reason): rejected.append(DeadLetter(source: sources[position], reason: reason))
                    case .retryable(let reason):
                        retry.append(position)
                        logger.debug("document to retry", metadata: ["id": "\(item.id)", "reason": "\(reason)"])
                    }
                }
            }
            pending = retry
            if !pending.isEmpty {
                logger.warning("Elasticsearch deferred documents; retrying them", metadata: ["count": "\(pending.count)"])
                try await backoff.wait()
            }
        }
        if !rejected.isEmpty {
            _ = try await producer.send(rejected.map { $0.kafkaMessage(topic: Topics.sinkDeadLetter) })
            deadLettered.increment(by: rejected.count)
            for letter in rejected {
                logger.warning("document sent to dead-letter topic", metadata: [
                    "source": "\(letter.source.topic)/\(letter.source.partition)@\(letter.source.offset)", "reason": "\(letter.reason)",
                ])
            }
        }
        return []
    }
}
