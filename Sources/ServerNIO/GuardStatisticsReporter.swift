public import Logging
public import ServiceLifecycle

/// Logs every listener's guard statistics at an interval, one line per service whose counts changed since the
/// last line (nothing when nothing changed), and once more at shutdown. Until the admin API's `/metrics` serves
/// them, this is where an operator (and `scripts/dos-drill`) reads the counts.
public struct GuardStatisticsReporter: Service {
    private let interval: Duration
    private let logger: Logger
    private let statistics: @Sendable () -> [GuardStatistics]

    /// - Parameter statistics: reads the listeners' statistics; called on the reporter's task.
    public init(interval: Duration, logger: Logger, statistics: @escaping @Sendable () -> [GuardStatistics]) {
        self.interval = interval
        self.logger = logger
        self.statistics = statistics
    }

    public func run() async throws {
        var last: [String: GuardStatistics] = [:]
        while !Task.isCancelled {
            do {
                let interval = self.interval
                try await cancelWhenGracefulShutdown { try await Task.sleep(for: interval) }
            } catch {
                break
            }
            if Task.isShuttingDownGracefully { break }
            self.report(&last)
        }
        self.report(&last)
    }

    private func report(_ last: inout [String: GuardStatistics]) {
        for item in self.statistics() where last[item.service] != item {
            last[item.service] = item
            var metadata: Logger.Metadata = [
                "guard.service": "\(item.service)", "guard.rejected": "\(item.totalRejections)",
                "guard.open": "\(item.openConnections)", "guard.unregistered": "\(item.unregisteredConnections)",
                "guard.banned": "\(item.bannedSources)",
            ]
            for (reason, count) in item.rejections where count > 0 {
                metadata["guard.\(reason.rawValue)"] = "\(count)"
            }
            self.logger.info("Guard statistics", metadata: metadata)
        }
    }
}
