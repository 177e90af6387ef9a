import Dispatch
import Foundation
import Logging

#if canImport(Glibc)
import Glibc
#endif

/// Bounds a graceful stop: once SIGTERM or SIGINT arrives, the process exits after `timeout` whatever is
/// still running (a produce waiting for an unreachable Kafka, a consumer closing). Exiting then is safe:
/// nothing is acknowledged or committed before it is written, so what was in flight is replayed.
final class ShutdownWatchdog {
    private let sources: [any DispatchSourceSignal]

    init(timeout: Duration, logger: Logger) {
        let queue = DispatchQueue(label: "shutdown-watchdog")
        let seconds = Double(timeout.components.seconds) + Double(timeout.components.attoseconds) / 1e18
        sources = [SIGTERM, SIGINT].map { signal in
            // Next to ServiceLifecycle's own handling of the signal (both are notified).
            let source = DispatchSource.makeSignalSource(signal: signal, queue: queue)
            source.setEventHandler {
                queue.asyncAfter(deadline: .now() + seconds) {
                    logger.warning("graceful stop took longer than SHUTDOWN_TIMEOUT; exiting", metadata: ["timeout": "\(timeout)"])
                    exit(0)
                }
            }
            source.resume()
            return source
        }
    }

    func cancel() { sources.forEach { $0.cancel() } }
}
