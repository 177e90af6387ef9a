import PipelineCore

/// The answers the pipeline must give for the simulated events, computed here from the events alone
/// (not with the pipeline's DauPlanner): per business day, the devices with at least one event and, by
/// hour and by area code, where each device's earliest event fell; each distinct event counted once.
struct ExpectedAnswers: Sendable, Equatable {
    struct Day: Sendable, Equatable {
        var dau: Int
        var byHour: [Int]
        /// Devices by the area code (`ar`) of their first event of the day.
        var byArea: [String: Int] = [:]
    }

    var days: [CivilDate: Day]
    var eventsGenerated: Int
    var eventsSent: Int
    var uniqueEvents: Int
    var uniquePageEvents: Int

    /// Computes the answers for `events` (as generated) sent as `plan`, for the simulated `dates`.
    init(events: [SimulatedEvent], plan: DeliveryPlan, dates: [CivilDate], clock: ZonedClock) {
        var seen: Set<String> = []
        var first: [CivilDate: [String: (ts: Int64, area: String?)]] = [:]
        var pageEvents = 0
        for request in plan.requests {
            for event in request.events where seen.insert(event.identity).inserted {
                if event.hasPage { pageEvents += 1 }
                let date = clock.dateAndHour(ofMillis: event.ts).date
                if event.ts < first[date]?[event.mid]?.ts ?? .max {
                    first[date, default: [:]][event.mid] = (event.ts, event.area)
                }
            }
        }
        var days: [CivilDate: Day] = [:]
        for date in dates { days[date] = Day(dau: 0, byHour: Array(repeating: 0, count: 24)) }
        for (date, devices) in first {
            var day = days[date] ?? Day(dau: 0, byHour: Array(repeating: 0, count: 24))
            day.dau = devices.count
            for (ts, area) in devices.values {
                day.byHour[clock.dateAndHour(ofMillis: ts).hour] += 1
                if let area { day.byArea[area, default: 0] += 1 }
            }
            days[date] = day
        }
        self.days = days
        eventsGenerated = events.count
        eventsSent = plan.eventCount
        uniqueEvents = seen.count
        uniquePageEvents = pageEvents
    }

    /// `{"days":{"yyyy-MM-dd":{"by_hour":[24],"by_province":[{"area_code":"110000","dau":N}],"dau":N}},
    /// "events_generated":…,"events_sent":…,"unique_events":…,"unique_page_events":…}` with sorted keys, so that
    /// a seed always gives the same bytes; `by_province` by dau descending, ties by area code.
    var json: [UInt8] {
        var dayMembers: [String: JSONValue] = [:]
        for (date, day) in days {
            dayMembers[date.description] = .object([
                "dau": .integer(Int64(day.dau)),
                "by_hour": .array(day.byHour.map { .integer(Int64($0)) }),
                "by_province": .array(day.byArea.sorted { ($1.value, $0.key) < ($0.value, $1.key) }.map { area, dau in
                    .object(["area_code": .string(area), "dau": .integer(Int64(dau))])
                }),
            ])
        }
        return JSONCodec.serialize(.object([
            "days": .object(dayMembers),
            "events_generated": .integer(Int64(eventsGenerated)),
            "events_sent": .integer(Int64(eventsSent)),
            "unique_events": .integer(Int64(uniqueEvents)),
            "unique_page_events": .integer(Int64(uniquePageEvents)),
        ])) + [UInt8(ascii: "\n")]
    }
}
