import NIOCore
import SkinnyWire
import Testing

@testable import ServerNIO

/// The guards' sans-I/O parts, driven by hand with explicit times.
@Suite struct GuardStateMachineTests {
    static let start = NIODeadline.uptimeNanoseconds(1_000_000_000_000)

    static func at(_ milliseconds: Int64) -> NIODeadline {
        start + .milliseconds(milliseconds)
    }

    static func address(_ text: String) -> SourceAddress {
        SourceAddress(parsing: text)!
    }

    // MARK: Addresses and networks

    @Test(arguments: [
        ("10.0.0.0/8", "10.200.3.4", true), ("10.0.0.0/8", "11.0.0.1", false),
        ("192.0.2.7", "192.0.2.7", true), ("192.0.2.7", "192.0.2.8", false),
        ("0.0.0.0/0", "203.0.113.9", true), ("127.0.0.0/8", "127.0.0.42", true),
        ("2001:db8::/32", "2001:db8:ffff::1", true), ("2001:db8::/32", "2001:db9::1", false),
        ("::1/128", "::1", true), ("::/0", "10.0.0.1", false), ("10.0.0.0/8", "::ffff:10.1.2.3", true),
        ("2001:db8:0:1::/65", "2001:db8:0:1:7fff::1", true), ("2001:db8:0:1::/65", "2001:db8:0:1:8000::1", false),
    ])
    func networkContainment(network: String, address: String, expected: Bool) throws {
        let parsed = try #require(SourceNetwork(parsing: network))
        #expect(parsed.contains(Self.address(address)) == expected)
    }

    @Test(arguments: ["10.0.0.0/33", "::/129", "300.1.1.1", "banana", "10.0.0.0/-1", "/8", "10.0.0.0/8/8"])
    func invalidNetworksAreRefused(text: String) {
        #expect(SourceNetwork(parsing: text) == nil)
    }

    @Test func allowListsParse() throws {
        #expect(SourceAllowList(parsing: "any") == .any)
        #expect(SourceAllowList(parsing: "none") == SourceAllowList.none)
        let loopback = try #require(SourceAllowList(parsing: "loopback"))
        #expect(loopback.allows(Self.address("127.0.0.1")))
        #expect(loopback.allows(Self.address("::1")))
        #expect(!loopback.allows(Self.address("192.0.2.1")))
        let list = try #require(SourceAllowList(parsing: "10.0.0.0/8, 192.0.2.7"))
        #expect(list.allows(Self.address("10.9.9.9")))
        #expect(list.allows(Self.address("192.0.2.7")))
        #expect(!list.allows(Self.address("192.0.2.8")))
        #expect(!list.allows(.unknown))
        #expect(SourceAllowList.any.allows(.unknown))
        #expect(SourceAllowList(parsing: "10.0.0.0/8,banana") == nil)
        #expect(list.description == "10.0.0.0/8,192.0.2.7/32")
    }

    @Test func addressesPrint() {
        #expect(Self.address("192.0.2.1").description == "192.0.2.1")
        #expect(Self.address("::ffff:192.0.2.1").description == "192.0.2.1")
        #expect(Self.address("2001:db8::1").description == "2001:db8:0:0:0:0:0:1")
    }

    @Test func ratesParse() {
        #expect(RateLimit(parsing: "16/2") == RateLimit(events: 16, per: .seconds(2)))
        #expect(RateLimit(parsing: "2000/5") == RateLimit(events: 2000, per: .seconds(5)))
        #expect(RateLimit(parsing: "0/5") == nil)
        #expect(RateLimit(parsing: "5") == nil)
        #expect(RateLimit(parsing: "5/0") == nil)
    }

    // MARK: Sliding window

    @Test func slidingWindowCountsTheLastWindowOnly() {
        var counter = SlidingWindowCounter(window: .seconds(5))
        for index in 0..<100 {
            #expect(counter.record(now: Self.at(Int64(index) * 10)) == index + 1)
        }
        #expect(counter.count(now: Self.at(4_000)) == 100)
        // Five seconds after the burst's first bucket, that bucket has left the window.
        #expect(counter.count(now: Self.at(5_500)) == 0)
        #expect(counter.record(now: Self.at(60_000)) == 1)
    }

