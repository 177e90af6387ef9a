import Common
import Hummingbird

/// Answers what no route takes as JSON errors: a known path with another method `405` with `Allow`, an
/// unknown path `404`.
struct UnroutedMiddleware: RouterMiddleware {
    typealias Context = BasicRequestContext
    /// Route patterns (`{name}` matches one segment) that answer GET (and HEAD).
    let getPaths: [String]

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        do {
            return try await next(request, context)
        } catch let error as HTTPError where error.status == .notFound {
            if request.method != .get && request.method != .head && getPaths.contains(where: { Self.matches($0, request.uri.path) }) {
                return JSONResponse.error(.methodNotAllowed, code: "method_not_allowed", message: "\(request.method) is not allowed here; use GET",
                                          headers: [.allow: "GET, HEAD"])
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
