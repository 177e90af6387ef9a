import Logging
import ServiceLifecycle

/// Checks a dependency every `interval` and reports it on `/readyz`, for a service that uses the dependency
/// per request (query-api and Elasticsearch) instead of waiting for it at start: not ready while it is
/// unreachable, so that a load balancer sends its traffic elsewhere.
public struct DependencyProbe: Service {
    let dependency: String
    let interval: Duration
    let readiness: Readiness
    let logger: Logger
    let check: @Sendable () async throws -> Void

    public init(_ dependency: String, every interval: Duration = .seconds(5), readiness: Readiness, logger: Logger,
                check: @escaping @Sendable () async throws -> Void) {
        self.dependency = dependency
        self.interval = interval
        self.readiness = readiness
        self.logger = logger
        self.check = check
    }

    public func run() async throws {
        try? await cancelWhenGracefulShutdown {
            var wasAvailable: Bool?
            while !Task.isCancelled {
                do {
                    try await check()
                    readiness.markAvailable(dependency)
                    if wasAvailable == false { logger.info("\(dependency) reachable again") }
                    wasAvailable = true
                } catch is CancellationError {
                    return
                } catch {
                    readiness.markUnavailable(dependency)
                    if wasAvailable != false { logger.warning("\(dependency) unreachable", metadata: ["error": "\(error)"]) }
                    wasAvailable = false
                }
                try await Task.sleep(for: interval)
            }
        }
    }
}
