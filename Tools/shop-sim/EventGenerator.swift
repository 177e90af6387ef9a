import PipelineCore

/// Generates the behaviour logs of the simulated devices in the gmall mock-log format: each device is
/// active on a random subset of the days, with one to three sessions a day (an app start, then page views
/// with displays and actions, now and then an error). Deterministic for a seed.
struct EventGenerator: Sendable {
    let settings: SimulationSettings

    /// All events, device by device in time order (the delivery plan shuffles them).
    func generate() -> [SimulatedEvent] {
        var root = SplitMix64(seed: settings.seed)
        let dates = settings.dates
        let dayStarts = (dates + [settings.startDate.adding(days: settings.days)]).map(settings.clock.startOfDay)
        var events: [SimulatedEvent] = []
        events.reserveCapacity(settings.devices * settings.days * 8)
        for number in 1...settings.devices {
            var rng = root.split()
            let device = Device(number: number, rng: &rng)
            let activity = rng.between(25...90)
            var activeDays = (0..<dates.count).filter { _ in rng.chance(percent: activity) }
            if activeDays.isEmpty { activeDays = [rng.below(dates.count)] }
            for (position, dayIndex) in activeDays.enumerated() {
                let span = dayStarts[dayIndex]..<dayStarts[dayIndex + 1]
                let sessions = rng.between(1...3)
                for _ in 0..<sessions {
                    session(of: device, isNew: device.isNew && position == 0, within: span, rng: &rng, into: &events)
                }
            }
        }
        return events
    }

    /// One app session: a start event, then a walk over pages, cut at the end of the day.
    private func session(of device: Device, isNew: Bool, within span: Range<Int64>, rng: inout SplitMix64,
                         into events: inout [SimulatedEvent]) {
        var common = device.common(isNew: isNew)
        if rng.chance(percent: 60) { common["uid"] = .string(String(device.userID)) }
        var ts = span.lowerBound + Int64(rng.below(Int(span.upperBound - span.lowerBound)))
        var start: [String: JSONValue] = [
            "start": .object([
                "entry": .string(rng.pick(["icon", "notice", "install"])),
                "loading_time": .integer(Int64(rng.between(1_000...18_000))),
                "open_ad_id": .integer(Int64(rng.between(1...20))),
                "open_ad_ms": .integer(Int64(rng.between(1_000...9_000))),
                "open_ad_skip_ms": .integer(rng.chance(percent: 50) ? 0 : Int64(rng.between(1_000...5_000))),
            ]),
        ]
        addError(to: &start, rng: &rng)
        append(start, common: common, ts: ts, rng: &rng, into: &events)
        ts += Int64(rng.between(500...20_000))

        let walk = Catalog.walks[rng.below(Catalog.walks.count)]
        let length = rng.between(min(2, walk.count)...walk.count)
        var lastPage: String?
        for pageID in walk.prefix(length) {
            guard span.contains(ts) else { return }
            let during = Int64(rng.between(1_000...20_000))
            var page: [String: JSONValue] = ["page_id": .string(pageID), "during_time": .integer(during)]
            if let lastPage { page["last_page_id"] = .string(lastPage) }
            if let item = Catalog.item(on: pageID, rng: &rng) {
                page["item"] = .string(item.item)
                page["item_type"] = .string(item.type)
            }
            if pageID == "good_detail" || pageID == "good_list" {
                page["source_type"] = .string(rng.pick(["promotion", "recommend", "query", "activity"]))
            }
            var members: [String: JSONValue] = ["page": .object(page)]
            if Catalog.pagesWithDisplays.contains(pageID) {
                members["displays"] = .array((0..<rng.between(1...8)).map { order in
                    .object([
                        "display_type": .string(rng.pick(["activity", "promotion", "query", "recommend"])),
                        "item": .string(String(rng.between(1...35))),
                        "item_type": .string(rng.chance(percent: 85) ? "sku_id" : "activity_id"),
                        "order": .integer(Int64(order + 1)),
                        "pos_id": .integer(Int64(rng.between(1...5))),
                    ])
                })
            }
            if let actions = Catalog.actions[pageID], rng.chance(percent: 40) {
                let actionTs = min(ts + during / 2, span.upperBound - 1)
                members["actions"] = .array([.object([
                    "action_id": .string(rng.pick(actions)),
                    "item": page["item_type"] == .string("sku_id") ? page["item"]! : .string(String(rng.between(1...35))),
                    "item_type": .string("sku_id"),
                    "ts": .integer(actionTs),
                ])])
            }
            addError(to: &members, rng: &rng)
            append(members, common: common, ts: ts, rng: &rng, into: &events)
            lastPage = pageID
            ts += during + Int64(rng.between(0...3_000))
        }
    }

    private func addError(to members: inout [String: JSONValue], rng: inout SplitMix64) {
        guard rng.chance(percent: 4) else { return }
        let code = rng.between(1_001...4_999)
        members["err"] = .object([
            "error_code": .integer(Int64(code)),
            "msg": .string(" Exception in thread \\  java.net.SocketTimeoutException\\n \\tat com.atgugu.gmall2020.mock.log.bean.AppError.main(AppError.java:\(code))"),
        ])
    }

    private func append(_ parts: [String: JSONValue], common: [String: JSONValue], ts: Int64, rng: inout SplitMix64,
                        into events: inout [SimulatedEvent]) {
        var members = parts
        members["common"] = .object(common)
        members["ts"] = .integer(ts)
        var clientID: String?
        if !rng.chance(percent: settings.percentWithoutEventID) {
            let id = Self.uuid(rng.next(), rng.next())
            clientID = id
            members["event_id"] = .string(id)
        }
        events.append(SimulatedEvent(mid: common["mid"]?.stringValue ?? "", ts: ts, area: common["ar"]?.stringValue,
                                     clientID: clientID,
                                     hasPage: members["page"] != nil, json: JSONCodec.serialize(.object(members))))
    }

    /// A version-4-shaped UUID from 128 random bits, as a mobile client would make.
    static func uuid(_ high: UInt64, _ low: UInt64) -> String {
        func hex(_ value: UInt64, _ digits: Int) -> String {
            let text = String(value, radix: 16)
            return String(repeating: "0", count: digits - text.count) + text
        }
        let high = (high & 0xFFFF_FFFF_FFFF_0FFF) | 0x0000_0000_0000_4000
        let low = (low & 0x3FFF_FFFF_FFFF_FFFF) | 0x8000_0000_0000_0000
        return "\(hex(high >> 32, 8))-\(hex((high >> 16) & 0xFFFF, 4))-\(hex(high & 0xFFFF, 4))-"
            + "\(hex(low >> 48, 4))-\(hex(low & 0xFFFF_FFFF_FFFF, 12))"
    }
}
