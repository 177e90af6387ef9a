import BinlogReplication
import Common
import Logging
import Redis

/// A table to snapshot, `database.table`.
struct TableName: Sendable, Hashable, CustomStringConvertible {
    var database: String
    var table: String

    /// Parses `database.table`; nil unless both parts are non-empty.
    init?(_ text: String) {
        let parts = text.split(separator: ".", maxSplits: 1, omittingEmptySubsequences: false).map(String.init)
        guard parts.count == 2, !parts[0].isEmpty, !parts[1].isEmpty else { return nil }
        self.database = parts[0]
        self.table = parts[1]
    }

    var description: String { "\(database).\(table)" }
}

/// Runs bootstraps (`bootstrap-start`, `bootstrap-insert` rows, `bootstrap-complete`) one at a time, next to
/// the live stream. Tables are requested at start (`CDC_BOOTSTRAP`) or over HTTP (`POST /v1/bootstrap`).
/// A requested table stays in the Redis set `cdc:bootstrap:<server_id>:<client_id>` until its snapshot is
/// complete, so a restart runs an interrupted snapshot again from its start instead of losing it.
actor BootstrapQueue {
    enum State: String, Sendable {
        case queued, running, complete, failed
    }

    struct Job: Sendable {
        var table: TableName
        var state: State
        var rows: Int
        var error: String?
    }

    enum RequestError: Error, Equatable {
        case excluded(TableName)
        case alreadyPending(TableName)
    }

    private let capture: ChangeCapture
    private let redis: RedisClient
    private let key: String
    private let readiness: Readiness
    private let logger: Logger
    private var jobs: [Job] = []
    /// Signals `run()` that a job was queued; its iteration ends when `run()`'s task is cancelled.
    private let (wakeups, wake) = AsyncStream.makeStream(of: Void.self, bufferingPolicy: .bufferingNewest(1))

    init(capture: ChangeCapture, redis: RedisClient, key: String, readiness: Readiness, logger: Logger) {
        self.capture = capture
        self.redis = redis
        self.key = key
        self.readiness = readiness
        self.logger = logger
    }

    static func key(serverID: UInt32, clientID: String) -> String { "cdc:bootstrap:\(serverID):\(clientID)" }

    /// Every bootstrap since start, oldest first.
    var status: [Job] { jobs }

    /// Queues `table` and remembers it in Redis; refuses a table the filters exclude (its rows would never
    /// be streamed) and one already queued or running. With `waitingForRedis` false (an HTTP request) a
    /// Redis that is down fails the request at once instead of holding it open.
    @discardableResult
    func request(_ table: TableName, waitingForRedis: Bool = true) async throws -> Job {
        guard capture.reader.filter.includes(database: table.database, table: table.table) else {
            throw RequestError.excluded(table)
        }
        guard !jobs.contains(where: { $0.table == table && ($0.state == .queued || $0.state == .running) }) else {
            throw RequestError.alreadyPending(table)
        }
        // Listed before the first suspension, so that a concurrent request for the same table is refused.
        let job = Job(table: table, state: .queued, rows: 0)
        jobs.append(job)
        do {
            if waitingForRedis {
                try await remember(table)
            } else {
                _ = try await redis.execute(["SADD", key, table.description])
            }
        } catch {
            jobs.removeAll { $0.table == table && $0.state == .queued }
            throw error
        }
        wake.yield()
        logger.info("bootstrap queued", metadata: ["table": "\(table)"])
        return job
    }

    /// Queues the tables whose snapshot an earlier run did not finish, then `startup` (CDC_BOOTSTRAP).
    func restore(adding startup: [TableName]) async throws {
        let value = try await redisCommand(["SMEMBERS", key], what: "read unfinished bootstraps")
        let unfinished = (value.array ?? []).compactMap { $0.string.flatMap(TableName.init) }
            .sorted { $0.description < $1.description }
        for table in unfinished + startup where !jobs.contains(where: { $0.table == table && $0.state == .queued }) {
            do {
                try await request(table)
            } catch let error as RequestError {
                logger.error("bootstrap refused", metadata: ["table": "\(table)", "reason": "\(error)"])
                try await forget(table)
            }
        }
    }

    /// Runs queued bootstraps one after another until cancelled. A snapshot that fails (a missing table, no
    /// SELECT privilege) is reported in `status` and dropped; the live stream is not affected.
    func run() async throws {
        var wakeups = self.wakeups.makeAsyncIterator()
        while !Task.isCancelled {
            guard let index = jobs.firstIndex(where: { $0.state == .queued }) else {
                // nil: the task was cancelled.
                guard await wakeups.next() != nil else { return }
                continue
            }
            try await runJob(at: index)
        }
    }

    private func runJob(at index: Int) async throws {
        let table = jobs[index].table
        jobs[index].state = .running
        logger.info("bootstrap started", metadata: ["table": "\(table)"])
        do {
            let rows = try await capture.bootstrap(database: table.database, table: table.table) { [weak self] sent in
                Task { await self?.progress(table, rows: sent) }
            }
            try await forget(table)
            update(table) { $0.state = .complete; $0.rows = rows }
            logger.info("bootstrap complete", metadata: ["table": "\(table)", "rows": "\(rows)"])
        } catch is CancellationError {
            throw CancellationError()
        } catch let error as ReplicationError where error.isRetryable {
            // The database went away: run the snapshot again from its start once it is back.
            update(table) { $0.state = .queued }
            logger.warning("bootstrap interrupted, will start it again", metadata: ["table": "\(table)", "error": "\(error)"])
            try await Task.sleep(for: .seconds(5))
        } catch let error as ReplicationError {
            // The database refused the snapshot's queries: asking again will not help.
            try await forget(table)
            update(table) { $0.state = .failed; $0.error = "\(error)" }
            logger.error("bootstrap failed", metadata: ["table": "\(table)", "error": "\(error)"])
        }
    }

    private func progress(_ table: TableName, rows: Int) {
        update(table) { if $0.state == .running { $0.rows = max($0.rows, rows) } }
        if rows % 10_000 == 0 { logger.info("bootstrap progress", metadata: ["table": "\(table)", "rows": "\(rows)"]) }
    }

    private func update(_ table: TableName, _ change: (inout Job) -> Void) {
        guard let index = jobs.lastIndex(where: { $0.table == table }) else { return }
        change(&jobs[index])
    }

    private func remember(_ table: TableName) async throws {
        _ = try await redisCommand(["SADD", key, table.description], what: "remember a bootstrap")
    }

    private func forget(_ table: TableName) async throws {
        _ = try await redisCommand(["SREM", key, table.description], what: "forget a bootstrap")
    }

    /// Runs one Redis command, waiting for Redis while it is down.
    private nonisolated func redisCommand(_ command: [String], what: String) async throws -> RedisValue {
        try await waitForDependency("redis", readiness: readiness, logger: logger, what: what) {
            try await redis.execute(command)
        }
    }
}
