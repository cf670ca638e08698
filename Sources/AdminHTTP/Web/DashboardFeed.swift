import Foundation
import NIOConcurrencyHelpers
import Store

/// The dashboard's state: what the page shows when it loads and what its event stream sends (`event: status`).
/// Every value the page updates by name (`data-live="registered"`) is a string here, formatted once on the server.
struct DashboardSnapshot: Codable, Hashable, Sendable {
    var registered: String
    var unregistered: String
    var configured: String
    var activeCalls: String
    var callsLastHour: String
    var cpu: String
    var memory: String
    var disk: String
    var uptime: String
    var sccpIn: String
    var sccpOut: String
    var rejections: String
    var banned: String
    /// SIP requests and responses refused (`strowger_sip_refused_total`).
    var sipRefused: String
    /// "2 of 3 up", or "none" without trunks.
    var trunks: String
    var warningSummary: String
    var callSummary: String
    var chartSummary: String
    var warnings: [String]
    var calls: [Call]
    var registrations: [Registration]
    var services: [Service]
    var chart: Chart

    struct Call: Codable, Hashable, Sendable {
        var caller: String
        var callerNumber: String
        var callee: String
        var calleeNumber: String
        var state: String
    }

    struct Registration: Codable, Hashable, Sendable {
        var time: String
        var device: String
        var event: String
        var address: String
    }

    struct Service: Codable, Hashable, Sendable {
        var service: String
        var open: String
        var unregistered: String
        var rejections: String
        var banned: String
    }

    /// Bars of an SVG chart, laid out on the server so that the page and the script draw the same thing.
    struct Chart: Codable, Hashable, Sendable {
        var width: Int
        var height: Int
        var summary: String
        var bars: [Bar]
    }

    struct Bar: Codable, Hashable, Sendable {
        var x: Int
        var y: Int
        var width: Int
        var height: Int
        var label: String
        var style: String
    }
}

/// Builds ``DashboardSnapshot``s, sharing them between the open dashboards: one snapshot serves every stream that
/// asks within ``reuseInterval``, so ten open dashboards cost what one does.
///
/// Registration events are found by comparing the registered phones of one snapshot with the last one's (the live
/// status has no event feed): they show what happened while a dashboard was open. The list of registered phones is
/// read only when the count changed or every ``fullScanInterval``, so that 20,000 registered phones are not listed
/// every second.
final class DashboardFeed: Sendable {
    /// Calls shown in the live table; the rest are counted.
    static let shownCalls = 20
    /// Registration events kept.
    static let keptRegistrations = 20
    /// A snapshot this young is reused.
    static let reuseInterval: TimeInterval = 0.9
    static let fullScanInterval: TimeInterval = 10
    /// Warnings that cost a query (auto-registration usage, disk) are worked out this often.
    static let warningInterval: TimeInterval = 15

    private struct State {
        var last: (at: Date, snapshot: DashboardSnapshot)?
        var registeredNames: Set<String>?
        var registeredCount = -1
        var lastFullScan = Date.distantPast
        var events: [DashboardSnapshot.Registration] = []
        var cpu: (at: Date, seconds: Double)?
        var cpuText = "measuring…"
        var warnings: (at: Date, list: [String], disk: String)?
    }

    private let state = NIOLockedValueBox(State())

    /// The state now, or the last snapshot if it is younger than ``reuseInterval``.
    func snapshot(_ routes: AdminRoutes, now: Date = Date()) async -> DashboardSnapshot {
        if let last = state.withLockedValue({ $0.last }), now.timeIntervalSince(last.at) < Self.reuseInterval {
            return last.snapshot
        }
        let snapshot = await self.build(routes, now: now)
        state.withLockedValue { $0.last = (now, snapshot) }
        return snapshot
    }

