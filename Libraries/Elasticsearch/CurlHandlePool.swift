import Synchronization

/// Idle libcurl handles kept for reuse (and their open keep-alive connections); lends each to one caller at a time.
final class CurlHandlePool: Sendable {
    private let idle = Mutex<[CurlEasyHandle]>([])
    private let maximumIdle: Int

    /// Keeps at most `maximumIdle` handles between requests; more concurrent requests get fresh handles.
    init(maximumIdle: Int = 8) {
        self.maximumIdle = maximumIdle
    }

    /// Runs `body` (blocking) with a handle taken from the pool or newly made, then puts the handle back.
    func withHandle<T>(_ body: (CurlEasyHandle) throws(ElasticsearchError) -> T) throws(ElasticsearchError) -> T {
        let reused = idle.withLock { $0.popLast() }
        let handle: CurlEasyHandle
        if let reused { handle = reused } else { handle = try CurlEasyHandle() }
        defer {
            idle.withLock { handles in
                if handles.count < maximumIdle { handles.append(handle) }
            }
        }
        return try body(handle)
    }
}
