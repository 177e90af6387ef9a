import Foundation
import Hummingbird
import HummingbirdCore
import Logging
import NIOCore
import PipelineCore
import Prometheus
import ServiceLifecycle

/// The start of every service: read the configuration (a bad value stops the process with a message
/// naming the variable), set up logging and metrics, then run the HTTP server and `services` until
/// SIGTERM or SIGINT, shutting down gracefully. A service that fails ends the process with status 1.
public enum ServiceMain {
    public struct Context: Sendable {
        public var logger: Logger
        public var registry: PrometheusCollectorRegistry
        public var readiness: Readiness
        /// What `/healthz` reports; consumers mark themselves stuck there.
        public var liveness: Liveness
        public var settings: ServiceSettings
    }

    /// Exits with status 2 and the message on stderr if `body` throws a `ConfigurationError`.
    public static func readConfiguration<T>(_ body: () throws -> T) -> T {
        do {
            return try body()
        } catch let error as ConfigurationError {
            FileHandle.standardError.write(Data("\(error)\n".utf8))
            exit(2)
        } catch {
            FileHandle.standardError.write(Data("configuration failed: \(error)\n".utf8))
            exit(2)
        }
    }

    /// Sets up logging and metrics for the service `name`; call once, first.
    public static func bootstrap(name: String, defaultAddress: String, waitingFor: Set<String>) -> Context {
        let settings = readConfiguration { try ServiceSettings.read(EnvironmentReader(), defaultAddress: defaultAddress) }
        LoggingSetup.bootstrap(format: settings.logFormat, level: Logger.Level(rawValue: settings.logLevel) ?? .info)
        let registry = MetricsSetup.bootstrap()
        var logger = Logger(label: name)
        logger[metadataKey: "service"] = .string(name)
        return Context(logger: logger, registry: registry, readiness: Readiness(initiallyWaitingFor: waitingFor), liveness: Liveness(),
                       settings: settings)
    }

    /// Runs the HTTP server with `router` (plus /healthz, /readyz, /metrics) next to `services`, bounded by
    /// the settings' read and idle timeouts and connection limit. A request no route takes gets a JSON
    /// `404`, or `405` with `Allow` on a path of `getPaths` (GET, HEAD) or `routes` (their methods).
    public static func run(_ context: Context, router: Router<ServiceRequestContext> = Router(context: ServiceRequestContext.self), getPaths: [String] = [],
                           routes: [(pattern: String, allow: String)] = [], services: [any Service]) async throws {
        // The router's not-found responder is built last, with every middleware: this one sees what no route took.
        router.add(middleware: UnroutedMiddleware(getPaths: getPaths, routes: routes))
        router.addOperationalRoutes(readiness: context.readiness, liveness: context.liveness, registry: context.registry)
        let settings = context.settings
        let readTimeout = TimeAmount(settings.httpReadTimeout)
        var app = Application(
            router: router,
            server: .http1(configuration: .init(additionalChannelHandlers: [RequestReadDeadline(timeout: readTimeout)],
                                                idleTimeout: TimeAmount(settings.httpIdleTimeout))),
            configuration: .init(address: .hostname(settings.httpHost, port: settings.httpPort),
                                 serverName: context.logger.label,
                                 availableConnectionsDelegate: MaximumAvailableConnections(settings.httpMaxConnections,
                                                                                           logger: context.logger)),
            logger: context.logger)
        app.addServices(services)
        context.logger.info("starting", metadata: ["http": "\(context.settings.httpHost):\(context.settings.httpPort)"])
        let watchdog = ShutdownWatchdog(timeout: settings.shutdownTimeout, logger: context.logger)
        defer { watchdog.cancel() }
        do {
            try await app.runService(gracefulShutdownSignals: [.sigterm, .sigint])
        } catch is CancellationError {
            // A service shut down while still waiting for a dependency: a normal stop.
        } catch {
            // A service failed for good (the others have stopped). Exit at once with status 1 so that the
            // supervisor starts a fresh process; whatever was not acknowledged and committed is replayed.
            context.logger.critical("stopped: a service failed", metadata: ["error": "\(error)"])
            exit(1)
        }
        context.logger.info("stopped")
    }
}
