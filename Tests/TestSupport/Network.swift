import Foundation
import Synchronization

#if canImport(Glibc)
import Glibc
#endif

/// Small socket helpers for tests: free ports and waiting for a server to listen.
public enum Network {
    /// A TCP port on 127.0.0.1 that nothing uses right now, for a server a test is about to start.
    ///
    /// Picked below the kernel's ephemeral range (`ip_local_port_range`, 32768-60999 by default), never twice in
    /// one test process: the kernel gives the local ports of outgoing connections from that range, so a port
    /// it picked for us (bind to port 0) could be taken by any client's connection before the server bound it —
    /// CI saw log-ingest fail with "Address already in use" that way.
    public static func freePort() throws -> Int {
        let upper = ephemeralRangeStart()
        let lower = max(1024, upper - 12_000)
        for _ in 0..<2_000 {
            let port = Int.random(in: lower..<upper)
            guard handedOut.withLock({ $0.insert(port).inserted }) else { continue }
            if canBind(port) { return port }
        }
        throw TestSupportError.network("no free port found in \(lower)..<\(upper)")
    }

    private static let handedOut = Mutex<Set<Int>>([])

    /// The first port of the ephemeral range (default 32768).
    private static func ephemeralRangeStart() -> Int {
        let text = (try? String(contentsOfFile: "/proc/sys/net/ipv4/ip_local_port_range", encoding: .utf8)) ?? ""
        let first = text.split(whereSeparator: { $0 == " " || $0 == "\t" || $0 == "\n" }).first.flatMap { Int($0) }
        return max(2_048, first ?? 32_768)
    }

    /// Whether a listening socket could bind `port` now (with SO_REUSEADDR, as servers bind).
    private static func canBind(_ port: Int) -> Bool {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { return false }
        defer { close(fd) }
        var yes: Int32 = 1
        _ = setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &yes, socklen_t(MemoryLayout<Int32>.size))
        var address = loopback(port: port)
        return withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        } == 0
    }

    /// True if something accepts TCP connections on 127.0.0.1:`port`.
    public static func isListening(port: Int) -> Bool {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { return false }
        defer { close(fd) }
        var address = loopback(port: port)
        return withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        } == 0
    }

    /// Waits until `port` accepts connections; throws after `timeout`, naming `what`.
    public static func waitUntilListening(port: Int, what: String, timeout: Duration = .seconds(30)) async throws {
        let deadline = ContinuousClock.now + timeout
        while !isListening(port: port) {
            if ContinuousClock.now >= deadline {
                throw TestSupportError.timeout("\(what) did not listen on port \(port) within \(timeout)")
            }
            try await Task.sleep(for: .milliseconds(50))
        }
    }

    private static func loopback(port: Int) -> sockaddr_in {
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = UInt16(port).bigEndian
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        return address
    }
}

public enum TestSupportError: Error, CustomStringConvertible {
    case network(String)
    case timeout(String)
    case missingTool(String)

    public var description: String {
        switch self {
        case .network(let m), .timeout(let m), .missingTool(let m): return m
        }
    }
}
