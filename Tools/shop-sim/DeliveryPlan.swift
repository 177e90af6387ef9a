import PipelineCore

/// How the events travel to log-ingest: some resent (client retries), all shuffled so that event times
/// arrive out of order, cut into requests whose body formats alternate.
struct DeliveryPlan: Sendable {
    /// One `POST /v1/events`.
    struct Request: Sendable {
        /// 0-based position in the plan.
        let number: Int
        let events: [SimulatedEvent]
        let format: RequestBody.Format
        let gzip: Bool

        var body: RequestBody { RequestBody(events: events, format: format, gzip: gzip) }
    }

    let requests: [Request]

    /// Events in all requests, resends included.
    var eventCount: Int { requests.reduce(0) { $0 + $1.events.count } }

    /// Plans the delivery of `events`: `percentResent` of them twice (never twice in one request), the whole
    /// lot shuffled, then cut into requests of `batchSize`; JSON arrays and NDJSON alternate, and every
    /// third request is gzip-compressed when `gzip` is true.
    init(events: [SimulatedEvent], seed: UInt64, batchSize: Int, percentResent: Int, gzip: Bool) {
        var rng = SplitMix64(seed: seed ^ 0x5EED_DE11_0E1A_7105)
        var queue = events
        for event in events where rng.chance(percent: percentResent) {
            queue.append(event)
        }
        rng.shuffle(&queue)

        // Cut into batches; a copy that would share a batch with its twin waits for the next batch.
        var batches: [[SimulatedEvent]] = []
        var current: [SimulatedEvent] = []
        var identities: Set<String> = []
        var deferred: [SimulatedEvent] = []
        func close() {
            batches.append(current)
            current = []
            identities = []
        }
        for event in queue {
            if identities.contains(event.identity) {
                deferred.append(event)
                continue
            }
            current.append(event)
            identities.insert(event.identity)
            if current.count == batchSize {
                close()
                // Twins deferred from earlier batches never collide with each other (two copies at most).
                while !deferred.isEmpty && current.count < batchSize {
                    let event = deferred.removeFirst()
                    current.append(event)
                    identities.insert(event.identity)
                }
                if current.count == batchSize { close() }
            }
        }
        if !current.isEmpty { close() }
        while !deferred.isEmpty {
            current = Array(deferred.prefix(batchSize))
            deferred.removeFirst(current.count)
            close()
        }

        requests = batches.enumerated().map { number, events in
            Request(number: number, events: events, format: number % 2 == 0 ? .jsonArray : .ndjson,
                    gzip: gzip && number % 3 == 2)
        }
    }
}
