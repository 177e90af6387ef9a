import Hummingbird

/// Answers what no route takes as JSON errors: a known path with another method `405` with `Allow`, an
/// unknown path `404`.
public struct UnroutedMiddleware: RouterMiddleware {
    public typealias Context = ServiceRequestContext
    /// Route patterns (`{name}` matches one segment) and the methods each answers, as `Allow` lists them.
    let routes: [(pattern: String, allow: String)]

    /// `getPaths` answer GET and HEAD; `routes` list other patterns with their methods (`"POST, OPTIONS"`).
    /// The operational paths (`/healthz`, `/readyz`, `/metrics`) are always included.
    public init(getPaths: [String] = [], routes: [(pattern: String, allow: String)] = []) {
        self.routes = (getPaths + ["/healthz", "/readyz", "/metrics"]).map { ($0, "GET, HEAD") } + routes
    }

    public func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        do {
            return try await next(request, context)
        } catch let error as HTTPError where error.status == .notFound {
            if let route = routes.first(where: { Self.matches($0.pattern, request.uri.path) }) {
                return JSONResponse.error(.methodNotAllowed, code: "method_not_allowed",
                                          message: "\(request.method) is not allowed here; use \(route.allow)",
                                          headers: [.allow: route.allow])
            }
            return JSONResponse.error(.notFound, code: "not_found", message: "nothing at \(request.uri.path)")
        }
    }

    static func matches(_ pattern: String, _ path: String) -> Bool {
        let a = pattern.split(separator: "/", omittingEmptySubsequences: false)
        let b = path.split(separator: "/", omittingEmptySubsequences: false)
        return a.count == b.count && zip(a, b).allSatisfy { p, s in p.hasPrefix("{") ? !s.isEmpty : p == s }
    }
}
