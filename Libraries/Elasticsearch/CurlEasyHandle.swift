import CCurl

/// One HTTP exchange for `CurlEasyHandle.perform`.
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
private let curlGlobalInitResult: CURLcode = curl_global_init(Int(CURL_GLOBAL_DEFAULT))

/// An owned libcurl easy handle: kept between requests so that its connection cache (keep-alive) is reused.
/// Not thread-safe: `CurlHandlePool` lends each handle to one request at a time, which is why it may be
/// declared Sendable (it moves between the pool's lock and the request's thread, never used by two at once).
final class CurlEasyHandle: @unchecked Sendable {
    private let handle: UnsafeMutableRawPointer

    init() throws(ElasticsearchError) {
        guard curlGlobalInitResult == CURLE_OK else {
            throw .unreachable("libcurl global init failed: \(String(cString: curl_easy_strerror(curlGlobalInitResult)))")
        }
        guard let handle = curl_easy_init() else {
            throw .unreachable("libcurl could not create an easy handle")
        }
        self.handle = handle
    }

    deinit {
        curl_easy_cleanup(handle)
    }

    /// Runs the request to completion on the calling thread (blocking) and returns the status and body.
    func perform(_ request: CurlRequest) throws(ElasticsearchError) -> ElasticsearchResponse {
        let sink = ResponseSink(limit: request.maxResponseBytes)
        var errorBuffer = [CChar](repeating: 0, count: Int(CURL_ERROR_SIZE) + 1)
        var headerList: UnsafeMutablePointer<curl_slist>?
        for header in request.headers {
            headerList = curl_slist_append(headerList, header)
        }
        defer {
            // Forget every pointer into this call's memory before it goes away.
            curl_easy_reset(handle)
            curl_slist_free_all(headerList)
        }
        var payload = request.body ?? []
        let sendsBody = request.body != nil || request.method == "POST" || request.method == "PUT"
        if payload.isEmpty { payload = [0] }  // a non-nil pointer even for an empty body; its size stays 0

        let code: CURLcode = withExtendedLifetime(sink) {
            errorBuffer.withUnsafeMutableBufferPointer { errors in
                payload.withUnsafeBytes { bodyBytes in
                    curl_easy_reset(handle)
                    set(CURLOPT_URL, request.url)
                    set(CURLOPT_NOSIGNAL, 1)
                    set(CURLOPT_TCP_KEEPALIVE, 1)
                    set(CURLOPT_CONNECTTIMEOUT_MS, milliseconds(request.connectTimeout))
                    set(CURLOPT_TIMEOUT_MS, milliseconds(request.timeout))
                    _ = gmall_curl_setopt_pointer(handle, CURLOPT_ERRORBUFFER, errors.baseAddress)
                    _ = gmall_curl_setopt_write_function(handle) { data, size, count, context in
                        guard let context else { return 0 }
                        let sink = Unmanaged<ResponseSink>.fromOpaque(context).takeUnretainedValue()
                        return sink.append(UnsafeRawBufferPointer(start: data, count: size * count)) ? size * count : 0
                    }
                    _ = gmall_curl_setopt_pointer(handle, CURLOPT_WRITEDATA, Unmanaged.passUnretained(sink).toOpaque())
                    _ = gmall_curl_setopt_slist(handle, CURLOPT_HTTPHEADER, headerList)
                    if let caFile = request.caFile { set(CURLOPT_CAINFO, caFile) }
                    if let username = request.username {
                        set(CURLOPT_USERNAME, username)
                        set(CURLOPT_PASSWORD, request.password ?? "")
                    }
                    if request.method == "HEAD" {
                        set(CURLOPT_NOBODY, 1)
                    } else if sendsBody {
                        _ = gmall_curl_setopt_pointer(handle, CURLOPT_POSTFIELDS, UnsafeMutableRawPointer(mutating: bodyBytes.baseAddress))
                        set(CURLOPT_POSTFIELDSIZE, request.body?.count ?? 0)
                        set(CURLOPT_CUSTOMREQUEST, request.method)
                    } else if request.method != "GET" {
                        set(CURLOPT_CUSTOMREQUEST, request.method)
                    }
                    return curl_easy_perform(handle)
                }
            }
        }

        if sink.overflowed {
            throw .invalidResponse("\(request.label): the answer exceeds maxResponseBytes (\(request.maxResponseBytes) bytes)")
        }
        guard code == CURLE_OK else {
            let detail = String(decoding: errorBuffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
            let summary = String(cString: curl_easy_strerror(code))
            throw .unreachable("\(request.label): \(detail.isEmpty ? summary : detail) (curl error \(code.rawValue))")
        }
        var status = 0
        _ = gmall_curl_getinfo_long(handle, CURLINFO_RESPONSE_CODE, &status)
        return ElasticsearchResponse(status: status, body: sink.bytes)
    }

    private func set(_ option: CURLoption, _ value: Int) {
        _ = gmall_curl_setopt_long(handle, option, value)
    }

    /// Sets a string option; libcurl copies strings, so the temporary C string may go away afterwards.
    private func set(_ option: CURLoption, _ value: String) {
        _ = gmall_curl_setopt_string(handle, option, value)
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
