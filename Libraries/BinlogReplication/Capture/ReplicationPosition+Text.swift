import Foundation

extension ReplicationPosition {
    /// The stored form: `{"gtid":"0-1-5","file":"binlog.000002","offset":1234}` (`gtid` absent without GTIDs).
    public var storedText: String {
        var writer = MaxwellJSONWriter(capacity: 80)
        writer.beginObject()
        if let gtid { writer.key("gtid"); writer.string(gtid.description) }
        writer.key("file"); writer.string(binlog.file)
        writer.key("offset"); writer.number(binlog.offset)
        writer.endObject()
        return writer.text
    }

    /// Parses `storedText`; nil when `text` is not such a document.
    public init?(storedText text: String) {
        guard let object = try? JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any],
              let file = object["file"] as? String, let offset = (object["offset"] as? NSNumber)?.uint64Value else {
            return nil
        }
        var gtid: Gtid?
        if let gtidText = object["gtid"] as? String {
            guard let parsed = Gtid(gtidText) else { return nil }
            gtid = parsed
        }
        self.init(binlog: BinlogPosition(file: file, offset: offset), gtid: gtid)
    }

    /// Where a reader resumes from this position: after its GTID when there is one, else at file:offset.
    public var startPosition: StartPosition {
        gtid.map { .gtid($0.description) } ?? .binlog(binlog)
    }
}
