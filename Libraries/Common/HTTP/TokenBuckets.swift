import Synchronization

/// Token buckets by key (a write key's name, a client address): each holds up to `burst` tokens and
/// refills at `rate` per second. Buckets are created full on first use; at most `maximumKeys` are kept
/// (beyond that, full ones are forgotten, which changes nothing: a new bucket starts full).
public final class TokenBuckets: Sendable {
    public let rate: Double
    public let burst: Double
    private let maximumKeys: Int
    private struct Bucket {
        var tokens: Double
        var updated: ContinuousClock.Instant
    }
    private let buckets = Mutex<[String: Bucket]>([:])

    /// `rate` tokens per second (> 0), `burst` the most a bucket holds (≥ 1).
    public init(rate: Double, burst: Double, maximumKeys: Int = 100_000) {
        precondition(rate > 0 && burst >= 1)
        self.rate = rate
        self.burst = burst
        self.maximumKeys = maximumKeys
    }

    /// Takes `amount` tokens from `key`'s bucket (at most `burst`, so that any request can pass when the
    /// bucket is full): nil when they were there, else how long until they will be (nothing taken).
    public func take(_ amount: Int, for key: String, now: ContinuousClock.Instant = .now) -> Duration? {
        let wanted = min(Double(amount), burst)
        return buckets.withLock { buckets -> Duration? in
            var bucket = buckets[key] ?? Bucket(tokens: burst, updated: now)
            bucket.tokens = refilled(bucket, at: now)
            bucket.updated = now
            guard bucket.tokens >= wanted else {
                buckets[key] = bucket
                return .seconds((wanted - bucket.tokens) / rate)
            }
            bucket.tokens -= wanted
            buckets[key] = bucket
            if buckets.count > maximumKeys {
                buckets = buckets.filter { refilled($0.value, at: now) < burst }
            }
            return nil
        }
    }

    /// Gives back tokens taken for a request that another limit then refused.
    public func refund(_ amount: Int, for key: String) {
        buckets.withLock { buckets in
            guard var bucket = buckets[key] else { return }
            bucket.tokens = min(burst, bucket.tokens + min(Double(amount), burst))
            buckets[key] = bucket
        }
    }

    private func refilled(_ bucket: Bucket, at now: ContinuousClock.Instant) -> Double {
        let elapsed = now - bucket.updated
        let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
        return min(burst, bucket.tokens + max(0, seconds) * rate)
    }
}
