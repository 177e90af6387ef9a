import Foundation

/// Wall-clock arithmetic in one time zone, from the zone's UTC offset at each instant. Written apart from
/// PipelineCore's BusinessCalendar on purpose: the expected answers must not share the pipeline's code.
struct ZonedClock: Sendable {
    static let millisPerDay: Int64 = 86_400_000
    static let millisPerHour: Int64 = 3_600_000

    let timeZone: TimeZone

    /// Local wall-clock milliseconds since 1970-01-01T00:00 local, for the instant `ts` (epoch ms).
    func localMillis(_ ts: Int64) -> Int64 {
        let seconds = Double(Self.floorDiv(ts, 1000))
        return ts + Int64(timeZone.secondsFromGMT(for: Date(timeIntervalSince1970: seconds))) * 1000
    }

    /// The local date and hour (0-23) of `ts`.
    func dateAndHour(ofMillis ts: Int64) -> (date: CivilDate, hour: Int) {
        let local = localMillis(ts)
        let day = Self.floorDiv(local, Self.millisPerDay)
        let hour = (local - day * Self.millisPerDay) / Self.millisPerHour
        return (CivilDate(daysSinceEpoch: Int(day)), Int(hour))
    }

    /// The first instant (epoch ms) whose local date is `date` or later: local midnight, or the end of a
    /// DST gap that swallowed midnight.
    func startOfDay(_ date: CivilDate) -> Int64 {
        let target = Int64(date.daysSinceEpoch)
        let nominal = target * Self.millisPerDay
        var low = nominal - 30 * Self.millisPerHour      // no zone is more than 26 hours off
        var high = nominal + 30 * Self.millisPerHour
        while low < high {
            let middle = low + (high - low) / 2
            if Self.floorDiv(localMillis(middle), Self.millisPerDay) >= target { high = middle } else { low = middle + 1 }
        }
        return low
    }

    static func floorDiv(_ a: Int64, _ b: Int64) -> Int64 {
        let q = a / b
        return (a % b != 0 && (a < 0) != (b < 0)) ? q - 1 : q
    }
}
