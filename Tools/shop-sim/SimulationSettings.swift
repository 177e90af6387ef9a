/// What to simulate: how many devices over which business days, in which zone, from which seed.
struct SimulationSettings: Sendable {
    var devices: Int
    var days: Int
    var seed: UInt64
    var startDate: CivilDate
    var clock: ZonedClock

    /// Share of events sent without a client `event_id` (log-ingest derives one from the content).
    var percentWithoutEventID = 10
    /// Share of events that a client retry sends a second time, byte for byte, in another request.
    var percentResent = 5

    /// The simulated business days, in order.
    var dates: [CivilDate] {
        (0..<days).map { startDate.adding(days: $0) }
    }
}
