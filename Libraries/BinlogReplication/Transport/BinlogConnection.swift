import CMariaDB

/// One connection to a MySQL/MariaDB server through libmariadb: plain queries, the server-setting check,
/// and the replication stream. Blocking and not thread-safe: use it from one thread (`BinlogReader` does).
public final class BinlogConnection {
    private let mysql: UnsafeMutablePointer<MYSQL>
    private var replication: UnsafeMutablePointer<MARIADB_RPL>?
    private var event: UnsafeMutablePointer<MARIADB_RPL_EVENT>?
    public let configuration: ReplicationConfiguration

    /// Connects; throws `ReplicationError.connection` when the server cannot be reached or refuses the login.
    public init(_ configuration: ReplicationConfiguration) throws {
        self.configuration = configuration
        guard let mysql = mysql_init(nil) else { throw ReplicationError.connection("mysql_init failed (out of memory)") }
        self.mysql = mysql
        var timeout = UInt32(configuration.timeoutSeconds)
        mysql_options(mysql, MYSQL_OPT_CONNECT_TIMEOUT, &timeout)
        var readTimeout = UInt32(max(configuration.timeoutSeconds, configuration.heartbeatSeconds * 3))
        mysql_options(mysql, MYSQL_OPT_READ_TIMEOUT, &readTimeout)
        mysql_options(mysql, MYSQL_SET_CHARSET_NAME, "utf8mb4")
        guard mysql_real_connect(mysql, configuration.host, configuration.user, configuration.password, nil,
                                 UInt32(configuration.port), nil, 0) != nil else {
            let message = String(cString: mysql_error(mysql))
            // deinit closes the handle: every stored property is set, so Swift runs it when init throws.
            throw ReplicationError.connection("\(configuration.user)@\(configuration.host):\(configuration.port): \(message)")
        }
    }

    deinit {
        if let event { mariadb_free_rpl_event(event) }
        if let replication { mariadb_rpl_close(replication) }
        mysql_close(mysql)
    }

    /// Runs `sql` and returns its rows (each column as text, nil for NULL).
    @discardableResult
    public func query(_ sql: String) throws -> [[String?]] {
        guard mysql_real_query(mysql, sql, UInt(sql.utf8.count)) == 0 else {
            throw ReplicationError.query(sql: sql, errno: mysql_errno(mysql), message: String(cString: mysql_error(mysql)))
        }
        guard let result = mysql_store_result(mysql) else {
            if mysql_field_count(mysql) == 0 { return [] }
            throw ReplicationError.query(sql: sql, errno: mysql_errno(mysql), message: String(cString: mysql_error(mysql)))
        }
        defer { mysql_free_result(result) }
        let columns = Int(mysql_num_fields(result))
        var rows: [[String?]] = []
        while let row = mysql_fetch_row(result) {
            let lengths = mysql_fetch_lengths(result)
            var values: [String?] = []
            for index in 0..<columns {
                if let cell = row[index], let lengths {
                    let buffer = UnsafeRawBufferPointer(start: cell, count: Int(lengths[index]))
                    values.append(String(decoding: buffer, as: UTF8.self))
                } else {
                    values.append(nil)
                }
            }
            rows.append(values)
        }
        return rows
    }

    /// A result column's type as the text protocol reports it.
    public struct ResultField: Sendable {
        public var name: String
        public var type: UInt32
        public var flags: UInt32
        public var charset: UInt32
    }

    /// Streams the rows of `sql` to `body` one at a time (raw bytes per column, nil for NULL), without
    /// holding the whole result in memory.
    public func forEachRow(_ sql: String, body: ([ResultField], [[UInt8]?]) throws -> Void) throws {
        guard mysql_real_query(mysql, sql, UInt(sql.utf8.count)) == 0, let result = mysql_use_result(mysql) else {
            throw ReplicationError.query(sql: sql, errno: mysql_errno(mysql), message: String(cString: mysql_error(mysql)))
        }
        defer { mysql_free_result(result) }
        let count = Int(mysql_num_fields(result))
        var fields: [ResultField] = []
        if let raw = mysql_fetch_fields(result) {
            for index in 0..<count {
                let field = raw[index]
                fields.append(ResultField(name: String(cString: field.name), type: field.type.rawValue,
                                          flags: UInt32(field.flags), charset: UInt32(field.charsetnr)))
            }
        }
        while let row = mysql_fetch_row(result) {
            guard let lengths = mysql_fetch_lengths(result) else { break }
            var values: [[UInt8]?] = []
            values.reserveCapacity(count)
            for index in 0..<count {
                if let cell = row[index] {
                    values.append(Array(UnsafeRawBufferPointer(start: cell, count: Int(lengths[index]))))
                } else {
                    values.append(nil)
                }
            }
            try body(fields, values)
        }
        if mysql_errno(mysql) != 0 {
            throw ReplicationError.query(sql: sql, errno: mysql_errno(mysql), message: String(cString: mysql_error(mysql)))
        }
    }

    /// The value of a global server variable, nil when the server has no such variable.
    public func variable(_ name: String) throws -> String? {
        try query("SHOW GLOBAL VARIABLES LIKE '\(name)'").first?[1] ?? nil
    }

