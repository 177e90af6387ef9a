import Foundation
import PipelineCore
import Testing

@Suite("PageLogRecord")
struct PageLogRecordTests {
    private let utc = BusinessCalendar()

    private func validated(_ text: String) throws -> BehaviourEvent {
        try EventValidator.validate(try TestEvents.json(text), index: 0)
    }

    @Test("Events without a page part make no record", arguments: [
        #"{"common":{"mid":"m"},"start":{"entry":"icon"},"ts":1}"#,
        #"{"common":{"mid":"m"},"err":{"error_code":1},"ts":1}"#,
        #"{"common":{"mid":"m"},"displays":[{"item":"1"}],"actions":[],"ts":1}"#,
    ])
    func noPage(text: String) throws {
        #expect(PageLogRecord.make(from: try validated(text), calendar: utc) == nil)
    }

    @Test("A page view: common and page fields flattened, with id, time, day, hour and display count")
    func pageView() throws {
        let ts = Instants.nov1UTC + 13 * Instants.hour + 5
        let event = try validated("""
            {"common":{"mid":"mid_3","uid":"9","ar":"440000","ch":"oppo","is_new":"1"},
             "page":{"page_id":"good_detail","last_page_id":"home","item":"12","item_type":"sku_id","during_time":4000},
             "displays":[{"item":"1"},{"item":"2"}],"actions":[{"action_id":"favor_add"}],"ts":\(ts),"event_id":"client-1"}
            """)
        let record = try #require(PageLogRecord.make(from: event, calendar: utc))
        #expect(record.topic == Topics.pageLog)
        #expect(record.topic == "dwd.page_log")
        #expect(record.id == "client-1")
        #expect(record.version == nil)
        #expect(record.document == .object([
            "mid": .string("mid_3"), "uid": .string("9"), "ar": .string("440000"), "ch": .string("oppo"),
            "is_new": .string("1"), "page_id": .string("good_detail"), "last_page_id": .string("home"),
            "item": .string("12"), "item_type": .string("sku_id"), "during_time": .integer(4000),
            "event_id": .string("client-1"), "ts": .integer(ts), "date": .string("2026-11-01"), "hour": .integer(13),
            "display_count": .integer(2),
        ]))
    }

    @Test("Without displays there is no display_count; an empty list counts 0")
    func displayCount() throws {
        let without = try validated(#"{"common":{"mid":"m"},"page":{"page_id":"home"},"ts":1}"#)
        #expect(PageLogRecord.make(from: without, calendar: utc)?.document["display_count"] == nil)
        let empty = try validated(#"{"common":{"mid":"m"},"page":{"page_id":"home"},"displays":[],"ts":1}"#)
        #expect(PageLogRecord.make(from: empty, calendar: utc)?.document["display_count"] == .integer(0))
    }

    @Test("An event without a client id gets the derived id, the same for a resend")
    func derivedID() throws {
        let text = #"{"common":{"mid":"m"},"page":{"page_id":"home"},"ts":1}"#
        let record = try #require(PageLogRecord.make(from: try validated(text), calendar: utc))
        #expect(record.id == EventID.derive(from: try TestEvents.json(text)))
        #expect(record.document["event_id"] == .string(record.id))
        let resend = try #require(PageLogRecord.make(from: try validated(text), calendar: utc))
        #expect(resend == record)
    }

    @Test("The day and hour follow the calendar's time zone")
    func timeZone() throws {
        let shanghai = BusinessCalendar(timeZone: try #require(TimeZone(identifier: "Asia/Shanghai")))
        let event = try validated(#"{"common":{"mid":"m"},"page":{},"ts":\#(Instants.nov2Shanghai)}"#)
        let record = try #require(PageLogRecord.make(from: event, calendar: shanghai))
        #expect(record.document["date"] == .string("2026-11-02"))
        #expect(record.document["hour"] == .integer(0))
    }

    @Test("Derived fields win over page or common members of the same name")
    func derivedFieldsWin() throws {
        let event = try validated(#"{"common":{"mid":"m","date":"x"},"page":{"ts":"y","hour":99},"ts":5,"event_id":"e"}"#)
        let document = try #require(PageLogRecord.make(from: event, calendar: utc)?.document)
        #expect(document["date"] == .string("1970-01-01"))
        #expect(document["ts"] == .integer(5))
        #expect(document["hour"] == .integer(0))
    }
}
