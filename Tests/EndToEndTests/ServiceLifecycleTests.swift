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
