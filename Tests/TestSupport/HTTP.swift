import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// Minimal HTTP calls for tests.
public enum HTTP {
    public static func get(_ url: String, headers: [String: String] = [:]) async throws -> (Int, Data) {
        var request = URLRequest(url: URL(string: url)!)
        request.timeoutInterval = 10
        for (name, value) in headers { request.setValue(value, forHTTPHeaderField: name) }
        let (data, response) = try await URLSession.shared.data(for: request)
        return ((response as? HTTPURLResponse)?.statusCode ?? 0, data)
    }

    public static func send(_ method: String, _ url: String, body: Data, headers: [String: String] = [:]) async throws -> (Int, Data) {
        let (status, data, _) = try await exchange(method, url, body: body, headers: headers)
        return (status, data)
    }
}

extension HTTP {
    /// Any request; the status, body and response headers.
    public static func exchange(_ method: String, _ url: String, body: Data? = nil,
                                headers: [String: String] = [:]) async throws -> (Int, Data, [String: String]) {
        var request = URLRequest(url: URL(string: url)!)
        request.httpMethod = method
        request.httpBody = body
        request.timeoutInterval = 30
        for (name, value) in headers { request.setValue(value, forHTTPHeaderField: name) }
        let (data, response) = try await URLSession.shared.data(for: request)
        let http = response as? HTTPURLResponse
        var fields: [String: String] = [:]
        for (name, value) in http?.allHeaderFields ?? [:] {
            if let name = name as? String, let value = value as? String { fields[name] = value }
        }
        return (http?.statusCode ?? 0, data, fields)
    }

    /// Waits until `url` + `/readyz` answers 200; fails early, with its log, if `process` exits meanwhile.
    public static func waitUntilReady(_ url: String, process: ManagedProcess, timeout: Duration = .seconds(60)) async throws {
        let deadline = ContinuousClock.now + timeout
        while ContinuousClock.now < deadline {
            if let (status, _) = try? await get("\(url)/readyz"), status == 200 { return }
            guard process.isRunning else {
                throw TestSupportError.timeout("\(process.name) exited while starting:\n\(process.logTail())")
            }
            try await Task.sleep(for: .milliseconds(100))
        }
        throw TestSupportError.timeout("\(process.name) not ready within \(timeout):\n\(process.logTail())")
    }
}
