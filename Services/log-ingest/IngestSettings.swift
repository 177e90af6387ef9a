import Common
import PipelineCore

/// log-ingest's own configuration.
struct IngestSettings: Sendable {
    /// `INGEST_MAX_BODY_BYTES`: largest request body, and largest body after gzip decoding (default 1 MiB).
    var maxBodyBytes: Int
    /// `INGEST_TOPIC`: where accepted events go (default `ods.log`).
    var topic: String

    static func read(_ env: EnvironmentReader) throws(ConfigurationError) -> IngestSettings {
        IngestSettings(
            maxBodyBytes: try env.integer("INGEST_MAX_BODY_BYTES", default: 1 << 20, range: 1024...(64 << 20)),
            topic: env.string("INGEST_TOPIC", default: Topics.odsLog))
    }
}
