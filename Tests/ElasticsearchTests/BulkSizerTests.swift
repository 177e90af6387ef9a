import Testing
@testable import Elasticsearch

/// The size of `_bulk` requests after failures and successes.
@Suite struct BulkSizerTests {
    @Test func halvesOnFailureDownToTheMinimumAndDoublesBackOnSuccess() {
        let sizer = BulkSizer(maximum: 1000, minimum: 25)
        #expect(sizer.size == 1000)
        sizer.failed(); #expect(sizer.size == 500)
        for _ in 0..<10 { sizer.failed() }
        #expect(sizer.size == 25)
        sizer.succeeded(); #expect(sizer.size == 50)
        for _ in 0..<10 { sizer.succeeded() }
        #expect(sizer.size == 1000)
    }

    @Test func aMinimumAboveTheMaximumIsTheMaximum() {
        let sizer = BulkSizer(maximum: 10, minimum: 25)
        sizer.failed()
        #expect(sizer.size == 10)
    }

    @Test func chunksKeepOrderAndCoverEverything() {
        let items = Array(0..<7)
        #expect(items.chunked(by: 3).map(Array.init) == [[0, 1, 2], [3, 4, 5], [6]])
        #expect(items.chunked(by: 10).map(Array.init) == [items])
        #expect(items.chunked(by: 0).count == 7)
        #expect([Int]().chunked(by: 3).isEmpty)
    }
}
