import Common
import Testing

struct TokenBucketsTests {
    let start = ContinuousClock.now

    @Test func aBucketStartsFullAndRefillsAtItsRate() {
        let buckets = TokenBuckets(rate: 10, burst: 20)
        #expect(buckets.take(15, for: "a", now: start) == nil)
        #expect(buckets.take(5, for: "a", now: start) == nil)
        // Empty: 1 token needs 0.1 s, and nothing is taken by a refusal.
        #expect(buckets.take(1, for: "a", now: start) == .milliseconds(100))
        #expect(buckets.take(5, for: "a", now: start + .milliseconds(500)) == nil)
        #expect(buckets.take(1, for: "a", now: start + .milliseconds(500)) != nil)
        // Never more than the burst, however long it waited.
        #expect(buckets.take(20, for: "a", now: start + .seconds(100)) == nil)
        #expect(buckets.take(1, for: "a", now: start + .seconds(100)) != nil)
    }

    @Test func keysHaveBucketsOfTheirOwn() {
        let buckets = TokenBuckets(rate: 1, burst: 2)
        #expect(buckets.take(2, for: "a", now: start) == nil)
        #expect(buckets.take(1, for: "a", now: start) != nil)
        #expect(buckets.take(2, for: "b", now: start) == nil)
    }

    @Test func aRequestLargerThanTheBurstPassesWhenTheBucketIsFull() {
        let buckets = TokenBuckets(rate: 100, burst: 50)
        #expect(buckets.take(1_000, for: "a", now: start) == nil)
        #expect(buckets.take(1_000, for: "a", now: start) == .milliseconds(500))
    }

    @Test func aRefundGivesTokensBack() {
        let buckets = TokenBuckets(rate: 1, burst: 10)
        #expect(buckets.take(10, for: "a", now: start) == nil)
        buckets.refund(4, for: "a")
        #expect(buckets.take(4, for: "a", now: start) == nil)
        #expect(buckets.take(1, for: "a", now: start) != nil)
    }

    @Test func forgottenBucketsAreOnlyFullOnes() {
        let buckets = TokenBuckets(rate: 1, burst: 5, maximumKeys: 2)
        #expect(buckets.take(5, for: "empty", now: start) == nil)
        #expect(buckets.take(1, for: "b", now: start + .seconds(10)) == nil)
        #expect(buckets.take(1, for: "c", now: start + .seconds(10)) == nil)  // over the maximum: full ones go
        #expect(buckets.take(1, for: "empty", now: start + .seconds(1)) == nil, "refilled by 1 in the meantime")
    }
}
