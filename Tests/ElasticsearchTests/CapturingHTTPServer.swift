import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// A one-connection HTTP server on 127.0.0.1 that records the raw request it gets and answers with a canned
/// response (or, with `answer: nil`, never answers), to check what the client puts on the wire.
final class CapturingHTTPServer: Sendable {
    let port: Int
    private let listener: Int32
    private let captured = CapturedRequest()

    init(answer: String?) throws {
        let listener = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { pointer in
                bind(listener, pointer, length) == 0 && listen(listener, 1) == 0 && getsockname(listener, pointer, &length) == 0
            }
        }
        guard bound else {
            close(listener)
            throw CocoaError(.fileWriteUnknown, userInfo: [NSLocalizedDescriptionKey: "bind/listen failed: errno \(errno)"])
        }
        self.listener = listener
        port = Int(UInt16(bigEndian: address.sin_port))
        let captured = captured
        Thread {
            let connection = accept(listener, nil, nil)
            guard connection >= 0 else { return }
            defer { close(connection) }
            var request: [UInt8] = []
            var chunk = [UInt8](repeating: 0, count: 65_536)
            while !Self.isComplete(request) {
                let count = read(connection, &chunk, chunk.count)
                if count <= 0 { break }
                request += chunk[0..<count]
            }
            captured.set(request)
            guard let answer else {
                _ = read(connection, &chunk, chunk.count)  // hold the connection open until the client gives up
                return
            }
            _ = Array(answer.utf8).withUnsafeBytes { write(connection, $0.baseAddress, $0.count) }
        }.start()
    }

    deinit {
        shutdown(listener, Int32(SHUT_RDWR))  // wakes a thread still blocked in accept()
        close(listener)
    }

    /// The raw request received so far, as text.
    var request: String { String(decoding: captured.get(), as: UTF8.self) }

    /// True once the headers and a body of the announced Content-Length have arrived.
    private static func isComplete(_ request: [UInt8]) -> Bool {
        let text = String(decoding: request, as: UTF8.self)
        guard let headerEnd = text.range(of: "\r\n\r\n") else { return false }
        let length = text[..<headerEnd.lowerBound].split(separator: "\r\n")
            .first { $0.lowercased().hasPrefix("content-length:") }
            .flatMap { Int($0.split(separator: ":")[1].trimmingCharacters(in: .whitespaces)) } ?? 0
        return text.utf8.distance(from: headerEnd.upperBound, to: text.endIndex) >= length
    }
}

private final class CapturedRequest: @unchecked Sendable {
    private let lock = NSLock()
    private var bytes: [UInt8] = []
    func set(_ value: [UInt8]) { lock.withLock { bytes = value } }
    func get() -> [UInt8] { lock.withLock { bytes } }
}
