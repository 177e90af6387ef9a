/// A record for a `dwd.*` topic: its document id (the Kafka key and the Elasticsearch `_id`), an
/// optional version (Elasticsearch external versioning: a higher version is newer), and the document.
public struct OutputRecord: Sendable, Equatable {
    public var topic: String
    public var id: String
    public var version: Int64?
    public var document: JSONValue

    public init(topic: String, id: String, version: Int64? = nil, document: JSONValue) {
        self.topic = topic
        self.id = id
        self.version = version
        self.document = document
    }

    /// The Kafka header that carries `version`; sink-es reads it back.
    public static let versionHeader = "version"
}

/// Names of the topics the pipeline reads and writes.
public enum Topics {
    public static let odsLog = "ods.log"
    public static let odsDB = "ods.db"
    public static let pageLog = "dwd.page_log"
    public static let dau = "dwd.dau"
    /// One record per order of the shop (`OrderRecords`).
    public static let order = "dwd.order"
    /// One record per order line, joined with its order and dimensions: the order wide table (`OrderRecords`).
    public static let orderWide = "dwd.order_wide"
    /// The shop's dimension rows as last known (`OrderRecords.dimension`), for names at query time.
    public static let dimension = "dwd.dimension"
    /// Where the enricher puts `ods.log` messages it cannot read.
    public static let enricherDeadLetter = "dlq.enricher"
    /// Where sink-es puts documents Elasticsearch rejected, with the reason.
    public static let sinkDeadLetter = "dlq.sink-es"
}
