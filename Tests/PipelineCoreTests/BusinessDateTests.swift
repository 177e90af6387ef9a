import Foundation
import PipelineCore
import Testing

@Suite("BusinessDate")
struct BusinessDateTests {
    @Test("A valid date keeps its parts and prints back the same text")
    func valid() throws {
        let date = try #require(BusinessDate("2026-11-01"))
        #expect(date.year == 2026)
        #expect(date.month == 11)
        #expect(date.day == 1)
        #expect(date.description == "2026-11-01")
        #expect("\(date)" == "2026-11-01")
    }

    @Test("Month lengths and leap years", arguments: [
        ("2024-02-29", true), ("2026-02-29", false), ("2000-02-29", true), ("1900-02-29", false),
        ("2100-02-29", false), ("2400-02-29", true), ("2026-02-28", true), ("2026-01-31", true),
        ("2026-04-30", true), ("2026-04-31", false), ("2026-06-31", false), ("2026-09-31", false),
        ("2026-11-31", false), ("2026-12-31", true), ("2026-07-31", true), ("2026-08-31", true),
    ])
    func monthLengths(text: String, isValid: Bool) {
        #expect((BusinessDate(text) != nil) == isValid, "\(text)")
    }

    @Test("Malformed or impossible dates", arguments: [
        "2026-02-30", "2026-1-01", "2026-01-1", "20260101", "", "2026-13-01", "2026-00-10", "2026-10-00",
        "2026-10-32", "2026/11/01", "2026-11-01 ", " 2026-11-01", "2026-11-01T00:00", "26-11-01", "02026-11-01",
        "+026-11-01", "-2026-11-01", "2026--11-01", "2026-11-", "yyyy-mm-dd", "２０２６-11-01", "2026-1١-01",
        "2026-11-01-01",
    ])
    func invalid(text: String) {
        #expect(BusinessDate(text) == nil, "\(text)")
    }

    @Test("Dates order by year, then month, then day")
    func ordering() throws {
        let texts = ["2027-01-01", "2026-12-31", "2026-02-01", "2026-01-31", "2025-12-31"]
        let dates = try texts.map { try #require(BusinessDate($0)) }
        #expect(dates.sorted().map(\.description) == texts.reversed())
        #expect(BusinessDate("2026-11-01") == BusinessDate("2026-11-01"))
        #expect(Set(dates + dates).count == dates.count)
    }

    @Test("Early years are printed with four digits")
    func padding() throws {
        #expect(try #require(BusinessDate("0099-01-05")).description == "0099-01-05")
    }
}

@Suite("BusinessCalendar")
struct BusinessCalendarTests {
    private func calendar(_ zone: String) throws -> BusinessCalendar {
        BusinessCalendar(timeZone: try #require(TimeZone(identifier: zone)))
    }

    private func expect(_ calendar: BusinessCalendar, _ ts: Int64, _ date: String, _ hour: Int,
                        sourceLocation: SourceLocation = #_sourceLocation) {
        let result = calendar.dayAndHour(ofMillis: ts)
        #expect(result.date.description == date, "ts \(ts)", sourceLocation: sourceLocation)
        #expect(result.hour == hour, "ts \(ts)", sourceLocation: sourceLocation)
    }

    @Test("The default zone is UTC")
    func defaultZone() {
        #expect(BusinessCalendar().timeZone.secondsFromGMT() == 0)
        expect(BusinessCalendar(), Instants.nov1UTC, "2026-11-01", 0)
    }

    @Test("UTC day boundary at 23:59:59.999 / 00:00:00.000")
    func utcBoundary() throws {
        let utc = try calendar("UTC")
        expect(utc, Instants.nov1LastMilliUTC, "2026-11-01", 23)
        expect(utc, Instants.nov2UTC, "2026-11-02", 0)
        expect(utc, Instants.nov1UTC - 1, "2026-10-31", 23)
        expect(utc, Instants.nov1UTC, "2026-11-01", 0)
        expect(utc, 0, "1970-01-01", 0)
        expect(utc, 1_709_208_000_000, "2024-02-29", 12)
    }

    @Test("Every hour of a UTC day, at its first and last millisecond")
    func utcHours() throws {
        let utc = try calendar("UTC")
        for hour in 0..<24 {
            let start = Instants.nov1UTC + Int64(hour) * Instants.hour
            expect(utc, start, "2026-11-01", hour)
            expect(utc, start + Instants.hour - 1, "2026-11-01", hour)
        }
    }

    @Test("Asia/Shanghai (UTC+8): the business day ends at 16:00Z")
    func shanghaiBoundary() throws {
        let shanghai = try calendar("Asia/Shanghai")
        expect(shanghai, Instants.nov1LastMilliShanghai, "2026-11-01", 23)
        expect(shanghai, Instants.nov2Shanghai, "2026-11-02", 0)
        expect(shanghai, Instants.nov1UTC, "2026-11-01", 8)
        expect(shanghai, Instants.nov1LastMilliUTC, "2026-11-02", 7)
    }

    @Test("America/New_York on the day DST ends (25 hours, hour 1 occurs twice)")
    func newYorkDSTEnd() throws {
        let newYork = try calendar("America/New_York")
        expect(newYork, Instants.nov1NewYork - 1, "2026-10-31", 23)
        expect(newYork, Instants.nov1NewYork, "2026-11-01", 0)
        expect(newYork, Instants.nov1NewYork + Instants.hour + 1_800_000, "2026-11-01", 1)        // 01:30 EDT
        expect(newYork, Instants.nov1NewYork + 2 * Instants.hour + 1_800_000, "2026-11-01", 1)    // 01:30 EST
        expect(newYork, Instants.nov1NewYork + 3 * Instants.hour, "2026-11-01", 2)
        expect(newYork, Instants.nov2NewYork - 1, "2026-11-01", 23)
        expect(newYork, Instants.nov2NewYork, "2026-11-02", 0)
    }

    @Test("The largest accepted event time maps to a day in 2286")
    func largestTime() throws {
        let result = try calendar("UTC").dayAndHour(ofMillis: EventValidator.maxTimestamp - 1)
        #expect(result.date.description == "2286-11-20")
        #expect(result.hour == 17)
    }
}
