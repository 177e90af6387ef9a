import Common
import Hummingbird
import PipelineCore
import Synchronization

/// The admin endpoint for bootstraps: `POST /v1/bootstrap?table=db.table` queues a snapshot (202 with the
/// job), `GET /v1/bootstrap` lists every bootstrap since start with its state and rows sent. Both need
/// `Authorization: Bearer <CDC_ADMIN_TOKEN>`; with no token configured the endpoint is off (403).
struct BootstrapRoutes: Sendable {
    let started: StartedCapture
    let adminToken: String?

    func register(on router: Router<ServiceRequestContext>) {
        router.post("/v1/bootstrap") { request, _ in await queueBootstrap(request) }
        router.get("/v1/bootstrap") { request, _ in await status(request) }
    }

    private func queueBootstrap(_ request: Request) async -> Response {
        if let refusal = authorize(request) { return refusal }
        guard let text = request.uri.queryParameters["table"].map(String.init) else {
            return JSONResponse.error(.badRequest, code: "missing_table", message: "query parameter table=database.table is required")
        }
        guard let table = TableName(text) else {
            return JSONResponse.error(.badRequest, code: "invalid_table", message: "table must be written database.table",
                                      details: ["table": .string(text)])
        }
        guard let queue = started.bootstraps else { return Self.notStarted() }
        do {
            let job = try await queue.request(table, waitingForRedis: false)
            return JSONResponse.make(.accepted, Self.json(job))
        } catch BootstrapQueue.RequestError.excluded {
            return JSONResponse.error(.badRequest, code: "table_excluded",
                                      message: "CDC_INCLUDE / CDC_EXCLUDE leave this table out of the stream",
                                      details: ["table": .string(text)])
        } catch BootstrapQueue.RequestError.alreadyPending {
            return JSONResponse.error(.conflict, code: "already_pending", message: "a bootstrap of this table is queued or running",
                                      details: ["table": .string(text)])
        } catch {
            return JSONResponse.error(.serviceUnavailable, code: "unavailable", message: "cannot queue the bootstrap: \(error)",
                                      headers: [.retryAfter: "5"])
        }
    }

    private func status(_ request: Request) async -> Response {
        if let refusal = authorize(request) { return refusal }
        guard let queue = started.bootstraps else { return Self.notStarted() }
        let jobs = await queue.status
        return JSONResponse.make(.ok, .object(["bootstraps": .array(jobs.map(Self.json))]))
    }

    /// `503`: the capture still waits for its dependencies (`/readyz` names them).
    private static func notStarted() -> Response {
        JSONResponse.error(.serviceUnavailable, code: "starting", message: "cdc is waiting for its dependencies (see /readyz)",
                           headers: [.retryAfter: "5"])
    }

    /// Nil when the request carries the admin token.
    private func authorize(_ request: Request) -> Response? {
        guard let adminToken else {
            return JSONResponse.error(.forbidden, code: "admin_disabled", message: "set CDC_ADMIN_TOKEN to enable the admin endpoint")
        }
        let given = request.headers[.authorization] ?? ""
        guard Self.constantTimeEqual(given, "Bearer \(adminToken)") else {
            return JSONResponse.error(.unauthorized, code: "unauthorized", message: "Authorization: Bearer <CDC_ADMIN_TOKEN> required",
                                      headers: [.wwwAuthenticate: "Bearer"])
        }
        return nil
    }

    /// Compares without an early exit on the first differing byte.
    static func constantTimeEqual(_ a: String, _ b: String) -> Bool {
        let left = Array(a.utf8), right = Array(b.utf8)
        guard left.count == right.count else { return false }
        return zip(left, right).reduce(0) { $0 | ($1.0 ^ $1.1) } == 0
    }

    static func json(_ job: BootstrapQueue.Job) -> JSONValue {
        var object: [String: JSONValue] = [
            "table": .string(job.table.description), "state": .string(job.state.rawValue), "rows": .integer(Int64(job.rows)),
        ]
        if let error = job.error { object["error"] = .string(error) }
        return .object(object)
    }
}

/// The bootstrap queue once the capture has connected; nil before.
final class StartedCapture: Sendable {
    private let queue = Mutex<BootstrapQueue?>(nil)
    var bootstraps: BootstrapQueue? { queue.withLock { $0 } }
    func set(_ bootstraps: BootstrapQueue) { queue.withLock { $0 = bootstraps } }
}
