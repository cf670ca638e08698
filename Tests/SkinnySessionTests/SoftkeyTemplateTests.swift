import CallControl
import SkinnySession
import SkinnyWire
import Testing

/// Issue 17: a device's softkey template decides the keys of each call state (SoftKeySetRes), and a template change
/// reaches the phone as a configuration change.
@Suite("Softkey templates")
struct SoftkeyTemplateTests {
    /// A lobby phone: no transfer, conference or park; Connected shows EndCall first.
    static let lobby = SoftkeyTemplate(
        name: "Lobby",
        sets: [
            .onHook: [.redial],
            .connected: [.endCall, .hold, .join],
        ]
    )

    static func profile(_ template: SoftkeyTemplate) -> DeviceProfile {
        var profile = Fixture.profile
        profile.softkeys = template
        return profile
    }

    /// The template positions of each set of a SoftKeySetRes.
    static func positions(_ actions: [SessionAction]) -> [[UInt8]]? {
        for action in actions {
            if case .send(.softKeySetRes(let sets)) = action {
                return sets.softKeySets.map { set in set.keys.map(\.templateIndex) }
            }
        }
        return nil
    }

    @Test(arguments: [UInt8(5), 11, 17, 22])
    func theDevicesTemplateDecidesItsSoftkeySets(version: UInt8) throws {
        var machine = DeviceSessionStateMachine()
        _ = machine.phone(Fixture.register(offering: version))
        _ = machine.core(.registrationAccepted(Fixture.name, Self.profile(Self.lobby)))
        let sets = try #require(Self.positions(machine.phone(.softKeySetReq)))
        #expect(sets.count == 12)
        // On Hook: Redial only (position 1); Connected: EndCall 9, Hold 3, Join 15, in the template's order.
        #expect(sets[0] == [1])
        #expect(sets[1] == [9, 3, 15])
        // States the template does not name keep the built-in keys: On Hold is Resume, NewCall, EndCall, DirTrfr, Join.
        #expect(sets[2] == [10, 2, 9, 20, 15])
        #expect(sets[3] == [11])
    }

    @Test func theValidKeyMaskFollowsTheTemplatesOrder() throws {
        var machine = DeviceSessionStateMachine()
        _ = machine.phone(Fixture.register(offering: 17))
        _ = machine.core(.registrationAccepted(Fixture.name, Self.profile(Self.lobby)))
        let actions = machine.indicate(.connected(remote: Fixture.bob), call: 7)
        let masks = actions.compactMap { action -> UInt32? in
            guard case .send(.selectSoftKeys(let keys)) = action, keys.softKeySet == .connected else { return nil }
            return keys.validKeyMask
        }
        // Join (the template's third key, bit 2) is hidden with no other call to join; EndCall and Hold are shown.
        #expect(masks == [0xFFFF_FFFB])
    }

    @Test func aTemplateChangeRestartsTheIdlePhone() {
        var machine = DeviceSessionStateMachine.registered(offering: 17)
        let actions = machine.core(.configurationChanged(Fixture.name, Self.profile(Self.lobby)))
        #expect(actions == [.send(.reset(SkinnyMessage.Reset(.restart)))])
        // On re-registration it asks for its sets again and gets the new ones.
        #expect(Self.positions(machine.phone(.softKeySetReq))?.first == [1])
    }

    @Test func templatesRejectTooManyKeysAndRepeats() {
        let tooMany = SoftkeyTemplate(
            name: "Big",
            sets: [.onHook: SoftkeyTemplate.Key.allCases.map { $0 }]
        )
        #expect(tooMany.problem?.contains("at most 16") == true)
        let repeated = SoftkeyTemplate(name: "Twice", sets: [.connected: [.hold, .hold]])
        #expect(repeated.problem == "connected names a key more than once")
        #expect(SoftkeyTemplate.standardUser.problem == nil)
        #expect(SoftkeyTemplate.Key(name: "transfer") == .transfer)
        #expect(SoftkeyTemplate.Key(name: "trnsfer") == .transfer)
        #expect(SoftkeyTemplate.Key(name: "CFwdAll") == nil)
    }
}
