import CallControl
import Testing

/// Media resources in calls (issue 14): music on hold to held and parked parties, ad hoc conferences (Confrn, Join,
/// RmLstC, ConfList, leaving, falling back to a direct call), meet-me rooms, and what happens without a media server
/// or when it runs out of ports.
@Suite struct MusicOnHoldTests {
    typealias O = Office
    static let bridge = MediaEndpoint(address: .ipv4(0x0A00_00FE), port: 20000)

    static func withMediaServer(_ harness: inout Harness) {
        harness.send(.mediaServerAttached(maximumParticipants: 8))
    }

    @Test func theHeldPartyHearsMusicFromTheHoldersSource() throws {
        var directory = Office.directory()
        directory.upsert(LineConfiguration(number: "1001", displayName: "Alice", musicSource: "jazz"))
        var harness = Harness(directory: directory)
        for device in Office.everyone { harness.send(.deviceRegistered(device, .unknown)) }
        Self.withMediaServer(&harness)
        harness.call(O.alice, "1002")
        harness.acknowledgeMedia(in: harness.send(.offHook(O.bob, line: nil, call: nil)))

        let hold = harness.send(.softKey(O.alice, .hold, line: 1, call: 1))
        // Bob's phone gets a new receive channel for the music; no StartMediaTransmission (it only listens).
        #expect(hold.contains(show(O.bob, 1, 2, .remoteHold)))
        #expect(hold.contains(.openReceiveChannel(O.bob, call: 2, passThroughPartyID: 3, media: Fixture.ulaw20)))
        let acked = harness.send(.receiveChannelOpened(O.bob, call: 2, passThroughPartyID: 3, endpoint: O.media))
        #expect(acked == [.media(.startMusicOnHold(2, source: "jazz", codec: .g711ulaw, remote: O.media))])
        #expect(harness.send(.mediaResourceReady(2, endpoint: Self.bridge)).isEmpty)

        // Resume: the music stops and the conversation's media comes back.
        let resume = harness.send(.softKey(O.alice, .resume, line: 1, call: 1))
        #expect(resume.contains(.media(.stopMusicOnHold(2))))
        #expect(resume.contains(.closeMedia(O.bob, call: 2, passThroughPartyID: 3)))
        #expect(mediaOpened(in: resume) == [O.alice, O.bob])
    }

    @Test func withoutAMediaServerTheHeldPartyHearsSilence() {
        var harness = Harness.office()
        harness.call(O.alice, "1002")
        harness.send(.offHook(O.bob, line: nil, call: nil))
        let hold = harness.send(.softKey(O.alice, .hold, line: 1, call: 1))
        #expect(mediaOpened(in: hold).isEmpty)
        #expect(!hold.contains { if case .media = $0 { true } else { false } })
    }

    @Test func noPortForMusicMeansPlainHold() {
        var harness = Harness.office()
        Self.withMediaServer(&harness)
        harness.call(O.alice, "1002")
        harness.send(.offHook(O.bob, line: nil, call: nil))
        harness.send(.softKey(O.alice, .hold, line: 1, call: 1))
        harness.send(.receiveChannelOpened(O.bob, call: 2, passThroughPartyID: 3, endpoint: O.media))
        let failed = harness.send(.mediaResourceFailed(2, .noResources))
        #expect(failed == [.closeMedia(O.bob, call: 2, passThroughPartyID: 3)])
        #expect(harness.core.activeMediaStreamCount == 0)
    }

    @Test func aParkedPartyHearsMusicAndItStopsWhenRetrieved() {
        var harness = Harness.office()
        Self.withMediaServer(&harness)
        harness.call(O.alice, "1002")
        harness.send(.offHook(O.bob, line: nil, call: nil))
        let park = harness.send(.softKey(O.alice, .park, line: 1, call: 1))
        #expect(mediaOpened(in: park) == [O.bob])
        let retrieve = harness.call(O.carol, "7000")
        #expect(retrieve.contains(.media(.stopMusicOnHold(2))))
        #expect(mediaOpened(in: retrieve) == [O.bob, O.carol])
    }

