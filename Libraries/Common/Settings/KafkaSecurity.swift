import PipelineCore

/// How the services protect and authenticate their Kafka connections: TLS (with the cluster's CA, and a
/// client certificate for mutual TLS) and SASL (SCRAM-SHA-512 by default, as Strimzi's `scram-sha-512`
/// users). Read from `KAFKA_SECURITY_PROTOCOL`, `KAFKA_SSL_*` and `KAFKA_SASL_*`; applied alike to
/// producers, consumers and the admin client.
public struct KafkaSecurity: Sendable, Equatable {
    /// librdkafka's `security.protocol`.
    public enum SecurityProtocol: String, Sendable, CaseIterable {
        case plaintext, ssl
        case saslPlaintext = "sasl_plaintext"
        case saslSSL = "sasl_ssl"

        var usesTLS: Bool { self == .ssl || self == .saslSSL }
        var usesSASL: Bool { self == .saslPlaintext || self == .saslSSL }
    }

    public var securityProtocol: SecurityProtocol = .plaintext
    /// PEM file of the CA(s) that signed the brokers' certificates (Strimzi: the cluster CA's `ca.crt`).
    /// Unset: the system's CAs. The brokers' host names are always checked against their certificates.
    public var caFile: String?
    /// Client certificate and key (PEM) for mutual TLS (Strimzi: a `tls` KafkaUser's `user.crt`, `user.key`).
    public var certificateFile: String?
    public var keyFile: String?
    public var saslMechanism: String?
    public var saslUsername: String?
    /// Never logged.
    public var saslPassword: String?

    public init() {}

    /// `KAFKA_SECURITY_PROTOCOL` `plaintext` (default), `ssl`, `sasl_plaintext` or `sasl_ssl`; with TLS
    /// `KAFKA_SSL_CA_FILE`, `KAFKA_SSL_CERTIFICATE_FILE` + `KAFKA_SSL_KEY_FILE`; with SASL
    /// `KAFKA_SASL_MECHANISM` (`SCRAM-SHA-512` default, `SCRAM-SHA-256`, `PLAIN`), `KAFKA_SASL_USERNAME`
    /// and `KAFKA_SASL_PASSWORD` or `KAFKA_SASL_PASSWORD_FILE`. A setting the protocol does not use is an
    /// error rather than silently ignored.
    public static func read(_ env: EnvironmentReader) throws(ConfigurationError) -> KafkaSecurity {
        var security = KafkaSecurity()
        let name = env.string("KAFKA_SECURITY_PROTOCOL", default: "plaintext")
        guard let value = SecurityProtocol(rawValue: name.lowercased()) else {
            throw ConfigurationError(variable: "KAFKA_SECURITY_PROTOCOL", value: name,
                                     expected: "one of \(SecurityProtocol.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        security.securityProtocol = value
        security.caFile = try env.readableFile("KAFKA_SSL_CA_FILE")
        security.certificateFile = try env.readableFile("KAFKA_SSL_CERTIFICATE_FILE")
        security.keyFile = try env.readableFile("KAFKA_SSL_KEY_FILE")
        security.saslUsername = env.optionalString("KAFKA_SASL_USERNAME")
        security.saslPassword = try env.secret("KAFKA_SASL_PASSWORD")
        let mechanism = env.optionalString("KAFKA_SASL_MECHANISM")

        for (variable, set) in [("KAFKA_SSL_CA_FILE", security.caFile), ("KAFKA_SSL_CERTIFICATE_FILE", security.certificateFile),
                                ("KAFKA_SSL_KEY_FILE", security.keyFile)] where set != nil && !value.usesTLS {
            throw ConfigurationError(variable: variable, value: set!, expected: "to be set only with KAFKA_SECURITY_PROTOCOL ssl or sasl_ssl")
        }
        if (security.certificateFile == nil) != (security.keyFile == nil) {
            let missing = security.certificateFile == nil ? "KAFKA_SSL_CERTIFICATE_FILE" : "KAFKA_SSL_KEY_FILE"
            throw ConfigurationError(variable: missing, value: "", expected: "a file: a client certificate and its key go together")
        }
        if value.usesSASL {
            security.saslMechanism = try env.choice("KAFKA_SASL_MECHANISM", default: "SCRAM-SHA-512",
                                                    choices: ["SCRAM-SHA-512", "SCRAM-SHA-256", "PLAIN"])
            guard security.saslUsername != nil else {
                throw ConfigurationError(variable: "KAFKA_SASL_USERNAME", value: "", expected: "a user name with KAFKA_SECURITY_PROTOCOL \(value.rawValue)")
            }
            guard security.saslPassword != nil else {
                throw ConfigurationError(variable: "KAFKA_SASL_PASSWORD", value: "",
                                         expected: "a password (or KAFKA_SASL_PASSWORD_FILE) with KAFKA_SECURITY_PROTOCOL \(value.rawValue)")
            }
        } else {
            let stray = [("KAFKA_SASL_MECHANISM", mechanism), ("KAFKA_SASL_USERNAME", security.saslUsername),
                         ("KAFKA_SASL_PASSWORD", security.saslPassword.map { _ in "(not shown)" })]
            if let (variable, set) = stray.first(where: { $0.1 != nil }) {
                throw ConfigurationError(variable: variable, value: set ?? "",
                                         expected: "to be set only with KAFKA_SECURITY_PROTOCOL sasl_plaintext or sasl_ssl")
            }
        }
        return security
    }

    /// The librdkafka properties for this security setup.
    public var properties: [String: String] {
        var properties = ["security.protocol": securityProtocol.rawValue]
        if securityProtocol.usesTLS {
            // Checking the broker's host name against its certificate is librdkafka's default since 2.0; stated here
            // so that no older default applies.
            properties["ssl.endpoint.identification.algorithm"] = "https"
        }
        properties["ssl.ca.location"] = caFile
        properties["ssl.certificate.location"] = certificateFile
        properties["ssl.key.location"] = keyFile
        properties["sasl.mechanism"] = saslMechanism
        properties["sasl.username"] = saslUsername
        properties["sasl.password"] = saslPassword
        return properties
    }
}
