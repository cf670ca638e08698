import CallControl
import Testing

@Suite struct RegistrationTests {
    @Test func knownDeviceIsAcceptedWithItsLinesAndSpeedDials() throws {
        var harness = try Harness()
        let capabilities = DeviceCapabilities(codecs: [.g711ulaw])
        let commands = harness.send(.deviceRegistered(Fixture.carol, capabilities))
        let profile = DeviceProfile(
            name: Fixture.carol,
            lines: [
                LineAppearance(instance: 1, number: "1003", displayName: "Carol"),
                LineAppearance(instance: 2, number: "1004", displayName: "Carol Two"),
            ],
            speedDials: [SpeedDial(index: 1, number: "1001", label: "Alice")]
        )
        #expect(
            commands == [
                .registrationAccepted(Fixture.carol, profile),
                // For presence: the device, its profile and capabilities.
                .deviceStatusChanged(Fixture.carol, .registered(profile, capabilities)),
            ]
        )
        #expect(harness.core.isRegistered(Fixture.carol))
        #expect(harness.core.registeredDeviceCount == 1)
    }

    @Test func secondRegistrationOfTheSameNameIsRejected() throws {
        var harness = try Harness()
        harness.register(Fixture.alice)
        #expect(
            harness.send(.deviceRegistered(Fixture.alice, .unknown))
                == [.registrationRejected(Fixture.alice, .alreadyRegistered)]
        )
        #expect(harness.core.registeredDeviceCount == 1)
    }

    @Test func unknownDeviceIsRejectedWhenAutoRegistrationIsOff() throws {
        var settings = CallControlSettings()
        settings.autoRegistration.isEnabled = false
        var harness = try Harness(settings: settings)
        let stranger: DeviceName = "SEP0123456789AB"
        #expect(
            harness.send(.deviceRegistered(stranger, .unknown)) == [.registrationRejected(stranger, .unknownDevice)]
        )
        #expect(!harness.core.isRegistered(stranger))
        #expect(RegistrationRejection.unknownDevice.description.contains("auto-registration is off"))
    }

    @Test(arguments: ["SEP0123", "SEP0123456789ABC", "SEP0123456789AG", "ATA0123456789AB", "sep0123456789ab", ""])
    func autoRegistrationNeedsSEPAndTwelveHexDigits(name: String) throws {
        var harness = try Harness()
        let device = DeviceName(name)
        #expect(
            harness.send(.deviceRegistered(device, .unknown)) == [.registrationRejected(device, .invalidDeviceName)]
        )
        #expect(harness.core.directory.devices[device] == nil)
    }

    @Test func autoRegistrationHandsOutTheNextFreeNumberAndKeepsIt() throws {
        var harness = try Harness()
        let first: DeviceName = "SEP0123456789AB"
        let second: DeviceName = "SEPabcdefabcdef"
        let firstProfile = DeviceProfile(
            name: first,
            lines: [LineAppearance(instance: 1, number: "1000", displayName: "")],
            speedDials: []
        )
        #expect(
            harness.send(.deviceRegistered(first, .unknown)) == [
                .autoRegistered(first, "1000"), .registrationAccepted(first, firstProfile),
                .deviceStatusChanged(first, .registered(firstProfile, .unknown)),
            ]
        )
        // 1001...1005 belong to the fixture's devices, so the next free number is 1006.
        let commands = harness.send(.deviceRegistered(second, .unknown))
        #expect(commands.first == .autoRegistered(second, "1006"))
        #expect(harness.core.directory.devices[second]?.lines == ["1006"])

        // Reconnecting keeps the number; nothing new is persisted.
        #expect(harness.send(.deviceUnregistered(first)) == [.deviceStatusChanged(first, .unregistered)])
        #expect(
            harness.send(.deviceRegistered(first, .unknown)) == [
                .registrationAccepted(first, firstProfile),
                .deviceStatusChanged(first, .registered(firstProfile, .unknown)),
            ]
        )
    }

    @Test func autoRegisteredPhonesCanCallEachOther() throws {
        var harness = try Harness()
        let first: DeviceName = "SEP0123456789AB"
        let second: DeviceName = "SEPABCDEFABCDEF"
        harness.send(.deviceRegistered(first, .unknown))
        harness.send(.deviceRegistered(second, .unknown))
        harness.send(.offHook(first, line: nil, call: nil))
        let commands = harness.dial(first, "1006")
        #expect(
            commands.suffix(4) == [
                show(first, 1, 1, .proceeding(dialed: "1006")),
                show(first, 1, 1, .ringOut(callee: Party(name: "", number: "1006"))),
                show(second, 1, 2, .ringIn(caller: Party(name: "", number: "1000"), isCallWaiting: false)),
                .lineStateChanged("1006", .ringing),
            ]
        )
    }

    @Test func exhaustedRangeRejects() throws {
        var settings = CallControlSettings()
        settings.autoRegistration.numbers = 1000...1001  // 1001 is Alice's
        var harness = try Harness(settings: settings)
        let first: DeviceName = "SEP0123456789AB"
        let second: DeviceName = "SEP0123456789AC"
        #expect(harness.send(.deviceRegistered(first, .unknown)).first == .autoRegistered(first, "1000"))
        #expect(
            harness.send(.deviceRegistered(second, .unknown))
                == [.registrationRejected(second, .autoRegistrationRangeExhausted)]
        )
        // Freeing a number (the Store deleted the first phone) makes room again.
        harness.send(.deviceUnregistered(first))
        harness.send(.directoryChanged(.removeDevice(first)))
        harness.send(.directoryChanged(.removeLine("1000")))
        #expect(harness.send(.deviceRegistered(second, .unknown)).first == .autoRegistered(second, "1000"))
    }

    @Test func unregisteringAnUnknownDeviceDoesNothing() throws {
        var harness = try Harness()
        #expect(harness.send(.deviceUnregistered(Fixture.alice)).isEmpty)
        #expect(harness.send(.offHook(Fixture.alice, line: nil, call: nil)).isEmpty)
        #expect(harness.isQuiescent)
    }
}