    /// The settings change data capture needs; throws `ReplicationError.serverSetting` naming the first one missing.
    public func checkServerSettings() throws {
        let required: [(String, String, String)] = [
            ("log_bin", "ON", "start the server with log_bin (e.g. log_bin=mysql-bin in my.cnf)"),
            ("binlog_format", "ROW", "SET GLOBAL binlog_format='ROW' and put binlog_format=ROW in my.cnf"),
            ("binlog_row_image", "FULL", "SET GLOBAL binlog_row_image='FULL' and put binlog_row_image=FULL in my.cnf"),
            ("binlog_row_metadata", "FULL",
             "SET GLOBAL binlog_row_metadata='FULL' and put binlog_row_metadata=FULL in my.cnf (MariaDB 10.5+ / MySQL 8.0+)"),
        ]
        for (name, expected, advice) in required {
            guard let value = try variable(name) else {
                throw ReplicationError.serverSetting("the server has no \(name) variable (needs MariaDB 10.5+ or MySQL 8.0+); \(advice)")
            }
            if value.uppercased() != expected {
                throw ReplicationError.serverSetting("\(name) is \(value), must be \(expected): \(advice)")
            }
        }
        if let compress = try variable("log_bin_compress"), compress.uppercased() == "ON" {
            throw ReplicationError.serverSetting("log_bin_compress is ON, must be OFF: SET GLOBAL log_bin_compress=OFF")
        }
    }

    /// The server's current end of binlog: file, offset and (MariaDB) `gtid_binlog_pos`.
    public func currentPosition() throws -> (binlog: BinlogPosition, gtid: String) {
        guard let row = try query("SHOW MASTER STATUS").first, let file = row[0] ?? nil, let offsetText = row[1] ?? nil,
              let offset = UInt64(offsetText) else {
            throw ReplicationError.serverSetting("SHOW MASTER STATUS returned nothing: the binlog is off or the user lacks BINLOG MONITOR / REPLICATION CLIENT")
        }
        let gtidRows = (try? query("SELECT @@GLOBAL.gtid_binlog_pos")) ?? []
        return (BinlogPosition(file: file, offset: offset), (gtidRows.first?[0] ?? nil) ?? "")
    }

    /// The source server's `server_id`.
    public func serverID() throws -> UInt32 {
        UInt32(try variable("server_id") ?? "0") ?? 0
    }

    /// Starts the replication stream at `start`; events then come from `next()`.
    public func open(at start: StartPosition) throws {
        try query("SET @master_binlog_checksum = @@global.binlog_checksum")
        try query("SET @mariadb_slave_capability = 4")
        try query("SET @master_heartbeat_period = \(UInt64(configuration.heartbeatSeconds) * 1_000_000_000)")
        guard let replication = cdc_rpl_init(mysql) else {
            throw ReplicationError.connection("mariadb_rpl_init failed: \(String(cString: mysql_error(mysql)))")
        }
        self.replication = replication
        cdc_rpl_set_server_id(replication, configuration.replicaServerID)
        cdc_rpl_set_flags(replication, 0)
        switch start {
        case .gtid(let gtid):
            try query("SET @slave_connect_state = '\(gtid.filter { $0.isNumber || $0 == "-" || $0 == "," })'")
            try query("SET @slave_gtid_strict_mode = 1")
            try query("SET @slave_gtid_ignore_duplicates = 0")
            cdc_rpl_set_filename(replication, "", 0)
            cdc_rpl_set_start(replication, 4)
        case .binlog(let position):
            let file = Array(position.file.utf8)
            file.withUnsafeBufferPointer { buffer in
                buffer.withMemoryRebound(to: CChar.self) { _ = cdc_rpl_set_filename(replication, $0.baseAddress, file.count) }
            }
            cdc_rpl_set_start(replication, UInt(max(4, position.offset)))
        }
        guard mariadb_rpl_open(replication) == 0 else {
            throw streamError()
        }
    }

    /// The next raw event (header first, the server's status byte removed). Blocks until one arrives
    /// (heartbeats arrive every `heartbeatSeconds` while idle); throws when the stream fails.
    public func next() throws -> [UInt8] {
        guard let replication else { throw ReplicationError.stream(errno: 0, message: "open() was not called") }
        guard let fetched = mariadb_rpl_fetch(replication, event) else {
            event = nil
            throw streamError()
        }
        event = fetched
        let size = fetched.pointee.raw_data_size
        guard let raw = fetched.pointee.raw_data, size > 1 else {
            throw ReplicationError.stream(errno: 0, message: "empty replication packet")
        }
        return Array(UnsafeBufferPointer(start: raw + 1, count: size - 1))
    }

    private func streamError() -> ReplicationError {
        let errno = mysql_errno(mysql)
        let message = String(cString: mysql_error(mysql))
        if errno == 1236 {
            return .positionPurged("the server no longer has the requested binlog position (\(message)); "
                + "re-bootstrap: delete the stored position and restart with bootstrap of the tables you need")
        }
        if errno >= 2000 && errno < 3000 { return .connection("\(errno): \(message)") }
        return .stream(errno: errno, message: message)
    }
}