    @Test func theTransferredPartysMusicStopsWhenItRingsTheTarget() {
        var harness = Harness.office()
        Self.withMediaServer(&harness)
        harness.call(O.alice, "1002")
        harness.send(.offHook(O.bob, line: nil, call: nil))
        harness.send(.softKey(O.alice, .transfer, line: 1, call: 1))
        for key in "1003" { harness.send(.digit(O.alice, line: 1, call: nil, key)) }
        let blind = harness.send(.softKey(O.alice, .transfer, line: 1, call: nil))
        #expect(blind.contains(.media(.stopMusicOnHold(2))))
        #expect(blind.contains(show(O.bob, 1, 2, .ringOut(callee: O.carolParty))))
    }
}

@Suite struct ConferenceTests {
    typealias O = Office
    static let bridge = MediaEndpoint(address: .ipv4(0x0A00_00FE), port: 20000)

    /// Alice talks to Bob, presses Confrn, calls Carol, Carol answers, Alice presses Confrn again.
    static func threeInConference() -> (Harness, [CallCommand]) {
        var harness = Harness.office()
        harness.send(.mediaServerAttached(maximumParticipants: 4))
        harness.call(O.alice, "1002")
        harness.send(.offHook(O.bob, line: nil, call: nil))
        harness.send(.softKey(O.alice, .conference, line: 1, call: 1))
        for key in "1003" { harness.send(.digit(O.alice, line: 1, call: nil, key)) }
        harness.send(.offHook(O.carol, line: nil, call: nil))
        let join = harness.send(.softKey(O.alice, .conference, line: 1, call: nil))
        return (harness, join)
    }

    @Test func confrnStartsAConsultationThatIsNotATransfer() {
        var harness = Harness.office()
        harness.send(.mediaServerAttached(maximumParticipants: 8))
        harness.call(O.alice, "1002")
        harness.send(.offHook(O.bob, line: nil, call: nil))
        let start = harness.send(.softKey(O.alice, .conference, line: 1, call: 1))
        #expect(start.contains(show(O.alice, 1, 3, .conferenceConsultation)))
        #expect(harness.states(O.alice) == [.held, .dialing("")])
    }

    @Test func confrnAgainPutsAllThreeOnOneBridge() {
        let (harness, join) = Self.threeInConference()
        #expect(join.contains(.media(.createConference(1, maximumParticipants: 4))))
        for reference: CallReference in [1, 2, 4] {
            #expect(join.contains(.media(.addParticipant(reference, conference: 1, codec: .g711ulaw))))
        }
        // Alice's consultation leg is gone; each phone opens a stream to the bridge and shows "Conference".
        #expect(join.contains(show(O.alice, 1, 3, .cleared)))
        #expect(Set(mediaOpened(in: join)) == [O.alice, O.bob, O.carol])
        #expect(join.contains(show(O.bob, 1, 2, .conference(participants: 3))))
        #expect(harness.core.liveCalls.count == 1)
        #expect(harness.core.liveCalls.first?.legs.count == 3)
        // The two conversations that were going on end in records of cause "redirected".
        #expect(records(join).map(\.endCause) == [.redirected, .redirected])
    }

