import PipelineCore

/// The index templates sink-es installs at start, so every index it writes has the right mapping.
enum IndexTemplates {
    /// (template name, body) for each index of the pipeline under `prefix`, refreshed every `refreshInterval`.
    static func all(prefix: String, refreshInterval: Duration) -> [(name: String, body: [UInt8])] {
        let refresh = "\(refreshInterval.components.seconds * 1000 + refreshInterval.components.attoseconds / 1_000_000_000_000_000)ms"
        func template(pattern: String, properties: [String: JSONValue]) -> [UInt8] {
            Self.template(pattern: pattern, properties: properties, refreshInterval: refresh)
        }
        return [
            ("\(prefix)dau", template(pattern: "\(prefix)dau*", properties: [
                "date": keyword, "mid": keyword, "uid": keyword, "ar": keyword, "event_id": keyword, "is_new": keyword,
                "hour": .object(["type": .string("integer")]),
                "ts": .object(["type": .string("date"), "format": .string("epoch_millis")]),
            ])),
            ("\(prefix)page_log", template(pattern: "\(prefix)page_log*", properties: [
                "date": keyword, "mid": keyword, "uid": keyword, "ar": keyword, "event_id": keyword,
                "page_id": keyword, "last_page_id": keyword, "item": keyword, "item_type": keyword,
                "hour": .object(["type": .string("integer")]),
                "during_time": .object(["type": .string("long")]),
                "ts": .object(["type": .string("date"), "format": .string("epoch_millis")]),
            ])),
            ("\(prefix)order", template(pattern: "\(prefix)order", properties: OrderRecords.orderMapping)),
            ("\(prefix)order_wide", template(pattern: "\(prefix)order_wide*", properties: OrderRecords.lineMapping)),
            ("\(prefix)dimension", template(pattern: "\(prefix)dimension*", properties: OrderRecords.dimensionMapping)),
        ]
    }

    private static let keyword: JSONValue = .object(["type": .string("keyword")])

    private static func template(pattern: String, properties: [String: JSONValue], refreshInterval: String) -> [UInt8] {
        JSONCodec.serialize(.object([
            "index_patterns": .array([.string(pattern)]),
            "template": .object([
                "settings": .object(["number_of_shards": .integer(1), "refresh_interval": .string(refreshInterval)]),
                "mappings": .object([
                    // Times such as "2026-11-01 13:05:22" stay keywords unless mapped as dates.
                    "date_detection": .bool(false),
                    // Other strings are exact-match keywords, not analysed text.
                    "dynamic_templates": .array([.object(["strings": .object([
                        "match_mapping_type": .string("string"),
                        "mapping": keyword,
                    ])])]),
                    "properties": .object(properties),
                ]),
            ]),
        ]))
    }
}
