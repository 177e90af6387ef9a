/// Why a Redis call failed.
public enum RedisError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The server could not be reached, or the connection broke or timed out mid-command; the next call reconnects.
    case connection(String)
    /// The server answered with an error reply (`WRONGTYPE ...`, `NOSCRIPT ...`, `EXECABORT ...`).
    case server(String)
    /// The server's answer was not what the protocol or the command promised.
    case protocolError(String)

    public var description: String {
        switch self {
        case .connection(let message): return "Redis connection error: \(message)"
        case .server(let message): return "Redis error reply: \(message)"
        case .protocolError(let message): return "Redis protocol error: \(message)"
        }
    }
}
