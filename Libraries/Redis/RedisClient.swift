import Dispatch
import Logging
import Synchronization

/// A Redis client over one hiredis connection, opened lazily and reopened on the call after an I/O error.
///
/// Every method has a blocking form, for threads outside Swift's cooperative pool (a librdkafka rebalance
/// callback), and an async form that runs the blocking one on the client's own serial `DispatchQueue`.
/// Calls are serialized: one command or pipeline is on the wire at a time.
public final class RedisClient: Sendable {
    public let configuration: RedisConfiguration
    private let logger: Logger
    private let connection = Mutex<RedisConnection?>(nil)
    private let queue: DispatchQueue

    /// Creates the client without connecting; the first command connects.
    public init(configuration: RedisConfiguration = RedisConfiguration(), logger: Logger) {
        self.configuration = configuration
        var logger = logger
        logger[metadataKey: "redis"] = "\(configuration.host):\(configuration.port)/\(configuration.database)"
        self.logger = logger
        self.queue = DispatchQueue(label: "redis-client.\(configuration.host):\(configuration.port)")
    }

    // MARK: Blocking

    /// Runs one command and returns its reply, blocking the calling thread; an error reply throws `RedisError.server`.
    public func execute(_ arguments: [String]) throws -> RedisValue {
        try execute(arguments.map { Array($0.utf8) })
    }

    /// Runs one command with binary-safe arguments, blocking the calling thread; an error reply throws `.server`.
    public func execute(_ arguments: [[UInt8]]) throws -> RedisValue {
        guard !arguments.isEmpty else { throw RedisError.protocolError("a command needs at least its name") }
        let reply = try withConnection { connection throws(RedisError) in try connection.command(arguments) }
        if case .error(let message) = reply { throw RedisError.server(message) }
        return reply
    }

    /// Sends all commands in one round trip and returns their replies in order, blocking the calling thread;
    /// error replies are returned as `.error` in place, only connection and protocol failures throw.
    public func pipeline(_ commands: [[String]]) throws -> [RedisValue] {
        guard !commands.isEmpty else { return [] }
        if commands.contains(where: \.isEmpty) {
            throw RedisError.protocolError("a pipelined command needs at least its name")
        }
        let encoded = commands.map { $0.map { Array($0.utf8) } }
        return try withConnection { connection throws(RedisError) in try connection.pipeline(encoded) }
    }

    // MARK: Async

    /// Runs one command on the client's queue; an error reply throws `RedisError.server`.
    public func execute(_ arguments: [String]) async throws -> RedisValue {
        try await onQueue { try self.execute(arguments) }
    }

    /// Runs one command with binary-safe arguments on the client's queue; an error reply throws `.server`.
    public func execute(_ arguments: [[UInt8]]) async throws -> RedisValue {
        try await onQueue { try self.execute(arguments) }
    }

    /// Sends all commands in one round trip on the client's queue; error replies come back as `.error` in place.
    public func pipeline(_ commands: [[String]]) async throws -> [RedisValue] {
        try await onQueue { try self.pipeline(commands) }
    }

    /// Runs `work` (a blocking call) on the client's serial queue, off the cooperative thread pool.
    func onQueue<T: Sendable>(_ work: @escaping @Sendable () throws -> T) async throws -> T {
        try await withCheckedThrowingContinuation { continuation in
            queue.async { continuation.resume(with: Result(catching: work)) }
        }
    }

    /// Runs `body` with an open connection under the lock: replaces a connection the server closed while
    /// idle before sending anything, and drops one that failed mid-command so that the next call reconnects.
    private func withConnection<T: Sendable>(
        _ body: (RedisConnection) throws(RedisError) -> T
    ) throws(RedisError) -> T {
        try connection.withLock { (current: inout RedisConnection?) throws(RedisError) -> T in
            if let idle = current, idle.isClosedByPeer {
                logger.info("Redis closed the idle connection; reconnecting")
                current = nil
            }
            let open: RedisConnection
            if let existing = current {
                open = existing
            } else {
                do throws(RedisError) {
                    open = try RedisConnection(configuration: configuration)
                } catch {
                    logger.warning("Cannot connect to Redis", metadata: ["error": "\(error)"])
                    throw error
                }
                logger.debug("Connected to Redis")
                current = open
            }
            do throws(RedisError) {
                return try body(open)
            } catch {
                if open.hasFailed {
                    logger.warning("Redis connection failed; the next call reconnects", metadata: ["error": "\(error)"])
                    current = nil
                }
                throw error
            }
        }
    }
}
