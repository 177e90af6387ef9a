import Hummingbird
import PipelineCore

/// Small builders for the JSON answers every service gives.
public enum JSONResponse {
    /// `status` with `body` serialized as JSON.
    public static func make(_ status: HTTPResponse.Status, _ body: JSONValue, headers: HTTPFields = [:]) -> Response {
        var fields = headers
        fields[.contentType] = "application/json"
        return Response(status: status, headers: fields, body: .init(byteBuffer: ByteBuffer(bytes: JSONCodec.serialize(body))))
    }

    /// An error answer `{"error": {"code": …, "message": …, …details}}`.
    public static func error(_ status: HTTPResponse.Status, code: String, message: String,
                             details: [String: JSONValue] = [:], headers: HTTPFields = [:]) -> Response {
        var error: [String: JSONValue] = ["code": .string(code), "message": .string(message)]
        error.merge(details) { current, _ in current }
        return make(status, .object(["error": .object(error)]), headers: headers)
    }
}
