import Elasticsearch
import Kafka
import PipelineCore
import Redis

/// Where Kafka is and how topics are laid out; read from `KAFKA_*` variables.
public struct KafkaSettings: Sendable {
    /// `KAFKA_BROKERS`, comma-separated host:port list (default `127.0.0.1:9092`).
    public var brokers: String
    /// `KAFKA_TOPIC_PARTITIONS`: partitions of topics created at start (default 4).
    public var partitions: Int32
    /// `KAFKA_REPLICATION_FACTOR` of topics created at start (default 1; use 3 on a real cluster).
    public var replicationFactor: Int16
    /// `KAFKA_MESSAGE_TIMEOUT`: how long a produced message may wait for acknowledgement (default 10s).
    public var messageTimeout: Duration
    /// `KAFKA_SESSION_TIMEOUT`: a consumer silent this long is removed from its group, and its
    /// partitions go to the others (default 10s; brokers accept 6s to 5m by default).
    public var sessionTimeout: Duration
    /// `KAFKA_MAX_POLL_INTERVAL`: a consumer stuck on one batch this long leaves the group; the
    /// commit fencing makes its late commit harmless (default 60s).
    public var maxPollInterval: Duration
    /// `KAFKA_GROUP_INSTANCE_ID`: static group membership (KIP-345). When set (e.g. to the pod
    /// name of a StatefulSet), a restarted consumer takes its partitions back at once instead of
    /// waiting for the session of its dead predecessor to time out. Default: unset (dynamic).
    public var groupInstanceID: String?
    /// TLS and SASL (`KAFKA_SECURITY_PROTOCOL`, `KAFKA_SSL_*`, `KAFKA_SASL_*`; default plaintext).
    public var security: KafkaSecurity
    /// `KAFKA_CONSUMER_STALL_TIMEOUT`: a consumer with messages waiting that has committed nothing for this
    /// long, no dependency being down, is reported stuck on `/healthz` (default 5m; `0s`: never).
    public var consumerStallTimeout: Duration?

    public static func read(_ env: EnvironmentReader) throws(ConfigurationError) -> KafkaSettings {
        let brokers = env.list("KAFKA_BROKERS", default: ["127.0.0.1:9092"])
        for broker in brokers {
            _ = try EnvironmentReader(["KAFKA_BROKERS": broker]).hostAndPort("KAFKA_BROKERS", default: broker)
        }
        return KafkaSettings(
            brokers: brokers.joined(separator: ","),
            partitions: Int32(try env.integer("KAFKA_TOPIC_PARTITIONS", default: 4, range: 1...1024)),
            replicationFactor: Int16(try env.integer("KAFKA_REPLICATION_FACTOR", default: 1, range: 1...16)),
            messageTimeout: try env.duration("KAFKA_MESSAGE_TIMEOUT", default: .seconds(10)),
            sessionTimeout: try env.duration("KAFKA_SESSION_TIMEOUT", default: .seconds(10)),
            maxPollInterval: try env.duration("KAFKA_MAX_POLL_INTERVAL", default: .seconds(60)),
            groupInstanceID: env.optionalString("KAFKA_GROUP_INSTANCE_ID"),
            security: try KafkaSecurity.read(env),
            consumerStallTimeout: try env.duration("KAFKA_CONSUMER_STALL_TIMEOUT", default: .seconds(300)).nonZero)
    }

    public func producerConfiguration() -> KafkaProducerConfiguration {
        var configuration = KafkaProducerConfiguration(bootstrapServers: brokers)
        configuration.messageTimeout = messageTimeout
        configuration.extra = security.properties
        return configuration
    }

    public func adminConfiguration() -> KafkaAdminConfiguration {
        var configuration = KafkaAdminConfiguration(bootstrapServers: brokers)
        configuration.extra = security.properties
        return configuration
    }

