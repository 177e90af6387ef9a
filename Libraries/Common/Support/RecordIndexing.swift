import Elasticsearch
import Kafka
import PipelineCore

/// Why a `dwd.*` message cannot become an Elasticsearch document.
public struct UnindexableRecord: Error, Equatable, Sendable {
    public var reason: String
}

extension BulkOperation {
    /// The bulk operation for a record message (see `OutputRecord.kafkaMessage`): the index from the
    /// topic, `_id` from the key, the external version from the `version` header if present.
    public static func forRecord(_ message: KafkaConsumerMessage,
                                 settings: ElasticsearchSettings) -> Result<BulkOperation, UnindexableRecord> {
        guard let key = message.key, !key.isEmpty, let id = String(validating: key, as: UTF8.self) else {
            return .failure(UnindexableRecord(reason: "message has no UTF-8 key to use as document id"))
        }
        guard case .object = try? JSONCodec.parse(message.value) else {
            return .failure(UnindexableRecord(reason: "message value is not a JSON object"))
        }
        var version: Int64?
        if let header = message.headers.first(where: { $0.key == OutputRecord.versionHeader }) {
            guard let text = String(validating: header.value, as: UTF8.self), let number = Int64(text), number >= 0 else {
                return .failure(UnindexableRecord(reason: "version header is not a non-negative integer"))
            }
            version = number
        }
        return .success(BulkOperation(index: settings.index(forTopic: message.topic), id: id,
                                      document: message.value, version: version))
    }
}
