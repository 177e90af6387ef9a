import Foundation
import Testing
import TestSupport

/// How the service processes start and stop.
@Suite(.timeLimit(.minutes(3)))
struct ServiceLifecycleTests {
    @Test("a wrong configuration value stops the service at start, naming the variable", arguments: [
        ("log-ingest", "KAFKA_TOPIC_PARTITIONS", "zero"),
        ("enricher", "BUSINESS_TIME_ZONE", "Mars/Olympus"),
        ("sink-es", "ELASTICSEARCH_URL", "localhost:9200"),
        ("query-api", "HTTP_ADDR", "127.0.0.1:99999"),
        ("cdc", "CDC_PARTITION_COLUMNS", "order_detail"),
        ("cdc", "CDC_BOOTSTRAP", "gmall"),
        ("cdc", "CDC_ON_UNDECODABLE", "replace"),
        ("log-ingest", "INGEST_AUTH", "maybe"),
        ("log-ingest", "INGEST_WRITE_KEYS_FILE", "/nonexistent/write-keys"),
        ("query-api", "QUERY_API_TOKENS_FILE", "/nonexistent/tokens"),
        ("query-api", "HTTP_READ_TIMEOUT", "0s"),
        ("sink-es", "SINK_REFRESH_INTERVAL", "0s"),
    ])
    func badConfiguration(service: String, variable: String, value: String) async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent(LocalStack.uniqueName("gmall-test-config"))
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let process = try ManagedProcess(name: service, executable: try Tools.builtProduct(service), arguments: [],
                                         environment: [variable: value], logDirectory: directory)
        let status = await process.waitForExit(timeout: .seconds(30))
        #expect(status == 2)
        let output = process.logTail()
        #expect(output.contains(variable) && output.contains(value), "output: \(output)")
    }

    @Test("log-ingest and query-api refuse to start without credentials unless authentication is off explicitly",
          arguments: [("log-ingest", "INGEST_WRITE_KEYS_FILE", "INGEST_AUTH"), ("query-api", "QUERY_API_TOKENS_FILE", "QUERY_API_AUTH")])
    func noCredentialsNoStart(service: String, fileVariable: String, switchVariable: String) async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent(LocalStack.uniqueName("gmall-test-auth"))
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let refused = try ManagedProcess(name: service, executable: try Tools.builtProduct(service), arguments: [],
                                         environment: ["HTTP_ADDR": "127.0.0.1:\(try Network.freePort())"], logDirectory: directory)
        #expect(await refused.waitForExit(timeout: .seconds(30)) == 2)
        #expect(refused.logTail().contains(fileVariable) && refused.logTail().contains("\(switchVariable)=off"), "\(refused.logTail())")

        let port = try Network.freePort()
        let open = try ManagedProcess(name: "\(service)-open", executable: try Tools.builtProduct(service), arguments: [],
                                      environment: ["HTTP_ADDR": "127.0.0.1:\(port)", switchVariable: "off"], logDirectory: directory)
        try await Network.waitUntilListening(port: port, what: service)
        #expect(open.isRunning)
        #expect(open.logTail().contains("authentication is off"))
        await open.crash()  // (log-ingest waits for Kafka, which is not there)
    }

    @Test("with every dependency down, a service answers /healthz, waits, and still exits 0 soon after SIGTERM",
          arguments: ["log-ingest", "enricher", "sink-es", "query-api", "cdc"])
    func shutdownWhileWaiting(service: String) async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent(LocalStack.uniqueName("gmall-test-down"))
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let dead = try Network.freePort()  // nothing listens there
        let port = try Network.freePort()
        let process = try ManagedProcess(name: service, executable: try Tools.builtProduct(service), arguments: [], environment: [
            "HTTP_ADDR": "127.0.0.1:\(port)", "KAFKA_BROKERS": "127.0.0.1:\(dead)", "REDIS_ADDR": "127.0.0.1:\(dead)",
            "ELASTICSEARCH_URL": "http://127.0.0.1:\(dead)", "INGEST_AUTH": "off", "QUERY_API_AUTH": "off",
            "CDC_MYSQL_ADDR": "127.0.0.1:\(dead)",
        ], logDirectory: directory)
        try await Network.waitUntilListening(port: port, what: service)
        #expect(try await HTTP.get("http://127.0.0.1:\(port)/healthz").0 == 200)
        let (ready, body) = try await HTTP.get("http://127.0.0.1:\(port)/readyz")
        #expect(ready == 503, "\(service) is ready with its dependencies down: \(String(decoding: body, as: UTF8.self))")
        try await Task.sleep(for: .seconds(3))  // well into its retries
        let started = ContinuousClock.now
        let status = await process.terminate(timeout: .seconds(25))
        #expect(status == 0, "\(service) did not exit 0 within 25 s of SIGTERM: \(process.logTail())")
        print("\(service) with its dependencies down exited \(status.map(String.init) ?? "-") \(ContinuousClock.now - started) after SIGTERM")
    }

    @Test("every service stops on SIGTERM and exits with status 0")
    func gracefulShutdown() async throws {
        let pipeline = try await PipelineUnderTest.start()
        for name in PipelineUnderTest.services {
            let status = await pipeline.processes[name]?.terminate(timeout: .seconds(30))
            #expect(status == 0, "\(name): \(pipeline.processes[name]?.logTail() ?? "")")
        }
        await pipeline.stop()
    }
}
