/// Where and how to reach one Redis server.
public struct RedisConfiguration: Sendable {
    /// Host name or IP address; default `127.0.0.1`.
    public var host: String
    /// TCP port; default 6379.
    public var port: Int
    /// ACL user name sent with `AUTH` (Redis 6+); default nil, the `default` user.
    public var username: String?
    /// Password sent with `AUTH` on every new connection; default nil (no `AUTH`). Never logged.
    public var password: String?
    /// Database selected with `SELECT` on every new connection; default 0.
    public var database: Int
    /// How long establishing the TCP connection may take; default 5 s.
    public var connectTimeout: Duration
    /// How long one command (or one pipeline's reply) may take before the connection is dropped; default 5 s.
    public var commandTimeout: Duration

    public init(
        host: String = "127.0.0.1",
        port: Int = 6379,
        username: String? = nil,
        password: String? = nil,
        database: Int = 0,
        connectTimeout: Duration = .seconds(5),
        commandTimeout: Duration = .seconds(5)
    ) {
        self.host = host
        self.port = port
        self.username = username
        self.password = password
        self.database = database
        self.connectTimeout = connectTimeout
        self.commandTimeout = commandTimeout
    }
}
