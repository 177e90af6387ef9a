import Hummingbird
import Metrics

/// Answers `401` (JSON error, `WWW-Authenticate: Bearer`) to a request under `protectedPrefix` without a
/// valid bearer token; other paths (health, metrics, static files) pass untouched.
public struct AuthenticationMiddleware: RouterMiddleware {
    public typealias Context = ServiceRequestContext
    let access: AccessControl
    let protectedPrefix: String
    let realm: String
    private let refusals = Counter(label: "http_unauthorized_total")

    public init(access: AccessControl, protectedPrefix: String, realm: String) {
        self.access = access
        self.protectedPrefix = protectedPrefix
        self.realm = realm
    }

    public func handle(_ request: Request, context: Context,
                       next: (Request, Context) async throws -> Response) async throws -> Response {
        guard request.uri.path.hasPrefix(protectedPrefix) else { return try await next(request, context) }
        switch access.authenticate(request.headers) {
        case .allowed:
            return try await next(request, context)
        case .denied(let reason):
            refusals.increment()
            return JSONResponse.unauthorized(reason, realm: realm)
        }
    }
}

extension JSONResponse {
    /// `401` with the reason and a `WWW-Authenticate: Bearer realm=…` challenge.
    public static func unauthorized(_ reason: String, realm: String) -> Response {
        error(.unauthorized, code: "unauthorized", message: reason, headers: [.wwwAuthenticate: "Bearer realm=\"\(realm)\""])
    }
}
