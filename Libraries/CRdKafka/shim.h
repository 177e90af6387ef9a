#include <librdkafka/rdkafka.h>
#include <librdkafka/rdkafka_mock.h>

/// Enqueues one message for `topic` at `partition` (RD_KAFKA_PARTITION_UA: librdkafka's key-based
/// partitioner chooses), copying key, value and headers. `rd_kafka_producev` is variadic and so
/// unavailable in Swift: this wrapper is.
/// `headers` may be NULL; it is always consumed (owned by librdkafka on success, destroyed here on
/// failure), so the caller never frees it. `msg_opaque` comes back in the delivery report.
static inline rd_kafka_resp_err_t crdkafka_produce(rd_kafka_t *rk, const char *topic, int32_t partition,
                                                   const void *key, size_t key_size,
                                                   const void *value, size_t value_size,
                                                   rd_kafka_headers_t *headers, void *msg_opaque) {
    rd_kafka_resp_err_t err;
    if (headers) {
        err = rd_kafka_producev(rk, RD_KAFKA_V_TOPIC(topic), RD_KAFKA_V_PARTITION(partition),
                                RD_KAFKA_V_MSGFLAGS(RD_KAFKA_MSG_F_COPY), RD_KAFKA_V_KEY(key, key_size),
                                RD_KAFKA_V_VALUE((void *)value, value_size), RD_KAFKA_V_HEADERS(headers),
                                RD_KAFKA_V_OPAQUE(msg_opaque), RD_KAFKA_V_END);
        if (err) rd_kafka_headers_destroy(headers);
    } else {
        err = rd_kafka_producev(rk, RD_KAFKA_V_TOPIC(topic), RD_KAFKA_V_PARTITION(partition),
                                RD_KAFKA_V_MSGFLAGS(RD_KAFKA_MSG_F_COPY), RD_KAFKA_V_KEY(key, key_size),
                                RD_KAFKA_V_VALUE((void *)value, value_size),
                                RD_KAFKA_V_OPAQUE(msg_opaque), RD_KAFKA_V_END);
    }
    return err;
}
