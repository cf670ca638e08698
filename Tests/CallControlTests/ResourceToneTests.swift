import CallControl
import Testing

/// Call-progress tones from the media server (issue 14, item 5): a SIP trunk's far end whose call was answered plays
/// no tone of its own any more, so when a phone transfers it to a phone that rings, when that transfer then fails, or
/// when its park reverts, the core has the media server play the tone on a stream of the leg's own, and the far end
/// talks directly to the next party once it answers. Phones, and trunk calls not yet answered, play their own.
@Suite struct ResourceToneTests {
    typealias O = Office
    static let carrier: TrunkName = "carrier"
    /// The far end's RTP address (its SDP).
    static let farEnd = MediaEndpoint(address: .ipv4(0xC000_0201), port: 40000)
    /// The media server's streaming socket.
    static let server = MediaEndpoint(address: .ipv4(0x0A00_00FE), port: 20000)
    static let ulaw20 = Fixture.ulaw20
    static let caller = Party(name: "Carrier Caller", number: "+4930123")

    /// The office with the carrier trunk (route 9.! to it), a media server, and the carrier's call to Bob (1002)
    /// answered, its media set up both ways: the carrier's leg is call 1, Bob's call 2.
    static func answeredCarrierCall(mediaServer: Bool = true) throws -> Harness {
        var directory = Office.directory()
        directory.replaceRoutePatterns([
            try RoutePattern("9.!", target: .trunk(TrunkRoute(trunk: "carrier", stripPreDot: true, prefix: "")))
        ])
        var harness = Harness(directory: directory)
        for device in Office.everyone { harness.send(.deviceRegistered(device, .unknown)) }
        harness.send(.trunkAttached(carrier, isUp: true))
        if mediaServer { harness.send(.mediaServerAttached(maximumParticipants: 8)) }
        harness.send(
            .trunkCallArrived(
                carrier,
                token: 7,
                caller: caller,
                called: "1002",
                codecs: [.g711ulaw],
                defaultNumber: nil
            )
        )
        harness.send(.offHook(O.bob, line: nil, call: nil))
        harness.send(.trunkMediaAddress(carrier, call: 1, farEnd, codecs: [.g711ulaw]))
        harness.send(.receiveChannelOpened(O.bob, call: 2, passThroughPartyID: 2, endpoint: O.media))
        return harness
    }

    /// Bob holds the carrier (music on hold to its far end, set up by the far end's address and the server's
    /// answer), dials `number` on a consultation call and presses Transfer again: a blind transfer while the target
    /// rings. Returns the commands of that last Transfer.
    @discardableResult
    static func transferWhileRinging(_ harness: inout Harness, to number: String) -> [CallCommand] {
        harness.send(.softKey(O.bob, .transfer, line: 1, call: 2))
        harness.send(.trunkMediaAddress(carrier, call: 1, farEnd, codecs: [.g711ulaw]))
        harness.send(.mediaResourceReady(1, endpoint: server))
        for key in number { harness.send(.digit(O.bob, line: 1, call: nil, key)) }
        return harness.send(.softKey(O.bob, .transfer, line: 1, call: nil))
    }

    static func isMedia(_ command: CallCommand) -> Bool {
        if case .media = command { return true }
        return false
    }

