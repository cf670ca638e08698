import CallControl
import NIOCore
import SkinnySession
import SkinnyWire

/// Shared fixtures: one phone, SEP001122334455, with two lines and a speed dial.
enum Fixture {
    static let name: DeviceName = "SEP001122334455"
    static let otherName: DeviceName = "SEP00112233AABB"

    /// Line 1 is 1001 "Alice", line 2 is 1002 with no display name; speed dial 1 calls 1003 "Bob".
    static let profile = DeviceProfile(
        name: name,
        lines: [
            LineAppearance(instance: 1, number: "1001", displayName: "Alice"),
            LineAppearance(instance: 2, number: "1002", displayName: ""),
        ],
        speedDials: [SpeedDial(index: 1, number: "1003", label: "Bob")]
    )

    static let bob = Party(name: "Bob", number: "1003")
    static let carol = Party(name: "", number: "1004")

    /// 2026-06-05 12:34:56 UTC, a Friday.
    static let now = Timestamp.seconds(1_780_662_896)

    static func register(offering version: UInt8, type: SkinnyDeviceType = .station7960) -> StationMessage {
        .register(
            SkinnyMessage.Register(
                deviceName: name.rawValue,
                stationIPAddress: .ipv4(10, 0, 0, 5),
                deviceType: type,
                protocolVersion: version,
                firmwareLoadName: "P00308010200"
            )
        )
    }
}

extension DeviceSessionStateMachine {
    /// A frame as the phone would send it: encoded at the session's current version.
    mutating func phone(_ message: StationMessage, now: Timestamp = Fixture.now) -> [SessionAction] {
        self.frameReceived(message.frame(version: self.protocolVersion), now: now)
    }

    mutating func core(_ command: CallCommand, now: Timestamp = Fixture.now) -> [SessionAction] {
        self.commandReceived(command, now: now)
    }

    /// A machine whose phone offered `version` and was accepted with ``Fixture/profile``.
    static func registered(
        offering version: UInt8,
        configuration: SessionConfiguration = SessionConfiguration()
    ) -> DeviceSessionStateMachine {
        var machine = DeviceSessionStateMachine(configuration: configuration)
        _ = machine.phone(Fixture.register(offering: version))
        _ = machine.core(.registrationAccepted(Fixture.name, Fixture.profile))
        return machine
    }

    /// Shows `indication` on call `call` of line 1.
    mutating func indicate(_ indication: Indication, call: CallReference, line: LineInstance = 1) -> [SessionAction] {
        self.core(.indicate(Fixture.name, line: line, call: call, indication))
    }
}

/// Builders for expected messages, so that transcripts read like call-flows.md.
enum Expect {
    static func label(_ id: UInt8) -> String { SkinnyText.label(id) }

    static func prompt(_ text: String, line: UInt32, call: UInt32, dynamic: Bool) -> SessionAction {
        dynamic
            ? .send(.displayPromptStatusV2(.init(text, lineInstance: line, callReference: call)))
            : .send(.displayPromptStatus(.init(text, lineInstance: line, callReference: call)))
    }

    /// SelectSoftKeys for a call, with the keys a phone with just that one call should see: on a call's screen the
    /// keys that would do nothing are masked — DirTrfr and Join (no other call to join: Connected bits 5 and 6, On
    /// Hold bits 3 and 4) and Transfer while ringing out (not a consultation: Ring Out bit 1). The idle screen (line
    /// 0) masks nothing.
    static func softKeys(_ set: SkinnySoftKeySet, line: UInt32, call: UInt32) -> SessionAction {
        let mask: UInt32
        switch set {
        case .connected where line != 0: mask = 0xFFFF_FF9F
        case .onHold where line != 0: mask = 0xFFFF_FFE7
        case .ringOut where line != 0: mask = 0xFFFF_FFFD
        default: mask = 0xFFFF_FFFF
        }
        return .send(
            .selectSoftKeys(.init(lineInstance: line, callReference: call, softKeySet: set, validKeyMask: mask))
        )
    }

    static func callState(_ state: SkinnyCallState, line: UInt32, call: UInt32) -> SessionAction {
        .send(.callState(.init(state, lineInstance: line, callReference: call)))
    }

    static func lamp(_ mode: SkinnyLampMode, line: UInt32) -> SessionAction {
        .send(.setLamp(.init(.line, instance: line, mode: mode)))
    }

    static func startTone(_ tone: SkinnyTone, line: UInt32, call: UInt32) -> SessionAction {
        .send(.startTone(.init(tone, direction: .user, lineInstance: line, callReference: call)))
    }

    static func stopTone(line: UInt32, call: UInt32) -> SessionAction {
        .send(.stopTone(.init(lineInstance: line, callReference: call)))
    }

    static func speaker(_ mode: SkinnyOnOffMode) -> SessionAction {
        .send(.setSpeakerMode(.init(mode)))
    }

    static let ringerOff = SessionAction.send(
        .setRinger(.init(.off, duration: .normal, lineInstance: 0, callReference: 0))
    )

    static let idleSoftKeys = softKeys(.onHook, line: 0, call: 0)

    static func idlePrompt(dynamic: Bool) -> SessionAction {
        prompt(label(19), line: 0, call: 0, dynamic: dynamic)
    }
}
