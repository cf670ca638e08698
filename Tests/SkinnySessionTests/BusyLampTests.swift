import CallControl
import SkinnySession
import SkinnyWire
import Testing

/// BLF speed dials (call-flows §14, reference §6.4, §6.8): button type 0x15 and FeatureStatV2Res from v15, a plain
/// speed dial with SetLamp below.
@Suite("Busy lamp fields")
struct BusyLampTests {
    /// Line 1001; speed dial 1 to 1003 "Bob" (BLF), speed dial 2 to 1004 "Carol" (plain), speed dial 3 to 1005#
    /// "Dave" (BLF).
    static let profile = DeviceProfile(
        name: Fixture.name,
        lines: [LineAppearance(instance: 1, number: "1001", displayName: "Alice")],
        speedDials: [
            SpeedDial(index: 1, number: "1003", label: "Bob", isBusyLampField: true),
            SpeedDial(index: 2, number: "1004", label: "Carol"),
            SpeedDial(index: 3, number: "1005#", label: "Dave", isBusyLampField: true),
        ]
    )

    static func registered(offering version: UInt8) -> DeviceSessionStateMachine {
        var machine = DeviceSessionStateMachine()
        _ = machine.phone(Fixture.register(offering: version))
        _ = machine.core(.registrationAccepted(Fixture.name, Self.profile))
        return machine
    }

    static func featureStat(_ index: UInt32, _ status: UInt32, _ label: String) -> SessionAction {
        .send(
            .featureStatV2Res(
                .init(featureIndex: index, featureID: .blfSpeedDial, featureStatus: status, textLabel: label)
            )
        )
    }

    static func lamp(_ index: UInt32, _ mode: SkinnyLampMode) -> SessionAction {
        .send(.setLamp(.init(.speedDial, instance: index, mode: mode)))
    }

    // MARK: - v17

