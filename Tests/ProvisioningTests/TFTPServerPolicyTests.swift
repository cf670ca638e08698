import NIOCore
import Provisioning
import Testing

@Suite struct TFTPServerPolicyTests {
    private let t0 = NIODeadline.uptimeNanoseconds(5_000_000_000)

    private func datagram(_ packet: TFTPPacket) -> ByteBuffer {
        var buffer = ByteBuffer()
        buffer.writeTFTPPacket(packet)
        return buffer
    }

    private func read(_ name: String, mode: TFTPTransferMode = .octet) -> ByteBuffer {
        datagram(.readRequest(TFTPRequest(filename: name, mode: mode)))
    }

    /// The slot a `.lookUp` reserved; nil (and a recorded issue) for any other decision.
    private func slot(
        _ decision: TFTPServerPolicy<String>.RequestDecision,
        sourceLocation: SourceLocation = #_sourceLocation
    ) -> TFTPServerPolicy<String>.Slot? {
        guard case .lookUp(_, let slot, _) = decision else {
            Issue.record("expected a lookup, got \(decision)", sourceLocation: sourceLocation)
            return nil
        }
        return slot
    }

    @Test func aSafeReadRequestIsLookedUpAndTakesASlot() {
        var policy = TFTPServerPolicy<String>()
        let decision = policy.datagramReceived(read("SEP001122334455.cnf.xml"), from: "a", now: t0)
        guard case .lookUp(let request, let slot, nil) = decision else {
            Issue.record("expected a lookup, got \(decision)")
            return
        }
        #expect(request == TFTPRequest(filename: "SEP001122334455.cnf.xml", mode: .octet))
        #expect(policy.activeTransfers == 1)
        #expect(policy.lookupCompleted(slot, .found) == .startTransfer)
        #expect(policy.activeTransfers == 1)
        policy.transferEnded(slot)
        #expect(policy.activeTransfers == 0)
        // Reported twice (socket closed, then removed): released once.
        policy.transferEnded(slot)
        #expect(policy.activeTransfers == 0)
    }

