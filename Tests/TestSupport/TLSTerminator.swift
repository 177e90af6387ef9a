import Foundation

/// A certificate authority made for one test with `openssl`, and stunnel (Debian's `stunnel4`) serving TLS
/// with a certificate it signed for 127.0.0.1, forwarding the plain bytes to a local port: a TLS endpoint
/// in front of a server that speaks only plaintext (the local Kafka/Elasticsearch stand-in).
public final class TLSTerminator: @unchecked Sendable {
    /// Where the certificates live: `ca.pem` (give it to the client), `other-ca.pem` (a CA that signed nothing here).
    public let directory: URL
    public let port: Int
    private let process: ManagedProcess

    public var caFile: String { directory.appendingPathComponent("ca.pem").path }
    public var otherCAFile: String { directory.appendingPathComponent("other-ca.pem").path }

    /// Starts TLS on a free port, forwarding to `127.0.0.1:target`.
    public static func start(forwardingTo target: Int) async throws -> TLSTerminator {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent(LocalStack.uniqueName("gmall-test-tls"))
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        try await makeCertificates(in: directory)
        let port = try Network.freePort()
        let configuration = """
            foreground = yes
            pid =
            [tls]
            accept = 127.0.0.1:\(port)
            connect = 127.0.0.1:\(target)
            cert = \(directory.appendingPathComponent("server.pem").path)
            key = \(directory.appendingPathComponent("server.key").path)
            """
        let configurationFile = directory.appendingPathComponent("stunnel.conf")
        try configuration.write(to: configurationFile, atomically: true, encoding: .utf8)
        let process = try ManagedProcess(name: "stunnel", executable: try Tools.path(of: "stunnel4"),
                                         arguments: [configurationFile.path], logDirectory: directory)
        try await Network.waitUntilListening(port: port, what: "stunnel")
        return TLSTerminator(directory: directory, port: port, process: process)
    }

    private init(directory: URL, port: Int, process: ManagedProcess) {
        self.directory = directory
        self.port = port
        self.process = process
    }

    public func stop() async {
        await process.terminate()
        try? FileManager.default.removeItem(at: directory)
    }

    /// A CA, a server certificate for IP 127.0.0.1 signed by it, and an unrelated second CA.
    private static func makeCertificates(in directory: URL) async throws {
        let extensions = directory.appendingPathComponent("server.ext")
        try "subjectAltName=IP:127.0.0.1\nbasicConstraints=CA:FALSE\nextendedKeyUsage=serverAuth\n"
            .write(to: extensions, atomically: true, encoding: .utf8)
        let steps: [[String]] = [
            ["req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2", "-subj", "/CN=gmall test CA",
             "-keyout", "ca.key", "-out", "ca.pem"],
            ["req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2", "-subj", "/CN=gmall other CA",
             "-keyout", "other-ca.key", "-out", "other-ca.pem"],
            ["req", "-newkey", "rsa:2048", "-nodes", "-subj", "/CN=127.0.0.1", "-keyout", "server.key", "-out", "server.csr"],
            ["x509", "-req", "-in", "server.csr", "-CA", "ca.pem", "-CAkey", "ca.key", "-CAcreateserial", "-days", "2",
             "-extfile", extensions.path, "-out", "server.pem"],
        ]
        let openssl = try Tools.path(of: "openssl")
        for arguments in steps {
            let status = try await runToCompletion(openssl, arguments, in: directory)
            guard status == 0 else {
                throw TestSupportError.missingTool("openssl \(arguments.prefix(2).joined(separator: " ")) failed (\(status))")
            }
        }
    }
}
