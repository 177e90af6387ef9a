import Common
import Foundation
import Kafka
import Logging
import Metrics
import PipelineCore

/// Turns batches of `ods.db` row changes (Maxwell's format) into `dwd.order` and `dwd.order_wide` records
/// (see `OrderJoiner`), exactly once: records are produced and acknowledged before the join state and the
/// offsets are committed together. Between batches it re-checks the held lines of the partitions it owns.
struct BusinessProcessor: BatchProcessor {
    let producer: KafkaProducer
    let state: BusinessStateReader<RedisHashReader>
    /// The shop's database; changes of other databases are skipped.
    let database: String
    let logger: Logger
    let deadLetters = Counter(label: "enricher_business_dead_letters_total")
    let orderRecords = Counter(label: "enricher_records_total", dimensions: [("topic", Topics.order)])
    let lineRecords = Counter(label: "enricher_records_total", dimensions: [("topic", Topics.orderWide)])
    let staleChanges = Counter(label: "enricher_stale_changes_total")
    let heldLines = Gauge(label: "enricher_held_lines")
    let oldestHeld = Gauge(label: "enricher_held_oldest_seconds")

    func process(_ batch: [KafkaConsumerMessage]) async throws -> [StateChange] {
        var changes: [BusinessChange] = []
        var rejected: [DeadLetter] = []
        for message in batch {
            do {
                let value = try JSONCodec.parse(message.value, numbers: .exact)
                guard let change = try MaxwellChange.read(value) else { continue }
                changes.append(try BusinessChange.classify(change, partition: message.partition, database: database))
            } catch {
                rejected.append(DeadLetter(source: message, reason: "not a usable row change: \(error)"))
            }
        }
        let plan = try await state.plan(changes: changes, now: Self.nowMillis())
        try await write(plan, rejected: rejected)
        return plan.changes
    }

    /// Re-checks every held line of the owned `ods.db` partitions, and reports how many are held.
    func idle(owned: [PartitionProgress]) async throws -> [StateChange] {
        var recheck: [LineRef] = []
        var oldest: Int64?
        for partition in owned where partition.topic == Topics.odsDB {
            for (line, since) in try await state.held(partition: partition.partition) {
                recheck.append(line)
                oldest = min(oldest ?? since, since)
            }
        }
        let now = Self.nowMillis()
        heldLines.record(recheck.count)
        oldestHeld.record(oldest.map { Double(max(0, now - $0)) / 1000 } ?? 0)
        guard !recheck.isEmpty else { return [] }
        let plan = try await state.plan(changes: [], recheck: recheck.sorted(), now: now)
        try await write(plan, rejected: [])
        if plan.released > 0 { logger.info("held lines completed", metadata: ["lines": "\(plan.released)"]) }
        return plan.changes
    }

    private func write(_ plan: OrderJoiner.Plan, rejected: [DeadLetter]) async throws {
        let messages = plan.records.map(\.kafkaMessage) + rejected.map { $0.kafkaMessage(topic: Topics.enricherDeadLetter) }
        if !messages.isEmpty { _ = try await producer.send(messages) }
        for letter in rejected {
            logger.warning("row change sent to dead-letter topic", metadata: [
                "source": "\(letter.source.topic)/\(letter.source.partition)@\(letter.source.offset)", "reason": "\(letter.reason)",
            ])
        }
        deadLetters.increment(by: rejected.count)
        orderRecords.increment(by: plan.records.count { $0.topic == Topics.order })
        lineRecords.increment(by: plan.records.count { $0.topic == Topics.orderWide })
        staleChanges.increment(by: plan.stale)
    }

    static func nowMillis() -> Int64 { Int64(Date().timeIntervalSince1970 * 1000) }
}
