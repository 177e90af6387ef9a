/// Where replication stands: the binlog file and offset after the last complete transaction and, on
/// servers with GTIDs, that transaction's GTID.
public struct ReplicationPosition: Sendable, Hashable, CustomStringConvertible {
    public var binlog: BinlogPosition
    public var gtid: Gtid?

    public init(binlog: BinlogPosition, gtid: Gtid? = nil) {
        self.binlog = binlog
        self.gtid = gtid
    }

    public var description: String { gtid.map { "\($0) (\(binlog))" } ?? binlog.description }
}

/// The rows of one committed transaction, in binlog order, and the position just after its commit.
public struct CommittedTransaction: Sendable, Equatable {
    public var records: [MaxwellRecord]
    /// Store this once every record has been delivered: resuming here replays nothing of this transaction.
    public var end: ReplicationPosition
}

/// Turns the decoded event stream into Maxwell records grouped by transaction: tracks the binlog file,
/// the current GTID, and buffers a transaction's rows until its XID (or COMMIT) so that every row carries
/// the xid and the last one `commit: true`, as Maxwell does.
public struct TransactionAssembler: Sendable {
    private var file: String
    private var gtid: Gtid?
    private var records: [MaxwellRecord] = []
    private var inTransaction = false
    private var standalone = false

    /// `file` is the binlog file the stream starts in; the server's first ROTATE event confirms or changes it.
    public init(file: String = "") {
        self.file = file
    }

    /// The binlog file events are being read from.
    public var currentFile: String { file }
    /// Rows held for the open transaction.
    public var bufferedRowCount: Int { records.count }

    /// Feeds one event; returns the transaction it completed, if any (possibly with no records when all its
    /// rows were filtered out: its `end` still moves the position forward).
    public mutating func handle(_ event: BinlogEvent) -> CommittedTransaction? {
        let header = event.header
        switch event.payload {
        case .rotate(let rotate):
            file = rotate.file
            return nil
        case .gtid(let gtidEvent):
            records.removeAll(keepingCapacity: true)
            gtid = gtidEvent.gtid
            inTransaction = true
            standalone = gtidEvent.isStandalone
            return nil
        case .query(let query):
            let statement = query.sql.trimmingWhitespace().uppercased()
            if statement == "BEGIN" {
                if !inTransaction || !records.isEmpty { gtid = nil }
                records.removeAll(keepingCapacity: true)
                inTransaction = true
                standalone = false
                return nil
            }
            if statement == "COMMIT" || standalone || !inTransaction {
                return finish(header, xid: nil)
            }
            return nil
        case .xid(let xid):
            return finish(header, xid: xid)
        case .rows(let rows):
            append(rows, header: header)
            return nil
        case .formatDescription, .gtidList, .tableMap, .heartbeat, .other:
            return nil
        }
    }

    private mutating func finish(_ header: EventHeader, xid: UInt64?) -> CommittedTransaction {
        var finished = records
        for index in finished.indices { finished[index].xid = xid }
        if !finished.isEmpty { finished[finished.count - 1].commit = true }
        let end = ReplicationPosition(binlog: BinlogPosition(file: file, offset: UInt64(header.nextPosition)), gtid: gtid)
        records.removeAll(keepingCapacity: true)
        inTransaction = false
        standalone = false
        return CommittedTransaction(records: finished, end: end)
    }

    private mutating func append(_ event: RowsEvent, header: EventHeader) {
        guard !event.rows.isEmpty else { return }
        let table = event.table
        let position = BinlogPosition(file: file, offset: UInt64(header.position))
        let primaryKey = table.primaryKeyNames
        for row in event.rows {
            var data: [MaxwellRecord.Field] = []
            var old: [MaxwellRecord.Field] = []
            data.reserveCapacity(table.columns.count)
            for (index, column) in table.columns.enumerated() {
                let after = row.after?[index] ?? nil
                let before = row.before?[index] ?? nil
                switch event.kind {
                case .insert:
                    if let after { data.append(.init(column.name, after)) }
                case .delete:
                    if let before { data.append(.init(column.name, before)) }
                case .update:
                    if let after {
                        data.append(.init(column.name, after))
                        if let before, before != after { old.append(.init(column.name, before)) }
                    } else if let before {
                        // A minimal after image: the before value is the row's current value.
                        data.append(.init(column.name, before))
                    }
                }
            }
            records.append(MaxwellRecord(
                database: table.database, table: table.table, kind: MaxwellRecord.Kind(rawValue: event.kind.rawValue) ?? .insert,
                timestamp: header.timestamp, position: position, gtid: gtid, serverID: header.serverID,
                data: data, old: old, primaryKey: primaryKey))
        }
    }
}

extension String {
    func trimmingWhitespace() -> Substring {
        let scalars = unicodeScalars
        guard let first = scalars.firstIndex(where: { !$0.properties.isWhitespace }) else { return "" }
        let last = scalars.lastIndex(where: { !$0.properties.isWhitespace })!
        return Substring(scalars[first...last])
    }
}
