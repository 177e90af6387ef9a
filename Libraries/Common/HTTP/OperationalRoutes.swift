import Hummingbird
import PipelineCore
import Prometheus

extension Router {
    /// Adds `/healthz` (the process answers), `/readyz` (its dependencies are reachable) and `/metrics`.
    public func addOperationalRoutes(readiness: Readiness, registry: PrometheusCollectorRegistry) {
        get("/healthz") { _, _ in JSONResponse.make(.ok, .object(["status": .string("ok")])) }
        get("/readyz") { _, _ in
            let waiting = readiness.unavailable
            return waiting.isEmpty
                ? JSONResponse.make(.ok, .object(["status": .string("ready")]))
                : JSONResponse.make(.serviceUnavailable, .object([
                    "status": .string("waiting"), "waiting_for": .array(waiting.map(JSONValue.string)),
                ]))
        }
        get("/metrics") { _, _ in
            Response(status: .ok, headers: [.contentType: "text/plain; version=0.0.4"],
                     body: .init(byteBuffer: ByteBuffer(bytes: registry.emitToBuffer())))
        }
    }
}