    /// Options of a `BatchConsumerService` reading `topics`, with this configuration's stall timeout.
    public func consumerOptions(topics: [String], maxBatchSize: Int) -> BatchConsumerService.Options {
        var options = BatchConsumerService.Options(topics: topics)
        options.maxBatchSize = maxBatchSize
        options.stallTimeout = consumerStallTimeout
        return options
    }

    public func consumerConfiguration(group: String) -> KafkaConsumerConfiguration {
        var configuration = KafkaConsumerConfiguration(bootstrapServers: brokers, groupID: group)
        configuration.sessionTimeout = sessionTimeout
        configuration.maxPollInterval = maxPollInterval
        configuration.extra = security.properties
        if let groupInstanceID { configuration.extra["group.instance.id"] = groupInstanceID }
        return configuration
    }
}

/// Where Redis is; read from `REDIS_*` variables.
public struct RedisSettings: Sendable {
    public var configuration: RedisConfiguration

    /// `REDIS_ADDR` (default `127.0.0.1:6379`), `REDIS_PASSWORD` or `REDIS_PASSWORD_FILE` (default none), `REDIS_DB` (default 0).
    public static func read(_ env: EnvironmentReader) throws(ConfigurationError) -> RedisSettings {
        let (host, port) = try env.hostAndPort("REDIS_ADDR", default: "127.0.0.1:6379")
        var configuration = RedisConfiguration()
        configuration.host = host
        configuration.port = port
        configuration.password = try env.secret("REDIS_PASSWORD")
        configuration.database = try env.integer("REDIS_DB", default: 0, range: 0...15)
        return RedisSettings(configuration: configuration)
    }
}

/// Where Elasticsearch is and how indices are named; read from `ELASTICSEARCH_*` variables.
public struct ElasticsearchSettings: Sendable {
    public var configuration: ElasticsearchConfiguration
    /// `ELASTICSEARCH_INDEX_PREFIX`: prepended to every index name (default `gmall_`).
    public var indexPrefix: String

    /// `ELASTICSEARCH_URL` (default `http://127.0.0.1:9200`); `ELASTICSEARCH_CA_FILE` for an `https` URL whose
    /// certificate the system's CAs do not vouch for (ECK's self-signed CA); either `ELASTICSEARCH_USERNAME` with
    /// `ELASTICSEARCH_PASSWORD` (or `_FILE`) or `ELASTICSEARCH_API_KEY` (or `_FILE`) (default: no authentication);
    /// `ELASTICSEARCH_TIMEOUT` per request (default 30s); `ELASTICSEARCH_MAX_CONNECTIONS` open at once (default 16).
    public static func read(_ env: EnvironmentReader) throws(ConfigurationError) -> ElasticsearchSettings {
        var configuration = ElasticsearchConfiguration()
        configuration.url = try env.httpURL("ELASTICSEARCH_URL", default: "http://127.0.0.1:9200")
        configuration.caFile = try env.readableFile("ELASTICSEARCH_CA_FILE")
        if let caFile = configuration.caFile, !configuration.url.lowercased().hasPrefix("https://") {
            throw ConfigurationError(variable: "ELASTICSEARCH_CA_FILE", value: caFile, expected: "to be set only with an https:// ELASTICSEARCH_URL")
        }
        configuration.username = env.optionalString("ELASTICSEARCH_USERNAME")
        configuration.password = try env.secret("ELASTICSEARCH_PASSWORD")
        configuration.apiKey = try env.secret("ELASTICSEARCH_API_KEY")
        if configuration.apiKey != nil, let username = configuration.username {
            throw ConfigurationError(variable: "ELASTICSEARCH_USERNAME", value: username,
                                     expected: "no user name with ELASTICSEARCH_API_KEY: one way of authenticating")
        }
        if configuration.password != nil && configuration.username == nil {
            throw ConfigurationError(variable: "ELASTICSEARCH_USERNAME", value: "", expected: "a user name for ELASTICSEARCH_PASSWORD")
        }
        configuration.requestTimeout = try env.duration("ELASTICSEARCH_TIMEOUT", default: .seconds(30))
        configuration.maxConnections = try env.integer("ELASTICSEARCH_MAX_CONNECTIONS", default: 16, range: 1...1024)
        let prefix = env.string("ELASTICSEARCH_INDEX_PREFIX", default: "gmall_")
        guard prefix == prefix.lowercased(), !prefix.contains(where: { " \"*\\<|,>/?".contains($0) }) else {
            throw ConfigurationError(variable: "ELASTICSEARCH_INDEX_PREFIX", value: prefix,
                                     expected: "lowercase characters valid in an index name")
        }
        return ElasticsearchSettings(configuration: configuration, indexPrefix: prefix)
    }

