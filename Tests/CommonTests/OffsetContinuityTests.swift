@testable import Common
import Kafka
import Logging
import PipelineCore
import Testing

/// A batch may be committed only if it continues where the member's commits end.
@Suite struct OffsetContinuityTests {
    let p0 = KafkaTopicPartition(topic: "t", partition: 0)
    let p1 = KafkaTopicPartition(topic: "t", partition: 1)

    func progress(_ partition: Int32, _ first: Int64, _ next: Int64) -> PartitionProgress {
        PartitionProgress(topic: "t", partition: partition, firstOffset: first, nextOffset: next)
    }

    @Test func aBatchStartingAtOrBeforeTheCommittedOffsetHasNoGap() {
        var continuity = OffsetContinuity(logger: Logger(label: "test"))
        #expect(continuity.gaps(in: [progress(0, 10, 20), progress(1, 3, 9)], committed: [p0: 10, p1: 5]) == nil)
    }

    @Test func aPartitionNeverCommittedHasNoGap() {
        var continuity = OffsetContinuity(logger: Logger(label: "test"))
        #expect(continuity.gaps(in: [progress(0, 700, 710)], committed: [:]) == nil)
    }

    @Test func aBatchStartingPastTheCommittedOffsetIsAGap() {
        var continuity = OffsetContinuity(logger: Logger(label: "test"))
        let gaps = continuity.gaps(in: [progress(0, 10, 20), progress(1, 40, 50)], committed: [p0: 10, p1: 30])
        #expect(gaps == [OffsetGap(partition: p1, committed: 30, first: 40)])
        // Read again from 30, the batch continues: no gap, and nothing left pending.
        #expect(continuity.gaps(in: [progress(1, 30, 50)], committed: [p0: 10, p1: 30]) == nil)
        #expect(continuity.gaps(in: [progress(1, 40, 50)], committed: [p1: 30]) == [OffsetGap(partition: p1, committed: 30, first: 40)])
    }

    @Test func aGapSeenAgainAfterReadingAgainIsMissingFromTheLog() {
        var continuity = OffsetContinuity(logger: Logger(label: "test"))
        #expect(continuity.gaps(in: [progress(0, 15, 20)], committed: [p0: 10]) == [OffsetGap(partition: p0, committed: 10, first: 15)])
        // Reading again from 10 starts at 15 again: offsets 10..<15 hold no messages.
        #expect(continuity.gaps(in: [progress(0, 15, 20)], committed: [p0: 10]) == nil)
        // A later gap is reported afresh.
        #expect(continuity.gaps(in: [progress(0, 25, 30)], committed: [p0: 20]) == [OffsetGap(partition: p0, committed: 20, first: 25)])
    }

    @Test func aDifferentStartAfterReadingAgainIsReportedAgain() {
        var continuity = OffsetContinuity(logger: Logger(label: "test"))
        _ = continuity.gaps(in: [progress(0, 15, 20)], committed: [p0: 10])
        #expect(continuity.gaps(in: [progress(0, 12, 20)], committed: [p0: 10]) == [OffsetGap(partition: p0, committed: 10, first: 12)])
    }
}
