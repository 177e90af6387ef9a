import Hummingbird
import PipelineCore
import Prometheus

extension Router {
    /// Adds `/healthz` (the process answers and nothing in it is stuck), `/readyz` (its dependencies are
    /// reachable) and `/metrics`.
    public func addOperationalRoutes(readiness: Readiness, liveness: Liveness, registry: PrometheusCollectorRegistry) {
        get("/healthz") { _, _ in
            let stuck = liveness.stuckComponents
            return stuck.isEmpty
                ? JSONResponse.make(.ok, .object(["status": .string("ok")]))
                : JSONResponse.make(.serviceUnavailable, .object([
                    "status": .string("stuck"),
                    "stuck": .array(stuck.map { .object(["component": .string($0.component), "reason": .string($0.reason)]) }),
                ]))
        }
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
