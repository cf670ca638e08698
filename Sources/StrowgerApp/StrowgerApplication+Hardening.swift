import AdminHTTP
import CoreMetrics
import Logging
import NIOConcurrencyHelpers
import ServerNIO
import Store

/// The limits issue 13 added, wired into the server: the phones' share of the descriptors, the admin API's counts,
/// and the auto-registration and store-write metrics.
extension StrowgerApplication {
    /// The SCCP guards with the total connection cap held to what the descriptor budget leaves the phones.
    static func guards(
        _ configured: ConnectionGuardConfiguration,
        within budget: DescriptorBudget,
        logger: Logger
    ) -> ConnectionGuardConfiguration {
        var guards = configured
        let phones = max(1, budget.phoneConnections)
        if guards.maximumConnections > phones {
            logger.notice(
                "Phone connections are limited by the descriptor limit; raise it (LimitNOFILE) for more",
                metadata: [
                    "descriptors.limit": "\(budget.limit)", "descriptors.reserve": "\(budget.reserve)",
                    "sccp.maximumConnections": "\(phones)",
                ]
            )
            guards.maximumConnections = phones
        }
        return guards
    }

    /// The admin API's refusals in the shape of the listeners' guard statistics (service `admin`).
    static func adminGuardStatistics(server: AdminServer, routes: AdminRoutes) -> GuardStatistics {
        let streams = routes.eventStreamStatistics()
        var rejections: [GuardRejectionReason: Int] = [:]
        rejections[.requestTimeout] = server.statistics().requestTimeouts
        rejections[.eventStreamLimit] = streams.refusedPerClient + streams.refusedTotal
        return GuardStatistics(service: "admin", rejections: rejections.filter { $0.value > 0 })
    }

    /// `strowger_auto_registration_numbers_used` / `_total` (the range's usage; a warning is logged at 80 %),
    /// `strowger_auto_registrations{outcome}` (saved, refused per source, refused in total, not saved),
    /// `strowger_store_write_retries{writer}`, `strowger_store_write_failures{writer}`, and
    /// `strowger_admin_event_streams` (open now); read at every scrape.
    static func addHardeningMetrics(
        to metrics: AdminMetrics,
        recorder: DeviceReportRecorder,
        registrationTimes: RegistrationTimeRecorder,
        gate: RegistrationGate,
        routes: AdminRoutes
    ) {
        let factory = metrics.factory
        let used = Gauge(label: "strowger_auto_registration_numbers_used", factory: factory)
        let total = Gauge(label: "strowger_auto_registration_numbers_total", factory: factory)
        let outcomes = ["saved", "refused_per_source", "refused_total", "not_saved"].map {
            Gauge(label: "strowger_auto_registrations", dimensions: [("outcome", $0)], factory: factory)
        }
        let retries = Gauge(
            label: "strowger_store_write_retries",
            dimensions: [("writer", "device_reports")],
            factory: factory
        )
        let failures = ["auto_registration", "registration_time", "do_not_disturb"].map {
            Gauge(label: "strowger_store_write_failures", dimensions: [("writer", $0)], factory: factory)
        }
        let streams = Gauge(label: "strowger_admin_event_streams", factory: factory)
        metrics.addCollector {
            let statistics = recorder.statistics
            if let usage = statistics.usage {
                used.record(usage.used)
                total.record(usage.size)
            }
            let gated = gate.statistics()
            outcomes[0].record(statistics.saved)
            outcomes[1].record(gated.refusedPerSource)
            outcomes[2].record(gated.refusedTotal)
            outcomes[3].record(gated.refusedNotSaved)
            retries.record(statistics.retried)
            failures[0].record(statistics.failed)
            failures[1].record(registrationTimes.failures.withLockedValue { $0 })
            failures[2].record(statistics.doNotDisturbFailed)
            streams.record(routes.eventStreamStatistics().open)
        }
    }
}