    @Test func writeRequestsAreRefusedWithAccessViolation() {
        var policy = TFTPServerPolicy<String>()
        let wrq = datagram(.writeRequest(TFTPRequest(filename: "SEP001122334455.cnf.xml", mode: .octet)))
        #expect(
            policy.datagramReceived(wrq, from: "a", now: t0)
                == .reject(.error(.accessViolation, message: "writes are not allowed"), .writeRequest)
        )
        #expect(policy.activeTransfers == 0)
    }

    @Test(arguments: [
        "../etc/passwd", "a/../../b", "..", "/etc/passwd", "/SEP001122334455.cnf.xml", "a\\b", "..\\windows",
        "a\u{1}b", "tab\there", "caf\u{E9}", "del\u{7F}",
    ])
    func unsafeNamesAreRefusedWithAccessViolation(_ name: String) {
        var policy = TFTPServerPolicy<String>()
        #expect(
            policy.datagramReceived(read(name), from: "a", now: t0)
                == .reject(.error(.accessViolation, message: "file name not allowed"), .unsafeFilename)
        )
        #expect(policy.activeTransfers == 0)
    }

    @Test(arguments: [
        "SEP001122334455.cnf.xml", "XMLDefault.cnf.xml", "Desktops/320x212x12/List.xml", "a.b", "strowger-ca.pem",
    ])
    func ordinaryNamesAreSafe(_ name: String) {
        #expect(TFTPServerPolicy<String>.isSafe(filename: name))
    }

    @Test func mailModeIsRefusedWithIllegalOperation() {
        var policy = TFTPServerPolicy<String>()
        #expect(
            policy.datagramReceived(read("f", mode: .mail), from: "a", now: t0)
                == .reject(.error(.illegalOperation, message: "mail mode is not supported"), .unsupportedMode)
        )
    }

    @Test(arguments: [
        [UInt8](), [0], [0, 1], [0, 9, 1, 2, 3],
        [0, 1] + Array(repeating: 0x41, count: 600) + [0] + Array("octet".utf8) + [0],
        Array(repeating: 0xFF, count: 2000),
    ])
    func junkIsDroppedWithoutAnswer(_ bytes: [UInt8]) {
        var policy = TFTPServerPolicy<String>()
        #expect(policy.datagramReceived(ByteBuffer(bytes: bytes), from: "a", now: t0) == .drop(.malformed))
        #expect(policy.trackedSources == 0)
    }

    @Test func nonRequestsOnTheServerPortAreDropped() {
        var policy = TFTPServerPolicy<String>()
        #expect(
            policy.datagramReceived(datagram(.acknowledgement(block: 1)), from: "a", now: t0) == .drop(.notARequest)
        )
        #expect(
            policy.datagramReceived(datagram(.error(.notDefined, message: "")), from: "a", now: t0)
                == .drop(.notARequest)
        )
        #expect(
            policy.datagramReceived(datagram(.data(block: 1, payload: ByteBuffer())), from: "a", now: t0)
                == .drop(.notARequest)
        )
    }

    @Test func missingFileIsError1AndReleasesTheSlot() throws {
        var policy = TFTPServerPolicy<String>()
        let slot = try #require(self.slot(policy.datagramReceived(read("nope"), from: "a", now: t0)))
        #expect(
            policy.lookupCompleted(slot, .notFound)
                == .reject(.error(.fileNotFound, message: "file not found"), .fileNotFound)
        )
        #expect(policy.activeTransfers == 0)
    }

    @Test func failedLookupIsError0AndReleasesTheSlot() throws {
        var policy = TFTPServerPolicy<String>()
        let slot = try #require(self.slot(policy.datagramReceived(read("slow"), from: "a", now: t0)))
        #expect(
            policy.lookupCompleted(slot, .failed)
                == .reject(.error(.notDefined, message: "file unavailable, try again"), .lookupFailed)
        )
        #expect(policy.activeTransfers == 0)
    }

    @Test func requestsBeyondTheTransferCapAreDroppedUntilASlotFrees() throws {
        var policy = TFTPServerPolicy<String>(configuration: .init(maximumConcurrentTransfers: 2))
        let first = try #require(self.slot(policy.datagramReceived(read("a"), from: "1", now: t0)))
        _ = try #require(self.slot(policy.datagramReceived(read("b"), from: "2", now: t0)))
        // Both transfers make progress (neither is stalled): nothing is evicted.
        #expect(policy.datagramReceived(read("c"), from: "3", now: t0) == .drop(.tooManyTransfers))
        _ = policy.lookupCompleted(first, .found)
        policy.transferEnded(first)
        _ = try #require(self.slot(policy.datagramReceived(read("c"), from: "3", now: t0)))
        #expect(policy.activeTransfers == 2)
    }

    @Test func oneSourceHoldsAtMostItsShareOfTheSlots() throws {
        var policy = TFTPServerPolicy<String>(
            configuration: .init(maximumConcurrentTransfers: 16, maximumTransfersPerSource: 3)
        )
        var slots: [TFTPServerPolicy<String>.Slot] = []
        for name in ["a", "b", "c"] {
            slots.append(try #require(self.slot(policy.datagramReceived(read(name), from: "attacker", now: t0))))
        }
        #expect(
            policy.datagramReceived(read("d"), from: "attacker", now: t0) == .drop(.tooManyTransfersFromSource)
        )
        #expect(policy.activeTransfers(from: "attacker") == 3)
        // Everyone else is still served.
        _ = try #require(self.slot(policy.datagramReceived(read("e"), from: "phone", now: t0)))
        // A slot the source gives back may be taken again.
        policy.transferEnded(slots[0])
        _ = try #require(self.slot(policy.datagramReceived(read("d"), from: "attacker", now: t0)))
    }

    @Test func whenEverySlotIsTakenTheOldestStalledTransferMakesRoom() throws {
        var policy = TFTPServerPolicy<String>(
            configuration: .init(maximumConcurrentTransfers: 3, maximumTransfersPerSource: 3)
        )
        let a = try #require(self.slot(policy.datagramReceived(read("a"), from: "1", now: t0)))
        let b = try #require(self.slot(policy.datagramReceived(read("b"), from: "2", now: t0)))
        let c = try #require(self.slot(policy.datagramReceived(read("c"), from: "3", now: t0)))
        for slot in [a, b, c] { #expect(policy.lookupCompleted(slot, .found) == .startTransfer) }
        // b stalls first, then c; a keeps making progress.
        policy.transferStalled(b, now: t0 + .seconds(2))
        policy.transferStalled(c, now: t0 + .seconds(3))
        // Reported again while still stalled: it keeps its first time.
        policy.transferStalled(b, now: t0 + .seconds(5))
        let decision = policy.datagramReceived(read("d"), from: "4", now: t0 + .seconds(6))
        guard case .lookUp(_, let d, .some(let evicted)) = decision else {
            Issue.record("expected a lookup evicting a stalled transfer, got \(decision)")
            return
        }
        #expect(evicted == b)
        #expect(policy.activeTransfers == 3)
        #expect(policy.activeTransfers(from: "2") == 0)
        // The evicted transfer's socket closes later: its report changes nothing.
        policy.transferEnded(b)
        #expect(policy.activeTransfers == 3)
        // c acknowledged after all: it is no longer stalled, and with no stalled transfer left, a request waits.
        policy.transferProgressed(c)
        #expect(policy.datagramReceived(read("e"), from: "5", now: t0 + .seconds(7)) == .drop(.tooManyTransfers))
        policy.transferEnded(d)
        policy.transferEnded(a)
        #expect(policy.activeTransfers == 1)
    }

    @Test func eachSourceHasItsOwnTokenBucket() {
        var policy = TFTPServerPolicy<String>(configuration: .init(requestBurst: 3, requestsPerSecond: 2))
        for _ in 0..<3 {
            guard case .lookUp(_, let slot, _) = policy.datagramReceived(read("f"), from: "10.0.0.1", now: t0) else {
                Issue.record("burst should be allowed")
                return
            }
            policy.transferEnded(slot)
        }
        #expect(policy.datagramReceived(read("f"), from: "10.0.0.1", now: t0) == .drop(.rateLimited))
        // A write request or a bad name counts against the bucket too: the server never answers a flood.
        #expect(
            policy.datagramReceived(
                datagram(.writeRequest(TFTPRequest(filename: "f", mode: .octet))),
                from: "10.0.0.1",
                now: t0
            ) == .drop(.rateLimited)
        )
        // Another source is unaffected.
        guard case .lookUp(_, let other, _) = policy.datagramReceived(read("f"), from: "10.0.0.2", now: t0) else {
            Issue.record("another source should be served")
            return
        }
        policy.transferEnded(other)
        // At 2 per second, 0.4 s refills less than one token and 1 s more than one.
        #expect(
            policy.datagramReceived(read("f"), from: "10.0.0.1", now: t0 + .milliseconds(400)) == .drop(.rateLimited)
        )
        guard case .lookUp = policy.datagramReceived(read("f"), from: "10.0.0.1", now: t0 + .milliseconds(1000)) else {
            Issue.record("the bucket should have refilled")
            return
        }
    }

    @Test func theSourceTableIsBoundedAndPrunesIdleSources() {
        var policy = TFTPServerPolicy<Int>(
            configuration: .init(requestBurst: 2, requestsPerSecond: 1, maximumTrackedSources: 4)
        )
        for source in 0..<4 {
            if case .lookUp(_, let slot, _) = policy.datagramReceived(read("f"), from: source, now: t0) {
                policy.transferEnded(slot)
            }
        }
        #expect(policy.trackedSources == 4)
        // Full, and every bucket still short of a token: a fifth source is turned away rather than tracked.
        #expect(policy.datagramReceived(read("f"), from: 4, now: t0) == .drop(.rateLimited))
        #expect(policy.trackedSources == 4)
        // Two seconds later the old buckets are full again (idle sources) and are pruned to make room.
        guard case .lookUp = policy.datagramReceived(read("f"), from: 4, now: t0 + .seconds(2)) else {
            Issue.record("idle sources should have been pruned")
            return
        }
        #expect(policy.trackedSources == 1)
    }
}
