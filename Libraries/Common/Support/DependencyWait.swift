import Logging
import ServiceLifecycle

/// Runs `operation` until it succeeds, waiting with backoff while `dependency` is unavailable and
/// reporting that on `/readyz`; cancellation or a graceful shutdown (SIGTERM) stops it with a
/// `CancellationError`. A dependency that is down is waited for, never skipped.
public func waitForDependency<T: Sendable>(
    _ dependency: String, readiness: Readiness, logger: Logger, what: String,
    _ operation: () async throws -> T
) async throws -> T {
    var backoff = Backoff()
    var attempt = 0
    while true {
        do {
            let result = try await operation()
            readiness.markAvailable(dependency)
            if attempt > 0 { logger.info("\(dependency) available again", metadata: ["operation": "\(what)"]) }
            return result
        } catch is CancellationError {
            throw CancellationError()
        } catch {
            attempt += 1
            readiness.markUnavailable(dependency)
            logger.warning("\(what) failed; retrying", metadata: [
                "dependency": "\(dependency)", "attempt": "\(attempt)", "error": "\(error)",
            ])
            // A shutdown ends the wait at once (CancellationError); an attempt in flight runs to its own timeout.
            if Task.isShuttingDownGracefully { throw CancellationError() }
            let delay = backoff.nextDelay()
            try await cancelWhenGracefulShutdown { try await Task.sleep(for: delay) }
            if Task.isShuttingDownGracefully { throw CancellationError() }
        }
    }
}
