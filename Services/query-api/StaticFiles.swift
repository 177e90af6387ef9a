import Common
import Foundation
import Hummingbird
import Logging

/// The files query-api serves as they are: the OpenAPI document and the dashboard (HTML, CSS, JS), shipped as
/// the target's resources (`Resources/openapi.json`, `Resources/dashboard/`; copied to the top of the
/// resource bundle next to the executable) and read once at start.
struct StaticFiles: Sendable {
    struct File: Sendable {
        var bytes: [UInt8]
        var contentType: String
    }

    let openAPI: File?
    /// Dashboard files by name (`index.html`, `app.js`, ...).
    let dashboard: [String: File]

    /// Reads the resources; a missing file is logged and served as 404, not a crash.
    static func load(logger: Logger) -> StaticFiles {
        let root = Bundle.module.resourceURL
        func file(_ url: URL?) -> File? {
            guard let url, let data = try? Data(contentsOf: url) else { return nil }
            return File(bytes: [UInt8](data), contentType: contentType(of: url.lastPathComponent))
        }
        var dashboard: [String: File] = [:]
        if let folder = root?.appendingPathComponent("dashboard"),
           let names = try? FileManager.default.contentsOfDirectory(atPath: folder.path) {
            for name in names { dashboard[name] = file(folder.appendingPathComponent(name)) }
        }
        let files = StaticFiles(openAPI: file(root?.appendingPathComponent("openapi.json")), dashboard: dashboard)
        if files.openAPI == nil || files.dashboard["index.html"] == nil {
            logger.warning("the OpenAPI document or the dashboard is missing from the resource bundle; they answer 404",
                           metadata: ["bundle": "\(root?.path ?? "none")"])
        }
        return files
    }

    static func contentType(of name: String) -> String {
        switch name.split(separator: ".").last {
        case "html": return "text/html; charset=utf-8"
        case "js": return "text/javascript; charset=utf-8"
        case "css": return "text/css; charset=utf-8"
        case "json": return "application/json"
        case "svg": return "image/svg+xml"
        case "png": return "image/png"
        default: return "application/octet-stream"
        }
    }

    func add(to router: Router<ServiceRequestContext>) {
        router.get("/v1/openapi.json") { request, _ in Self.response(openAPI, request) }
        router.get("/") { request, _ in Self.response(dashboard["index.html"], request) }
        router.get("/dashboard/{file}") { request, context in
            Self.response(context.parameters.get("file").flatMap { dashboard[$0] }, request)
        }
    }

    private static func response(_ file: File?, _ request: Request) -> Response {
        guard let file else { return JSONResponse.error(.notFound, code: "not_found", message: "nothing at \(request.uri.path)") }
        return Response(status: .ok, headers: [.contentType: file.contentType, .cacheControl: "no-cache"],
                        body: .init(byteBuffer: ByteBuffer(bytes: file.bytes)))
    }
}
