import CRdKafka

/// Builds librdkafka's `rd_kafka_conf_t` from properties, naming the property librdkafka rejects.
enum RDKafkaConfig {
    /// A new configuration holding `properties`, set in order; the caller owns (or hands over) the result.
    static func make(_ properties: [(name: String, value: String)]) throws(KafkaError) -> OpaquePointer {
        let conf: OpaquePointer = rd_kafka_conf_new()
        for (name, value) in properties {
            let (result, message) = withRDKafkaErrorString { rd_kafka_conf_set(conf, name, value, $0, $1) }
            if result != RD_KAFKA_CONF_OK {
                rd_kafka_conf_destroy(conf)
                throw .configuration(property: name, message: message)
            }
        }
        return conf
    }
}
