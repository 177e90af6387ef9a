import Common
import HTTPTypes
import Hummingbird
import Kafka
import Logging
import Metrics
import NIOCore
import PipelineCore

/// Handles `POST /v1/events`: check the write key, decode, validate every event, then hand all of them
/// to Kafka (each with the key's name as `source`) and answer 202 only when Kafka acknowledged each one.
/// Nothing of a request with a bad event is written.
struct EventIngestor: Sendable {
    let producer: KafkaProducer
    let settings: IngestSettings
    let access: AccessControl
    let logger: Logger
    let acceptedEvents = CountersBySource(label: "ingest_events_accepted_total")
    let requests = Counter(label: "ingest_requests_total")
    let unauthorized = Counter(label: "ingest_requests_unauthorized_total")
    let produceTimer = Timer(label: "ingest_produce_seconds")
    let limits: RateLimits

    /// The write key may also come as `X-Write-Key: <key>` (Segment's and Snowplow's clients send it so).
    static let writeKeyHeader = HTTPField.Name("X-Write-Key")!

    func handle(_ request: Request, context: ServiceRequestContext) async -> Response {
        var response = await respond(to: request, context: context)
        if let origin = settings.allowedOrigin(request.headers[.origin]) {
            response.headers[.accessControlAllowOrigin] = origin
            response.headers[.vary] = "Origin"
        }
        return response
    }

    /// The CORS preflight of `POST /v1/events`: `204` with what a browser may send, for an allowed origin.
    func preflight(_ request: Request) -> Response {
        guard let origin = settings.allowedOrigin(request.headers[.origin]) else {
            return JSONResponse.error(.forbidden, code: "origin_not_allowed",
                                      message: "this origin may not send events (INGEST_ALLOWED_ORIGINS)")
        }
        return Response(status: .noContent, headers: [
            .accessControlAllowOrigin: origin, .vary: "Origin",
            .accessControlAllowMethods: "POST",
            .accessControlAllowHeaders: "Authorization, Content-Type, Content-Encoding, X-Write-Key",
            .accessControlMaxAge: "600",
        ])
    }

    private func respond(to request: Request, context: ServiceRequestContext) async -> Response {
        requests.increment()
        let source: String
        switch access.authenticate(request.headers, alternativeHeader: Self.writeKeyHeader) {
        case .allowed(let name):
            source = name
        case .denied(let reason):
            unauthorized.increment()
            return JSONResponse.unauthorized(reason + " (or X-Write-Key: <key>)", realm: "log-ingest")
        }
        guard let format = EventBodyFormat(contentType: request.headers[.contentType]) else {
            return JSONResponse.error(.unsupportedMediaType, code: "unsupported_media_type",
                                      message: "Content-Type must be application/json or application/x-ndjson")
        }
        var body: [UInt8]
        do {
            body = Array(buffer: try await request.body.collect(upTo: settings.maxBodyBytes))
        } catch is NIOTooManyBytesError {
            return tooLarge()
        } catch {
            return JSONResponse.error(.badRequest, code: "unreadable_body", message: "the request body could not be read")
        }
        switch request.headers[.contentEncoding]?.lowercased() {
        case nil, "identity":
            break
        case "gzip":
            do {
                body = try Gzip.inflate(body, limit: settings.maxBodyBytes)
            } catch .tooLarge {
                return tooLarge()
            } catch {
                return JSONResponse.error(.badRequest, code: "malformed_body", message: "gzip body could not be decoded")
            }
        case let other?:
            return JSONResponse.error(.unsupportedMediaType, code: "unsupported_encoding",
                                      message: "Content-Encoding \(other) is not supported; use gzip or none")
        }
        let messages: [KafkaProducerMessage]
        switch decode(body, format: format, source: source) {
        case .events(let decoded): messages = decoded
        case .refused(let response): return response
        }
        if let refusal = limits.admit(messages.count, source: source, client: context.remoteAddress?.ipAddress ?? "unknown") {
            return refusal
        }
        let start = ContinuousClock.now
        do {
            _ = try await producer.send(messages)
        } catch {
            logger.warning("Kafka did not acknowledge a request's events", metadata: [
                "events": "\(messages.count)", "error": "\(error)",
            ])
            let queueFull = if case .queueFull = error { true } else { false }
            return JSONResponse.error(.serviceUnavailable, code: "kafka_unavailable",
                                      message: queueFull ? "the producer queue is full; retry later"
                                          : "Kafka did not acknowledge the events; retry the same request",
                                      headers: [.retryAfter: queueFull ? "1" : "5"])
        }
        produceTimer.recordElapsed(since: start)
        acceptedEvents.increment(source, by: messages.count)
        return JSONResponse.make(.accepted, .object(["accepted": .integer(Int64(messages.count))]))
    }

    private enum Decoded {
        case events([KafkaProducerMessage])
        case refused(Response)
    }

    /// The body's events as Kafka messages keyed by device, each with `source`; or the answer refusing the body.
    /// Most bodies take `EventScanner`'s fast path (the client's bytes, `source` spliced in); the others are
    /// parsed and validated in full, which also explains what is wrong.
    private func decode(_ body: [UInt8], format: EventBodyFormat, source: String) -> Decoded {
        if let scanned = EventScanner.scan(body, format: format) {
            let sourceMember = EventScanner.SourceMember(source)
            var messages: [KafkaProducerMessage] = []
            messages.reserveCapacity(scanned.count)
            for event in scanned {
                guard let value = EventScanner.message(body, event, source: sourceMember) else { break }
                messages.append(KafkaProducerMessage(topic: settings.topic, key: Array(event.mid.utf8), value: value, headers: []))
            }
            if messages.count == scanned.count { return .events(messages) }
        }
        let events: [BehaviourEvent]
        do {
            let values = try EventBatchParser.parse(body, format: format)
            guard !values.isEmpty else {
                return .refused(JSONResponse.error(.badRequest, code: "empty_batch", message: "the body holds no events"))
            }
            events = try EventValidator.validateAll(values)
        } catch let error as MalformedBodyError {
            var details: [String: JSONValue] = ["offset": .integer(Int64(error.offset))]
            if let line = error.line { details["line"] = .integer(Int64(line)) }
            return .refused(JSONResponse.error(.badRequest, code: "malformed_json", message: error.message, details: details))
        } catch let error as EventValidationError {
            return .refused(JSONResponse.error(
                .badRequest, code: "invalid_event",
                message: "event \(error.index): \(error.field.isEmpty ? "" : "\(error.field): ")\(error.message)",
                details: ["index": .integer(Int64(error.index)), "field": .string(error.field)]))
        } catch {
            return .refused(JSONResponse.error(.badRequest, code: "malformed_json", message: "\(error)"))
        }
        return .events(events.map { event in
            var body = event.body.objectValue ?? [:]
            body[EventValidator.sourceField] = .string(source)
            return KafkaProducerMessage(topic: settings.topic, key: Array(event.mid.utf8),
                                        value: JSONCodec.serialize(.object(body)), headers: [])
        })
    }

    private func tooLarge() -> Response {
        JSONResponse.error(.contentTooLarge, code: "body_too_large",
                           message: "the body exceeds \(settings.maxBodyBytes) bytes (INGEST_MAX_BODY_BYTES)")
    }
}
