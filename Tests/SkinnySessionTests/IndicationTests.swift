import CallControl
import NIOCore
import SkinnySession
import SkinnyWire
import Testing

/// Every indication's burst, at an old (v5: static prompts and CallInfo) and a new (v22: dynamic prompts,
/// CallInfoV2) version. Expected bursts are call-flows.md §2–§7 written out.
@Suite("Indication bursts")
struct IndicationTests {
    struct Version: Sendable, CustomTestStringConvertible {
        var offered: UInt8
        /// Dynamic prompts and notifies (v8 and up).
        var dynamic: Bool
        /// CallInfoV2 (v17 and up).
        var callInfoV2: Bool
        var testDescription: String { "v\(offered)" }
    }

    static let versions = [
        Version(offered: 5, dynamic: false, callInfoV2: false), Version(offered: 22, dynamic: true, callInfoV2: true),
    ]

    static let outgoing: CallReference = 0x0100_001A
    static let incoming: CallReference = 0x0100_001F

    // MARK: Expected-message helpers, per version

    func prompt(_ v: Version, _ text: String, line: UInt32 = 1, call: CallReference) -> SessionAction {
        Expect.prompt(text, line: line, call: call.rawValue, dynamic: v.dynamic)
    }

    func priNotify(_ v: Version, _ text: String) -> SessionAction {
        v.dynamic
            ? .send(.displayPriNotifyV2(.init(text, timeout: 10, priority: 5)))
            : .send(.displayPriNotify(.init(text, timeout: 10, priority: 5)))
    }

    func callInfo(
        _ v: Version,
        call: CallReference,
        line: UInt32 = 1,
        type: SkinnyCallType,
        calling: (String, String),
        called: (String, String),
        instance: UInt32 = 1
    ) -> SessionAction {
        if v.callInfoV2 {
            return .send(
                .callInfoV2(
                    .init(
                        lineInstance: line,
                        callReference: call.rawValue,
                        callType: type,
                        callingParty: calling.0,
                        callingPartyName: calling.1,
                        calledParty: called.0,
                        calledPartyName: called.1,
                        callInstance: instance
                    )
                )
            )
        }
        return .send(
            .callInfo(
                .init(
                    lineInstance: line,
                    callReference: call.rawValue,
                    callType: type,
                    callingParty: calling.0,
                    callingPartyName: calling.1,
                    calledParty: called.0,
                    calledPartyName: called.1,
                    callInstance: instance
                )
            )
        )
    }

    // MARK: Outgoing call

    @Test(arguments: versions)
    func outgoingCall(_ v: Version) {
        var machine = DeviceSessionStateMachine.registered(offering: v.offered)
        let c = Self.outgoing
        let r = c.rawValue

        // call-flows §2: CUCM 4.1's off-hook burst.
        #expect(
            machine.indicate(.offHook, call: c) == [
                .send(.setRinger(.init(.off, duration: .normal, lineInstance: 0, callReference: 0))),
                Expect.speaker(.on),
                Expect.lamp(.on, line: 1),
                Expect.callState(.offHook, line: 1, call: r),
                Expect.softKeys(.offHook, line: 1, call: r),
                prompt(v, "\u{80}\u{20}", call: c),
                .send(.activateCallPlane(.init(lineInstance: 1))),
                Expect.startTone(.insideDialTone, line: 1, call: r),
            ]
        )