    @Test func eachPartySendsToTheBridgeAndTheBridgeToEachParty() {
        var (harness, join) = Self.threeInConference()
        let bobStream = join.compactMap { command -> PassThroughPartyID? in
            if case .openReceiveChannel(O.bob, _, let id, _) = command { id } else { nil }
        }.first
        let ack = harness.send(
            .receiveChannelOpened(O.bob, call: 2, passThroughPartyID: bobStream ?? 0, endpoint: O.media)
        )
        #expect(ack == [.media(.setRemote(2, O.media))])
        let ready = harness.send(.mediaResourceReady(2, endpoint: Self.bridge))
        #expect(
            ready == [
                .startMediaTransmission(
                    O.bob,
                    call: 2,
                    passThroughPartyID: bobStream ?? 0,
                    remote: Self.bridge,
                    media: Fixture.ulaw20
                )
            ]
        )
    }

    @Test func aPhoneSendsToTheBridgeOnlyOnceTheBridgeKnowsWhereItSendsFrom() {
        var (harness, join) = Self.threeInConference()
        let bobStream = join.compactMap { command -> PassThroughPartyID? in
            if case .openReceiveChannel(O.bob, _, let id, _) = command { id } else { nil }
        }.first
        // The bridge answers before the phone acknowledged its receive channel: nothing to tell the phone yet (the
        // bridge would drop its RTP, not knowing its address).
        #expect(harness.send(.mediaResourceReady(2, endpoint: Self.bridge)).isEmpty)
        let ack = harness.send(
            .receiveChannelOpened(O.bob, call: 2, passThroughPartyID: bobStream ?? 0, endpoint: O.media)
        )
        // The bridge learns the phone's address first, then the phone is told to send.
        #expect(
            ack == [
                .media(.setRemote(2, O.media)),
                .startMediaTransmission(
                    O.bob,
                    call: 2,
                    passThroughPartyID: bobStream ?? 0,
                    remote: Self.bridge,
                    media: Fixture.ulaw20
                ),
            ]
        )
    }

    @Test func aPartyLeavingLeavesTheOthersTalkingDirectly() {
        var (harness, _) = Self.threeInConference()
        let leave = harness.send(.onHook(O.carol, line: nil, call: nil), at: 60)
        #expect(leave.contains(.media(.removeParticipant(4))))
        #expect(leave.contains(.media(.destroyConference(1))))
        // Two left: back to a direct call, media phone to phone.
        #expect(leave.contains(show(O.alice, 1, 1, .connected(remote: O.bobParty))))
        #expect(mediaOpened(in: leave) == [O.alice, O.bob])
        // Each party's time in the conference is a record.
        #expect(Set(records(leave).map(\.callingNumber)) == ["1001", "1002", "1003"])
        #expect(records(leave).allSatisfy { $0.dialedNumber == "conference 1" })
        let end = harness.send(.onHook(O.bob, line: nil, call: nil), at: 90)
        #expect(records(end).map(\.endCause) == [.normalClearing])
        #expect(harness.isQuiescent)
    }

    @Test func moreThanThreeByRepeatingConfrnUpToTheMaximum() {
        var (harness, _) = Self.threeInConference()
        harness.send(.softKey(O.alice, .conference, line: 1, call: 1))
        for key in "2001" { harness.send(.digit(O.alice, line: 1, call: nil, key)) }
        harness.send(.offHook(O.desk2, line: 2, call: nil))
        let fourth = harness.send(.softKey(O.alice, .conference, line: 1, call: nil))
        #expect(fourth.contains(show(O.desk2, 2, 6, .conference(participants: 4))))
        #expect(!fourth.contains { if case .media(.createConference) = $0 { true } else { false } })
        // The maximum (4) is reached: Confrn again says so.
        #expect(harness.send(.softKey(O.alice, .conference, line: 1, call: 1)) == [.notify(O.alice, .conferenceFull)])
    }

    @Test func rmLstCRemovesTheLastPartyAndConfListNamesEveryone() {
        var (harness, _) = Self.threeInConference()
        let list = harness.send(.softKey(O.alice, .conferenceList, line: 1, call: 1))
        #expect(list == [.notify(O.alice, .conferenceParticipants([O.aliceParty, O.bobParty, O.carolParty]))])
        // Only the controller may remove.
        #expect(harness.send(.softKey(O.bob, .removeLastParticipant, line: 1, call: 2)).isEmpty)
        let removed = harness.send(.softKey(O.alice, .removeLastParticipant, line: 1, call: 1))
        #expect(removed.contains(show(O.carol, 1, 4, .cleared)))
        #expect(harness.states(O.bob) == [.connected])
    }

    @Test func joinMakesAConferenceOfTwoCalls() {
        var harness = Harness.office()
        harness.send(.mediaServerAttached(maximumParticipants: 8))
        harness.call(O.alice, "1002")
        harness.send(.offHook(O.bob, line: nil, call: nil))
        harness.send(.softKey(O.alice, .newCall, line: 1, call: nil))
        for key in "1003" { harness.send(.digit(O.alice, line: 1, call: nil, key)) }
        harness.send(.offHook(O.carol, line: nil, call: nil))
        let join = harness.send(.softKey(O.alice, .join, line: 1, call: 3))
        #expect(join.contains { if case .media(.createConference) = $0 { true } else { false } })
        #expect(Set(mediaOpened(in: join)) == [O.alice, O.bob, O.carol])
        #expect(harness.states(O.alice) == [.connected])
    }

    @Test func withoutAMediaServerConfrnSaysNoConferenceBridge() {
        var harness = Harness.office()
        harness.call(O.alice, "1002")
        harness.send(.offHook(O.bob, line: nil, call: nil))
        #expect(
            harness.send(.softKey(O.alice, .conference, line: 1, call: 1)) == [.notify(O.alice, .noConferenceBridge)]
        )
        #expect(harness.states(O.alice) == [.connected])
    }

    @Test func aPartyTheBridgeCannotTakeIsToldAndDropped() {
        var (harness, _) = Self.threeInConference()
        let failed = harness.send(.mediaResourceFailed(4, .noResources))
        #expect(failed.contains(.notify(O.carol, .noConferenceBridge)))
        #expect(failed.contains(show(O.carol, 1, 4, .cleared)))
        #expect(harness.states(O.bob) == [.connected])
    }

    @Test func theMediaServerGoingAwayEndsOrFallsBack() {
        var (harness, _) = Self.threeInConference()
        let gone = harness.send(.mediaServerDetached)
        // Three parties: one leaves, then two fall back to a direct call.
        #expect(gone.contains { if case .indicate(_, _, _, .connected) = $0 { true } else { false } })
        #expect(harness.core.liveCalls.count == 1)
        #expect(harness.core.liveCalls.first?.legs.count == 2)
    }
}

