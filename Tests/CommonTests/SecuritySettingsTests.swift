@testable import Common
import Foundation
import PipelineCore
import Testing

/// TLS, SASL and secrets in the configuration: what is accepted, what is refused and with which variable named.
@Suite struct SecuritySettingsTests {
    /// A file holding `text` in a fresh temporary folder.
    static func file(_ text: String) throws -> String {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("gmall-settings-\(UUID().uuidString)")
        try text.write(to: url, atomically: true, encoding: .utf8)
        return url.path
    }

    /// The variable named by the configuration error `body` throws; nil when it throws none.
    static func variable(_ body: () throws -> Void) -> String? {
        do {
            try body()
            return nil
        } catch let error as ConfigurationError {
            return error.variable
        } catch {
            return "unexpected \(error)"
        }
    }

    @Test func secretsComeFromTheVariableOrAFile() throws {
        let path = try Self.file("s3cret\n")
        #expect(try EnvironmentReader(["P": "plain"]).secret("P") == "plain")
        #expect(try EnvironmentReader(["P_FILE": path]).secret("P") == "s3cret")
        #expect(try EnvironmentReader([:]).secret("P") == nil)
        #expect(Self.variable { _ = try EnvironmentReader(["P": "a", "P_FILE": path]).secret("P") } == "P_FILE")
        #expect(Self.variable { _ = try EnvironmentReader(["P_FILE": "/nonexistent/secret"]).secret("P") } == "P_FILE")
        #expect(Self.variable { _ = try EnvironmentReader(["P_FILE": try! Self.file("\n")]).secret("P") } == "P_FILE")
    }

    @Test func kafkaIsPlaintextByDefault() throws {
        let kafka = try KafkaSettings.read(EnvironmentReader([:]))
        #expect(kafka.security.properties == ["security.protocol": "plaintext"])
        #expect(kafka.producerConfiguration().extra == ["security.protocol": "plaintext"])
    }

    @Test func kafkaOverTLSWithSCRAMAsStrimziServesIt() throws {
        let ca = try Self.file("-----BEGIN CERTIFICATE-----\n")
        let password = try Self.file("pw\n")
        let kafka = try KafkaSettings.read(EnvironmentReader([
            "KAFKA_SECURITY_PROTOCOL": "SASL_SSL", "KAFKA_SSL_CA_FILE": ca,
            "KAFKA_SASL_USERNAME": "gmall-enricher", "KAFKA_SASL_PASSWORD_FILE": password,
        ]))
        let expected = [
            "security.protocol": "sasl_ssl", "ssl.endpoint.identification.algorithm": "https", "ssl.ca.location": ca,
            "sasl.mechanism": "SCRAM-SHA-512", "sasl.username": "gmall-enricher", "sasl.password": "pw",
        ]
        #expect(kafka.security.properties == expected)
        // Producer, consumers and admin client all get them; the consumer keeps its static membership too.
        #expect(kafka.producerConfiguration().extra == expected)
        #expect(kafka.adminConfiguration().extra == expected)
        var withInstance = kafka
        withInstance.groupInstanceID = "enricher-0"
        #expect(withInstance.consumerConfiguration(group: "g").extra == expected.merging(["group.instance.id": "enricher-0"]) { a, _ in a })
    }

    @Test func kafkaMutualTLS() throws {
        let (cert, key) = (try Self.file("cert"), try Self.file("key"))
        let kafka = try KafkaSettings.read(EnvironmentReader([
            "KAFKA_SECURITY_PROTOCOL": "ssl", "KAFKA_SSL_CERTIFICATE_FILE": cert, "KAFKA_SSL_KEY_FILE": key,
        ]))
        #expect(kafka.security.properties["ssl.certificate.location"] == cert)
        #expect(kafka.security.properties["ssl.key.location"] == key)
        #expect(kafka.security.properties["ssl.ca.location"] == nil)
    }

    @Test func kafkaSettingsThatDoNotFitAreRefused() throws {
        let file = try Self.file("x")
        let cases: [([String: String], String)] = [
            (["KAFKA_SECURITY_PROTOCOL": "tls"], "KAFKA_SECURITY_PROTOCOL"),
            (["KAFKA_SSL_CA_FILE": file], "KAFKA_SSL_CA_FILE"),                       // TLS file without TLS
            (["KAFKA_SECURITY_PROTOCOL": "ssl", "KAFKA_SSL_CA_FILE": "/nonexistent/ca.pem"], "KAFKA_SSL_CA_FILE"),
            (["KAFKA_SECURITY_PROTOCOL": "ssl", "KAFKA_SSL_CERTIFICATE_FILE": file], "KAFKA_SSL_KEY_FILE"),
            (["KAFKA_SASL_USERNAME": "u"], "KAFKA_SASL_USERNAME"),                    // SASL without SASL
            (["KAFKA_SECURITY_PROTOCOL": "sasl_ssl", "KAFKA_SASL_PASSWORD": "p"], "KAFKA_SASL_USERNAME"),
            (["KAFKA_SECURITY_PROTOCOL": "sasl_ssl", "KAFKA_SASL_USERNAME": "u"], "KAFKA_SASL_PASSWORD"),
            (["KAFKA_SECURITY_PROTOCOL": "sasl_plaintext", "KAFKA_SASL_USERNAME": "u", "KAFKA_SASL_PASSWORD": "p",
              "KAFKA_SASL_MECHANISM": "GSSAPI"], "KAFKA_SASL_MECHANISM"),
        ]
        for (environment, variable) in cases {
            #expect(Self.variable { _ = try KafkaSettings.read(EnvironmentReader(environment)) } == variable, "\(environment)")
        }
    }

    @Test func aRefusedPasswordIsNotShown() {
        do {
            _ = try KafkaSettings.read(EnvironmentReader(["KAFKA_SASL_PASSWORD": "hunter2"]))
            Issue.record("expected an error")
        } catch {
            #expect(!error.description.contains("hunter2"), "\(error)")
        }
    }

    @Test func elasticsearchOverHTTPSWithBasicAuthenticationOrAnAPIKey() throws {
        let ca = try Self.file("ca")
        let password = try Self.file("elastic-pw\n")
        let basic = try ElasticsearchSettings.read(EnvironmentReader([
            "ELASTICSEARCH_URL": "https://gmall-es-http.elastic:9200", "ELASTICSEARCH_CA_FILE": ca,
            "ELASTICSEARCH_USERNAME": "elastic", "ELASTICSEARCH_PASSWORD_FILE": password,
        ]))
        #expect(basic.configuration.caFile == ca && basic.configuration.username == "elastic")
        #expect(basic.configuration.password == "elastic-pw" && basic.configuration.apiKey == nil)
        let key = try ElasticsearchSettings.read(EnvironmentReader(["ELASTICSEARCH_API_KEY": "a2V5"]))
        #expect(key.configuration.apiKey == "a2V5" && key.configuration.username == nil)

        #expect(Self.variable { _ = try ElasticsearchSettings.read(EnvironmentReader(["ELASTICSEARCH_CA_FILE": ca])) }
                == "ELASTICSEARCH_CA_FILE")   // a CA for plain http
        #expect(Self.variable {
            _ = try ElasticsearchSettings.read(EnvironmentReader(["ELASTICSEARCH_API_KEY": "k", "ELASTICSEARCH_USERNAME": "u"]))
        } == "ELASTICSEARCH_USERNAME")
        #expect(Self.variable { _ = try ElasticsearchSettings.read(EnvironmentReader(["ELASTICSEARCH_PASSWORD": "p"])) }
                == "ELASTICSEARCH_USERNAME")
    }
}
