import CallControl
import Testing

/// CallControl's routing table for the runtime (EndpointOwner.swift): which owner's session each command is for, and
/// which owner each event speaks for.
@Suite("Endpoint routes")
struct EndpointRouteTests {
    static let alice: DeviceName = "SEP00000000000A"
    static let profile = DeviceProfile(
        name: alice,
        lines: [LineAppearance(instance: 1, number: "1001", displayName: "Alice")],
        speedDials: []
    )
    static let media = MediaParameters(codec: .g711ulaw, packetMilliseconds: 20)
    static let remote = MediaEndpoint(address: .ipv4(0x0A00_0002), port: 16386)
    static let record = CallRecord(
        callingDevice: alice,
        callingNumber: "1001",
        callingReference: 1,
        dialedNumber: "1002",
        calledNumber: "1002",
        calledDevice: "SEP00000000000B",
        calledReference: 2,
        setupTime: .zero,
        answerTime: nil,
        endTime: .zero,
        endCause: .abandoned,
        releasedBy: .caller,
        codec: nil
    )

    @Test(arguments: [
        CallCommand.registrationAccepted(alice, profile),
        .configurationChanged(alice, profile),
        .indicate(alice, line: 1, call: 1, .offHook),
        .openReceiveChannel(alice, call: 1, passThroughPartyID: 1, media: media),
        .startMediaTransmission(alice, call: 1, passThroughPartyID: 1, remote: remote, media: media),
        .closeMedia(alice, call: 1, passThroughPartyID: 1),
        .messageWaiting(alice, line: 1, isOn: true),
        .notify(alice, .noCallForPickup),
    ])
    func commandsForADeviceGoToItsSession(_ command: CallCommand) {
        #expect(command.route == .session(.device(Self.alice), releasesOwner: false))
        #expect(command.route.sessionOwner == .device(Self.alice))
    }

    /// The phone shows its do-not-disturb, and presence shows it to the user's watchers.
    @Test func doNotDisturbGoesToTheSessionAndToPresence() {
        let command = CallCommand.doNotDisturbChanged(Self.alice, isOn: true)
        #expect(command.route == .sessionAndPresence(.device(Self.alice)))
        #expect(command.route.sessionOwner == .device(Self.alice))
    }

    /// After these the session no longer speaks for the device: a later Register is a fresh one, not a take-over.
    @Test(arguments: [
        CallCommand.registrationRejected(alice, .unknownDevice),
        .registrationRejected(alice, .alreadyRegistered),
        .unregister(alice, reason: .removedFromDirectory),
        .unregister(alice, reason: .resetByAdministrator),
    ])
    func commandsThatEndARegistrationReleaseTheOwner(_ command: CallCommand) {
        #expect(command.route == .session(.device(Self.alice), releasesOwner: true))
    }

    @Test func commandsForTheRuntimeStayInTheRuntime() {
        let timer = TimerID(7, .offHook)
        #expect(CallCommand.startTimer(timer, after: .seconds(15)).route == .startTimer(timer, after: .seconds(15)))
        #expect(CallCommand.cancelTimer(timer).route == .cancelTimer(timer))
        #expect(CallCommand.callRecord(Self.record).route == .callRecord(Self.record))
        #expect(CallCommand.autoRegistered(Self.alice, "1000").route == .autoRegistered(Self.alice, "1000"))
        #expect(CallCommand.lineStateChanged("1001", .idle).route == .presence)
        #expect(CallCommand.deviceStatusChanged(Self.alice, .unregistered).route == .presence)
        #expect(CallCommand.cancelTimer(timer).route.sessionOwner == nil)
        #expect(CallCommand.lineStateChanged("1001", .idle).route.sessionOwner == nil)
    }

    @Test func aRegistrationClaimsTheDeviceAndItsEndReleasesIt() {
        #expect(CallEvent.deviceRegistered(Self.alice, .unknown).origin == .claim(.device(Self.alice)))
        #expect(CallEvent.deviceUnregistered(Self.alice).origin == .release(.device(Self.alice)))
    }

    @Test(arguments: [
        CallEvent.capabilitiesChanged(alice, .unknown),
        .offHook(alice, line: nil, call: nil),
        .onHook(alice, line: 1, call: 1),
        .digit(alice, line: nil, call: nil, "5"),
        .enbloc(alice, line: nil, number: "1002"),
        .lineButton(alice, line: 1),
        .speedDial(alice, index: 1),
        .softKey(alice, .answer, line: nil, call: nil),
        .receiveChannelOpened(alice, call: 1, passThroughPartyID: 1, endpoint: remote),
    ])
    func aDevicesActionsSpeakForIt(_ event: CallEvent) {
        #expect(event.origin == .owner(.device(Self.alice)))
    }

    @Test func timersAndConfigurationComeFromTheRuntimeOnly() {
        #expect(CallEvent.timerFired(TimerID(1, .interdigit)).origin == .runtime)
        #expect(CallEvent.directoryChanged(.removeDevice(Self.alice)).origin == .runtime)
    }

    @Test func aDeviceOwnerUnregistersAndIsRefusedAsADevice() {
        let owner = EndpointOwner.device(Self.alice)
        #expect(owner.deviceName == Self.alice)
        #expect(owner.unregisteredEvent == .deviceUnregistered(Self.alice))
        #expect(owner.alreadyRegisteredRejection == .registrationRejected(Self.alice, .alreadyRegistered))
        #expect("\(owner)" == "device SEP00000000000A")
    }
}
