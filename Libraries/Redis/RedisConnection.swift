import CHiredis
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// One blocking hiredis connection. Not thread-safe: `RedisClient` only touches it under its lock.
final class RedisConnection {
    private let context: UnsafeMutablePointer<redisContext>
    private let endpoint: String

    /// Connects, sets the command timeout, then authenticates and selects the database if configured.
    init(configuration: RedisConfiguration) throws(RedisError) {
        endpoint = "\(configuration.host):\(configuration.port)"
        guard let context = redisConnectWithTimeout(
            configuration.host, Int32(clamping: configuration.port), makeTimeval(configuration.connectTimeout))
        else {
            throw .connection("cannot allocate a hiredis context for \(endpoint)")
        }
        self.context = context
        // From here on deinit frees the context, also when a step below throws.
        if context.pointee.err != 0 {
            throw .connection("cannot connect to \(endpoint): \(errorText)")
        }
        if redisSetTimeout(context, makeTimeval(configuration.commandTimeout)) != REDIS_OK {
            throw .connection("cannot set the command timeout on \(endpoint): \(errorText)")
        }
        if let password = configuration.password {
            let arguments = configuration.username.map { ["AUTH", $0, password] } ?? ["AUTH", password]
            if case .error(let message) = try command(arguments.map { Array($0.utf8) }) {
                throw .server("AUTH on \(endpoint) failed: \(message)")
            }
        }
        if configuration.database != 0 {
            if case .error(let message) = try command([Array("SELECT".utf8), Array(String(configuration.database).utf8)]) {
                throw .server("SELECT \(configuration.database) on \(endpoint) failed: \(message)")
            }
        }
    }

    deinit {
        redisFree(context)
    }

    /// True once hiredis reported an I/O or protocol error: the context cannot be used again.
    var hasFailed: Bool { context.pointee.err != 0 }

    /// True if the server closed the connection (or sent something unasked) while it sat idle; checked
    /// before sending so that a dropped idle connection is replaced without any command being lost.
    var isClosedByPeer: Bool {
        var descriptor = pollfd(fd: context.pointee.fd, events: Int16(POLLIN), revents: 0)
        return poll(&descriptor, 1, 0) != 0
    }

    /// Sends one command and waits for its reply; an error reply comes back as `.error`, not thrown.
    func command(_ arguments: [[UInt8]]) throws(RedisError) -> RedisValue {
        let reply = Self.withArgv(arguments) { argc, argv, lengths in
            redisCommandArgv(context, argc, argv, lengths)
        }
        guard let reply else { throw failure(doing: "command \(Self.name(of: arguments))") }
        defer { freeReplyObject(reply) }
        return RedisValue(reply: reply.assumingMemoryBound(to: redisReply.self))
    }

    /// Sends all commands in one write, then reads their replies in order (one round trip).
    func pipeline(_ commands: [[[UInt8]]]) throws(RedisError) -> [RedisValue] {
        for arguments in commands {
            let status = Self.withArgv(arguments) { argc, argv, lengths in
                redisAppendCommandArgv(context, argc, argv, lengths)
            }
            if status != REDIS_OK { throw failure(doing: "buffering a pipeline of \(commands.count) commands") }
        }
        var replies: [RedisValue] = []
        replies.reserveCapacity(commands.count)
        for index in commands.indices {
            var reply: UnsafeMutableRawPointer?
            guard redisGetReply(context, &reply) == REDIS_OK, let reply else {
                throw failure(doing: "reading reply \(index + 1) of a pipeline of \(commands.count) commands")
            }
            replies.append(RedisValue(reply: reply.assumingMemoryBound(to: redisReply.self)))
            freeReplyObject(reply)
        }
        return replies
    }

    private var errorText: String {
        withUnsafeBytes(of: context.pointee.errstr) { raw in
            String(decoding: raw.prefix { $0 != 0 }, as: UTF8.self)
        }
    }

    private func failure(doing what: String) -> RedisError {
        switch context.pointee.err {
        case REDIS_ERR_PROTOCOL:
            return .protocolError("\(what) on \(endpoint): \(errorText)")
        case REDIS_ERR_IO where errno == EAGAIN || errno == EWOULDBLOCK:
            return .connection("\(what) on \(endpoint): timed out (\(errorText))")
        case 0:
            return .connection("\(what) on \(endpoint): hiredis failed without an error (out of memory?)")
        default:
            return .connection("\(what) on \(endpoint): \(errorText)")
        }
    }

    /// Calls `body` with argc, argv and argvlen over one contiguous copy of the arguments (binary safe).
    private static func withArgv<T>(
        _ arguments: [[UInt8]],
        _ body: (Int32, UnsafeMutablePointer<UnsafePointer<CChar>?>, UnsafePointer<Int>) -> T
    ) -> T {
        var storage: [UInt8] = []
        storage.reserveCapacity(arguments.reduce(1) { $0 + $1.count })
        var offsets: [Int] = []
        offsets.reserveCapacity(arguments.count)
        for argument in arguments {
            offsets.append(storage.count)
            storage.append(contentsOf: argument)
        }
        storage.append(0)  // never an empty buffer, so the base address is never nil
        let lengths = arguments.map(\.count)
        return storage.withUnsafeBufferPointer { buffer in
            buffer.baseAddress!.withMemoryRebound(to: CChar.self, capacity: buffer.count) { base in
                var pointers: [UnsafePointer<CChar>?] = offsets.map { base + $0 }
                return pointers.withUnsafeMutableBufferPointer { argv in
                    lengths.withUnsafeBufferPointer { argvlen in
                        body(Int32(arguments.count), argv.baseAddress!, argvlen.baseAddress!)
                    }
                }
            }
        }
    }

    private static func name(of arguments: [[UInt8]]) -> String {
        arguments.first.map { String(decoding: $0, as: UTF8.self) } ?? "(empty)"
    }
}

/// A `timeval` for a duration, rounded down to microseconds.
private func makeTimeval(_ duration: Duration) -> timeval {
    let (seconds, attoseconds) = duration.components
    return timeval(tv_sec: Int(seconds), tv_usec: Int(attoseconds / 1_000_000_000_000))
}
