import Dispatch
import Synchronization

/// Hands committed transactions from the reader thread to an async consumer in batches: the consumer takes
/// everything queued at once (so one Kafka round trip can carry many small transactions), and the reader
/// thread waits while queuing a transaction would exceed `limit` (records or bytes).
final class TransactionQueue: Sendable {
    private struct State {
        var pending: [CommittedTransaction] = []
        var pendingRecords = 0
        var pendingBytes = 0
        var finished = false
        var failure: (any Error)?
        var stopped = false
        var producerWaiting = false
        var waiter: CheckedContinuation<[CommittedTransaction]?, any Error>?
    }

    private let state = Mutex(State())
    private let space = DispatchSemaphore(value: 0)
    let limit: BufferLimit

    init(limit: BufferLimit) {
        self.limit = limit
    }

    /// True once the consumer went away; the reader thread should stop.
    var isStopped: Bool { state.withLock { $0.stopped } }

    /// Queues `transaction`, waiting while the queue is full; returns false when the consumer has gone.
    func push(_ transaction: CommittedTransaction) -> Bool {
        let bytes = transaction.approximateSize
        while true {
            let outcome: (accepted: Bool, resume: (CheckedContinuation<[CommittedTransaction]?, any Error>, [CommittedTransaction])?)? = state.withLock { state in
                if state.stopped { return (false, nil) }
                guard state.pending.isEmpty || !limit.isExceeded(records: state.pendingRecords + transaction.records.count,
                                                                 bytes: state.pendingBytes + bytes) else {
                    state.producerWaiting = true
                    return nil
                }
                state.pending.append(transaction)
                state.pendingRecords += transaction.records.count
                state.pendingBytes += bytes
                if let waiter = state.waiter {
                    state.waiter = nil
                    let batch = state.pending
                    state.pending = []
                    state.pendingRecords = 0
                    state.pendingBytes = 0
                    return (true, (waiter, batch))
                }
                return (true, nil)
            }
            guard let outcome else {
                space.wait()
                continue
            }
            if let (waiter, batch) = outcome.resume { waiter.resume(returning: batch) }
            return outcome.accepted
        }
    }

    /// Ends the stream, with `error` if it failed; the consumer gets what is queued first.
    func finish(throwing error: (any Error)? = nil) {
        let waiter = state.withLock { state -> CheckedContinuation<[CommittedTransaction]?, any Error>? in
            state.finished = true
            state.failure = error
            defer { state.waiter = nil }
            return state.waiter
        }
        if let error { waiter?.resume(throwing: error) } else { waiter?.resume(returning: nil) }
    }

    /// The consumer stops: wakes the reader thread so that it exits.
    func stop() {
        let waiter = state.withLock { state -> CheckedContinuation<[CommittedTransaction]?, any Error>? in
            state.stopped = true
            defer { state.waiter = nil }
            return state.waiter
        }
        space.signal()
        waiter?.resume(returning: nil)
    }

    /// Everything queued, waiting for at least one transaction; nil at the end of the stream.
    func next() async throws -> [CommittedTransaction]? {
        try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { continuation in
                let action: (() -> Void)? = state.withLock { state in
                    if !state.pending.isEmpty {
                        let batch = state.pending
                        state.pending = []
                        state.pendingRecords = 0
                        state.pendingBytes = 0
                        let wake = state.producerWaiting
                        state.producerWaiting = false
                        return { [space] in
                            if wake { space.signal() }
                            continuation.resume(returning: batch)
                        }
                    }
                    if state.stopped { return { continuation.resume(returning: nil) } }
                    if state.finished {
                        let failure = state.failure
                        return { failure.map { continuation.resume(throwing: $0) } ?? continuation.resume(returning: nil) }
                    }
                    state.waiter = continuation
                    return nil
                }
                action?()
            }
        } onCancel: {
            stop()
        }
    }
}

/// Batches of committed transactions from a `BinlogReader`, in binlog order. Ending the iteration (or
/// cancelling its task) stops the reader thread.
public struct TransactionBatches: AsyncSequence, Sendable {
    public typealias Element = [CommittedTransaction]
    let queue: TransactionQueue

    public struct AsyncIterator: AsyncIteratorProtocol {
        let stopper: Stopper

        public mutating func next() async throws -> [CommittedTransaction]? {
            try await stopper.queue.next()
        }
    }

    /// Stops the queue when the last iterator copy goes away.
    final class Stopper: Sendable {
        let queue: TransactionQueue
        init(queue: TransactionQueue) { self.queue = queue }
        deinit { queue.stop() }
    }

    public func makeAsyncIterator() -> AsyncIterator {
        AsyncIterator(stopper: Stopper(queue: queue))
    }
}
