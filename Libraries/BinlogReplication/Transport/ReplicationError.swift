/// Why the replication connection failed, with what to do about it where there is something to do.
public enum ReplicationError: Error, CustomStringConvertible, Equatable {
    /// Could not connect or lost the connection; worth retrying.
    case connection(String)
    /// A query failed (`errno` is the server's error number).
    case query(sql: String, errno: UInt32, message: String)
    /// The server's configuration does not allow change data capture; the message names the setting to change.
    case serverSetting(String)
    /// The requested start position is no longer on the server (binlogs purged).
    case positionPurged(String)
    /// The binlog stream failed (`errno` is the server's or client library's error number).
    case stream(errno: UInt32, message: String)

    public var description: String {
        switch self {
        case .connection(let message): return "replication connection: \(message)"
        case let .query(sql, errno, message): return "query `\(sql)` failed (\(errno)): \(message)"
        case .serverSetting(let message): return "server not ready for change data capture: \(message)"
        case .positionPurged(let message): return message
        case let .stream(errno, message): return "binlog stream error \(errno): \(message)"
        }
    }

    /// True for failures a reconnect may cure (the server went away, a timeout), false for configuration errors.
    public var isRetryable: Bool {
        switch self {
        case .connection: return true
        case .stream(let errno, _): return !Self.fatalStreamErrors.contains(errno)
        case .query(_, let errno, _): return errno >= 2000  // client-side errors: lost connection and the like
        case .serverSetting, .positionPurged: return false
        }
    }

    /// ER_MASTER_FATAL_ERROR_READING_BINLOG (1236) covers purged logs and unknown GTIDs.
    static let fatalStreamErrors: Set<UInt32> = [1236]
}
