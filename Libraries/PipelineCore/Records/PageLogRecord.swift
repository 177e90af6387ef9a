/// Builds the `dwd.page_log` record of an event that has a `page` part: the page fields flattened
/// next to the device's common fields, with the business day and hour. Its id is the event id.
public enum PageLogRecord {
    public static func make(from event: BehaviourEvent, calendar: BusinessCalendar) -> OutputRecord? {
        guard let page = event.page else { return nil }
        var document: [String: JSONValue] = [:]
        for (key, value) in event.common { document[key] = value }
        for (key, value) in page { document[key] = value }
        let (date, hour) = calendar.dayAndHour(ofMillis: event.ts)
        document["event_id"] = .string(event.eventID)
        document["ts"] = .integer(event.ts)
        document["date"] = .string(date.description)
        document["hour"] = .integer(Int64(hour))
        if let displays = event.body["displays"] { document["display_count"] = .integer(Int64(displays.arrayValue?.count ?? 0)) }
        return OutputRecord(topic: Topics.pageLog, id: event.eventID, document: .object(document))
    }
}
