public import CoreMetrics
import Foundation
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

    /// Calls that ended in each of the last 60 minutes: the dashboard's chart.
    let callsPerMinute = CallRateHistory()

    /// Counts a finished call (`strowger_calls_total{cause}`), from CallControl's call record.
    public func callEnded(cause: String) {
        CoreMetrics.Counter(label: "strowger_calls_total", dimensions: [("cause", cause)], factory: factory).increment()
        callsPerMinute.record()
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

/// Calls that ended per minute over the last hour, in memory (a ring of 60 counters keyed by the minute since 1970),
/// for the dashboard's chart. Counting is a lock and an addition: it runs on the call-control loop.
final class CallRateHistory: Sendable {
    /// Minutes kept.
    static let minutes = 60

    private struct Slot {
        var minute: Int64 = -1
        var count = 0
    }

    private let slots = NIOLockedValueBox([Slot](repeating: Slot(), count: CallRateHistory.minutes))

    /// Counts one call at `date`.
    func record(at date: Date = Date()) {
        let minute = Self.minute(of: date)
        slots.withLockedValue { slots in
            let index = Int(minute % Int64(Self.minutes))
            if slots[index].minute != minute { slots[index] = Slot(minute: minute, count: 0) }
            slots[index].count += 1
        }
    }

    /// The counts of the 60 minutes up to and including the one of `now`, oldest first, with each minute's start.
    func lastHour(now: Date = Date()) -> [(start: Date, count: Int)] {
        let current = Self.minute(of: now)
        let copy = slots.withLockedValue { $0 }
        return (0..<Int64(Self.minutes)).map { offset in
            let minute = current - Int64(Self.minutes) + 1 + offset
            let slot = copy[Int(minute % Int64(Self.minutes))]
            return (Date(timeIntervalSince1970: Double(minute) * 60), slot.minute == minute ? slot.count : 0)
        }
    }

    private static func minute(of date: Date) -> Int64 {
        Int64((date.timeIntervalSince1970 / 60).rounded(.down))
    }
}