    /// 3,000 messages spread evenly over five seconds straddling a fixed-window boundary are caught: a fixed
    /// window would see at most 1,500 in each.
    @Test func burstAcrossBoundaryIsSeen() {
        var counter = SlidingWindowCounter(window: .seconds(5))
        var peak = 0
        for index in 0..<3_000 {
            peak = max(peak, counter.record(now: Self.at(2_500 + Int64(index) * 5_000 / 3_000)))
        }
        #expect(peak > 2_000)
    }

    // MARK: Admission

    static func configuration(
        perSource: Int = 4,
        total: Int = 10,
        rate: Int = 16,
        tracked: Int = 1_000
    ) -> ConnectionGuardConfiguration {
        var configuration = ConnectionGuardConfiguration()
        configuration.maximumConnectionsPerSource = perSource
        configuration.maximumConnections = total
        configuration.connectionRate = RateLimit(events: rate, per: .seconds(2))
        configuration.banDuration = .seconds(300)
        configuration.maximumTrackedSources = tracked
        return configuration
    }

    @Test func perSourceAndTotalCaps() {
        var admission = ConnectionAdmission(configuration: Self.configuration(perSource: 2, total: 3))
        let a = Self.address("192.0.2.1")
        let b = Self.address("192.0.2.2")
        #expect(admission.connectionOpened(from: a, now: Self.at(0)) == .accept)
        #expect(admission.connectionOpened(from: a, now: Self.at(1)) == .accept)
        #expect(admission.connectionOpened(from: a, now: Self.at(2)) == .reject(.perSourceConnectionLimit))
        #expect(admission.connectionOpened(from: b, now: Self.at(3)) == .accept)
        #expect(admission.connectionOpened(from: b, now: Self.at(4)) == .reject(.totalConnectionLimit))
        admission.connectionClosed(from: a)
        #expect(admission.openConnections == 2)
        #expect(admission.connectionOpened(from: b, now: Self.at(5)) == .accept)
    }

    /// Kamailio pike's model: the 17th connection within 2 s bans the source for 300 s; other sources are unaffected.
    @Test func connectionRateBansTheSource() {
        var admission = ConnectionAdmission(configuration: Self.configuration(perSource: 100, total: 1_000))
        let attacker = Self.address("198.51.100.7")
        let phone = Self.address("198.51.100.8")
        for index in 0..<16 {
            #expect(admission.connectionOpened(from: attacker, now: Self.at(Int64(index) * 100)) == .accept)
            admission.connectionClosed(from: attacker)
        }
        #expect(admission.connectionOpened(from: attacker, now: Self.at(1_700)) == .reject(.connectionRateExceeded))
        #expect(admission.connectionOpened(from: attacker, now: Self.at(5_000)) == .reject(.sourceBanned))
        #expect(admission.bannedSources(now: Self.at(5_000)) == 1)
        #expect(admission.connectionOpened(from: phone, now: Self.at(5_000)) == .accept)
        // The ban ends after 300 s.
        #expect(admission.connectionOpened(from: attacker, now: Self.at(301_800)) == .accept)
        #expect(admission.bannedSources(now: Self.at(301_800)) == 0)
    }

    @Test func slowReconnectsAreNeverBanned() {
        var admission = ConnectionAdmission(configuration: Self.configuration(perSource: 100, total: 1_000))
        let phone = Self.address("198.51.100.8")
        for index in 0..<200 {
            #expect(admission.connectionOpened(from: phone, now: Self.at(Int64(index) * 200)) == .accept)
            admission.connectionClosed(from: phone)
        }
    }

