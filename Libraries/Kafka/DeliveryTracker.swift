import Logging
import Synchronization

/// Matches librdkafka's delivery reports to the `send` calls waiting for them and resumes every
/// caller exactly once: when its last report is in, or with an error when the producer shuts down.
final class DeliveryTracker: Sendable {
    typealias Outcome = Result<[KafkaDeliveryReport], KafkaError>
    typealias Continuation = CheckedContinuation<Outcome, Never>

    private struct Batch {
        var continuation: Continuation
        var reports: [KafkaDeliveryReport?]
        var error: KafkaError?
        /// Messages handed to librdkafka; known for sure once enqueueing ended.
        var expected: Int
        var received = 0
        var isEnqueueing = true

        var isComplete: Bool { !isEnqueueing && received == expected }

        mutating func record(_ result: Result<KafkaDeliveryReport, KafkaError>, at index: Int) {
            received += 1
            switch result {
            case .success(let report): reports[index] = report
            case .failure(let error): if self.error == nil { self.error = error }
            }
        }
        var outcome: Outcome {
            if let error { return .failure(error) }
            return .success(reports.compactMap { $0 })
        }
    }

    private struct State {
        var nextMessageID: UInt = 1
        /// Batches by the id of their first message.
        var batches: [UInt: Batch] = [:]
        var messages: [UInt: (batch: UInt, index: Int)] = [:]
        var isAccepting = true
    }

    private let state = Mutex(State())
    private let logger: Logger

    init(logger: Logger) {
        self.logger = logger
    }

    /// Registers a batch of `count` messages; returns their ids (opaque values for librdkafka), or nil
    /// after `stopAccepting()`, in which case the caller resumes `continuation` itself.
    func register(count: Int, continuation: Continuation) -> Range<UInt>? {
        state.withLock { state in
            guard state.isAccepting else { return nil }
            let ids = state.nextMessageID..<(state.nextMessageID + UInt(count))
            state.nextMessageID = ids.upperBound
            state.batches[ids.lowerBound] = Batch(
                continuation: continuation, reports: Array(repeating: nil, count: count), expected: count)
            for (index, id) in ids.enumerated() {
                state.messages[id] = (ids.lowerBound, index)
            }
            return ids
        }
    }

    /// Ends enqueueing of the batch `ids`: the first `enqueued` messages went to librdkafka, `error`
    /// (if any) stopped the rest and becomes the batch's outcome once the enqueued ones are reported.
    func enqueueFinished(ids: Range<UInt>, enqueued: Int, error: KafkaError?) {
        let completion: (Continuation, Outcome)? = state.withLock { state in
            guard state.batches[ids.lowerBound] != nil else { return nil }
            for id in ids.dropFirst(enqueued) {
                state.messages[id] = nil
            }
            state.batches[ids.lowerBound]?.expected = enqueued
            state.batches[ids.lowerBound]?.isEnqueueing = false
            if let error { state.batches[ids.lowerBound]?.error = error }
            return Self.removeIfComplete(ids.lowerBound, from: &state)
        }
        if let (continuation, outcome) = completion { continuation.resume(returning: outcome) }
    }

    /// Records the delivery report of message `id`.
    func delivered(id: UInt, _ result: Result<KafkaDeliveryReport, KafkaError>) {
        let completion: (Continuation, Outcome)? = state.withLock { state in
            guard let (batchID, index) = state.messages.removeValue(forKey: id) else { return nil }
            // Mutated in place: copying the batch out would copy its reports for every report (O(n²)).
            state.batches[batchID]?.record(result, at: index)
            return Self.removeIfComplete(batchID, from: &state)
        }
        if let (continuation, outcome) = completion { continuation.resume(returning: outcome) }
    }

    /// Refuses new batches from now on.
    func stopAccepting() {
        state.withLock { $0.isAccepting = false }
    }

    /// Resumes every batch still waiting with `error` and forgets them; their late reports are ignored.
    func failAll(with error: KafkaError) {
        let waiting: [Continuation] = state.withLock { state in
            defer {
                state.batches.removeAll()
                state.messages.removeAll()
            }
            return state.batches.values.map(\.continuation)
        }
        if !waiting.isEmpty {
            logger.warning("Kafka producer gave up on sends still waiting", metadata: ["sends": "\(waiting.count)"])
        }
        for continuation in waiting { continuation.resume(returning: .failure(error)) }
    }

    /// The number of `send` calls waiting.
    var waitingBatches: Int { state.withLock { $0.batches.count } }

    /// Removes batch `id` if it is complete and returns what to resume it with.
    private static func removeIfComplete(_ id: UInt, from state: inout State) -> (Continuation, Outcome)? {
        guard state.batches[id]?.isComplete == true, let batch = state.batches.removeValue(forKey: id) else { return nil }
        return (batch.continuation, batch.outcome)
    }
}
