import PipelineCore

/// The answers the pipeline must give for the simulated events, computed here from the events alone
/// (not with the pipeline's DauPlanner): per business day, the devices with at least one event and, by
/// hour, where each device's earliest event fell; each distinct event counted once.
struct ExpectedAnswers: Sendable, Equatable {
    struct Day: Sendable, Equatable {
        var dau: Int
        var byHour: [Int]
    }

    var days: [CivilDate: Day]
    var eventsGenerated: Int
    var eventsSent: Int
    var uniqueEvents: Int
    var uniquePageEvents: Int

    /// Computes the answers for `events` (as generated) sent as `plan`, for the simulated `dates`.
    init(events: [SimulatedEvent], plan: DeliveryPlan, dates: [CivilDate], clock: ZonedClock) {
        var seen: Set<String> = []
        var first: [CivilDate: [String: Int64]] = [:]
        var pageEvents = 0
        for request in plan.requests {
            for event in request.events where seen.insert(event.identity).inserted {
                if event.hasPage { pageEvents += 1 }
                let date = clock.dateAndHour(ofMillis: event.ts).date
                first[date, default: [:]][event.mid] = min(first[date]?[event.mid] ?? .max, event.ts)
            }
        }
        var days: [CivilDate: Day] = [:]
        for date in dates { days[date] = Day(dau: 0, byHour: Array(repeating: 0, count: 24)) }
        for (date, devices) in first {
            var day = days[date] ?? Day(dau: 0, byHour: Array(repeating: 0, count: 24))
            day.dau = devices.count
            for ts in devices.values { day.byHour[clock.dateAndHour(ofMillis: ts).hour] += 1 }
            days[date] = day
        }
        self.days = days
        eventsGenerated = events.count
        eventsSent = plan.eventCount
        uniqueEvents = seen.count
        uniquePageEvents = pageEvents
    }

    /// `{"days":{"yyyy-MM-dd":{"by_hour":[24],"dau":N}},"events_generated":…,"events_sent":…,"unique_events":…,
    /// "unique_page_events":…}` with sorted keys, so that a seed always gives the same bytes.
    var json: [UInt8] {
        var dayMembers: [String: JSONValue] = [:]
        for (date, day) in days {
            dayMembers[date.description] = .object([
                "dau": .integer(Int64(day.dau)),
                "by_hour": .array(day.byHour.map { .integer(Int64($0)) }),
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
