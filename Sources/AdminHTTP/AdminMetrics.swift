public import CoreMetrics
import NIOConcurrencyHelpers
import Prometheus

/// The server's metrics in Prometheus' text format (`GET /metrics`).
///
/// Metrics are made with swift-metrics (`Counter`, `Gauge`) on ``factory``, a Prometheus backend with a registry of
/// its own rather than the process-wide `MetricsSystem`, so that every server (and every test) counts by itself.
/// Libraries that count for the server (ServerNIO) take this factory too. Values that live elsewhere (registered
/// phones, live calls, the CDR writer's queue) are read at scrape time by collectors.
///
/// docs/admin-api.md lists every metric.
public final class AdminMetrics: Sendable {
    /// The swift-metrics factory whose metrics `/metrics` exports.
    public let factory: any MetricsFactory
    private let registry: PrometheusCollectorRegistry
    private let collectors: NIOLockedValueBox<[@Sendable () async -> Void]>
    private let registeredDevices: CoreMetrics.Gauge
    private let activeCalls: CoreMetrics.Gauge

    public init() {
        let registry = PrometheusCollectorRegistry()
        self.registry = registry
        self.factory = PrometheusMetricsFactory(registry: registry)
        self.collectors = NIOLockedValueBox([])
        self.registeredDevices = CoreMetrics.Gauge(label: "strowger_registered_devices", factory: factory)
        self.activeCalls = CoreMetrics.Gauge(label: "strowger_active_calls", factory: factory)
    }

    /// Counts a finished call (`strowger_calls_total{cause}`), from CallControl's call record.
    public func callEnded(cause: String) {
        CoreMetrics.Counter(label: "strowger_calls_total", dimensions: [("cause", cause)], factory: factory).increment()
    }

    /// Adds work to run before every scrape, e.g. copying a queue length into a gauge.
    public func addCollector(_ collect: @escaping @Sendable () async -> Void) {
        collectors.withLockedValue { $0.append(collect) }
    }

    /// Updates the live gauges and runs the collectors, then renders every metric.
    func exposition(live: any AdminLiveStatus) async -> String {
        if let counts = try? await live.counts() {
            registeredDevices.record(counts.registeredDevices)
            activeCalls.record(counts.activeCalls)
        }
        for collect in collectors.withLockedValue({ $0 }) {
            await collect()
        }
        return registry.emitToString()
    }
}