    /// The index of a `dwd.*` topic: `dwd.page_log` → `<prefix>page_log`.
    public func index(forTopic topic: String) -> String {
        let name = topic.hasPrefix("dwd.") ? String(topic.dropFirst(4)) : topic
        return indexPrefix + name.replacingOccurrences(of: ".", with: "_")
    }
}

/// What every service reads: logging, its HTTP address and the bounds of its HTTP server.
public struct ServiceSettings: Sendable {
    public var httpHost: String
    public var httpPort: Int
    /// `HTTP_READ_TIMEOUT` (default 30s): the longest a request may take to arrive, head to end of body.
    public var httpReadTimeout: Duration
    /// `HTTP_IDLE_TIMEOUT` (default 30s): a connection with nothing received for this long is closed, between
    /// requests (keep-alive) or before a request's head is complete.
    public var httpIdleTimeout: Duration
    /// `HTTP_MAX_CONNECTIONS` (default 1000): beyond this many open connections, new ones wait in the
    /// listen backlog until one closes.
    public var httpMaxConnections: Int
    /// `SHUTDOWN_TIMEOUT` (default 20s, below Kubernetes' 30 s grace period): the longest a graceful stop may
    /// take after SIGTERM; then the process exits anyway (safe: offsets are committed only after writes).
    public var shutdownTimeout: Duration
    public var logFormat: String
    public var logLevel: String

    /// `HTTP_ADDR` (default given per service), `LOG_FORMAT` `text` or `json` (default text),
    /// `LOG_LEVEL` trace…critical (default info), and the HTTP bounds above.
    public static func read(_ env: EnvironmentReader, defaultAddress: String) throws(ConfigurationError) -> ServiceSettings {
        let (host, port) = try env.hostAndPort("HTTP_ADDR", default: defaultAddress)
        let readTimeout = try env.duration("HTTP_READ_TIMEOUT", default: .seconds(30))
        let idleTimeout = try env.duration("HTTP_IDLE_TIMEOUT", default: .seconds(30))
        for (name, value) in [("HTTP_READ_TIMEOUT", readTimeout), ("HTTP_IDLE_TIMEOUT", idleTimeout)] where value < .milliseconds(100) {
            throw ConfigurationError(variable: name, value: env.string(name, default: ""), expected: "at least 100ms")
        }
        return ServiceSettings(
            httpHost: host, httpPort: port,
            httpReadTimeout: readTimeout, httpIdleTimeout: idleTimeout,
            httpMaxConnections: try env.integer("HTTP_MAX_CONNECTIONS", default: 1000, range: 1...1_000_000),
            shutdownTimeout: try env.duration("SHUTDOWN_TIMEOUT", default: .seconds(20)),
            logFormat: try env.choice("LOG_FORMAT", default: "text", choices: ["text", "json"]),
            logLevel: try env.choice("LOG_LEVEL", default: "info",
                                     choices: ["trace", "debug", "info", "notice", "warning", "error", "critical"]))
    }
}

extension Duration {
    /// Nil for zero: a setting of `0s` turns its feature off.
    var nonZero: Duration? { self == .zero ? nil : self }
}
