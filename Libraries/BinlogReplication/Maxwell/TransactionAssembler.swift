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

/// The rows of one committed transaction, in binlog order, and the position just after its commit. A
/// transaction with more rows than the assembler may hold comes in several parts: every part but the last
/// has no `end`.
public struct CommittedTransaction: Sendable, Equatable {
    public var records: [MaxwellRecord]
    /// Store this once every record up to here has been delivered: resuming here replays nothing of this
    /// transaction. Nil on a leading part of a large transaction (resuming replays it whole).
    public var end: ReplicationPosition?
    /// The records' `approximateSize` summed, for `BufferLimit` (computed when not given).
    public var approximateSize: Int

    public init(records: [MaxwellRecord], end: ReplicationPosition?, approximateSize: Int? = nil) {
        self.records = records
        self.end = end
        self.approximateSize = approximateSize ?? records.reduce(0) { $0 + $1.approximateSize }
    }
}

/// A transaction with more rows than the assembler may hold: where it starts and its xid, so that a second
/// read from `start` can hand it out in parts with the xid on every row.
public struct OversizedTransaction: Sendable, Equatable {
    /// The position of the transaction's first event (its GTID event, or BEGIN without GTIDs).
    public var start: BinlogPosition
    public var xid: UInt64?
}

/// What the assembler makes of one event.
public enum AssembledOutput: Sendable, Equatable {
    /// A complete transaction, or a part of one being replayed (see `CommittedTransaction.end`).
    case transaction(CommittedTransaction)
    /// A transaction exceeded the row limit; its rows were dropped. Read again from `start` with an
    /// assembler told about it (`replaying:`) to get it in parts.
    case oversized(OversizedTransaction)

    /// The transaction or part, nil for `.oversized`.
    public var transaction: CommittedTransaction? {
        if case .transaction(let transaction) = self { return transaction }
        return nil
    }
}

/// Turns the decoded event stream into Maxwell records grouped by transaction: tracks the binlog file,
/// the current GTID, and buffers a transaction's rows until its XID (or COMMIT) so that every row carries
/// the xid and the last one `commit: true`, as Maxwell does.
///
/// At most `limit` rows (and bytes) are held, plus the rows of the rows event being added. A larger
/// transaction is first only read through to its XID, which is returned as `.oversized`; an assembler
/// created with `replaying:` that transaction then hands it out in parts within the limit, each row with
/// the xid, holding back the last row so that it can carry `commit: true`. The binlog is the spill file:
/// no oversized transaction is ever held whole.
public struct TransactionAssembler: Sendable {
    private var file: String
    private var gtid: Gtid?
    private var records: [MaxwellRecord] = []
    private var inTransaction = false
    private var standalone = false
    private let limit: BufferLimit
    /// `approximateSize` of the held records.
    private var bufferedBytes = 0
    /// Where the open transaction started.
    private var transactionStart: BinlogPosition?
    /// The open transaction exceeded `limit`: its rows are dropped until its end.
    private var overflowed = false
    /// A transaction known to be oversized, handed out in parts when it comes by.
    private var replaying: OversizedTransaction?
    /// True while the open transaction is the one being replayed.
    private var replayingOpenTransaction = false

    /// `file` is the binlog file the stream starts in; the server's first ROTATE event confirms or changes it.
    public init(file: String = "", limit: BufferLimit = .unlimited, replaying: OversizedTransaction? = nil) {
        self.file = file
        self.limit = limit
        self.replaying = replaying
    }

    /// The binlog file events are being read from.
    public var currentFile: String { file }
    /// Rows held for the open transaction.
    public var bufferedRowCount: Int { records.count }

    /// Feeds one event; returns the transaction (or part) it completed, if any (possibly with no records when
    /// all its rows were filtered out: its `end` still moves the position forward).
    public mutating func handle(_ event: BinlogEvent) -> AssembledOutput? {
        let header = event.header
        switch event.payload {
        case .rotate(let rotate):
            file = rotate.file
            return nil
        case .gtid(let gtidEvent):
            begin(at: header)
            gtid = gtidEvent.gtid
            standalone = gtidEvent.isStandalone
            return nil
        case .query(let query):
            let statement = query.sql.trimmingWhitespace().uppercased()
            if statement == "BEGIN" {
                if !inTransaction || !records.isEmpty {
                    gtid = nil
                    begin(at: header)
                }
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
            return append(rows, header: header)
        case .formatDescription, .gtidList, .tableMap, .heartbeat, .other:
            return nil
        }
    }

    private mutating func begin(at header: EventHeader) {
        records.removeAll(keepingCapacity: true)
        bufferedBytes = 0
        inTransaction = true
        overflowed = false
        let start = BinlogPosition(file: file, offset: UInt64(header.position))
        transactionStart = start
        replayingOpenTransaction = replaying?.start == start
    }

    private mutating func finish(_ header: EventHeader, xid: UInt64?) -> AssembledOutput {
        defer {
            records.removeAll(keepingCapacity: true)
            bufferedBytes = 0
            inTransaction = false
            standalone = false
            overflowed = false
        }
        if overflowed, let transactionStart {
            return .oversized(OversizedTransaction(start: transactionStart, xid: xid))
        }
        if replayingOpenTransaction {
            replaying = nil
            replayingOpenTransaction = false
        }
        var finished = records
        for index in finished.indices { finished[index].xid = xid }
        if !finished.isEmpty { finished[finished.count - 1].commit = true }
        let end = ReplicationPosition(binlog: BinlogPosition(file: file, offset: UInt64(header.nextPosition)), gtid: gtid)
        return .transaction(CommittedTransaction(records: finished, end: end, approximateSize: bufferedBytes))
    }

    /// Adds the rows of `event`; returns a leading part when replaying a large transaction, or marks the
    /// transaction as overflowed when it outgrows the limit.
    private mutating func append(_ event: RowsEvent, header: EventHeader) -> AssembledOutput? {
        if overflowed { return nil }
        let added = records.count
        appendRecords(event, header: header)
        bufferedBytes += records[added...].reduce(0) { $0 + $1.approximateSize }
        // One row is always held: it cannot be split.
        guard records.count > 1, limit.isExceeded(records: records.count, bytes: bufferedBytes) else { return nil }
        if replayingOpenTransaction {
            // Everything but the last row: it may be the transaction's last and so carry `commit`.
            var part = Array(records.dropLast())
            for index in part.indices { part[index].xid = replaying?.xid }
            records.removeFirst(part.count)
            let heldBytes = records[0].approximateSize
            let partBytes = bufferedBytes - heldBytes
            bufferedBytes = heldBytes
            return .transaction(CommittedTransaction(records: part, end: nil, approximateSize: partBytes))
        }
        overflowed = true
        records.removeAll()
        bufferedBytes = 0
        return nil
    }

    private mutating func appendRecords(_ event: RowsEvent, header: EventHeader) {
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
