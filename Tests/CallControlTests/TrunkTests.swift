import CallControl
import Testing

/// SIP trunks as endpoints of calls (issue 15): a call arriving on a trunk dials its number; a route pattern sends a
/// call out through a trunk with its digits rewritten; media runs between the phone and the far end; the far end's
/// answer, refusal, hang-up and hold; records with the trunk and the SIP status.
@Suite struct TrunkTests {
    typealias O = Office
    static let carrier: TrunkName = "carrier"
    static let peer = MediaEndpoint(address: .ipv4(0xC000_0201), port: 40000)
    static let ulaw20 = Fixture.ulaw20

    static func harness(isUp: Bool = true) throws -> Harness {
        var directory = Office.directory()
        directory.replaceRoutePatterns([
            try RoutePattern("9.!", target: .trunk(TrunkRoute(trunk: "carrier", stripPreDot: true, prefix: "+49")))
        ])
        var harness = Harness(directory: directory)
        for device in Office.everyone { harness.send(.deviceRegistered(device, .unknown)) }
        harness.send(.trunkAttached(carrier, isUp: isUp))
        return harness
    }

    @Test func anInboundCallRingsTheCalledNumberAndMediaRunsToTheFarEnd() throws {
        var harness = try Self.harness()
        let caller = Party(name: "Carrier Caller", number: "+4930123")
        let arrived = harness.send(
            .trunkCallArrived(
                Self.carrier,
                token: 77,
                caller: caller,
                called: "1002",
                codecs: [.g711alaw],
                defaultNumber: nil
            ),
            at: 0
        )
        #expect(arrived.first == .trunk(Self.carrier, call: 1, .bound(token: 77)))
        #expect(arrived.contains(.trunk(Self.carrier, call: 1, .indicate(.ringOut(callee: O.bobParty)))))
        #expect(arrived.contains(show(O.bob, 1, 2, .ringIn(caller: caller, isCallWaiting: false))))

        let answer = harness.send(.offHook(O.bob, line: nil, call: nil), at: 5)
        // The far end offered A-law only: both sides use it.
        let alaw = MediaParameters(codec: .g711alaw, packetMilliseconds: 20)
        #expect(answer.contains(.trunk(Self.carrier, call: 1, .indicate(.connected(remote: O.bobParty)))))
        #expect(answer.contains(.trunk(Self.carrier, call: 1, .openMedia(alaw))))
        #expect(answer.contains(.openReceiveChannel(O.bob, call: 2, passThroughPartyID: 1, media: alaw)))

        // The far end's address goes to the phone; the phone's to the far end.
        #expect(
            harness.send(.trunkMediaAddress(Self.carrier, call: 1, Self.peer, codecs: [.g711alaw])) == [
                .startMediaTransmission(O.bob, call: 2, passThroughPartyID: 1, remote: Self.peer, media: alaw)
            ]
        )
        #expect(
            harness.send(.receiveChannelOpened(O.bob, call: 2, passThroughPartyID: 1, endpoint: O.media)) == [
                .trunk(Self.carrier, call: 1, .startMedia(remote: O.media, alaw))
            ]
        )

        // The far end hangs up: the phone is cleared, the record names the trunk.
        let end = harness.send(.trunkCallEnded(Self.carrier, call: 1, .normal, sipStatus: nil), at: 60)
        #expect(end.contains(show(O.bob, 1, 2, .cleared)))
        let record = try #require(records(end).first)
        #expect(record.trunk == Self.carrier)
        #expect(record.callingNumber == "+4930123")
        #expect(record.calledDevice == O.bob)
        #expect(record.endCause == .normalClearing)
        #expect(harness.isQuiescent)
    }

    @Test func anInboundCallToNothingGoesToTheDefaultNumberOrIsRefused() throws {
        var harness = try Self.harness()
        let caller = Party(name: "", number: "+4930123")
        let toDefault = harness.send(
            .trunkCallArrived(Self.carrier, token: 1, caller: caller, called: "555", codecs: [], defaultNumber: "1003")
        )
        #expect(toDefault.contains(show(O.carol, 1, 2, .ringIn(caller: caller, isCallWaiting: false))))
        // Without a default number: the trunk is told at once, and the call ends with a record.
        let refused = harness.send(
            .trunkCallArrived(Self.carrier, token: 2, caller: caller, called: "555", codecs: [], defaultNumber: nil)
        )
        #expect(refused.contains(.trunk(Self.carrier, call: 3, .indicate(.invalidNumber))))
        #expect(records(refused).map(\.endCause) == [.invalidNumber])
    }

    static func earlyOfferTimer(_ commands: [CallCommand]) -> TimerID? {
        commands.lazy.compactMap { if case .startTimer(let id, _) = $0, id.purpose == .earlyOffer { id } else { nil } }
            .first
    }

    @Test func aRoutePatternPlacesTheCallOnTheTrunkWithItsDigitsRewritten() throws {
        var harness = try Self.harness()
        let dialled = harness.call(O.alice, "9030123#")
        // The phone is asked for its receive address first (for an early offer); it does not answer in time, so the
        // call goes out without an offer and its channel is closed.
        #expect(dialled.contains(.openReceiveChannel(O.alice, call: 1, passThroughPartyID: 1, media: Self.ulaw20)))
        #expect(!dialled.contains { if case .trunk = $0 { true } else { false } })
        let wait = try #require(Self.earlyOfferTimer(dialled))
        #expect(dialled.contains(.startTimer(wait, after: .seconds(1))))
        let placed = harness.send(.timerFired(wait), at: 1)
        // `9.!` with strip-pre-dot and prefix +49: 030123 → +49030123.
        #expect(
            placed == [
                .closeMedia(O.alice, call: 1, passThroughPartyID: 1),
                .trunk(Self.carrier, call: 2, .place(caller: O.aliceParty, called: "+49030123")),
            ]
        )
        // A late acknowledgement changes nothing.
        #expect(harness.send(.receiveChannelOpened(O.alice, call: 1, passThroughPartyID: 1, endpoint: O.media)) == [])
        #expect(harness.states(O.alice) == [.ringingOut])
        // Ring-back only once the far end rings.
        let alerting = harness.send(.trunkCallAlerting(Self.carrier, call: 2))
        #expect(alerting == [show(O.alice, 1, 1, .ringOut(callee: Party(name: "", number: "+49030123")))])
        let answered = harness.send(.trunkCallAnswered(Self.carrier, call: 2))
        #expect(answered.contains(show(O.alice, 1, 1, .connected(remote: Party(name: "", number: "+49030123")))))
        #expect(answered.contains(.trunk(Self.carrier, call: 2, .openMedia(Self.ulaw20))))
        let end = harness.send(.onHook(O.alice, line: nil, call: nil))
        #expect(end.contains(.trunk(Self.carrier, call: 2, .indicate(.cleared))))
        #expect(records(end).first?.trunk == Self.carrier)
        #expect(records(end).first?.calledNumber == "+49030123")
    }

    @Test(arguments: [
        (TrunkEndCause.busy, Indication.busy), (.invalidNumber, .invalidNumber), (.rejected, .reorder(.unavailable)),
    ])
    func aRefusalGivesTheCallerTheMatchingTone(_ cause: TrunkEndCause, _ indication: Indication) throws {
        var harness = try Self.harness()
        harness.call(O.alice, "9030123#")
        let refused = harness.send(.trunkCallEnded(Self.carrier, call: 2, cause, sipStatus: 486))
        #expect(refused.contains(show(O.alice, 1, 1, indication)))
        let end = harness.send(.onHook(O.alice, line: nil, call: nil))
        #expect(records(end).first?.sipStatus == 486)
    }

    @Test func aTrunkThatIsDownOrGoneIsUnavailable() throws {
        var harness = try Self.harness(isUp: false)
        #expect(harness.call(O.alice, "9030123#").contains(show(O.alice, 1, 1, .reorder(.unavailable))))
        harness.send(.onHook(O.alice, line: nil, call: nil))
        harness.send(.trunkStatusChanged(Self.carrier, isUp: true))
        harness.call(O.alice, "9030123#")
        #expect(harness.states(O.alice) == [.ringingOut])
        // The trunk going away ends its calls.
        harness.send(.trunkCallAnswered(Self.carrier, call: 3))
        let gone = harness.send(.trunkDetached(Self.carrier))
        #expect(gone.contains(show(O.alice, 1, 2, .cleared)))
        #expect(records(gone).map(\.endCause) == [.deviceLost])
    }

    @Test func aTrunkCallIsTransferredToAnotherPhone() throws {
        var harness = try Self.harness()
        harness.send(
            .trunkCallArrived(
                Self.carrier,
                token: 1,
                caller: Party(name: "", number: "+4930"),
                called: "1002",
                codecs: [],
                defaultNumber: nil
            )
        )
        harness.send(.offHook(O.bob, line: nil, call: nil))
        // Bob transfers the carrier's call to Carol (consulted).
        harness.send(.softKey(O.bob, .transfer, line: 1, call: 2))
        for key in "1003" { harness.send(.digit(O.bob, line: 1, call: nil, key)) }
        harness.send(.offHook(O.carol, line: nil, call: nil))
        let transfer = harness.send(.softKey(O.bob, .transfer, line: 1, call: nil))
        #expect(transfer.contains(.trunk(Self.carrier, call: 1, .indicate(.connected(remote: O.carolParty)))))
        #expect(transfer.contains(.trunk(Self.carrier, call: 1, .openMedia(Self.ulaw20))))
        #expect(harness.states(O.bob).isEmpty)
        #expect(harness.states(O.carol) == [.connected])
    }

    @Test func theFarEndHoldingIsARemoteHoldForThePhone() throws {
        var harness = try Self.harness()
        harness.call(O.alice, "9030123#")
        harness.send(.trunkCallAnswered(Self.carrier, call: 2))
        let held = harness.send(.trunkHoldChanged(Self.carrier, call: 2, isHeld: true))
        #expect(held.contains(show(O.alice, 1, 1, .remoteHold)))
        let resumed = harness.send(.trunkHoldChanged(Self.carrier, call: 2, isHeld: false))
        #expect(resumed.contains(show(O.alice, 1, 1, .connected(remote: Party(name: "", number: "+49030123")))))
    }

    @Test func aTrunkCallIsNotALineOfOurs() throws {
        var harness = try Self.harness()
        // The far end's number equals one of our lines: it must not show in that line's state.
        harness.send(
            .trunkCallArrived(
                Self.carrier,
                token: 1,
                caller: Party(name: "", number: "1003"),
                called: "1002",
                codecs: [],
                defaultNumber: nil
            )
        )
        #expect(harness.core.lineState(of: "1003") == .idle)
        #expect(harness.core.lineState(of: "1002") == .ringing)
        #expect(harness.core.liveCalls.first?.legs.first?.trunk == Self.carrier)
    }

    // MARK: - Early offer and early media

    /// Alice (G.711 µ-law and A-law) dials out; her phone acknowledges the receive channel at `O.media`. Returns
    /// what the acknowledgement made the core do.
    @discardableResult
    static func placeWithEarlyOffer(_ harness: inout Harness) -> [CallCommand] {
        harness.send(.capabilitiesChanged(O.alice, DeviceCapabilities(codecs: [.g711ulaw, .g711alaw])))
        harness.call(O.alice, "9030123#")
        return harness.send(.receiveChannelOpened(O.alice, call: 1, passThroughPartyID: 1, endpoint: O.media))
    }

    static let callee = Party(name: "", number: "+49030123")

    @Test func theCallIsPlacedWithThePhonesAddressAndEarlyMediaPlaysBeforeTheAnswer() throws {
        var harness = try Self.harness()
        let placed = Self.placeWithEarlyOffer(&harness)
        let offer = TrunkOffer(endpoint: O.media, media: Self.ulaw20, alternatives: [.g711alaw])
        #expect(placed.count == 2)
        #expect(placed.contains { if case .cancelTimer(let id) = $0 { id.purpose == .earlyOffer } else { false } })
        #expect(
            placed.last
                == .trunk(Self.carrier, call: 2, .place(caller: O.aliceParty, called: "+49030123", offer: offer))
        )

        // The far end answers the offer in a 183: the phone sends to it at once and, once it rings, hears it instead
        // of its own ring-back.
        let early = harness.send(.trunkMediaAddress(Self.carrier, call: 2, Self.peer, codecs: [.g711ulaw]))
        #expect(
            early == [
                .startMediaTransmission(O.alice, call: 1, passThroughPartyID: 1, remote: Self.peer, media: Self.ulaw20)
            ]
        )
        #expect(
            harness.send(.trunkCallAlerting(Self.carrier, call: 2)) == [
                show(O.alice, 1, 1, .earlyMedia(callee: Self.callee))
            ]
        )
        #expect(harness.states(O.alice) == [.ringingOut])

        // The 200 repeats the answer: the call connects and the media stays as it is.
        let answered = harness.send(.trunkCallAnswered(Self.carrier, call: 2), at: 10)
        #expect(answered.contains(show(O.alice, 1, 1, .connected(remote: Self.callee))))
        #expect(
            !answered.contains { command in
                switch command {
                case .openReceiveChannel, .closeMedia, .startMediaTransmission, .trunk(_, _, .openMedia),
                    .trunk(_, _, .closeMedia):
                    true
                default: false
                }
            }
        )
        #expect(harness.states(O.alice) == [.connected])

        // Hold and resume work as on any call: the trunk's media closes, then opens again.
        let held = harness.send(.softKey(O.alice, .hold, line: 1, call: 1))
        #expect(held.contains(.closeMedia(O.alice, call: 1, passThroughPartyID: 1)))
        #expect(held.contains(.trunk(Self.carrier, call: 2, .closeMedia)))
        let resumed = harness.send(.softKey(O.alice, .resume, line: 1, call: 1))
        #expect(resumed.contains(.trunk(Self.carrier, call: 2, .openMedia(Self.ulaw20))))

        let end = harness.send(.onHook(O.alice, line: nil, call: nil), at: 70)
        let record = try #require(records(end).first)
        #expect(record.trunk == Self.carrier)
        #expect(record.codec == .g711ulaw)
        #expect(record.answerTime == .seconds(10))
        #expect(record.endCause == .normalClearing)
        #expect(harness.isQuiescent)
    }

    @Test func ringBackStopsWhenEarlyMediaFollowsA180() throws {
        var harness = try Self.harness()
        Self.placeWithEarlyOffer(&harness)
        // 180 without SDP: ring-back; then a 183 with the answer: the phone sends to the far end, ring-back stops.
        #expect(
            harness.send(.trunkCallAlerting(Self.carrier, call: 2)) == [
                show(O.alice, 1, 1, .ringOut(callee: Self.callee))
            ]
        )
        let early = harness.send(.trunkMediaAddress(Self.carrier, call: 2, Self.peer, codecs: [.g711ulaw]))
        #expect(
            early == [
                .startMediaTransmission(O.alice, call: 1, passThroughPartyID: 1, remote: Self.peer, media: Self.ulaw20),
                show(O.alice, 1, 1, .earlyMedia(callee: Self.callee)),
            ]
        )
        // The same answer again (in the 200) changes nothing.
        #expect(harness.send(.trunkMediaAddress(Self.carrier, call: 2, Self.peer, codecs: [.g711ulaw])) == [])
    }

    @Test(arguments: [
        (TrunkEndCause.busy, Indication.busy, 486), (.invalidNumber, .invalidNumber, 404),
        (.unavailable, .reorder(.unavailable), 487),
    ])
    func aRefusalAfterEarlyMediaStopsItAndGivesTheTone(
        _ cause: TrunkEndCause,
        _ indication: Indication,
        _ status: Int
    ) throws {
        var harness = try Self.harness()
        Self.placeWithEarlyOffer(&harness)
        harness.send(.trunkMediaAddress(Self.carrier, call: 2, Self.peer, codecs: [.g711ulaw]))
        harness.send(.trunkCallAlerting(Self.carrier, call: 2))
        let refused = harness.send(.trunkCallEnded(Self.carrier, call: 2, cause, sipStatus: status))
        #expect(refused.first == .closeMedia(O.alice, call: 1, passThroughPartyID: 1))
        #expect(refused.contains(show(O.alice, 1, 1, indication)))
        let end = harness.send(.onHook(O.alice, line: nil, call: nil))
        let record = try #require(records(end).first)
        #expect(record.sipStatus == status)
        #expect(record.answerTime == nil)
        #expect(harness.isQuiescent)
    }

    @Test func theCallerHangingUpWhileEarlyMediaPlaysClearsBothSides() throws {
        var harness = try Self.harness()
        Self.placeWithEarlyOffer(&harness)
        harness.send(.trunkMediaAddress(Self.carrier, call: 2, Self.peer, codecs: [.g711ulaw]))
        let end = harness.send(.onHook(O.alice, line: nil, call: nil))
        #expect(end.contains(.closeMedia(O.alice, call: 1, passThroughPartyID: 1)))
        #expect(end.contains(.trunk(Self.carrier, call: 2, .indicate(.cleared))))
        #expect(records(end).first?.endCause == .abandoned)
        #expect(harness.isQuiescent)
    }

    @Test func anAnswerWithThePhonesOtherCodecReopensItsChannel() throws {
        var harness = try Self.harness()
        Self.placeWithEarlyOffer(&harness)
        let alaw = MediaParameters(codec: .g711alaw, packetMilliseconds: 20)
        // The far end picked A-law, the second codec offered: both streams start again with it.
        let early = harness.send(.trunkMediaAddress(Self.carrier, call: 2, Self.peer, codecs: [.g711alaw]))
        #expect(early.contains(.closeMedia(O.alice, call: 1, passThroughPartyID: 1)))
        #expect(early.contains(.openReceiveChannel(O.alice, call: 1, passThroughPartyID: 3, media: alaw)))
        #expect(early.contains(.trunk(Self.carrier, call: 2, .openMedia(alaw))))
        #expect(
            early.contains(
                .startMediaTransmission(O.alice, call: 1, passThroughPartyID: 3, remote: Self.peer, media: alaw)
            )
        )
        // The phone's new address goes to the trunk (which re-offers it once the call is answered).
        let moved = MediaEndpoint(address: .ipv4(0x0A00_0001), port: 16390)
        #expect(
            harness.send(.receiveChannelOpened(O.alice, call: 1, passThroughPartyID: 3, endpoint: moved)) == [
                .trunk(Self.carrier, call: 2, .startMedia(remote: moved, alaw))
            ]
        )
        let answered = harness.send(.trunkCallAnswered(Self.carrier, call: 2))
        #expect(!answered.contains(.trunk(Self.carrier, call: 2, .closeMedia)))
        harness.send(.onHook(O.alice, line: nil, call: nil))
        #expect(harness.isQuiescent)
    }

    @Test func aCallFromATrunkToATrunkIsPlacedWithoutAnOffer() throws {
        var harness = try Self.harness()
        let arrived = harness.send(
            .trunkCallArrived(
                Self.carrier,
                token: 5,
                caller: Party(name: "", number: "+4930"),
                called: "9030123",
                codecs: [.g711ulaw],
                defaultNumber: nil
            )
        )
        #expect(
            arrived.contains(
                .trunk(Self.carrier, call: 2, .place(caller: Party(name: "", number: "+4930"), called: "+49030123"))
            )
        )
    }

    @Test func aBlindTransferWhileEarlyMediaPlaysGivesTheTransferredPartyFreshMedia() throws {
        var harness = try Self.harness()
        // Alice talks to Bob, presses Transfer and dials out; the far end answers the early offer in a 183.
        harness.acknowledgeMedia(in: harness.call(O.alice, "1002"))
        harness.acknowledgeMedia(in: harness.send(.offHook(O.bob, line: nil, call: nil)))
        harness.send(.softKey(O.alice, .transfer, line: 1, call: 1))
        var dialled: [CallCommand] = []
        for key in "9030123#" { dialled += harness.send(.digit(O.alice, line: 1, call: nil, key)) }
        let placed = harness.acknowledgeMedia(in: dialled)
        let trunkLeg = try #require(
            placed.lazy.compactMap { if case .trunk(_, let call, .place) = $0 { call } else { nil } }.first
        )
        harness.send(.trunkMediaAddress(Self.carrier, call: trunkLeg, Self.peer, codecs: [.g711ulaw]))
        harness.send(.trunkCallAlerting(Self.carrier, call: trunkLeg))

        // Transfer while the far end still rings: Bob now rings out to it and hears ring-back; Alice's media closes.
        let transferred = harness.send(.softKey(O.alice, .transfer, line: 1, call: nil))
        #expect(transferred.contains { if case .closeMedia(O.alice, _, _) = $0 { true } else { false } })
        #expect(transferred.contains { if case .indicate(O.bob, _, _, .ringOut) = $0 { true } else { false } })
        #expect(harness.states(O.alice).isEmpty)
        #expect(harness.states(O.bob) == [.ringingOut])

        // The answer: Bob gets a receive channel, the trunk's media starts again for Bob's address.
        let answered = harness.send(.trunkCallAnswered(Self.carrier, call: trunkLeg))
        #expect(mediaOpened(in: answered) == [O.bob])
        #expect(answered.contains(.trunk(Self.carrier, call: trunkLeg, .closeMedia)))
        #expect(answered.contains(.trunk(Self.carrier, call: trunkLeg, .openMedia(Self.ulaw20))))
        #expect(harness.states(O.bob) == [.connected])
        harness.send(.onHook(O.bob, line: nil, call: nil))
        #expect(harness.isQuiescent)
    }
}