        // The first digit stops dial tone and brings up the digits-following keys; the next needs nothing.
        #expect(
            machine.indicate(.digitsCollected("1"), call: c) == [
                Expect.stopTone(line: 1, call: r), Expect.softKeys(.digitsFollowing, line: 1, call: r),
            ]
        )
        #expect(machine.indicate(.digitsCollected("10"), call: c) == [])
        #expect(
            machine.indicate(.digitRemoved("1"), call: c) == [
                .send(.backSpaceRes(.init(lineInstance: 1, callReference: r)))
            ]
        )
        #expect(
            machine.indicate(.digitRemoved(""), call: c) == [
                .send(.backSpaceRes(.init(lineInstance: 1, callReference: r))),
                Expect.softKeys(.offHook, line: 1, call: r),
            ]
        )
        #expect(
            machine.indicate(.digitsCollected("1"), call: c) == [
                Expect.stopTone(line: 1, call: r), Expect.softKeys(.digitsFollowing, line: 1, call: r),
            ]
        )

        #expect(
            machine.indicate(.proceeding(dialed: "1003"), call: c) == [
                Expect.stopTone(line: 1, call: r),
                callInfo(v, call: c, type: .outbound, calling: ("1001", "Alice"), called: ("1003", "")),
                .send(.dialedNumber(.init("1003", lineInstance: 1, callReference: r))),
                Expect.callState(.proceed, line: 1, call: r),
                prompt(v, "\u{80}\u{1E}", call: c),
            ]
        )

        #expect(
            machine.indicate(.ringOut(callee: Fixture.bob), call: c) == [
                Expect.callState(.ringOut, line: 1, call: r),
                callInfo(v, call: c, type: .outbound, calling: ("1001", "Alice"), called: ("1003", "Bob")),
                Expect.startTone(.alerting, line: 1, call: r),
                Expect.softKeys(.ringOut, line: 1, call: r),
                prompt(v, "\u{80}\u{16}", call: c),
            ]
        )

        // The callee answered (call-flows §4, caller side).
        #expect(
            machine.indicate(.connected(remote: Fixture.bob), call: c) == [
                Expect.stopTone(line: 1, call: r),
                Expect.callState(.connected, line: 1, call: r),
                callInfo(v, call: c, type: .outbound, calling: ("1001", "Alice"), called: ("1003", "Bob")),
                Expect.softKeys(.connected, line: 1, call: r),
                prompt(v, "\u{80}\u{18}", call: c),
            ]
        )

        // Hold (call-flows §7).
        #expect(
            machine.indicate(.hold, call: c) == [
                Expect.lamp(.wink, line: 1),
                Expect.callState(.hold, line: 1, call: r),
                prompt(v, "\u{80}\u{03}", call: c),
                callInfo(v, call: c, type: .outbound, calling: ("1001", "Alice"), called: ("1003", "Bob")),
                Expect.speaker(.off),
                Expect.softKeys(.onHold, line: 1, call: r),
            ]
        )

        // Resume (call-flows §7).
        #expect(
            machine.indicate(.connected(remote: Fixture.bob), call: c) == [
                Expect.speaker(.on),
                Expect.lamp(.on, line: 1),
                Expect.callState(.connected, line: 1, call: r),
                .send(.activateCallPlane(.init(lineInstance: 1))),
                callInfo(v, call: c, type: .outbound, calling: ("1001", "Alice"), called: ("1003", "Bob")),
                Expect.softKeys(.connected, line: 1, call: r),
                prompt(v, "\u{80}\u{18}", call: c),
            ]
        )

        // Hang-up, the last call (call-flows §5).
        #expect(
            machine.indicate(.cleared, call: c) == [
                Expect.stopTone(line: 1, call: r),
                Expect.lamp(.off, line: 1),
                .send(.clearPromptStatus(.init(lineInstance: 1, callReference: r))),
                Expect.callState(.onHook, line: 1, call: r),
                Expect.idleSoftKeys,
                Expect.speaker(.off),
                .send(.setRinger(.init(.off, duration: .normal, lineInstance: 1, callReference: r))),
                Expect.idlePrompt(dynamic: v.dynamic),
            ]
        )
    }

    /// Early media from a trunk: the ring-out screen without the local ring-back, which stops if it was playing.
    @Test(arguments: versions)
    func earlyMediaShowsRingOutWithoutRingBack(_ v: Version) {
        var machine = DeviceSessionStateMachine.registered(offering: v.offered)
        let c = Self.outgoing
        let r = c.rawValue
        _ = machine.indicate(.offHook, call: c)
        _ = machine.indicate(.proceeding(dialed: "1003"), call: c)
        // The far end answered the early offer before it rang: ring-out, no tone.
        #expect(
            machine.indicate(.earlyMedia(callee: Fixture.bob), call: c) == [
                Expect.callState(.ringOut, line: 1, call: r),
                callInfo(v, call: c, type: .outbound, calling: ("1001", "Alice"), called: ("1003", "Bob")),
                Expect.stopTone(line: 1, call: r),
                Expect.softKeys(.ringOut, line: 1, call: r),
                prompt(v, "\u{80}\u{16}", call: c),
            ]
        )
        // Already ringing out with ring-back (a 180 came first): the tone stops, nothing else changes.
        let d = Self.incoming
        _ = machine.indicate(.cleared, call: c)
        _ = machine.indicate(.offHook, call: d)
        _ = machine.indicate(.proceeding(dialed: "1003"), call: d)
        #expect(
            machine.indicate(.ringOut(callee: Fixture.bob), call: d).contains(
                Expect.startTone(.alerting, line: 1, call: d.rawValue)
            )
        )
        #expect(
            machine.indicate(.earlyMedia(callee: Fixture.bob), call: d) == [Expect.stopTone(line: 1, call: d.rawValue)]
        )
    }

    // MARK: Incoming call

    @Test(arguments: versions)
    func incomingCall(_ v: Version) {
        var machine = DeviceSessionStateMachine.registered(offering: v.offered)
        let c = Self.incoming
        let r = c.rawValue

        // call-flows §3: CUCM 4.1's ring burst to a 7912, with CallInfo.
        #expect(
            machine.indicate(.ringIn(caller: Fixture.bob, isCallWaiting: false), call: c) == [
                Expect.callState(.ringIn, line: 1, call: r),
                callInfo(v, call: c, type: .inbound, calling: ("1003", "Bob"), called: ("1001", "Alice")),
                Expect.softKeys(.ringIn, line: 1, call: r),
                prompt(v, "\u{80}\u{17} 1003", call: c),
                priNotify(v, "\u{80}\u{17} 1003"),
                Expect.lamp(.blink, line: 1),
                .send(.setRinger(.init(.inside, duration: .normal, lineInstance: 1, callReference: r))),
            ]
        )

        // The answer: CUCM 4.1's burst to the callee (call-flows §4).
        #expect(
            machine.indicate(.connected(remote: Fixture.bob), call: c) == [
                Expect.ringerOff,
                Expect.speaker(.on),
                Expect.lamp(.on, line: 1),
                Expect.callState(.offHook, line: 1, call: r),
                .send(.activateCallPlane(.init(lineInstance: 1))),
                Expect.stopTone(line: 1, call: r),
                Expect.callState(.connected, line: 1, call: r),
                callInfo(v, call: c, type: .inbound, calling: ("1003", "Bob"), called: ("1001", "Alice")),
                Expect.softKeys(.connected, line: 1, call: r),
                prompt(v, "\u{80}\u{18}", call: c),
            ]
        )

        // The caller holds: nothing changes on this screen.
        #expect(machine.indicate(.remoteHold, call: c) == [])
        // … and resumes.
        #expect(
            machine.indicate(.connected(remote: Fixture.bob), call: c) == [
                Expect.stopTone(line: 1, call: r),
                Expect.callState(.connected, line: 1, call: r),
                callInfo(v, call: c, type: .inbound, calling: ("1003", "Bob"), called: ("1001", "Alice")),
                Expect.softKeys(.connected, line: 1, call: r),
                prompt(v, "\u{80}\u{18}", call: c),
            ]
        )
    }

    @Test(arguments: versions)
    func resumingWhileTheOtherSideStillHolds(_ v: Version) {
        var machine = DeviceSessionStateMachine.registered(offering: v.offered)
        let c = Self.outgoing
        let r = c.rawValue
        _ = machine.indicate(.offHook, call: c)
        _ = machine.indicate(.connected(remote: Fixture.bob), call: c)
        _ = machine.indicate(.hold, call: c)
        #expect(
            machine.indicate(.remoteHold, call: c) == [
                Expect.speaker(.on),
                Expect.lamp(.on, line: 1),
                Expect.callState(.connected, line: 1, call: r),
                .send(.activateCallPlane(.init(lineInstance: 1))),
                Expect.softKeys(.connected, line: 1, call: r),
            ]
        )
    }

    // MARK: Call waiting

    @Test(arguments: versions)
    func callWaiting(_ v: Version) {
        var machine = DeviceSessionStateMachine.registered(offering: v.offered)
        let active = Self.outgoing
        let waiting = Self.incoming
        _ = machine.indicate(.offHook, call: active)
        _ = machine.indicate(.connected(remote: Fixture.bob), call: active)

        // The waiting call: "Call Waiting", no ringer (call-flows §3); it is the line's second call.
        #expect(
            machine.indicate(.ringIn(caller: Fixture.carol, isCallWaiting: true), call: waiting) == [
                Expect.callState(.ringIn, line: 1, call: waiting.rawValue),
                callInfo(
                    v,
                    call: waiting,
                    type: .inbound,
                    calling: ("1004", ""),
                    called: ("1001", "Alice"),
                    instance: 2
                ),
                Expect.softKeys(.ringIn, line: 1, call: waiting.rawValue),
                prompt(v, "\u{80}\u{1B}", call: waiting),
                priNotify(v, "\u{80}\u{17} 1004"),
                Expect.lamp(.blink, line: 1),
            ]
        )
        // The active call hears the call-waiting tone.
        #expect(
            machine.indicate(.callWaiting(caller: Fixture.carol), call: active) == [
                Expect.startTone(.callWaiting, line: 1, call: active.rawValue)
            ]
        )

        // The active call ends: the waiting call keeps ringing (no ringer-off), then rings normally.
        #expect(
            machine.indicate(.cleared, call: active) == [
                Expect.stopTone(line: 1, call: active.rawValue),
                Expect.lamp(.blink, line: 1),
                .send(.clearPromptStatus(.init(lineInstance: 1, callReference: active.rawValue))),
                Expect.callState(.onHook, line: 1, call: active.rawValue),
                Expect.idleSoftKeys,
                Expect.speaker(.off),
                .send(.setRinger(.init(.off, duration: .normal, lineInstance: 1, callReference: active.rawValue))),
            ]
        )
        #expect(
            machine.indicate(.ringIn(caller: Fixture.carol, isCallWaiting: false), call: waiting) == [
                Expect.callState(.ringIn, line: 1, call: waiting.rawValue),
                callInfo(
                    v,
                    call: waiting,
                    type: .inbound,
                    calling: ("1004", ""),
                    called: ("1001", "Alice"),
                    instance: 2
                ),
                Expect.softKeys(.ringIn, line: 1, call: waiting.rawValue),
                prompt(v, "\u{80}\u{17} 1004", call: waiting),
                priNotify(v, "\u{80}\u{17} 1004"),
                Expect.lamp(.blink, line: 1),
                .send(.setRinger(.init(.inside, duration: .normal, lineInstance: 1, callReference: waiting.rawValue))),
            ]
        )
    }

    // MARK: Failed calls (call-flows §6)

    @Test(arguments: versions)
    func busy(_ v: Version) {
        var machine = DeviceSessionStateMachine.registered(offering: v.offered)
        let c = Self.outgoing
        _ = machine.indicate(.offHook, call: c)
        _ = machine.indicate(.proceeding(dialed: "1003"), call: c)
        #expect(
            machine.indicate(.busy, call: c) == [
                Expect.startTone(.lineBusy, line: 1, call: c.rawValue),
                prompt(v, "\u{80}\u{19}", call: c),
                Expect.callState(.busy, line: 1, call: c.rawValue),
            ]
        )
    }

    @Test(arguments: versions)
    func invalidNumber(_ v: Version) {
        var machine = DeviceSessionStateMachine.registered(offering: v.offered)
        let c = Self.outgoing
        _ = machine.indicate(.offHook, call: c)
        #expect(
            machine.indicate(.invalidNumber, call: c) == [
                Expect.startTone(.reorder, line: 1, call: c.rawValue),
                prompt(v, "\u{80}\u{38}", call: c),
                Expect.callState(.invalidNumber, line: 1, call: c.rawValue),
            ]
        )
    }

    @Test(arguments: versions)
    func reorder(_ v: Version) {
        var machine = DeviceSessionStateMachine.registered(offering: v.offered)
        let c = Self.outgoing
        let r = c.rawValue
        _ = machine.indicate(.offHook, call: c)
        #expect(
            machine.indicate(.reorder(.unavailable), call: c) == [
                Expect.startTone(.reorder, line: 1, call: r), prompt(v, "\u{80}\u{23}", call: c),
                Expect.callState(.congestion, line: 1, call: r),
            ]
        )
        #expect(
            machine.indicate(.reorder(.blocked), call: c) == [
                Expect.startTone(.reorder, line: 1, call: r), prompt(v, "\u{80}\u{23}", call: c),
                Expect.callState(.congestion, line: 1, call: r),
            ]
        )
        #expect(
            machine.indicate(.reorder(.offHookTimeout), call: c) == [
                Expect.startTone(.reorder, line: 1, call: r), Expect.callState(.congestion, line: 1, call: r),
            ]
        )
    }

    // MARK: Hang-up with another call remaining

    @Test(arguments: versions)
    func clearedWhileAHeldCallRemains(_ v: Version) {
        var machine = DeviceSessionStateMachine.registered(offering: v.offered)
        let held = Self.incoming
        let active = Self.outgoing
        _ = machine.indicate(.ringIn(caller: Fixture.bob, isCallWaiting: false), call: held)
        _ = machine.indicate(.connected(remote: Fixture.bob), call: held)
        _ = machine.indicate(.hold, call: held)
        _ = machine.indicate(.offHook, call: active)
        _ = machine.indicate(.connected(remote: Fixture.carol), call: active)

        // The active call ends: lamp back to wink for the held call, speaker off, no idle prompt.
        #expect(
            machine.indicate(.cleared, call: active) == [
                Expect.stopTone(line: 1, call: active.rawValue),
                Expect.lamp(.wink, line: 1),
                .send(.clearPromptStatus(.init(lineInstance: 1, callReference: active.rawValue))),
                Expect.callState(.onHook, line: 1, call: active.rawValue),
                Expect.idleSoftKeys,
                Expect.speaker(.off),
                .send(.setRinger(.init(.off, duration: .normal, lineInstance: 1, callReference: active.rawValue))),
            ]
        )
        // Then the held call ends (EndCall on it): no speaker message, as it was not in use; now the idle prompt.
        #expect(
            machine.indicate(.cleared, call: held) == [
                Expect.stopTone(line: 1, call: held.rawValue),
                Expect.lamp(.off, line: 1),
                .send(.clearPromptStatus(.init(lineInstance: 1, callReference: held.rawValue))),
                Expect.callState(.onHook, line: 1, call: held.rawValue),
                Expect.idleSoftKeys,
                .send(.setRinger(.init(.off, duration: .normal, lineInstance: 1, callReference: held.rawValue))),
                Expect.idlePrompt(dynamic: v.dynamic),
            ]
        )
    }

    @Test func clearedHeldCallOnAnotherLineKeepsTheActiveCallsSpeakerAndLamp() {
        var machine = DeviceSessionStateMachine.registered(offering: 11)
        _ = machine.indicate(.offHook, call: 1, line: 2)
        _ = machine.indicate(.connected(remote: Fixture.bob), call: 1, line: 2)
        _ = machine.indicate(.hold, call: 1, line: 2)
        _ = machine.indicate(.offHook, call: 2, line: 1)
        #expect(
            machine.indicate(.cleared, call: 1, line: 2) == [
                Expect.stopTone(line: 2, call: 1),
                Expect.lamp(.off, line: 2),
                .send(.clearPromptStatus(.init(lineInstance: 2, callReference: 1))),
                Expect.callState(.onHook, line: 2, call: 1),
                Expect.idleSoftKeys,
                .send(.setRinger(.init(.off, duration: .normal, lineInstance: 2, callReference: 1))),
            ]
        )
    }

    @Test func holdWhileAnotherCallIsActiveLeavesTheSpeakerOn() {
        var machine = DeviceSessionStateMachine.registered(offering: 5)
        _ = machine.indicate(.offHook, call: 2, line: 2)
        _ = machine.indicate(.offHook, call: 1)
        _ = machine.indicate(.connected(remote: Fixture.bob), call: 1)
        #expect(
            machine.indicate(.hold, call: 1) == [
                Expect.lamp(.wink, line: 1),
                Expect.callState(.hold, line: 1, call: 1),
                Expect.prompt("\u{80}\u{03}", line: 1, call: 1, dynamic: false),
                .send(
                    .callInfo(
                        .init(
                            lineInstance: 1,
                            callReference: 1,
                            callType: .outbound,
                            callingParty: "1001",
                            callingPartyName: "Alice",
                            calledParty: "1003",
                            calledPartyName: "Bob"
                        )
                    )
                ),
                Expect.softKeys(.onHold, line: 1, call: 1),
            ]
        )
    }

    // MARK: Version rules for display and call information

    @Test(arguments: [
        (UInt8(3), false, false), (5, false, false), (8, true, false), (11, true, false), (15, true, false),
        (16, true, false), (17, true, true), (20, true, true), (22, true, true),
    ])
    func displayAndCallInfoFollowTheVersion(_ offered: UInt8, _ dynamicPrompt: Bool, _ callInfoV2: Bool) {
        var machine = DeviceSessionStateMachine.registered(offering: offered)
        let burst = machine.indicate(.ringIn(caller: Fixture.bob, isCallWaiting: false), call: 1)
        let ids = burst.compactMap { action -> SkinnyMessageID? in
            if case .send(let message) = action { return message.id }
            return nil
        }
        #expect(ids.contains(dynamicPrompt ? .displayPromptStatusV2 : .displayPromptStatus))
        #expect(!ids.contains(dynamicPrompt ? .displayPromptStatus : .displayPromptStatusV2))
        #expect(ids.contains(dynamicPrompt ? .displayPriNotifyV2 : .displayPriNotify))
        #expect(ids.contains(callInfoV2 ? .callInfoV2 : .callInfo))
        #expect(!ids.contains(callInfoV2 ? .callInfo : .callInfoV2))
    }
}
