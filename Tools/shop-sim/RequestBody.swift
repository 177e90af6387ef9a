/// The bytes and headers of one request to `POST /v1/events`.
struct RequestBody: Sendable {
    enum Format: Sendable {
        /// `application/json`: an array of events (a lone event is sent as a bare object).
        case jsonArray
        /// `application/x-ndjson`: one event per line.
        case ndjson

        var contentType: String {
            switch self {
            case .jsonArray: return "application/json"
            case .ndjson: return "application/x-ndjson"
            }
        }
    }

    let events: [SimulatedEvent]
    let format: Format
    let gzip: Bool

    var contentType: String { format.contentType }
    var contentEncoding: String? { gzip ? "gzip" : nil }

    /// The uncompressed body.
    var plainBytes: [UInt8] {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(events.reduce(2) { $0 + $1.json.count + 1 })
        switch format {
        case .jsonArray where events.count == 1:
            bytes += events[0].json
        case .jsonArray:
            bytes.append(UInt8(ascii: "["))
            for (index, event) in events.enumerated() {
                if index > 0 { bytes.append(UInt8(ascii: ",")) }
                bytes += event.json
            }
            bytes.append(UInt8(ascii: "]"))
        case .ndjson:
            for event in events {
                bytes += event.json
                bytes.append(UInt8(ascii: "\n"))
            }
        }
        return bytes
    }

    /// The body as sent: gzip-compressed when `gzip` is set.
    func bytes() throws(Gzip.Failure) -> [UInt8] {
        gzip ? try Gzip.compress(plainBytes) : plainBytes
    }
}