    private func build(_ routes: AdminRoutes, now: Date) async -> DashboardSnapshot {
        let live = routes.live
        var problems: [String] = []
        let counts = try? await live.counts()
        if counts == nil { problems.append("The call-control core did not answer the live status.") }
        let stored = try? await routes.store.counts()
        let registered = counts?.registeredDevices ?? 0
        await self.trackRegistrations(live, count: registered, now: now)

        // Live calls.
        let calls = (try? await live.activeCalls()) ?? []
        let shown = calls.prefix(Self.shownCalls).map { call in
            DashboardSnapshot.Call(
                caller: call.caller.device,
                callerNumber: call.caller.number ?? "",
                callee: call.callee?.device ?? "",
                calleeNumber: call.callee?.number ?? (call.dialing.map { "dialling \($0)" } ?? ""),
                state: Self.describe(state: call.callee?.state ?? call.caller.state)
            )
        }
        let callSummary =
            calls.isEmpty
            ? "No calls are up."
            : calls.count > shown.count
                ? "Showing \(shown.count) of \(WebListRequest<DeviceListSort>.grouped(calls.count)) calls."
                : (calls.count == 1 ? "1 call is up." : "\(calls.count) calls are up.")

        // Counters from the metrics registry (the same numbers /metrics exposes).
        let samples = MetricSample.parse(await routes.metrics.exposition(live: live))
        func total(_ name: String, service: String? = nil) -> Int {
            Int(
                samples.filter { $0.name == name && (service == nil || $0.labels["service"] == service) }
                    .reduce(0) { $0 + $1.value }
            )
        }
        // The phone-facing services first, in a fixed order, then any others (SIP, once it counts) by name.
        let known = ["sccp", "sccps", "tftp", "http", "sip-udp", "sip-tcp", "sip-tls", "cluster"]
        let serviceNames = Set(
            samples.filter { $0.name == "strowger_guard_open_connections" }.compactMap { $0.labels["service"] }
        )
        .sorted { (known.firstIndex(of: $0) ?? known.count, $0) < (known.firstIndex(of: $1) ?? known.count, $1) }
        let services = serviceNames.map { service in
            DashboardSnapshot.Service(
                service: service.uppercased(),
                open: Self.grouped(total("strowger_guard_open_connections", service: service)),
                unregistered: Self.grouped(total("strowger_guard_unregistered_connections", service: service)),
                rejections: Self.grouped(total("strowger_guard_rejections_total", service: service)),
                banned: Self.grouped(total("strowger_guard_banned_sources", service: service))
            )
        }
        let dropped = total("strowger_cdr_dropped") + total("strowger_cdr_failed")
        if dropped > 0 { problems.append("\(Self.grouped(dropped)) call records could not be written.") }

        // The last hour's calls, per minute.
        let minutes = routes.metrics.callsPerMinute.lastHour(now: now)
        let lastHour = minutes.reduce(0) { $0 + $1.count }
        let chart = Self.minuteChart(minutes)

        let (warnings, disk) = await self.warnings(routes, now: now)
        // Trunks are read every snapshot: a trunk going down is news now.
        let trunks = await routes.trunkStatus?.trunkStatuses() ?? []
        var trunkProblems: [String] = []
        for trunk in trunks where trunk.state == "down" {
            let since = trunk.since.map { " since \(Self.time($0)) UTC" } ?? ""
            let answer = trunk.lastResponseCode.map { " (last answer \($0) \(trunk.lastResponseReason ?? ""))" } ?? ""
            trunkProblems.append("Trunk \(trunk.name) is down\(since)\(answer).")
        }
        for trunk in trunks where trunk.registration == "failed" {
            trunkProblems.append(
                "Trunk \(trunk.name) failed to register\(trunk.registrationError.map { ": \($0)" } ?? "")."
            )
        }
        let allWarnings = problems + trunkProblems + warnings
        let (cpu, memory) = self.resources(now: now)
        let events = state.withLockedValue { $0.events }

        return DashboardSnapshot(
            registered: Self.grouped(registered),
            unregistered: Self.grouped(max(0, (stored?.devices ?? 0) - registered)),
            configured: Self.grouped(stored?.devices ?? 0),
            activeCalls: Self.grouped(counts?.activeCalls ?? 0),
            callsLastHour: Self.grouped(lastHour),
            cpu: cpu,
            memory: memory,
            disk: disk,
            uptime: Self.duration(now.timeIntervalSince(routes.startedAt)),
            sccpIn: Self.grouped(total("strowger_sccp_messages_received_total")),
            sccpOut: Self.grouped(total("strowger_sccp_messages_sent_total")),
            rejections: Self.grouped(total("strowger_guard_rejections_total")),
            banned: Self.grouped(total("strowger_guard_banned_sources")),
            sipRefused: Self.grouped(total("strowger_sip_refused_total")),
            trunks: trunks.isEmpty
                ? "none" : "\(trunks.filter { $0.state == "up" }.count) of \(trunks.count) up",
            warningSummary: allWarnings.isEmpty
                ? "None."
                : (allWarnings.count == 1 ? "1 warning:" : "\(allWarnings.count) warnings:"),
            callSummary: callSummary,
            chartSummary: chart.summary,
            warnings: allWarnings,
            calls: Array(shown),
            registrations: events,
            services: services,
            chart: chart
        )
    }

    /// Compares the registered phones with the last snapshot's and records who came and went.
    private func trackRegistrations(_ live: any AdminLiveStatus, count: Int, now: Date) async {
        let (previousCount, lastScan) = state.withLockedValue { ($0.registeredCount, $0.lastFullScan) }
        guard count != previousCount || now.timeIntervalSince(lastScan) >= Self.fullScanInterval else { return }
        guard let devices = try? await live.registeredDevices() else { return }
        let addresses = Dictionary(devices.map { ($0.name, $0.address ?? "") }, uniquingKeysWith: { first, _ in first })
        let names = Set(addresses.keys)
        let time = Self.time(now)
        state.withLockedValue { state in
            defer {
                state.registeredNames = names
                state.registeredCount = count
                state.lastFullScan = now
            }
            guard let previous = state.registeredNames else { return }
            var fresh: [DashboardSnapshot.Registration] = []
            for name in names.subtracting(previous).sorted() {
                fresh.append(.init(time: time, device: name, event: "registered", address: addresses[name] ?? ""))
            }
            for name in previous.subtracting(names).sorted() {
                fresh.append(.init(time: time, device: name, event: "unregistered", address: ""))
            }
            state.events = Array((fresh + state.events).prefix(Self.keptRegistrations))
        }
    }

