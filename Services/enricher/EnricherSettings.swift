import Foundation
import PipelineCore

/// The enricher's own configuration.
struct EnricherSettings: Sendable {
    /// `BUSINESS_TIME_ZONE`: the zone business days are counted in (default UTC).
    var timeZone: TimeZone
    /// `ENRICHER_BATCH_SIZE`: most messages per batch (default 500).
    var batchSize: Int
    /// `ENRICHER_STATE_TTL_DAYS`: how long a day's first-seen state is kept in Redis (default 7).
    /// A device's event arriving later than this still cannot make its DAU record later: the record's
    /// version keeps the earliest one in Elasticsearch.
    var stateTTLDays: Int
    /// `ENRICHER_SHOP_DATABASE`: the shop's database in `ods.db` (default `gmall`); other databases are skipped.
    var shopDatabase: String

    static func read(_ env: EnvironmentReader) throws(ConfigurationError) -> EnricherSettings {
        EnricherSettings(
            timeZone: try env.timeZone("BUSINESS_TIME_ZONE", default: "UTC"),
            batchSize: try env.integer("ENRICHER_BATCH_SIZE", default: 500, range: 1...100_000),
            stateTTLDays: try env.integer("ENRICHER_STATE_TTL_DAYS", default: 7, range: 1...3650),
            shopDatabase: env.string("ENRICHER_SHOP_DATABASE", default: "gmall"))
    }
}
