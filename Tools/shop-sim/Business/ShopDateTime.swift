/// A DATETIME as the shop writes it: wall-clock seconds counted from 1970-01-01 00:00:00, with no time zone
/// (the business day and hour of an order are the ones written in its `create_time`).
struct ShopDateTime: Hashable, Comparable, Sendable, CustomStringConvertible {
    static let secondsPerDay: Int64 = 86_400

    var seconds: Int64

    init(seconds: Int64) {
        self.seconds = seconds
    }

    /// Midnight at the start of `date`.
    init(startOf date: CivilDate) {
        seconds = Int64(date.daysSinceEpoch) * Self.secondsPerDay
    }

    var date: CivilDate {
        CivilDate(daysSinceEpoch: Int(ZonedClock.floorDiv(seconds, Self.secondsPerDay)))
    }

    var hour: Int {
        Int((seconds - Int64(date.daysSinceEpoch) * Self.secondsPerDay) / 3_600)
    }

    func adding(seconds delta: Int64) -> ShopDateTime {
        ShopDateTime(seconds: seconds + delta)
    }

    /// `YYYY-MM-DD HH:MM:SS`, as MariaDB prints a DATETIME.
    var description: String {
        let second = Int(seconds - Int64(date.daysSinceEpoch) * Self.secondsPerDay)
        func two(_ n: Int) -> String { n < 10 ? "0\(n)" : "\(n)" }
        return "\(date) \(two(second / 3_600)):\(two(second / 60 % 60)):\(two(second % 60))"
    }

    static func < (a: ShopDateTime, b: ShopDateTime) -> Bool { a.seconds < b.seconds }
}
