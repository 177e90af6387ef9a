import Common
import PipelineCore

/// log-ingest's own configuration.
struct IngestSettings: Sendable {
    /// `INGEST_MAX_BODY_BYTES`: largest request body, and largest body after gzip decoding (default 1 MiB).
    var maxBodyBytes: Int
    /// `INGEST_TOPIC`: where accepted events go (default `ods.log`).
    var topic: String
    /// `INGEST_ALLOWED_ORIGINS`: comma-separated origins (`https://shop.example`) whose pages may POST
    /// events from a browser (CORS), or `*` for any; default none.
    var allowedOrigins: [String]
    /// `INGEST_KEY_RATE` (default 20000) and `INGEST_CLIENT_RATE` (default 5000): events per second one write
    /// key, and one client address, may send; each may burst to twice that. 0 turns the limit off.
    var keyRate: Int
    var clientRate: Int

    static func read(_ env: EnvironmentReader) throws(ConfigurationError) -> IngestSettings {
        let origins = env.list("INGEST_ALLOWED_ORIGINS", default: [])
        for origin in origins where origin != "*" && !(origin.hasPrefix("http://") || origin.hasPrefix("https://")) || origin.hasSuffix("/") {
            throw ConfigurationError(variable: "INGEST_ALLOWED_ORIGINS", value: origin,
                                     expected: "origins such as https://shop.example (scheme and host, no path), or *")
        }
        return IngestSettings(
            maxBodyBytes: try env.integer("INGEST_MAX_BODY_BYTES", default: 1 << 20, range: 1024...(64 << 20)),
            topic: env.string("INGEST_TOPIC", default: Topics.odsLog),
            allowedOrigins: origins,
            keyRate: try env.integer("INGEST_KEY_RATE", default: 20_000, range: 0...10_000_000),
            clientRate: try env.integer("INGEST_CLIENT_RATE", default: 5_000, range: 0...10_000_000))
    }

    /// The `Access-Control-Allow-Origin` value for a request from `origin`, nil when it is not allowed.
    func allowedOrigin(_ origin: String?) -> String? {
        guard let origin else { return nil }
        return allowedOrigins.contains("*") || allowedOrigins.contains(origin) ? origin : nil
    }
}
