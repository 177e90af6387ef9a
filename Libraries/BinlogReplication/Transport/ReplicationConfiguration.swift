/// How to reach the source database and identify to it as a replica.
public struct ReplicationConfiguration: Sendable, Equatable {
    public var host: String
    /// Default 3306.
    public var port: Int
    public var user: String
    public var password: String
    /// The server id this reader uses as a replica; must differ from every server and replica id in the
    /// replication topology. Default 6379 (any unused id works).
    public var replicaServerID: UInt32
    /// How often the server sends a heartbeat when there is nothing to replicate; default 5 seconds.
    public var heartbeatSeconds: Int
    /// Connect and read timeout in seconds; a read waits at most this long past a missing heartbeat. Default 30.
    public var timeoutSeconds: Int

    public init(host: String = "127.0.0.1", port: Int = 3306, user: String, password: String = "",
                replicaServerID: UInt32 = 6379, heartbeatSeconds: Int = 5, timeoutSeconds: Int = 30) {
        self.host = host
        self.port = port
        self.user = user
        self.password = password
        self.replicaServerID = replicaServerID
        self.heartbeatSeconds = heartbeatSeconds
        self.timeoutSeconds = timeoutSeconds
    }
}

/// Where to start reading the binlog.
public enum StartPosition: Sendable, Equatable {
    /// After the transaction(s) of this MariaDB GTID position (`domain-server-seq`, comma-separated per domain).
    case gtid(String)
    /// At a file and offset (the offset of an event's start, or a transaction's end).
    case binlog(BinlogPosition)
}