    @Test func aTransferredTrunkCallerHearsRingbackFromTheServerThenTalksToTheTarget() throws {
        var harness = try Self.answeredCarrierCall()
        let blind = Self.transferWhileRinging(&harness, to: "1003")
        #expect(blind.contains(show(O.carol, 1, 4, .ringIn(caller: Self.caller, isCallWaiting: false))))
        // The music stops and the carrier's leg gets a new stream for the tone: first the far end's address.
        #expect(blind.contains(.media(.stopMusicOnHold(1))))
        let music = try #require(blind.firstIndex(of: .media(.stopMusicOnHold(1))))
        let reopened = try #require(blind.lastIndex(of: .trunk(Self.carrier, call: 1, .openMedia(Self.ulaw20))))
        #expect(music < reopened)
        #expect(blind.contains(.trunk(Self.carrier, call: 1, .indicate(.ringOut(callee: O.carolParty)))))
        #expect(!blind.contains { if case .media(.startTone) = $0 { true } else { false } })

        // The far end's address goes to the server with the tone; the server's end goes to the far end (its
        // re-INVITE).
        #expect(
            harness.send(.trunkMediaAddress(Self.carrier, call: 1, Self.farEnd, codecs: [.g711ulaw])) == [
                .media(.startTone(1, tone: .ringback, codec: .g711ulaw, remote: Self.farEnd))
            ]
        )
        #expect(
            harness.send(.mediaResourceReady(1, endpoint: Self.server)) == [
                .trunk(Self.carrier, call: 1, .startMedia(remote: Self.server, Self.ulaw20))
            ]
        )
        #expect(harness.core.activeMediaStreamCount == 1)

        // Carol answers: the tone stops, and media runs between her phone and the far end.
        let answer = harness.send(.offHook(O.carol, line: nil, call: nil))
        let stop = try #require(answer.firstIndex(of: .media(.stopTone(1))))
        let open = try #require(answer.firstIndex(of: .trunk(Self.carrier, call: 1, .openMedia(Self.ulaw20))))
        #expect(stop < open)
        #expect(answer.contains(.trunk(Self.carrier, call: 1, .indicate(.connected(remote: O.carolParty)))))
        #expect(answer.contains(.openReceiveChannel(O.carol, call: 4, passThroughPartyID: 5, media: Self.ulaw20)))
        #expect(
            harness.send(.trunkMediaAddress(Self.carrier, call: 1, Self.farEnd, codecs: [.g711ulaw])) == [
                .startMediaTransmission(
                    O.carol,
                    call: 4,
                    passThroughPartyID: 5,
                    remote: Self.farEnd,
                    media: Self.ulaw20
                )
            ]
        )
        #expect(
            harness.send(.receiveChannelOpened(O.carol, call: 4, passThroughPartyID: 5, endpoint: O.media)) == [
                .trunk(Self.carrier, call: 1, .startMedia(remote: O.media, Self.ulaw20))
            ]
        )
        let end = harness.send(.onHook(O.carol, line: nil, call: nil))
        #expect(!end.contains(where: Self.isMedia))
        #expect(harness.isQuiescent)
    }

    @Test func theTargetsTrunkRefusingBusyGivesTheTransferredCallerBusyUntilTheFailedCallTimer() throws {
        var harness = try Self.answeredCarrierCall()
        // Bob transfers the carrier to an outside number, through the same trunk, while it rings.
        let blind = Self.transferWhileRinging(&harness, to: "9555#")
        #expect(
            blind.contains(.trunk(Self.carrier, call: 1, .indicate(.ringOut(callee: Party(name: "", number: "555")))))
        )
        harness.send(.trunkCallAlerting(Self.carrier, call: 4))
        harness.send(.trunkMediaAddress(Self.carrier, call: 1, Self.farEnd, codecs: [.g711ulaw]))
        harness.send(.mediaResourceReady(1, endpoint: Self.server))

        // The far end refuses the transfer's call with 486: the transferred caller hears busy on the same stream,
        // and the call is not cleared at once.
        let refused = harness.send(.trunkCallEnded(Self.carrier, call: 4, .busy, sipStatus: 486), at: 10)
        #expect(refused.contains(.media(.changeTone(1, tone: .busy))))
        #expect(!refused.contains(.trunk(Self.carrier, call: 1, .indicate(.cleared))))
        let failedCall = try #require(
            refused.compactMap { command -> TimerID? in
                if case .startTimer(let id, .seconds(15)) = command { id } else { nil }
            }.first
        )
        // Then the failed-call timer ends it: the tone stops and the far end is cleared (BYE).
        let cleared = harness.send(.timerFired(failedCall), at: 25)
        #expect(cleared.contains(.media(.stopTone(1))))
        #expect(cleared.contains(.trunk(Self.carrier, call: 1, .indicate(.cleared))))
        #expect(records(cleared).map(\.endCause) == [.busy])
        #expect(harness.isQuiescent)
    }

    @Test func aFailureBeforeTheToneStreamRunsStartsItWithTheFailureTone() throws {
        var harness = try Self.answeredCarrierCall()
        Self.transferWhileRinging(&harness, to: "9555#")
        // Refused before the far end's address came back for the ringback stream: the stream opens with reorder.
        let refused = harness.send(.trunkCallEnded(Self.carrier, call: 4, .invalidNumber, sipStatus: 404))
        #expect(!refused.contains(where: Self.isMedia))
        #expect(
            harness.send(.trunkMediaAddress(Self.carrier, call: 1, Self.farEnd, codecs: [.g711ulaw])) == [
                .media(.startTone(1, tone: .reorder, codec: .g711ulaw, remote: Self.farEnd))
            ]
        )
        // The far end hangs up while it hears the tone.
        let end = harness.send(.trunkCallEnded(Self.carrier, call: 1, .normal, sipStatus: nil))
        #expect(end.contains(.media(.stopTone(1))))
        #expect(harness.isQuiescent)
    }

    @Test func anOutsideTargetsEarlyMediaDoesNotTakeTheTransferredCallersRingback() throws {
        var harness = try Self.answeredCarrierCall()
        // Bob's consultation to an outside number goes out with an early offer (his phone's address).
        harness.send(.softKey(O.bob, .transfer, line: 1, call: 2))
        harness.send(.trunkMediaAddress(Self.carrier, call: 1, Self.farEnd, codecs: [.g711ulaw]))
        harness.send(.mediaResourceReady(1, endpoint: Self.server))
        var dialled: [CallCommand] = []
        for key in "9555#" { dialled += harness.send(.digit(O.bob, line: 1, call: nil, key)) }
        let bobsChannel = try #require(
            dialled.compactMap { command -> PassThroughPartyID? in
                if case .openReceiveChannel(O.bob, _, let id, _) = command { id } else { nil }
            }.last
        )
        let placed = harness.send(
            .receiveChannelOpened(O.bob, call: 3, passThroughPartyID: bobsChannel, endpoint: O.media)
        )
        #expect(placed.contains { if case .trunk(_, 4, .place(_, _, .some)) = $0 { true } else { false } })
        // Transfer while it rings: the carrier hears the server's ringback.
        harness.send(.softKey(O.bob, .transfer, line: 1, call: nil))
        harness.send(.trunkMediaAddress(Self.carrier, call: 1, Self.farEnd, codecs: [.g711ulaw]))
        harness.send(.mediaResourceReady(1, endpoint: Self.server))

        // The outside far end answers the offer and rings with early media: not for the carrier, whose stream is the
        // server's; the ringback goes on.
        let outside = MediaEndpoint(address: .ipv4(0xC000_0202), port: 41000)
        let early = harness.send(.trunkMediaAddress(Self.carrier, call: 4, outside, codecs: [.g711ulaw]))
        #expect(!early.contains { if case .trunk(_, 1, _) = $0 { true } else { false } })
        #expect(!early.contains(where: Self.isMedia))
        let alerting = harness.send(.trunkCallAlerting(Self.carrier, call: 4))
        #expect(!alerting.contains(where: Self.isMedia))
        #expect(!alerting.contains { if case .trunk(_, 1, .startMedia) = $0 { true } else { false } })
        // The answer: the tone stops and the carrier's media is set up anew, towards the outside party.
        let answered = harness.send(.trunkCallAnswered(Self.carrier, call: 4))
        #expect(answered.contains(.media(.stopTone(1))))
        #expect(answered.contains(.trunk(Self.carrier, call: 1, .openMedia(Self.ulaw20))))
    }

    @Test func withoutAMediaServerATransferredTrunkCallerHearsNothingAndAFailureEndsItsCall() throws {
        var harness = try Self.answeredCarrierCall(mediaServer: false)
        let blind = Self.transferWhileRinging(&harness, to: "9555#")
        #expect(!blind.contains(where: Self.isMedia))
        #expect(!blind.contains(.trunk(Self.carrier, call: 1, .openMedia(Self.ulaw20))))
        let refused = harness.send(.trunkCallEnded(Self.carrier, call: 4, .busy, sipStatus: 486))
        #expect(refused.contains(.trunk(Self.carrier, call: 1, .indicate(.cleared))))
        #expect(harness.isQuiescent)
    }

    @Test func noPortForTheToneMeansSilenceAndTheCallStillEndsByItsTimer() throws {
        var harness = try Self.answeredCarrierCall()
        Self.transferWhileRinging(&harness, to: "9555#")
        harness.send(.trunkMediaAddress(Self.carrier, call: 1, Self.farEnd, codecs: [.g711ulaw]))
        let failed = harness.send(.mediaResourceFailed(1, .noResources))
        #expect(failed == [.trunk(Self.carrier, call: 1, .closeMedia)])
        #expect(harness.core.activeMediaStreamCount == 0)
        // The outside number answers: the carrier talks to it as usual.
        let answered = harness.send(.trunkCallAnswered(Self.carrier, call: 4))
        #expect(answered.contains(.trunk(Self.carrier, call: 1, .openMedia(Self.ulaw20))))
        #expect(!answered.contains(where: Self.isMedia))
    }

    @Test func aTrunkCallNotYetAnsweredIsRefusedInSIPWithNoToneFromTheServer() throws {
        var harness = try Self.answeredCarrierCall()
        // A second carrier call, to a number that does not exist, is refused (404): its far end plays the tone.
        let arrived = harness.send(
            .trunkCallArrived(
                Self.carrier,
                token: 8,
                caller: Self.caller,
                called: "1999",
                codecs: [.g711ulaw],
                defaultNumber: nil
            )
        )
        #expect(arrived.contains { if case .trunk(_, _, .indicate(.invalidNumber)) = $0 { true } else { false } })
        #expect(!arrived.contains(where: Self.isMedia))
    }

    @Test func aPhoneTransferredToARingingPhoneHearsItsOwnRingback() throws {
        var harness = Harness.office()
        harness.send(.mediaServerAttached(maximumParticipants: 8))
        harness.call(O.alice, "1002")
        harness.acknowledgeMedia(in: harness.send(.offHook(O.bob, line: nil, call: nil)))
        harness.send(.softKey(O.alice, .transfer, line: 1, call: 1))
        for key in "1003" { harness.send(.digit(O.alice, line: 1, call: nil, key)) }
        let blind = harness.send(.softKey(O.alice, .transfer, line: 1, call: nil))
        // Bob's phone plays ringback itself (StartTone); the server plays none.
        #expect(blind.contains(show(O.bob, 1, 2, .ringOut(callee: O.carolParty))))
        #expect(!blind.contains { if case .media(.startTone) = $0 { true } else { false } })
    }

    @Test func aParkedTrunkCallerHearsRingbackWhenTheParkReverts() throws {
        var harness = Harness(directory: Office.directory())
        for device in Office.everyone { harness.send(.deviceRegistered(device, .unknown)) }
        harness.send(.trunkAttached(Self.carrier, isUp: true))
        harness.send(.mediaServerAttached(maximumParticipants: 8))
        harness.send(
            .trunkCallArrived(
                Self.carrier,
                token: 7,
                caller: Self.caller,
                called: "1002",
                codecs: [.g711ulaw],
                defaultNumber: nil
            )
        )
        harness.send(.offHook(O.bob, line: nil, call: nil))
        let park = harness.send(.softKey(O.bob, .park, line: 1, call: 2))
        let reversion = try #require(
            park.compactMap { command -> TimerID? in
                if case .startTimer(let id, .seconds(60)) = command { id } else { nil }
            }.first
        )
        harness.send(.trunkMediaAddress(Self.carrier, call: 1, Self.farEnd, codecs: [.g711ulaw]))
        harness.send(.mediaResourceReady(1, endpoint: Self.server))
        let reverted = harness.send(.timerFired(reversion))
        #expect(reverted.contains(.media(.stopMusicOnHold(1))))
        #expect(reverted.contains(show(O.bob, 1, 3, .ringIn(caller: Self.caller, isCallWaiting: false))))
        #expect(
            harness.send(.trunkMediaAddress(Self.carrier, call: 1, Self.farEnd, codecs: [.g711ulaw])) == [
                .media(.startTone(1, tone: .ringback, codec: .g711ulaw, remote: Self.farEnd))
            ]
        )
    }
}
