import CCurl

/// One HTTP exchange for a `CurlTransfer`.
struct CurlRequest {
    var method: String
    var url: String
    /// "METHOD /path", for error messages (never the base URL, which may carry credentials).
    var label: String
    var headers: [String]
    var body: [UInt8]?
    var username: String?
    var password: String?
    /// CA bundle for HTTPS (CURLOPT_CAINFO); nil: the system's.
    var caFile: String?
    var connectTimeout: Duration
    var timeout: Duration
    var maxResponseBytes: Int
}

/// libcurl's process-wide setup, done once before the first handle (thread-safe through Swift's lazy globals).
let curlGlobalInitResult: CURLcode = curl_global_init(Int(CURL_GLOBAL_DEFAULT))

/// One request in flight on a `CurlMultiLoop`: a libcurl easy handle set up for it, and everything libcurl
/// points into until the transfer ends (headers, error buffer, response sink; the body is copied by libcurl).
/// Used by one thread at a time: made by the caller, then driven and finished only by the loop's thread.
final class CurlTransfer: @unchecked Sendable {
    let easy: UnsafeMutableRawPointer
    private let label: String
    private let maxResponseBytes: Int
    private let sink: ResponseSink
    private let errorBuffer: UnsafeMutablePointer<CChar>
    private var headerList: UnsafeMutablePointer<curl_slist>?
    private let completion: @Sendable (Result<ElasticsearchResponse, ElasticsearchError>) -> Void

    /// Sets up the easy handle for `request`; `completion` is called once, on the loop's thread, by `finish`.
    init(_ request: CurlRequest,
         completion: @escaping @Sendable (Result<ElasticsearchResponse, ElasticsearchError>) -> Void) throws(ElasticsearchError) {
        guard curlGlobalInitResult == CURLE_OK else {
            throw .unreachable("libcurl global init failed: \(String(cString: curl_easy_strerror(curlGlobalInitResult)))")
        }
        guard let easy = curl_easy_init() else { throw .unreachable("libcurl could not create an easy handle") }
        self.easy = easy
        label = request.label
        maxResponseBytes = request.maxResponseBytes
        sink = ResponseSink(limit: request.maxResponseBytes)
        errorBuffer = .allocate(capacity: Int(CURL_ERROR_SIZE) + 1)
        errorBuffer.initialize(repeating: 0, count: Int(CURL_ERROR_SIZE) + 1)
        self.completion = completion
        for header in request.headers {
            headerList = curl_slist_append(headerList, header)
        }
        configure(request)
    }

    deinit {
        curl_easy_cleanup(easy)  // first: the handle may still point at the header list
        curl_slist_free_all(headerList)
        errorBuffer.deallocate()
    }

    private func configure(_ request: CurlRequest) {
        set(CURLOPT_URL, request.url)
        set(CURLOPT_NOSIGNAL, 1)
        set(CURLOPT_TCP_KEEPALIVE, 1)
        set(CURLOPT_CONNECTTIMEOUT_MS, milliseconds(request.connectTimeout))
        set(CURLOPT_TIMEOUT_MS, milliseconds(request.timeout))
        _ = gmall_curl_setopt_pointer(easy, CURLOPT_ERRORBUFFER, errorBuffer)
        _ = gmall_curl_setopt_write_function(easy) { data, size, count, context in
            guard let context else { return 0 }
            let sink = Unmanaged<ResponseSink>.fromOpaque(context).takeUnretainedValue()
            return sink.append(UnsafeRawBufferPointer(start: data, count: size * count)) ? size * count : 0
        }
        // Unretained: the sink lives as long as this transfer, which outlives the handle's use.
        _ = gmall_curl_setopt_pointer(easy, CURLOPT_WRITEDATA, Unmanaged.passUnretained(sink).toOpaque())
        _ = gmall_curl_setopt_slist(easy, CURLOPT_HTTPHEADER, headerList)
        if let caFile = request.caFile { set(CURLOPT_CAINFO, caFile) }
        if let username = request.username {
            set(CURLOPT_USERNAME, username)
            set(CURLOPT_PASSWORD, request.password ?? "")
        }
        let sendsBody = request.body != nil || request.method == "POST" || request.method == "PUT"
        if request.method == "HEAD" {
            set(CURLOPT_NOBODY, 1)
        } else if sendsBody {
            // The size first, so that libcurl copies exactly that many bytes (NULs included).
            let body = request.body ?? []
            set(CURLOPT_POSTFIELDSIZE, body.count)
            (body.isEmpty ? [0] : body).withUnsafeBytes { bytes in
                _ = gmall_curl_setopt_pointer(easy, CURLOPT_COPYPOSTFIELDS, UnsafeMutableRawPointer(mutating: bytes.baseAddress))
            }
            set(CURLOPT_CUSTOMREQUEST, request.method)
        } else if request.method != "GET" {
            set(CURLOPT_CUSTOMREQUEST, request.method)
        }
    }

    /// Ends the transfer with libcurl's result `code`: calls the completion with the answer or the error.
    func finish(_ code: CURLcode) {
        completion(Result { () throws(ElasticsearchError) in try response(code) })
    }

    /// Ends a transfer that never ran or was abandoned, with `error`.
    func fail(_ error: ElasticsearchError) {
        completion(.failure(error))
    }

    private func response(_ code: CURLcode) throws(ElasticsearchError) -> ElasticsearchResponse {
        if sink.overflowed {
            throw .invalidResponse("\(label): the answer exceeds maxResponseBytes (\(maxResponseBytes) bytes)")
        }
        guard code == CURLE_OK else {
            let detail = String(cString: errorBuffer)
            let summary = String(cString: curl_easy_strerror(code))
            throw .unreachable("\(label): \(detail.isEmpty ? summary : detail) (curl error \(code.rawValue))")
        }
        var status = 0
        _ = gmall_curl_getinfo_long(easy, CURLINFO_RESPONSE_CODE, &status)
        return ElasticsearchResponse(status: status, body: sink.bytes)
    }

    private func set(_ option: CURLoption, _ value: Int) {
        _ = gmall_curl_setopt_long(easy, option, value)
    }

    /// Sets a string option; libcurl copies strings, so the temporary C string may go away afterwards.
    private func set(_ option: CURLoption, _ value: String) {
        _ = gmall_curl_setopt_string(easy, option, value)
    }

    private func milliseconds(_ duration: Duration) -> Int {
        let (seconds, attoseconds) = duration.components
        return max(1, Int(seconds) * 1000 + Int(attoseconds / 1_000_000_000_000_000))
    }
}

/// Collects the answer's bytes for libcurl's write callback, refusing more than `limit`.
private final class ResponseSink {
    private(set) var bytes: [UInt8] = []
    private(set) var overflowed = false
    private let limit: Int

    init(limit: Int) { self.limit = limit }

    /// Appends `chunk`, or returns false (which makes libcurl abort) if the total would exceed the limit.
    func append(_ chunk: UnsafeRawBufferPointer) -> Bool {
        guard bytes.count + chunk.count <= limit else {
            overflowed = true
            return false
        }
        bytes.append(contentsOf: chunk)
        return true
    }
}
