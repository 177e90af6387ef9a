import BinlogReplication
import Common
import Foundation
import Logging
import Metrics
import ServiceLifecycle

/// Runs the change capture loop as a lifecycle service and publishes its progress as metrics:
/// `cdc_rows_total`, `cdc_transactions_total`, `cdc_lag_seconds` (now minus the source time of the last
/// delivered row), `cdc_rows_per_second`.
struct CaptureService: Service {
    let capture: ChangeCapture
    /// Tables to snapshot (`bootstrap-*` records) next to the live stream.
    let bootstrap: [(database: String, table: String)]
    let readiness: Readiness
    let logger: Logger

    func run() async throws {
        let reporter = Task { await report() }
        defer { reporter.cancel() }
        do {
            try await cancelWhenGracefulShutdown {
                try await withThrowingTaskGroup(of: Void.self) { group in
                    group.addTask { try await capture.run() }
                    group.addTask { try await runBootstraps() }
                    try await group.waitForAll()
                }
            }
        } catch let error as ReplicationError {
            logger.critical("change capture stopped", metadata: ["error": "\(error)"])
            throw error
        }
    }

    private func runBootstraps() async throws {
        for (database, table) in bootstrap {
            logger.info("bootstrap started", metadata: ["table": "\(database).\(table)"])
            let logger = self.logger
            let rows = try await capture.bootstrap(database: database, table: table) { sent in
                if sent % 10_000 == 0 { logger.info("bootstrap progress", metadata: ["table": "\(database).\(table)", "rows": "\(sent)"]) }
            }
            logger.info("bootstrap complete", metadata: ["table": "\(database).\(table)", "rows": "\(rows)"])
        }
    }

    private func report() async {
        let rows = Counter(label: "cdc_rows_total")
        let transactions = Counter(label: "cdc_transactions_total")
        let lag = Gauge(label: "cdc_lag_seconds")
        let rate = Gauge(label: "cdc_rows_per_second")
        var last = capture.statistics
        while !Task.isCancelled {
            try? await Task.sleep(for: .seconds(1))
            let now = capture.statistics
            rows.increment(by: now.recordsDelivered - last.recordsDelivered)
            transactions.increment(by: now.transactionsCommitted - last.transactionsCommitted)
            rate.record(now.recordsDelivered - last.recordsDelivered)
            if let timestamp = now.lastEventTimestamp {
                lag.record(max(0, Date().timeIntervalSince1970 - Double(timestamp)))
            }
            if now.isStreaming { readiness.markAvailable("mysql") }
            last = now
        }
    }
}