    @Test func v17TemplateShowsBusyLampFieldsAsType0x15() {
        var machine = Self.registered(offering: 17)
        #expect(
            machine.phone(.buttonTemplateReq) == [
                .send(.buttonTemplateRes(.init([(1, .line), (1, .blfSpeedDial), (2, .speedDial), (3, .blfSpeedDial)])))
            ]
        )
    }

    @Test func v17FeatureStatReqIsAnsweredWithTheCurrentState() {
        var machine = Self.registered(offering: 17)
        // Presence has said nothing yet: unknown (0).
        #expect(
            machine.phone(.featureStatReq(.init(featureIndex: 1, featureCapabilities: 1))) == [
                Self.featureStat(1, 0, "Bob")
            ]
        )
        // Before the template the phone has no buttons: the state is only kept.
        #expect(machine.busyLampFieldChanged(index: 1, state: .idle) == [])
        #expect(
            machine.phone(.featureStatReq(.init(featureIndex: 1, featureCapabilities: 1))) == [
                Self.featureStat(1, 1, "Bob")
            ]
        )
        // A plain speed dial or an unknown index is not a feature: an unused slot, as before.
        let unused = SessionAction.send(
            .featureStatV2Res(.init(featureIndex: 2, featureID: 0, featureStatus: 0, textLabel: ""))
        )
        #expect(machine.phone(.featureStatReq(.init(featureIndex: 2))) == [unused])
    }

    @Test(arguments: [
        (BusyLampState.idle, UInt32(1)), (.inUse, 2), (.doNotDisturb, 3), (.ringing, 4), (.unknown, 0),
    ])
    func v17ChangesAreSentAsFeatureStatV2Res(state: BusyLampState, status: UInt32) {
        var machine = Self.registered(offering: 17)
        _ = machine.phone(.buttonTemplateReq)
        // From unknown: a change to unknown is no change.
        let expected: [SessionAction] = state == .unknown ? [] : [Self.featureStat(3, status, "Dave")]
        #expect(machine.busyLampFieldChanged(index: 3, state: state) == expected)
        // The same state again sends nothing.
        #expect(machine.busyLampFieldChanged(index: 3, state: state) == [])
    }

    @Test func v17RunTimeSequence() {
        var machine = Self.registered(offering: 17)
        _ = machine.phone(.buttonTemplateReq)
        #expect(machine.busyLampFieldChanged(index: 1, state: .idle) == [Self.featureStat(1, 1, "Bob")])
        #expect(machine.busyLampFieldChanged(index: 1, state: .ringing) == [Self.featureStat(1, 4, "Bob")])
        #expect(machine.busyLampFieldChanged(index: 1, state: .inUse) == [Self.featureStat(1, 2, "Bob")])
        #expect(machine.busyLampFieldChanged(index: 1, state: .idle) == [Self.featureStat(1, 1, "Bob")])
        // Not a BLF speed dial, or no such button: ignored.
        #expect(machine.busyLampFieldChanged(index: 2, state: .inUse) == [])
        #expect(machine.busyLampFieldChanged(index: 9, state: .inUse) == [])
    }

    @Test func pressingABusyLampFieldDialsIt() {
        var machine = Self.registered(offering: 17)
        #expect(
            machine.phone(.stimulus(.init(.blfSpeedDial, stimulusInstance: 1))) == [
                .forward(.speedDial(Fixture.name, index: 1))
            ]
        )
    }

    // MARK: - v11

    @Test func v11TemplateShowsBusyLampFieldsAsSpeedDials() {
        var machine = Self.registered(offering: 11)
        #expect(
            machine.phone(.buttonTemplateReq) == [
                .send(.buttonTemplateRes(.init([(1, .line), (1, .speedDial), (2, .speedDial), (3, .speedDial)])))
            ]
        )
        // FeatureStatReq below v15 is still answered as an unused slot.
        #expect(
            machine.phone(.featureStatReq(.init(featureIndex: 1)))
                == [.send(.featureStatRes(.init(featureIndex: 1, featureID: 0, textLabel: "", featureStatus: 0)))]
        )
    }

    @Test func v11ChangesAreSentAsLamps() {
        var machine = Self.registered(offering: 11)
        _ = machine.phone(.buttonTemplateReq)
        // Unknown and idle are both off: nothing to send.
        #expect(machine.busyLampFieldChanged(index: 1, state: .idle) == [])
        #expect(machine.busyLampFieldChanged(index: 1, state: .ringing) == [Self.lamp(1, .blink)])
        #expect(machine.busyLampFieldChanged(index: 1, state: .inUse) == [Self.lamp(1, .on)])
        // DND shows as busy: no change of lamp.
        #expect(machine.busyLampFieldChanged(index: 1, state: .doNotDisturb) == [])
        #expect(machine.busyLampFieldChanged(index: 1, state: .idle) == [Self.lamp(1, .off)])
        #expect(machine.busyLampFieldChanged(index: 1, state: .unknown) == [])
        #expect(machine.busyLampFieldChanged(index: 2, state: .inUse) == [])
    }

    @Test func v11LampsLearnedBeforeTheTemplateFollowIt() {
        var machine = Self.registered(offering: 11)
        #expect(machine.busyLampFieldChanged(index: 1, state: .inUse) == [])
        #expect(machine.busyLampFieldChanged(index: 3, state: .ringing) == [])
        #expect(
            machine.phone(.buttonTemplateReq) == [
                .send(.buttonTemplateRes(.init([(1, .line), (1, .speedDial), (2, .speedDial), (3, .speedDial)]))),
                Self.lamp(1, .on),
                Self.lamp(3, .blink),
            ]
        )
    }

    @Test func pressingABusyLampFieldOnAnOldPhoneIsASpeedDial() {
        var machine = Self.registered(offering: 11)
        #expect(
            machine.phone(.stimulus(.init(.speedDial, stimulusInstance: 3))) == [
                .forward(.speedDial(Fixture.name, index: 3))
            ]
        )
    }

    // MARK: - Lifecycle and capabilities

    @Test func ignoredUnlessRegistered() {
        var machine = DeviceSessionStateMachine()
        #expect(machine.busyLampFieldChanged(index: 1, state: .inUse) == [])
        _ = machine.phone(Fixture.register(offering: 17))
        #expect(machine.busyLampFieldChanged(index: 1, state: .inUse) == [])
        _ = machine.connectionClosed()
        #expect(machine.busyLampFieldChanged(index: 1, state: .inUse) == [])
    }

    @Test func videoCapabilitiesAreReported() {
        var machine = Self.registered(offering: 17)
        let capabilities = SkinnyMediaCapabilities(
            audio: [.init(codec: 4, maxFramesPerPacket: 40)],
            video: [.init(codec: 103, direction: 3)]
        )
        #expect(
            machine.phone(.capabilitiesV2Res(.init(capabilities: capabilities))) == [
                .forward(
                    .capabilitiesChanged(Fixture.name, DeviceCapabilities(codecs: [.g711ulaw], supportsVideo: true))
                )
            ]
        )
    }

    @Test func presenceCommandsAreNotForSessions() {
        var machine = Self.registered(offering: 17)
        #expect(machine.core(.lineStateChanged("1001", .inUse)) == [])
        #expect(machine.core(.deviceStatusChanged(Fixture.name, .unregistered)) == [])
        #expect(machine.isRegistered)
    }
}
