import Foundation
import Logging
import Synchronization

/// Reads committed transactions from a MySQL/MariaDB binlog as Maxwell records, on a thread of its own
/// (libmariadb blocks), reconnecting with exponential backoff (0.5 s doubling to 30 s) when the server goes
/// away and resuming after the last transaction it handed out.
public final class BinlogReader: Sendable {
    public let configuration: ReplicationConfiguration
    public let filter: TableFilter
    private let logger: Logger
    /// What may be decoded ahead of the consumer, and held of one transaction.
    private let limit: BufferLimit
    /// How values are decoded (character set failures, BINARY padding); bootstraps use the same.
    public let valueOptions: ValueDecodingOptions

    /// `limit` (default 10,000 records, 64 MiB) bounds how far decoding runs ahead of the consumer and how
    /// much of one transaction is held: a larger transaction is read twice, first to its end for its xid,
    /// then handed out in parts (see `TransactionAssembler`).
    public init(configuration: ReplicationConfiguration, filter: TableFilter = TableFilter(),
                limit: BufferLimit = BufferLimit(), valueOptions: ValueDecodingOptions = ValueDecodingOptions(),
                logger: Logger = Logger(label: "cdc.binlog")) {
        self.configuration = configuration
        self.filter = filter
        self.limit = limit
        self.valueOptions = valueOptions
        self.logger = logger
    }

    /// Connects once, checks the server settings and returns the current end of the binlog, where a reader
    /// with no stored position starts.
    public func currentEnd() throws -> ReplicationPosition {
        let connection = try BinlogConnection(configuration)
        try connection.checkServerSettings()
        let (binlog, gtid) = try connection.currentPosition()
        return ReplicationPosition(binlog: binlog, gtid: nil).withGtidState(gtid)
    }

    /// Committed transactions from `start`, in binlog order, in batches of whatever was decoded while the
    /// consumer handled the previous batch. The sequence ends with an error that retrying cannot cure
    /// (settings, a purged position); connection losses are retried. Each transaction's `end` is where to
    /// resume once all its records are delivered; the leading parts of a large transaction have none.
    public func batches(from start: StartPosition) -> TransactionBatches {
        let queue = TransactionQueue(limit: limit)
        let thread = Thread { [self] in self.run(from: start, queue: queue) }
        thread.name = "binlog-reader"
        thread.start()
        return TransactionBatches(queue: queue)
    }

    private func run(from start: StartPosition, queue: TransactionQueue) {
        var position = start
        var gtidState = GtidState(start)
        var backoff = 0.5
        // A transaction too large to hold: read again from its start and handed out in parts.
        var oversized: OversizedTransaction?
        while !queue.isStopped {
            do {
                let connection = try BinlogConnection(configuration)
                try connection.checkServerSettings()
                let catalog = try makeCatalog()
                let filter = self.filter
                var decoder = EventDecoder(checksumEnabled: true, valueOptions: valueOptions) { map in
                    guard filter.includes(database: map.database, table: map.table) else { return nil }
                    return map.markingJSON(catalog.jsonColumns(database: map.database, table: map.table))
                }
                let openAt = oversized.map { StartPosition.binlog($0.start) } ?? position
                try connection.open(at: openAt)
                logger.info("binlog stream open", metadata: ["start": "\(openAt)"])
                var assembler = TransactionAssembler(file: openAt.file ?? "", limit: limit, replaying: oversized)
                reading: while !queue.isStopped {
                    let event: BinlogEvent
                    do {
                        event = try decoder.decode(try connection.next())
                    } catch var failure as UndecodableText {
                        failure.position = "\(assembler.currentFile), \(failure.position)"
                        throw failure
                    }
                    backoff = 0.5
                    if case .query = event.payload { catalog.invalidate() }
                    switch assembler.handle(event) {
                    case nil:
                        continue
                    case .oversized(let transaction):
                        logger.info("transaction larger than the buffer limit: reading it again in parts",
                                    metadata: ["start": "\(transaction.start)", "records": "\(limit.records)", "bytes": "\(limit.bytes)"])
                        oversized = transaction
                        break reading
                    case .transaction(let transaction):
                        if let end = transaction.end {
                            oversized = nil
                            if let gtid = end.gtid { gtidState.record(gtid) }
                            position = gtidState.isEmpty ? .binlog(end.binlog) : .gtid(gtidState.description)
                        }
                        guard queue.push(transaction) else { break reading }
                    }
                }
            } catch let error as ReplicationError where error.isRetryable {
                logger.warning("binlog stream lost, reconnecting", metadata: ["error": "\(error)", "retry_in_s": "\(backoff)"])
                Thread.sleep(forTimeInterval: backoff)
                backoff = min(backoff * 2, 30)
            } catch {
                logger.error("binlog stream failed", metadata: ["error": "\(error)"])
                queue.finish(throwing: error)
                return
            }
        }
        queue.finish()
    }

    /// A catalog whose look-ups use a second connection (the replication connection cannot run queries).
    private func makeCatalog() throws -> JSONColumnCatalog {
        let configuration = self.configuration
        let logger = self.logger
        let connection = Mutex<BinlogConnection?>(nil)
        return JSONColumnCatalog { database, table in
            connection.withLock { cached -> Set<String> in
                do {
                    if cached == nil { cached = try BinlogConnection(configuration) }
                    let rows = try cached!.query("SELECT CHECK_CLAUSE FROM information_schema.CHECK_CONSTRAINTS WHERE CONSTRAINT_SCHEMA = '\(database.sqlEscaped)' AND TABLE_NAME = '\(table.sqlEscaped)'")
                    return JSONColumnCatalog.columns(fromCheckClauses: rows.compactMap { $0.first ?? nil })
                } catch {
                    cached = nil
                    logger.warning("cannot read JSON columns; they will be strings", metadata: ["table": "\(database).\(table)", "error": "\(error)"])
                    return []
                }
            }
        }
    }
}

/// The last GTID seen per replication domain, written as MariaDB's `gtid_slave_pos` (`d-s-n,d-s-n`).
struct GtidState: CustomStringConvertible {
    private var byDomain: [UInt32: Gtid] = [:]

    init(_ start: StartPosition) {
        if case .gtid(let text) = start { self.init(text) } else { self.init("") }
    }

    init(_ text: String) {
        for part in text.split(separator: ",") {
            if let gtid = Gtid(part.trimmingCharacters(in: .whitespaces)) { byDomain[gtid.domain] = gtid }
        }
    }

    var isEmpty: Bool { byDomain.isEmpty }
    mutating func record(_ gtid: Gtid) { byDomain[gtid.domain] = gtid }
    var description: String { byDomain.keys.sorted().map { byDomain[$0]!.description }.joined(separator: ",") }
}

extension ReplicationPosition {
    /// This position with the GTID of its domain from a `gtid_binlog_pos` text (single-domain servers).
    func withGtidState(_ text: String) -> ReplicationPosition {
        var copy = self
        copy.gtid = text.split(separator: ",").compactMap { Gtid($0) }.first
        return copy
    }
}

extension StartPosition {
    /// The binlog file of a file:offset start, nil for a GTID start.
    var file: String? {
        if case .binlog(let position) = self { return position.file }
        return nil
    }
}

extension String {
    var sqlEscaped: String { replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "'", with: "''") }
}
