import CallControl
import CallRuntime
import Foundation
import NIOCore
import NIOPosix
import ServerNIO
import SkinnyPhone
import SkinnyWire
import Store
import StrowgerApp
import Testing
import ToolSupport

/// Calls across a SIP trunk with SIPp (Debian's `sip-tester`) as the far end, on loopback with free ports: SIPp
/// calling a SkinnyPhone (answered, cancelled, busy, held and resumed by the far end, transferred by the phone), and
/// a phone calling out to SIPp (answered, busy, cancelled, held and resumed by the phone, challenged with digest).
/// SIPp checks what crosses the wire (the SDP with the phone's RTP address and telephone-event, the re-INVITEs'
/// directions, the digest answer); the test checks the phone's side and the call records.
@Suite(.serialized) struct SIPCallTests {
    static let timeout = TestServer.timeout

    /// Two phones with known numbers: 2001 (Alice) and 2002 (Bob, busy with one call).
    static let directory = """
        { "devices": [ { "name": "SEP0000000051A1", "lines": ["2001"] },
                       { "name": "SEP0000000051B2", "lines": ["2002"] } ],
          "lines": [ { "number": "2001", "displayName": "Alice" },
                     { "number": "2002", "displayName": "Bob", "maxCalls": 1, "busyTrigger": 1 } ] }
        """

    /// A server with SIP on a free port, a free port for the far end (SIPp) and one for its RTP.
    struct Rig {
        let server: TestServer
        let sipPort: Int
        let peerPort: Int
        let mediaPort: Int

        /// Adds the trunk to the far end (127.0.0.1:peerPort) and the route pattern 9.! to it, and waits until the
        /// call runtime has the trunk's session.
        func addTrunk(credentials: (String, String)? = nil) async throws {
            let store = server.application.store
            try await store.insert(
                TrunkRecord(
                    name: "sipp",
                    host: "127.0.0.1",
                    port: peerPort,
                    registrationUser: credentials?.0,
                    registrationPassword: credentials?.1,
                    fromDomain: credentials == nil ? nil : "carrier.test"
                )
            )
            _ = try await store.insert(
                RoutePatternRecord(pattern: "9.!", target: .trunk(name: "sipp", stripPreDot: true, prefix: ""))
            )
            let host = server.application.host
            try await Eventually.wait("the trunk attached to the call runtime") {
                try? await host.registeredSessions().keys.contains(.trunk("sipp")) == true ? true : nil
            }
        }

        /// SIPp running `scenario` against Strowger (`uac`) or waiting for it (`uas`), at most 20 s.
        func sipp(_ scenario: String, _ arguments: [String]) throws -> RunningTool {
            let sipp = try #require(SIPTrunkTests.sipp)
            return try ToolProcess.start(
                [
                    sipp.path, "-sf", SIPTrunkTests.scenarios.appendingPathComponent(scenario).path, "-i",
                    "127.0.0.1", "-p", "\(peerPort)", "-mp", "\(mediaPort)", "-nostdin", "-timeout", "20s",
                    "-timeout_error", "-trace_err", "-error_file", "/dev/stderr",
                ] + arguments
            )
        }

        /// SIPp calling `number` at Strowger.
        func sippCalls(_ number: String, scenario: String) throws -> RunningTool {
            try sipp(scenario, ["-s", number, "-m", "1", "127.0.0.1:\(sipPort)"])
        }

        /// SIPp waiting for Strowger's call, and answering its first OPTIONS keepalive (and REGISTER, for a trunk
        /// with credentials): each is a "call" of SIPp's.
        func sippAnswers(scenario: String, calls: Int = 2) throws -> RunningTool {
            try sipp(scenario, ["-m", "\(calls)"])
        }

        /// Waits until no call, leg, timer or media stream is left: `phones` phones registered, and the trunk's
        /// session beside theirs.
        func waitUntilClean(phones: Int) async throws {
            try await server.waitForStatus("clean with \(phones) phone(s) and the trunk") { status in
                status.activeCalls == 0 && status.activeLegs == 0 && status.activeTimers == 0
                    && status.activeMediaStreams == 0 && status.registeredDevices == phones
                    && status.sessions == phones + 1 + TestServer.serviceSessions
            }
            let service = try #require(server.application.sipService)
            try await Eventually.wait("no SIP call left") {
                service.trunkReports().allSatisfy { $0.activeCalls == 0 } ? true : nil
            }
        }

