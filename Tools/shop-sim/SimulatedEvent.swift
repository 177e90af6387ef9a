/// One generated behaviour event, serialized once so that a resend is byte-identical to the original.
struct SimulatedEvent: Sendable {
    /// The device, `common.mid`.
    let mid: String
    /// Event time in epoch milliseconds.
    let ts: Int64
    /// The device's area code, `common.ar`.
    let area: String?
    /// The client `event_id`, nil for the events sent without one.
    let clientID: String?
    /// Whether the event has a `page` part (it then becomes a page-log document).
    let hasPage: Bool
    /// The event's JSON (sorted keys, compact).
    let json: [UInt8]

    /// What makes two events the same event for the pipeline: the client id, or else the content itself.
    var identity: String {
        if let clientID { return "id:" + clientID }
        return "content:" + String(decoding: json, as: UTF8.self)
    }
}