    @Test func allowListAndExemptions() {
        var configuration = Self.configuration(perSource: 1, total: 3, rate: 2)
        configuration.allowedNetworks = SourceAllowList(parsing: "10.0.0.0/8")!
        configuration.exemptNetworks = SourceAllowList(parsing: "10.0.0.1")!
        var admission = ConnectionAdmission(configuration: configuration)
        #expect(
            admission.connectionOpened(from: Self.address("192.0.2.1"), now: Self.at(0)) == .reject(.sourceNotAllowed)
        )
        let gateway = Self.address("10.0.0.1")
        // Exempt: no per-source cap, no rate ban; the total cap still holds.
        #expect(admission.connectionOpened(from: gateway, now: Self.at(0)) == .accept)
        #expect(admission.connectionOpened(from: gateway, now: Self.at(1)) == .accept)
        #expect(admission.connectionOpened(from: gateway, now: Self.at(2)) == .accept)
        #expect(admission.connectionOpened(from: gateway, now: Self.at(3)) == .reject(.totalConnectionLimit))
        #expect(admission.trackedSources == 0)
    }

    @Test func trackingTableIsBounded() {
        var admission = ConnectionAdmission(configuration: Self.configuration(perSource: 4, total: 1_000, tracked: 3))
        for last in 1...3 {
            #expect(admission.connectionOpened(from: Self.address("192.0.2.\(last)"), now: Self.at(0)) == .accept)
        }
        #expect(
            admission.connectionOpened(from: Self.address("192.0.2.4"), now: Self.at(1)) == .reject(.trackingTableFull)
        )
        // Once a source has closed and its rate window has passed, its entry is forgotten and the newcomer fits.
        admission.connectionClosed(from: Self.address("192.0.2.1"))
        #expect(admission.connectionOpened(from: Self.address("192.0.2.4"), now: Self.at(3_000)) == .accept)
        #expect(admission.trackedSources == 3)
    }

    // MARK: Rejection log

    @Test func rejectionLogIsOneLinePerReasonAndSourcePerInterval() {
        var log = RejectionLogLimiter(interval: .seconds(10), maximumSources: 2)
        let a = Self.address("192.0.2.1")
        let b = Self.address("192.0.2.2")
        let c = Self.address("192.0.2.3")
        #expect(log.rejection(.malformedFrame, from: a, now: Self.at(0)) == .log(suppressed: 0))
        for index in 1...999 {
            #expect(log.rejection(.malformedFrame, from: a, now: Self.at(Int64(index))) == .suppress)
        }
        // Another reason for the same source has its own line.
        #expect(log.rejection(.messageRateExceeded, from: a, now: Self.at(1_000)) == .log(suppressed: 0))
        // The table is full (two pairs): a third source shares the reason's catch-all line.
        #expect(log.rejection(.malformedFrame, from: b, now: Self.at(1_001)) == .log(suppressed: 0))
        #expect(log.rejection(.malformedFrame, from: c, now: Self.at(1_002)) == .suppress)
        #expect(log.rejection(.malformedFrame, from: a, now: Self.at(10_000)) == .log(suppressed: 999))
    }

    /// Spoofed datagrams from a thousand sources cost 16 lines of their own and one shared line per interval.
    @Test func manySourcesShareOneLine() {
        var log = RejectionLogLimiter(interval: .seconds(10))
        var lines = 0
        for index in 0..<1_000 {
            let source = SourceAddress(parsing: "10.0.\(index / 250).\(index % 250 + 1)")!
            if case .log = log.rejection(.unauthenticatedDatagram, from: source, now: Self.at(Int64(index))) {
                lines += 1
            }
        }
        #expect(lines == RejectionLogLimiter.maximumSourcesPerReason + 1)
        // The next interval starts a new allowance.
        if case .log = log.rejection(.unauthenticatedDatagram, from: Self.address("10.9.9.9"), now: Self.at(20_000)) {
        } else {
            Issue.record("a new interval's first new source was not logged")
        }
    }

    // MARK: SCCP connection guard

    static func sccpGuard(ceiling: Int = 2_000, pending: Int = 1_000) -> SCCPConnectionGuardStateMachine {
        var configuration = ConnectionGuardConfiguration()
        configuration.messageCeiling = RateLimit(events: ceiling, per: .seconds(5))
        configuration.maximumPendingWriteBytes = pending
        return SCCPConnectionGuardStateMachine(configuration: configuration)
    }

    @Test func registrationReleasesTheSlotAndStopsTheDeadline() {
        var machine = Self.sccpGuard()
        #expect(machine.connectionActive(slotGranted: true) == .scheduleRegisterTimeout)
        #expect(machine.holdsUnregisteredSlot)
        // An Alarm before Register (why the phone lost its last call manager) does not stop the deadline.
        #expect(machine.frameReceived(.alarm, now: Self.at(0)) == .forward)
        #expect(machine.frameReceived(.register, now: Self.at(1)) == .forwardAndCancelRegisterTimeout)
        #expect(machine.frameReceived(.register, now: Self.at(2)) == .forward)
        #expect(machine.registerTimeoutFired() == nil)
        #expect(machine.bytesWritten(12, containsRegisterAck: false) == .write)
        #expect(machine.bytesWritten(28, containsRegisterAck: true) == .writeAndReleaseUnregisteredSlot)
        #expect(!machine.holdsUnregisteredSlot)
        #expect(machine.bytesWritten(28, containsRegisterAck: true) == .write)
        #expect(machine.connectionInactive() == (false, false))
    }

    @Test func noRegisterMeansClose() {
        var machine = Self.sccpGuard()
        _ = machine.connectionActive(slotGranted: true)
        #expect(machine.frameReceived(.alarm, now: Self.at(0)) == .forward)
        #expect(machine.registerTimeoutFired() == .registerTimeout)
        #expect(machine.frameReceived(.register, now: Self.at(1)) == .drop)
        #expect(machine.connectionInactive() == (true, false))
    }

    @Test func noFreeSlotMeansClose() {
        var machine = Self.sccpGuard()
        #expect(machine.connectionActive(slotGranted: false) == .close(.unregisteredConnectionLimit))
        #expect(machine.connectionInactive() == (false, false))
    }

    /// A phone's standby connection to the next node of its group: KeepAlives only, then a Register on failover.
    @Test func aKeepAliveFirstIsAStandbyConnectionThatRegistersOnFailover() {
        var machine = Self.sccpGuard()
        _ = machine.connectionActive(slotGranted: true)
        #expect(machine.frameReceived(.keepAlive, now: Self.at(0)) == .forwardAndRequestStandbySlot)
        let (standby, release) = machine.standbySlot(granted: true)
        #expect(standby && release)
        #expect(!machine.holdsUnregisteredSlot && machine.holdsStandbySlot)
        // The Register deadline no longer applies; every frame renews the standby one.
        #expect(machine.registerTimeoutFired() == nil)
        #expect(machine.frameReceived(.keepAlive, now: Self.at(30)) == .forwardAndRenewStandbyTimeout)
        #expect(machine.frameReceived(.register, now: Self.at(60)) == .forwardAndLeaveStandby)
        #expect(!machine.holdsStandbySlot)
        #expect(machine.standbyTimeoutFired() == nil)
        #expect(machine.bytesWritten(28, containsRegisterAck: true) == .write)
        #expect(machine.connectionInactive() == (false, false))
    }

    @Test func aSilentStandbyConnectionIsClosed() {
        var machine = Self.sccpGuard()
        _ = machine.connectionActive(slotGranted: true)
        _ = machine.frameReceived(.keepAlive, now: Self.at(0))
        _ = machine.standbySlot(granted: true)
        #expect(machine.standbyTimeoutFired() == .standbyTimeout)
        #expect(!machine.holdsStandbySlot)
        #expect(machine.frameReceived(.keepAlive, now: Self.at(1)) == .drop)
        #expect(machine.connectionInactive() == (false, false))
    }

    @Test func withoutAStandbySlotTheRegisterDeadlineStillRuns() {
        var machine = Self.sccpGuard()
        _ = machine.connectionActive(slotGranted: true)
        #expect(machine.frameReceived(.keepAlive, now: Self.at(0)) == .forwardAndRequestStandbySlot)
        let (standby, release) = machine.standbySlot(granted: false)
        #expect(!standby && !release)
        #expect(machine.holdsUnregisteredSlot && !machine.holdsStandbySlot)
        #expect(machine.registerTimeoutFired() == .registerTimeout)
        #expect(machine.connectionInactive() == (true, false))
    }

    @Test func messageCeilingCloses() {
        var machine = Self.sccpGuard(ceiling: 2_000)
        _ = machine.connectionActive(slotGranted: true)
        #expect(machine.frameReceived(.register, now: Self.at(0)) == .forwardAndCancelRegisterTimeout)
        for index in 1..<2_000 {
            #expect(machine.frameReceived(.keepAlive, now: Self.at(Int64(index))) == .forward)
        }
        #expect(machine.frameReceived(.keepAlive, now: Self.at(2_000)) == .close(.messageRateExceeded))
        #expect(machine.frameReceived(.keepAlive, now: Self.at(2_001)) == .drop)
    }

    @Test func steadyPhoneTrafficStaysBelowTheCeiling() {
        var machine = Self.sccpGuard(ceiling: 2_000)
        _ = machine.connectionActive(slotGranted: true)
        // 100 messages a second for a minute: 500 per five seconds.
        for index in 0..<6_000 {
            #expect(
                machine.frameReceived(.keypadButton, now: Self.at(Int64(index) * 10)) != .close(.messageRateExceeded)
            )
        }
    }

    @Test func unsentBytesAreBounded() {
        var machine = Self.sccpGuard(pending: 1_000)
        _ = machine.connectionActive(slotGranted: true)
        #expect(machine.bytesWritten(600, containsRegisterAck: false) == .write)
        machine.writeCompleted(bytes: 600)
        #expect(machine.bytesWritten(600, containsRegisterAck: false) == .write)
        #expect(machine.pendingWriteBytes == 600)
        #expect(machine.bytesWritten(600, containsRegisterAck: false) == .close(.writeBufferExceeded))
        #expect(machine.frameReceived(.keepAlive, now: Self.at(0)) == .drop)
    }

    // MARK: Memory

    @Test func memoryIsTrimmedOnlyAfterASurgeHasPassed() {
        #expect(!MemoryTrimmer.shouldTrim(peak: 100, open: 0))
        #expect(!MemoryTrimmer.shouldTrim(peak: 1_000, open: 600))
        #expect(MemoryTrimmer.shouldTrim(peak: 1_000, open: 500))
        #expect(MemoryTrimmer.shouldTrim(peak: 256, open: 0))
        #if canImport(Glibc)
        #expect(MemoryTrimmer.mallocTrim != nil)
        #endif
    }

    // MARK: Statistics

    @Test func prometheusTextListsEveryReason() {
        var statistics = GuardStatistics(service: "sccp", openConnections: 3)
        statistics.rejections[.sourceBanned] = 7
        let text = GuardStatistics.prometheusText([statistics, GuardStatistics(service: "cluster")])
        #expect(text.contains("strowger_guard_rejections_total{service=\"sccp\",reason=\"source_banned\"} 7"))
        #expect(
            text.contains("strowger_guard_rejections_total{service=\"cluster\",reason=\"unauthenticated_datagram\"} 0")
        )
        #expect(text.contains("strowger_guard_open_connections{service=\"sccp\"} 3"))
        #expect(text.hasSuffix("\n"))
        let lines = text.split(separator: "\n")
        #expect(
            lines.filter { $0.hasPrefix("strowger_guard_rejections_total") }.count == 2
                * GuardRejectionReason.allCases.count
        )
    }

    @Test func clusterVerdicts() {
        var configuration = ClusterListener.Configuration(host: "127.0.0.1")
        #expect(
            ClusterDatagramGuardHandler.verdict(
                source: Self.address("192.0.2.1"),
                size: 10,
                configuration: configuration
            ) == .sourceNotAllowed
        )
        configuration.members = SourceAllowList(parsing: "192.0.2.0/24")!
        #expect(
            ClusterDatagramGuardHandler.verdict(
                source: Self.address("192.0.2.1"),
                size: 10,
                configuration: configuration
            ) == .unauthenticatedDatagram
        )
        #expect(
            ClusterDatagramGuardHandler.verdict(
                source: Self.address("192.0.2.1"),
                size: 1_473,
                configuration: configuration
            ) == .oversizedDatagram
        )
        #expect(
            ClusterDatagramGuardHandler.verdict(
                source: Self.address("192.0.2.1"),
                size: 0,
                configuration: configuration
            ) == .unauthenticatedDatagram
        )
    }
}