@Suite struct MeetMeTests {
    typealias O = Office

    static func harness() -> Harness {
        var directory = Office.directory()
        directory.replaceMeetMeRanges([MeetMeRange(first: "8000", last: "8009")])
        var harness = Harness(directory: directory)
        for device in Office.everyone { harness.send(.deviceRegistered(device, .unknown)) }
        harness.send(.mediaServerAttached(maximumParticipants: 3))
        return harness
    }

    @Test func dialingAMeetMeNumberOpensTheRoomAndOthersJoinIt() {
        var harness = Self.harness()
        let first = harness.call(O.alice, "8001")
        #expect(first.contains(.media(.createConference(1, maximumParticipants: 3))))
        #expect(first.contains(show(O.alice, 1, 1, .conference(participants: 1))))
        let second = harness.call(O.bob, "8001")
        #expect(second.contains(.media(.addParticipant(2, conference: 1, codec: .g711ulaw))))
        #expect(second.contains(show(O.alice, 1, 1, .conference(participants: 2))))
        harness.call(O.carol, "8001")
        // The room is full.
        let full = harness.call(O.desk1, "8001")
        #expect(full.contains(.notify(O.desk1, .conferenceFull)))
        #expect(full.contains(show(O.desk1, 1, 4, .busy)))
        // A room lasts while anyone is in it: two leave, one stays.
        harness.send(.onHook(O.alice, line: nil, call: nil))
        harness.send(.onHook(O.bob, line: nil, call: nil))
        #expect(harness.states(O.carol) == [.connected])
        let last = harness.send(.onHook(O.carol, line: nil, call: nil))
        #expect(last.contains(.media(.destroyConference(1))))
        // Another room number is another room.
        #expect(harness.call(O.alice, "8002").contains(.media(.createConference(2, maximumParticipants: 3))))
    }

    @Test func meetMeWithoutAMediaServerIsReorder() {
        var directory = Office.directory()
        directory.replaceMeetMeRanges([MeetMeRange(first: "8000")])
        var harness = Harness(directory: directory)
        harness.send(.deviceRegistered(O.alice, .unknown))
        let dialled = harness.call(O.alice, "8000")
        #expect(dialled.contains(.notify(O.alice, .noConferenceBridge)))
        #expect(dialled.contains(show(O.alice, 1, 1, .reorder(.unavailable))))
    }
}
