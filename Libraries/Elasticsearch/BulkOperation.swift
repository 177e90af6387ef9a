/// One document to write with `_bulk`, under a deterministic id so that a replay never duplicates it.
/// A versioned document is indexed with external versioning (a replay of an old version is refused); a
/// document without a version is immutable by contract (the same id is always the same record) and is
/// *created*: a replay finds it there (409, counted as done) instead of rewriting it. Rewriting costs a new
/// version and a deletion in the index, and on the local stand-in it is slow enough (about 0.2 s a
/// document in a 180,000-document index) that replays after a fault never caught up.
public struct BulkOperation: Sendable, Equatable {
    public var index: String
    public var id: String
    /// The document as one JSON object (line breaks are allowed; they are folded into spaces).
    public var document: [UInt8]
    /// An external version (e.g. derived from the binlog position): a write with a version not higher than
    /// the stored one is refused with 409, so an old replay never overwrites newer state. Default nil: always write.
    public var version: Int64?

    public init(index: String, id: String, document: [UInt8], version: Int64? = nil) {
        self.index = index
        self.id = id
        self.document = document
        self.version = version
    }

    /// The NDJSON body of a `_bulk` request: per operation an action line (`index` with `version` and
    /// `version_type: external` when a version is set, else `create`), then the document on one line. Pure.
    public static func ndjson(_ operations: [BulkOperation]) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(operations.reduce(0) { $0 + $1.document.count + $1.id.utf8.count + $1.index.utf8.count + 96 })
        for operation in operations {
            out += Array((operation.version == nil ? #"{"create":{"_index":"# : #"{"index":{"_index":"#).utf8)
            out += JSONText.quoted(operation.index)
            out += Array(#","_id":"#.utf8) + JSONText.quoted(operation.id)
            if let version = operation.version {
                out += Array(#","version":\#(version),"version_type":"external""#.utf8)
            }
            out += Array("}}\n".utf8)
            out += JSONText.singleLine(operation.document)
            out.append(0x0A)
        }
        return out
    }
}