    /// Auto-registration nearly full, the data directory's disk nearly full, and the extra sources; refreshed every
    /// ``warningInterval``.
    private func warnings(_ routes: AdminRoutes, now: Date) async -> ([String], String) {
        if let cached = state.withLockedValue({ $0.warnings }), now.timeIntervalSince(cached.at) < Self.warningInterval
        {
            return (cached.list, cached.disk)
        }
        var list: [String] = []
        if let settings = try? await routes.store.settings(), settings.autoRegistrationEnabled,
            let usage = try? await routes.store.autoRegistrationUsage(), usage.size > 0,
            usage.used * 10 >= usage.size * 9
        {
            list.append(
                "Auto-registration has used \(Self.grouped(usage.used)) of its \(Self.grouped(usage.size)) numbers"
                    + " (\(usage.used * 100 / usage.size) %): widen the range in Settings."
            )
        }
        var disk = "n/a"
        if let directory = routes.web.dataDirectory, let space = ServerResources.diskSpace(at: directory),
            space.total > 0
        {
            let usedPercent = 100 - space.free * 100 / space.total
            disk = "\(ServerResources.bytes(space.free)) free (\(usedPercent) % used)"
            if space.free * 10 < space.total || space.free < 1 << 30 {
                list.append(
                    "The data directory's disk is nearly full: \(ServerResources.bytes(space.free)) free,"
                        + " \(usedPercent) % used."
                )
            }
        }
        for source in routes.web.warningSources {
            list += await source()
        }
        state.withLockedValue { $0.warnings = (now, list, disk) }
        return (list, disk)
    }

    /// CPU use since the last snapshot and resident memory.
    private func resources(now: Date) -> (String, String) {
        let seconds = ServerResources.cpuSeconds()
        let cpu = state.withLockedValue { state -> String in
            if let seconds, let previous = state.cpu, now.timeIntervalSince(previous.at) > 0.2 {
                let percent = (seconds - previous.seconds) / now.timeIntervalSince(previous.at) * 100
                state.cpuText = "\(Int(percent.rounded())) % of a core"
            }
            if let seconds { state.cpu = (now, seconds) }
            return seconds == nil ? "n/a" : state.cpuText
        }
        var memory = "n/a"
        if let resident = ServerResources.residentBytes() {
            memory = ServerResources.bytes(resident)
            if let total = ServerResources.totalMemoryBytes() {
                memory += " of \(ServerResources.bytes(total))"
            }
        }
        return (cpu, memory)
    }

    /// 60 bars of calls per minute, the tallest reaching the top.
    static func minuteChart(_ minutes: [(start: Date, count: Int)]) -> DashboardSnapshot.Chart {
        let width = 600
        let height = 120
        let peak = minutes.map(\.count).max() ?? 0
        let slot = width / max(1, minutes.count)
        let bars = minutes.enumerated().map { index, minute in
            let barHeight = peak == 0 ? 0 : max(minute.count > 0 ? 2 : 0, minute.count * (height - 4) / peak)
            return DashboardSnapshot.Bar(
                x: index * slot,
                y: height - barHeight,
                width: max(1, slot - 2),
                height: barHeight,
                label: "\(time(minute.start, seconds: false)) UTC: \(minute.count) call\(minute.count == 1 ? "" : "s")",
                style: ""
            )
        }
        let total = minutes.reduce(0) { $0 + $1.count }
        let summary =
            total == 0
            ? "No calls ended in the last hour."
            : "\(grouped(total)) call\(total == 1 ? "" : "s") ended in the last hour, at most \(grouped(peak)) in one"
                + " minute."
        return DashboardSnapshot.Chart(width: width, height: height, summary: summary, bars: bars)
    }

    static func describe(state: String) -> String {
        switch state {
        case "dialing": "dialling"
        case "failed": "failed"
        case "ringingOut", "ringingIn": "ringing"
        case "connected": "connected"
        case "held": "on hold"
        default: state
        }
    }

    static func grouped(_ value: Int) -> String {
        WebListRequest<DeviceListSort>.grouped(value)
    }

    /// `14:03:09` (UTC).
    static func time(_ date: Date, seconds: Bool = true) -> String {
        let text = AdminAPI.formatDate(date)
        guard let t = text.firstIndex(of: "T") else { return text }
        let clock = text[text.index(after: t)...]
        return String(clock.prefix(seconds ? 8 : 5))
    }

    /// 3725 → "1 h 2 min".
    static func duration(_ seconds: TimeInterval) -> String {
        let total = Int(max(0, seconds))
        let days = total / 86_400
        let hours = total % 86_400 / 3600
        let minutes = total % 3600 / 60
        if days > 0 { return "\(days) d \(hours) h" }
        if hours > 0 { return "\(hours) h \(minutes) min" }
        if minutes > 0 { return "\(minutes) min" }
        return "\(total) s"
    }
}
