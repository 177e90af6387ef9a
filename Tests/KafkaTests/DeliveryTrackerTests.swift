import Synchronization
import Testing
@testable import Kafka

@Suite("Delivery tracking")
struct DeliveryTrackerTests {
    private func report(_ offset: Int64) -> KafkaDeliveryReport {
        KafkaDeliveryReport(topic: "t", partition: 0, offset: offset)
    }

    @Test("reports arriving out of order come back in input order, once all are in")
    func inputOrder() async throws {
        let tracker = DeliveryTracker(logger: KafkaTestSupport.logger)
        let outcome = await withCheckedContinuation { continuation in
            let ids = tracker.register(count: 3, continuation: continuation)!
            let id = Array(ids)
            tracker.delivered(id: id[2], .success(report(12)))
            tracker.enqueueFinished(ids: ids, enqueued: 3, error: nil)
            tracker.delivered(id: id[0], .success(report(10)))
            #expect(tracker.waitingBatches == 1)
            tracker.delivered(id: id[1], .success(report(11)))
        }
        #expect(try outcome.get().map(\.offset) == [10, 11, 12])
        #expect(tracker.waitingBatches == 0)
    }

    @Test("a failed report fails the batch, but only after the other reports are in")
    func failureWaitsForAll() async {
        let tracker = DeliveryTracker(logger: KafkaTestSupport.logger)
        let resumedEarly = Atomic<Bool>(false)
        let failure = KafkaError.deliveryFailed(topic: "t", code: -192, message: "timed out")
        let outcome = await withCheckedContinuation { continuation in
            let ids = tracker.register(count: 2, continuation: continuation)!
            tracker.enqueueFinished(ids: ids, enqueued: 2, error: nil)
            tracker.delivered(id: ids.lowerBound, .failure(failure))
            resumedEarly.store(tracker.waitingBatches == 0, ordering: .relaxed)
            tracker.delivered(id: ids.lowerBound + 1, .success(report(1)))
        }
        let wasResumedEarly = resumedEarly.load(ordering: .relaxed)
        #expect(!wasResumedEarly)
        #expect(throws: failure) { try outcome.get() }
    }

    @Test("an enqueue error is thrown once the messages already enqueued are reported")
    func enqueueError() async {
        let tracker = DeliveryTracker(logger: KafkaTestSupport.logger)
        let outcome = await withCheckedContinuation { continuation in
            let ids = tracker.register(count: 5, continuation: continuation)!
            tracker.enqueueFinished(ids: ids, enqueued: 2, error: .queueFull(topic: "t"))
            #expect(tracker.waitingBatches == 1)
            tracker.delivered(id: ids.lowerBound, .success(report(0)))
            tracker.delivered(id: ids.lowerBound + 1, .success(report(1)))
        }
        #expect(throws: KafkaError.queueFull(topic: "t")) { try outcome.get() }
    }

    @Test("nothing enqueued resumes at once; shutdown fails the rest exactly once and refuses new batches")
    func shutdown() async {
        let tracker = DeliveryTracker(logger: KafkaTestSupport.logger)
        let immediate = await withCheckedContinuation { continuation in
            let ids = tracker.register(count: 1, continuation: continuation)!
            tracker.enqueueFinished(ids: ids, enqueued: 0, error: .closed(operation: "send"))
        }
        #expect(throws: KafkaError.closed(operation: "send")) { try immediate.get() }

        let late = await withCheckedContinuation { continuation in
            let ids = tracker.register(count: 2, continuation: continuation)!
            tracker.enqueueFinished(ids: ids, enqueued: 2, error: nil)
            tracker.stopAccepting()
            tracker.failAll(with: .closed(operation: "send"))
            // Reports after the shutdown must not resume the continuation a second time.
            tracker.delivered(id: ids.lowerBound, .success(report(0)))
            tracker.delivered(id: ids.lowerBound + 1, .success(report(1)))
        }
        #expect(throws: KafkaError.closed(operation: "send")) { try late.get() }
        let refused = await withCheckedContinuation { continuation in
            let ids = tracker.register(count: 1, continuation: continuation)
            #expect(ids == nil)
            continuation.resume(returning: .failure(.closed(operation: "send")))
        }
        #expect(throws: KafkaError.self) { try refused.get() }
    }
}
