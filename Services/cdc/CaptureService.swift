import BinlogReplication
import Common
import Foundation
import Logging
import Metrics
import ServiceLifecycle

/// Runs the change capture loop and the bootstrap queue as a lifecycle service and publishes progress as metrics:
/// `cdc_rows_total`, `cdc_transactions_total`, `cdc_lag_seconds` (now minus the source time of the last
/// delivered row), `cdc_rows_per_second`, `cdc_undecodable_values_total` (text values written as base64 under
/// `CDC_ON_UNDECODABLE=base64`).
struct CaptureService: Service {
    let capture: ChangeCapture
    /// Snapshots (`bootstrap-*` records) next to the live stream.
    let bootstraps: BootstrapQueue
    /// Tables to snapshot at start (`CDC_BOOTSTRAP`).
    let startupBootstraps: [TableName]
    let readiness: Readiness
    let logger: Logger

    func run() async throws {
        let reporter = Task { await report() }
        defer { reporter.cancel() }
        do {
            try await cancelWhenGracefulShutdown {
                try await withThrowingTaskGroup(of: Void.self) { group in
                    group.addTask { try await capture.run() }
                    group.addTask {
                        try await bootstraps.restore(adding: startupBootstraps)
                        try await bootstraps.run()
                    }
                    // The first to end ends both: `waitForAll()` would wait for the bootstrap queue, which runs
                    // until cancelled, before reporting the stream's failure (cdc then hung instead of exiting).
                    try await group.next()
                    group.cancelAll()
                }
            }
        } catch let error where !(error is CancellationError) {
            // A stream that cannot go on (settings, a purged position, an undecodable value): the process exits.
            logger.critical("change capture stopped", metadata: ["error": "\(error)"])
            throw error
        }
    }

    private func report() async {
        let rows = Counter(label: "cdc_rows_total")
        let transactions = Counter(label: "cdc_transactions_total")
        let lag = Gauge(label: "cdc_lag_seconds")
        let rate = Gauge(label: "cdc_rows_per_second")
        let undecodable = Counter(label: "cdc_undecodable_values_total")
        let undecodableValues = capture.reader.valueOptions.undecodableValues
        var last = capture.statistics
        var lastUndecodable = 0
        while !Task.isCancelled {
            try? await Task.sleep(for: .seconds(1))
            let now = capture.statistics
            rows.increment(by: now.recordsDelivered - last.recordsDelivered)
            transactions.increment(by: now.transactionsCommitted - last.transactionsCommitted)
            rate.record(now.recordsDelivered - last.recordsDelivered)
            let undecodableNow = undecodableValues.value
            undecodable.increment(by: undecodableNow - lastUndecodable)
            lastUndecodable = undecodableNow
            if let timestamp = now.lastEventTimestamp {
                lag.record(max(0, Date().timeIntervalSince1970 - Double(timestamp)))
            }
            if now.isStreaming { readiness.markAvailable("mysql") }
            last = now
        }
    }
}
