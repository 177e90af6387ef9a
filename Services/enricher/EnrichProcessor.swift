import Common
import Kafka
import Logging
import Metrics
import PipelineCore

/// Turns a batch of `ods.log` events into `dwd.page_log` and `dwd.dau` records, enriched with the province
/// and user they refer to (`LogEnrichment`). Outputs are computed
/// from the Redis state as it was before the batch plus the batch itself, produced and acknowledged,
/// and only then is the new state returned for the atomic commit with the offsets.
struct EnrichProcessor: BatchProcessor {
    let producer: KafkaProducer
    let state: DauState
    let planner: DauPlanner
    /// Reads the dimension rows that page views and DAU records are enriched with.
    let dimensions: BusinessStateReader<RedisHashReader>
    let logger: Logger
    let deadLetters = Counter(label: "enricher_dead_letters_total")
    let pageRecords = Counter(label: "enricher_records_total", dimensions: [("topic", Topics.pageLog)])
    let dauRecords = Counter(label: "enricher_records_total", dimensions: [("topic", Topics.dau)])

    func process(_ batch: [KafkaConsumerMessage]) async throws -> [StateChange] {
        var events: [BehaviourEvent] = []
        var rejected: [DeadLetter] = []
        for message in batch {
            do {
                events.append(try BehaviourEvent(validating: try JSONCodec.parse(message.value)))
            } catch {
                rejected.append(DeadLetter(source: message, reason: "not a valid behaviour event: \(error)"))
            }
        }
        let pages = events.compactMap { PageLogRecord.make(from: $0, calendar: planner.calendar) }
        let known = try await state.known(planner.keys(of: events))
        let (dau, firstSeen) = planner.plan(events: events, known: known)

        var records = pages + dau
        try await dimensions.logEnrichment(userIDs: LogEnrichment.userIDs(in: records)).apply(to: &records)
        let messages = records.map(\.kafkaMessage) + rejected.map { $0.kafkaMessage(topic: Topics.enricherDeadLetter) }
        if !messages.isEmpty { _ = try await producer.send(messages) }
        for letter in rejected {
            logger.warning("event sent to dead-letter topic", metadata: [
                "source": "\(letter.source.topic)/\(letter.source.partition)@\(letter.source.offset)", "reason": "\(letter.reason)",
            ])
        }
        deadLetters.increment(by: rejected.count)
        pageRecords.increment(by: pages.count)
        dauRecords.increment(by: dau.count)
        return state.changes(recording: firstSeen)
    }
}
