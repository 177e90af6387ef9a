@testable import Common
import Testing

/// When a consumer counts as stuck on `/healthz`.
@Suite struct StallDetectorTests {
    let start = ContinuousClock.now

    @Test func aBusyConsumerNeverAsksForItsLag() {
        var detector = StallDetector(timeout: .seconds(300), now: start)
        for second in stride(from: 0, through: 600, by: 10) {
            let now = start + .seconds(second)
            detector.progressed(at: now)
            do { let asks = detector.shouldCheckLag(at: now + .seconds(5)); #expect(!asks) }
        }
    }

    @Test func lagWithoutCommitsForTheTimeoutIsStuck() {
        var detector = StallDetector(timeout: .seconds(60), now: start)
        do { let asks = detector.shouldCheckLag(at: start + .seconds(29)); #expect(!asks) }
        do { let asks = detector.shouldCheckLag(at: start + .seconds(30)); #expect(asks) }
        #expect(detector.judge(lag: 12, dependencyDown: false, at: start + .seconds(30)) == .fine)
        do { let asks = detector.shouldCheckLag(at: start + .seconds(35)); #expect(!asks) }   // at most every 10 s
        do { let asks = detector.shouldCheckLag(at: start + .seconds(61)); #expect(asks) }
        #expect(detector.judge(lag: 12, dependencyDown: false, at: start + .seconds(61)) == .stuck(waiting: 12, since: .seconds(61)))
        // A commit clears it.
        detector.progressed(at: start + .seconds(70))
        #expect(detector.judge(lag: 12, dependencyDown: false, at: start + .seconds(71)) == .fine)
    }

    @Test func nothingToReadIsKeepingUp() {
        var detector = StallDetector(timeout: .seconds(60), now: start)
        #expect(detector.judge(lag: 0, dependencyDown: false, at: start + .seconds(100)) == .fine)
        #expect(detector.lastProgress == start + .seconds(100))
        #expect(detector.judge(lag: 5, dependencyDown: false, at: start + .seconds(130)) == .fine)
    }

    @Test func aDependencyDownOrAnUnknownLagIsNotStuck() {
        var detector = StallDetector(timeout: .seconds(60), now: start)
        #expect(detector.judge(lag: 500, dependencyDown: true, at: start + .seconds(600)) == .fine)
        #expect(detector.judge(lag: nil, dependencyDown: false, at: start + .seconds(600)) == .fine)
        #expect(detector.judge(lag: 500, dependencyDown: false, at: start + .seconds(600)) == .stuck(waiting: 500, since: .seconds(600)))
    }
}
