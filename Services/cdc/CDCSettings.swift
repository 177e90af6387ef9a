import BinlogReplication
import PipelineCore

/// What the cdc service reads and where it writes; from `CDC_*` variables.
struct CDCSettings: Sendable {
    /// `CDC_MYSQL_ADDR` (default `127.0.0.1:3306`), `CDC_MYSQL_USER` (default `cdc`), `CDC_MYSQL_PASSWORD`
    /// or `CDC_MYSQL_PASSWORD_FILE` (default empty), `CDC_REPLICA_SERVER_ID` (default 6379; unique among the source's replicas).
    var replication: ReplicationConfiguration
    /// `CDC_CLIENT_ID` (default `cdc`): names the stored position, `cdc:position:<server_id>:<client_id>`.
    var clientID: String
    /// `CDC_TOPIC` (default `ods.db`).
    var topic: String
    /// `CDC_INCLUDE` / `CDC_EXCLUDE`: comma-separated `database.table` patterns with `*` (default: all / none).
    var filter: TableFilter
    /// `CDC_PARTITION_COLUMNS`: `table:column[+column],...` (default `order_detail:order_id,order_info:id`);
    /// other tables are partitioned by primary key, as Maxwell's `producer_partition_by=primary_key`.
    var partitioner: MaxwellPartitioner
    /// `CDC_BUFFERED_RECORDS` (default 10000) and `CDC_BUFFERED_BYTES` (default 64 MiB): how much is decoded
    /// ahead of Kafka's acknowledgements, and the most of one transaction held in memory (a larger one is
    /// read twice and delivered in parts).
    var buffer: BufferLimit
    /// `CDC_BOOTSTRAP`: comma-separated `database.table` list to snapshot at start, next to the live stream
    /// (default none).
    var bootstrap: [TableName]
    /// `CDC_ADMIN_TOKEN` (or `CDC_ADMIN_TOKEN_FILE`): the bearer token of the admin endpoint (`/v1/bootstrap`); unset, the endpoint is off.
    var adminToken: String?
    /// `CDC_ON_UNDECODABLE`: `fail` (default: a text value invalid in its character set stops cdc with an
    /// error naming it) or `base64` (written as base64, counted in `cdc_undecodable_values_total`).
    /// `CDC_BINARY_PADDING`: `padded` (default: BINARY(n) values with all n bytes, as stored) or `maxwell`
    /// (without trailing zero bytes, as Maxwell writes them). See docs/cdc.md.
    var valueOptions: ValueDecodingOptions

    static func read(_ env: EnvironmentReader) throws(ConfigurationError) -> CDCSettings {
        let (host, port) = try env.hostAndPort("CDC_MYSQL_ADDR", default: "127.0.0.1:3306")
        let serverID = try env.integer("CDC_REPLICA_SERVER_ID", default: 6379, range: 1...4_294_967_295)
        let replication = ReplicationConfiguration(
            host: host, port: port, user: env.string("CDC_MYSQL_USER", default: "cdc"),
            password: try env.secret("CDC_MYSQL_PASSWORD") ?? "", replicaServerID: UInt32(serverID))
        var columns: [String: [String]] = [:]
        for entry in env.list("CDC_PARTITION_COLUMNS", default: ["order_detail:order_id", "order_info:id"]) {
            let parts = entry.split(separator: ":", maxSplits: 1).map(String.init)
            guard parts.count == 2, !parts[0].isEmpty, !parts[1].isEmpty else {
                throw ConfigurationError(variable: "CDC_PARTITION_COLUMNS", value: entry, expected: "table:column[+column]")
            }
            columns[parts[0]] = parts[1].split(separator: "+").map(String.init)
        }
        var bootstrap: [TableName] = []
        for entry in env.list("CDC_BOOTSTRAP", default: []) {
            guard let table = TableName(entry) else {
                throw ConfigurationError(variable: "CDC_BOOTSTRAP", value: entry, expected: "database.table")
            }
            bootstrap.append(table)
        }
        let adminToken = try env.secret("CDC_ADMIN_TOKEN") ?? ""
        let onUndecodable = try env.choice("CDC_ON_UNDECODABLE", default: "fail",
                                           choices: ValueDecodingOptions.Undecodable.allCases.map(\.rawValue))
        let binaryPadding = try env.choice("CDC_BINARY_PADDING", default: "padded",
                                           choices: ValueDecodingOptions.BinaryPadding.allCases.map(\.rawValue))
        return CDCSettings(
            replication: replication,
            clientID: env.string("CDC_CLIENT_ID", default: "cdc"),
            topic: env.string("CDC_TOPIC", default: "ods.db"),
            filter: TableFilter(include: env.list("CDC_INCLUDE", default: []), exclude: env.list("CDC_EXCLUDE", default: [])),
            partitioner: MaxwellPartitioner(columnsByTable: columns),
            buffer: BufferLimit(records: try env.integer("CDC_BUFFERED_RECORDS", default: 10_000, range: 1...10_000_000),
                                bytes: try env.integer("CDC_BUFFERED_BYTES", default: 64 << 20, range: (1 << 20)...(16 << 30))),
            bootstrap: bootstrap,
            adminToken: adminToken.isEmpty ? nil : adminToken,
            valueOptions: ValueDecodingOptions(onUndecodable: .init(rawValue: onUndecodable) ?? .fail,
                                               binaryPadding: .init(rawValue: binaryPadding) ?? .padded))
    }
}
