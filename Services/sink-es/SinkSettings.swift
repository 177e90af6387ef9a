import PipelineCore

/// sink-es's own configuration.
struct SinkSettings: Sendable {
    /// `SINK_TOPICS`: the `dwd.*` topics to index (default `dwd.page_log,dwd.dau,dwd.order,dwd.order_wide,dwd.dimension`).
    var topics: [String]
    /// `SINK_BATCH_SIZE`: most messages per batch and per bulk request (default 1000); after a failed request
    /// the retries use requests half as large, down to 25, growing back after each success.
    var batchSize: Int
    /// `SINK_REFRESH_INTERVAL`: how soon a write becomes searchable, the `refresh_interval` of the index templates
    /// (default 1s, Elasticsearch's own; shorter: fresher answers, more segment work). Applies to indices created
    /// after sink-es installed the templates.
    var refreshInterval: Duration

    static func read(_ env: EnvironmentReader) throws(ConfigurationError) -> SinkSettings {
        let topics = env.list("SINK_TOPICS", default: [Topics.pageLog, Topics.dau, Topics.order, Topics.orderWide, Topics.dimension])
        if let bad = topics.first(where: { !$0.hasPrefix("dwd.") }) {
            throw ConfigurationError(variable: "SINK_TOPICS", value: bad, expected: "topics named dwd.*")
        }
        let refreshInterval = try env.duration("SINK_REFRESH_INTERVAL", default: .seconds(1))
        guard refreshInterval >= .milliseconds(1) else {
            throw ConfigurationError(variable: "SINK_REFRESH_INTERVAL", value: env.string("SINK_REFRESH_INTERVAL", default: ""),
                                     expected: "at least 1ms")
        }
        return SinkSettings(topics: topics,
                            batchSize: try env.integer("SINK_BATCH_SIZE", default: 1000, range: 1...100_000),
                            refreshInterval: refreshInterval)
    }
}