        /// The call records once `count` are written.
        func records(_ count: Int) async throws -> [CallDetailRecord] {
            let store = server.application.store
            return try await Eventually.wait("\(count) call record(s)") {
                let records = try? await store.callDetailRecords()
                return (records?.count ?? 0) >= count ? records : nil
            }
        }
    }

    static func with(_ body: (Rig) async throws -> Void) async throws {
        try await TestServer.with(directoryJSON: directory) {
            $0.sip.port = 0
            $0.sip.tlsPort = nil
            $0.sip.advertisedAddress = "127.0.0.1"
            // One OPTIONS at the start, none during a test.
            $0.sip.optionsIntervalSeconds = 300
        } _: { server in
            let service = try #require(server.application.sipService)
            let ports = try await service.boundPorts()
            let rig = Rig(
                server: server,
                sipPort: ports.port,
                peerPort: try await SIPTrunkTests.freePort(),
                mediaPort: try await SIPTrunkTests.freePort()
            )
            try await body(rig)
        }
    }

    /// Waits for SIPp to finish and expects success.
    static func expectSuccess(_ sipp: RunningTool, sourceLocation: SourceLocation = #_sourceLocation) async {
        let exit = await sipp.waitForExit(timeout: .seconds(30))
        if exit == nil { sipp.signal(SIGKILL) }
        #expect(
            exit == .exited(0),
            "sipp: \(String(decoding: sipp.standardError(), as: UTF8.self))",
            sourceLocation: sourceLocation
        )
    }

    // MARK: - SIPp calls a phone

    @Test(.enabled(if: SIPTrunkTests.sipp != nil, SIPTrunkTests.sippMissing))
    func aCarrierCallsAPhoneThatAnswers() async throws {
        try await Self.with { rig in
            let (alice, _) = try await rig.server.registeredPhone("SEP0000000051A1")
            try await rig.addTrunk()
            let sipp = try rig.sippCalls("2001", scenario: "call-uac.xml")
            defer { if sipp.isRunning { sipp.signal(SIGKILL) } }
            let ringing = try await alice.waitForRinging(timeout: Self.timeout)
            // Caller ID from the INVITE's From.
            let caller = try await alice.waitForState("caller ID", timeout: Self.timeout) { state in
                state.calls[ringing.callReference].flatMap { $0.callingParty.isEmpty ? nil : $0 }
            }
            #expect(caller.callingParty == "+4930999")
            #expect(caller.callingPartyName == "SIPp Caller")
            try await alice.answer()
            // The phone sends its RTP straight to SIPp's media port.
            let transmitting = try await alice.waitForState("media to SIPp", timeout: Self.timeout) { state in
                state.calls[ringing.callReference]?.transmittingTo
            }
            #expect(transmitting == "127.0.0.1:\(rig.mediaPort)")
            await Self.expectSuccess(sipp)
            try await alice.waitForIdle(timeout: Self.timeout)
            let record = try #require(try await rig.records(1).first)
            #expect(record.trunk == "sipp")
            #expect(record.callingNumber == "+4930999")
            #expect(record.calledDevice == "SEP0000000051A1")
            #expect(record.endCause == .normalClearing)
            #expect(record.releasedBy == .caller)
            try await rig.waitUntilClean(phones: 1)
        }
    }

    @Test(.enabled(if: SIPTrunkTests.sipp != nil, SIPTrunkTests.sippMissing))
    func aCarrierCancelsARingingCall() async throws {
        try await Self.with { rig in
            let (alice, _) = try await rig.server.registeredPhone("SEP0000000051A1")
            try await rig.addTrunk()
            let sipp = try rig.sippCalls("2001", scenario: "call-uac-cancel.xml")
            defer { if sipp.isRunning { sipp.signal(SIGKILL) } }
            _ = try await alice.waitForRinging(timeout: Self.timeout)
            await Self.expectSuccess(sipp)
            try await alice.waitForIdle(timeout: Self.timeout)
            let record = try #require(try await rig.records(1).first)
            #expect(record.endCause == .abandoned)
            #expect(record.sipStatus == 487)
            #expect(record.trunk == "sipp")
        }
    }

    @Test(.enabled(if: SIPTrunkTests.sipp != nil, SIPTrunkTests.sippMissing))
    func aBusyPhoneIsAnswered486() async throws {
        try await Self.with { rig in
            let (bob, _) = try await rig.server.registeredPhone("SEP0000000051B2")
            try await rig.addTrunk()
            // Bob's line takes one call; he is off-hook dialling.
            try await bob.offHook()
            try await bob.waitForCallState(.offHook, timeout: Self.timeout)
            let sipp = try rig.sippCalls("2002", scenario: "call-uac-busy.xml")
            defer { if sipp.isRunning { sipp.signal(SIGKILL) } }
            await Self.expectSuccess(sipp)
            #expect(try await bob.state().ringingCall == nil)
            let record = try #require(try await rig.records(1).first)
            #expect(record.endCause == .busy)
            try await bob.onHook()
        }
    }

    /// The far end holds (re-INVITE sendonly) and resumes on a new RTP port: the phone's media stops and starts
    /// again towards the new port, and Strowger re-INVITEs with the phone's new receive address.
    @Test(.enabled(if: SIPTrunkTests.sipp != nil, SIPTrunkTests.sippMissing))
    func theFarEndHoldsAndResumes() async throws {
        try await Self.with { rig in
            let (alice, _) = try await rig.server.registeredPhone("SEP0000000051A1")
            try await rig.addTrunk()
            let sipp = try rig.sippCalls("2001", scenario: "call-uac-hold.xml")
            defer { if sipp.isRunning { sipp.signal(SIGKILL) } }
            let ringing = try await alice.waitForRinging(timeout: Self.timeout)
            try await alice.answer()
            let resumedAt = "127.0.0.1:\(rig.mediaPort + 2)"
            _ = try await alice.waitForState("media to SIPp's new port", timeout: Self.timeout) { state in
                state.calls[ringing.callReference]?.transmittingTo == resumedAt ? () : nil
            }
            await Self.expectSuccess(sipp)
            try await alice.waitForIdle(timeout: Self.timeout)
            try await rig.waitUntilClean(phones: 1)
        }
    }

    /// The phone transfers the carrier's call to another phone: the carrier is held while the phone consults, then
    /// re-INVITEd with the second phone's address.
    @Test(.enabled(if: SIPTrunkTests.sipp != nil, SIPTrunkTests.sippMissing))
    func aPhoneTransfersACarriersCall() async throws {
        try await Self.with { rig in
            let (alice, _) = try await rig.server.registeredPhone("SEP0000000051A1")
            let (bob, _) = try await rig.server.registeredPhone("SEP0000000051B2")
            try await rig.addTrunk()
            let sipp = try rig.sippCalls("2001", scenario: "call-uac-transfer.xml")
            defer { if sipp.isRunning { sipp.signal(SIGKILL) } }
            let first = try await alice.waitForRinging(timeout: Self.timeout)
            try await alice.answer()
            _ = try await alice.waitForCall(.connected, timeout: Self.timeout)
            try await alice.softKey(.transfer, call: first.callReference)
            try await alice.waitForCallState(.hold, timeout: Self.timeout)
            // The held carrier is then given music on hold (a second re-INVITE, from the media server): let it go
            // out before the transfer completes, in the order the scenario expects.
            try await Task.sleep(for: .milliseconds(500))
            let consultation = try await alice.waitForState("a consultation call", timeout: Self.timeout) { state in
                state.calls.values.first { $0.callReference != first.callReference && $0.state == .offHook }?
                    .callReference
            }
            try await alice.dial("2002")
            _ = try await bob.waitForRinging(timeout: Self.timeout)
            try await bob.answer()
            _ = try await alice.waitForState("Alice talks to Bob", timeout: Self.timeout) { state in
                state.calls[consultation]?.state == .connected ? () : nil
            }
            try await alice.softKey(.transfer, call: consultation)
            try await alice.waitForIdle(timeout: Self.timeout)
            // Bob now sends his RTP to the carrier.
            let bobCall = try await bob.waitForState("Bob's media to SIPp", timeout: Self.timeout) { state in
                state.calls.values.first { $0.transmittingTo == "127.0.0.1:\(rig.mediaPort)" }
            }
            #expect(bobCall.state == .connected)
            await Self.expectSuccess(sipp)
            try await bob.waitForIdle(timeout: Self.timeout)
            try await rig.waitUntilClean(phones: 2)
        }
    }

    // MARK: - A phone calls out

    /// Dials 9 0301234 (route 9.! to the trunk, pre-dot stripped) and returns once the phone rings out.
    static func callOut(_ phone: SkinnyPhone) async throws {
        try await phone.offHook()
        try await phone.waitForCallState(.offHook, timeout: timeout)
        try await phone.dial("90301234#")
    }

    @Test(.enabled(if: SIPTrunkTests.sipp != nil, SIPTrunkTests.sippMissing))
    func aPhoneCallsOutAndHangsUp() async throws {
        try await Self.with { rig in
            let (alice, _) = try await rig.server.registeredPhone("SEP0000000051A1")
            let sipp = try rig.sippAnswers(scenario: "call-uas.xml")
            defer { if sipp.isRunning { sipp.signal(SIGKILL) } }
            try await Task.sleep(for: .milliseconds(300))
            try await rig.addTrunk()
            try await Self.callOut(alice)
            // 180: ring-back on the phone, then the answer.
            try await alice.waitForCallState(.ringOut, timeout: Self.timeout)
            let call = try await alice.waitForCall(.connected, timeout: Self.timeout)
            let transmitting = try await alice.waitForState("media to SIPp", timeout: Self.timeout) { state in
                state.calls[call.callReference]?.transmittingTo
            }
            #expect(transmitting == "127.0.0.1:\(rig.mediaPort)")
            try await alice.onHook()
            await Self.expectSuccess(sipp)
            let record = try #require(try await rig.records(1).first)
            #expect(record.trunk == "sipp")
            #expect(record.callingDevice == "SEP0000000051A1")
            #expect(record.calledNumber == "0301234")
            #expect(record.endCause == .normalClearing)
            #expect(record.sipStatus == nil)
            try await rig.waitUntilClean(phones: 1)
        }
    }

    /// The carrier answers the INVITE's offer (the phone's address, checked by SIPp) in a 183 and plays an
    /// announcement before it answers: the phone, still ringing out and without its own ring-back, receives SIPp's
    /// RTP before the 200, which then connects the call on the same stream.
    @Test(.enabled(if: SIPTrunkTests.sipp != nil, SIPTrunkTests.sippMissing))
    func aCarrierPlaysEarlyMediaBeforeAnswering() async throws {
        try await Self.with { rig in
            // A-law only, the codec of the announcement SIPp plays (Debian's g711a.pcap).
            var configuration = SkinnyPhone.Configuration(deviceName: "SEP0000000051A1")
            configuration.historyCapacity = 256
            configuration.codecs = [SkinnyAudioCapability(codec: .g711ALaw64k, maxFramesPerPacket: 40)]
            let alice = try await SkinnyPhone.connect(
                host: "127.0.0.1",
                port: rig.server.port,
                configuration: configuration,
                group: MultiThreadedEventLoopGroup.singleton
            )
            _ = try await alice.register(timeout: Self.timeout)
            let sipp = try rig.sippAnswers(scenario: "call-uas-early-media.xml")
            defer { if sipp.isRunning { sipp.signal(SIGKILL) } }
            try await Task.sleep(for: .milliseconds(300))
            try await rig.addTrunk()
            try await Self.callOut(alice)
            let early = try await alice.waitForState("early media from SIPp", timeout: Self.timeout) { state in
                state.calls.values.first { $0.rtpPacketsReceived >= 10 }
            }
            // SIPp waits 2 s before its 200: the call still rings out, with no local ring-back over the far end's audio.
            #expect(early.state == .ringOut)
            #expect(early.tone == nil)
            #expect(early.transmittingTo == "127.0.0.1:\(rig.mediaPort)")
            let streams = try await alice.mediaStreams().filter { $0.callReference == early.callReference }
            let stream = try #require(streams.first)
            #expect(stream.reception.payloadTypes == [8])
            // From SIPp's media port: the address its 183 gave, where the phone sends too.
            #expect(stream.reception.sources == ["127.0.0.1:\(rig.mediaPort)"])

            // The 200 repeats the answer: connected, on the stream the early media came on.
            let call = try await alice.waitForCall(.connected, timeout: Self.timeout)
            #expect(call.callReference == early.callReference)
            let after = try await alice.mediaStreams().filter { $0.callReference == call.callReference }
            #expect(after.map(\.localPort) == [stream.localPort])
            #expect(after.first?.isOpen == true)
            try await alice.onHook()
            await Self.expectSuccess(sipp)
            let record = try #require(try await rig.records(1).first)
            #expect(record.trunk == "sipp")
            #expect(record.endCause == .normalClearing)
            #expect(record.codec == .g711alaw)
            try await rig.waitUntilClean(phones: 1)
        }
    }

    @Test(.enabled(if: SIPTrunkTests.sipp != nil, SIPTrunkTests.sippMissing))
    func aBusyFarEndGivesTheCallerBusyTone() async throws {
        try await Self.with { rig in
            let (alice, _) = try await rig.server.registeredPhone("SEP0000000051A1")
            let sipp = try rig.sippAnswers(scenario: "call-uas-busy.xml")
            defer { if sipp.isRunning { sipp.signal(SIGKILL) } }
            try await Task.sleep(for: .milliseconds(300))
            try await rig.addTrunk()
            try await Self.callOut(alice)
            let busy = try await alice.waitForCall(.busy, timeout: Self.timeout)
            #expect(busy.tone == .lineBusy)
            await Self.expectSuccess(sipp)
            try await alice.onHook()
            let record = try #require(try await rig.records(1).first)
            #expect(record.endCause == .busy)
            #expect(record.sipStatus == 486)
        }
    }

    @Test(.enabled(if: SIPTrunkTests.sipp != nil, SIPTrunkTests.sippMissing))
    func theCallerHangsUpWhileTheFarEndRings() async throws {
        try await Self.with { rig in
            let (alice, _) = try await rig.server.registeredPhone("SEP0000000051A1")
            let sipp = try rig.sippAnswers(scenario: "call-uas-cancel.xml")
            defer { if sipp.isRunning { sipp.signal(SIGKILL) } }
            try await Task.sleep(for: .milliseconds(300))
            try await rig.addTrunk()
            try await Self.callOut(alice)
            try await alice.waitForCallState(.ringOut, timeout: Self.timeout)
            try await alice.onHook()
            await Self.expectSuccess(sipp)
            let record = try #require(try await rig.records(1).first)
            #expect(record.endCause == .abandoned)
            try await rig.waitUntilClean(phones: 1)
        }
    }

    @Test(.enabled(if: SIPTrunkTests.sipp != nil, SIPTrunkTests.sippMissing))
    func thePhoneHoldsAndResumesByReinvite() async throws {
        try await Self.with { rig in
            let (alice, _) = try await rig.server.registeredPhone("SEP0000000051A1")
            let sipp = try rig.sippAnswers(scenario: "call-uas-hold.xml")
            defer { if sipp.isRunning { sipp.signal(SIGKILL) } }
            try await Task.sleep(for: .milliseconds(300))
            try await rig.addTrunk()
            try await Self.callOut(alice)
            let call = try await alice.waitForCall(.connected, timeout: Self.timeout)
            _ = try await alice.waitForState("media to SIPp", timeout: Self.timeout) { state in
                state.calls[call.callReference]?.transmittingTo
            }
            try await alice.hold()
            try await alice.waitForCallState(.hold, timeout: Self.timeout)
            // The held far end is then given music on hold (a second re-INVITE, from the media server): let it go
            // out before the resume, in the order the scenario expects.
            try await Task.sleep(for: .milliseconds(500))
            try await alice.resume()
            _ = try await alice.waitForCall(.connected, timeout: Self.timeout)
            _ = try await alice.waitForState("media again", timeout: Self.timeout) { state in
                state.calls[call.callReference]?.transmittingTo
            }
            // SIPp has the resume's re-INVITE once the phone's new receive address went out; give it a moment to
            // answer before hanging up.
            try await Task.sleep(for: .milliseconds(500))
            try await alice.onHook()
            await Self.expectSuccess(sipp)
            try await rig.waitUntilClean(phones: 1)
        }
    }

    /// The carrier challenges the INVITE (401, MD5 digest): Strowger sends it again with credentials that SIPp's
    /// verifyauth checks before it answers.
    @Test(.enabled(if: SIPTrunkTests.sipp != nil, SIPTrunkTests.sippMissing))
    func theCarriersDigestChallengeOnTheInviteIsAnswered() async throws {
        try await Self.with { rig in
            let (alice, _) = try await rig.server.registeredPhone("SEP0000000051A1")
            let sipp = try rig.sippAnswers(scenario: "call-uas-auth.xml", calls: 3)
            defer { if sipp.isRunning { sipp.signal(SIGKILL) } }
            try await Task.sleep(for: .milliseconds(300))
            try await rig.addTrunk(credentials: ("4930123", "s3cret"))
            try await Self.callOut(alice)
            _ = try await alice.waitForCall(.connected, timeout: Self.timeout)
            try await alice.onHook()
            await Self.expectSuccess(sipp)
        }
    }
}
