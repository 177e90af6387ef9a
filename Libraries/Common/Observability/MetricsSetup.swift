import Metrics
import Prometheus

/// Sets up swift-metrics once per process with a Prometheus registry that `/metrics` renders.
public enum MetricsSetup {
    public static func bootstrap() -> PrometheusCollectorRegistry {
        let registry = PrometheusCollectorRegistry()
        MetricsSystem.bootstrap(PrometheusMetricsFactory(registry: registry))
        return registry
    }
}
