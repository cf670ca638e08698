import CallControl
import NIOCore
import SkinnySession
import SkinnyWire
import Testing

@Suite("Registration")
struct RegistrationTests {
    /// The phone's side of call-flows §1, and what Strowger answers, at one version.
    struct Case: Sendable, CustomTestStringConvertible {
        var offered: UInt8
        var negotiated: UInt8
        /// v8 and up get dynamic (V2) prompts.
        var dynamicDisplay: Bool
        /// v17 and up get LineStatV2Res.
        var lineStatV2: Bool
        /// v15 and up get FeatureStatV2Res.
        var featureStatV2: Bool

        var testDescription: String { "offered v\(offered)" }
    }

    static let cases: [Case] = [
        Case(offered: 5, negotiated: 5, dynamicDisplay: false, lineStatV2: false, featureStatV2: false),
        Case(offered: 11, negotiated: 11, dynamicDisplay: true, lineStatV2: false, featureStatV2: false),
        Case(offered: 17, negotiated: 17, dynamicDisplay: true, lineStatV2: true, featureStatV2: true),
        Case(offered: 22, negotiated: 22, dynamicDisplay: true, lineStatV2: true, featureStatV2: true),
    ]

    @Test(arguments: cases)
    func fullRegistrationTranscript(_ c: Case) {
        var machine = DeviceSessionStateMachine()
        #expect(machine.protocolVersion == SkinnyProtocolVersion(3))
        #expect(machine.deviceName == nil)

        #expect(
            machine.phone(Fixture.register(offering: c.offered)) == [
                .forward(.deviceRegistered(Fixture.name, .unknown))
            ]
        )
        #expect(machine.protocolVersion == SkinnyProtocolVersion(c.negotiated))
        #expect(machine.deviceName == Fixture.name)
        #expect(!machine.isRegistered)

        let accepted = machine.core(.registrationAccepted(Fixture.name, Fixture.profile))
        #expect(
            accepted == [
                .send(
                    .registerAck(
                        .init(
                            keepAliveInterval: 30,
                            dateTemplate: "M/D/YA",
                            secondaryKeepAliveInterval: 60,
                            protocolVersion: SkinnyProtocolVersion(c.negotiated)
                        )
                    )
                ),
                .send(.capabilitiesReq),
            ]
        )
        if case .send(.registerAck(let ack)) = accepted.first {
            #expect(ack.protocolVersion == c.negotiated)
        }
        #expect(machine.isRegistered)

        // CapabilitiesRes: µ-law, A-law, G.729 Annex A, wideband L16 (which the core does not use).
        let capabilities = SkinnyMessage.CapabilitiesRes(capabilities: [
            .init(codec: 4, maxFramesPerPacket: 40), .init(codec: 2, maxFramesPerPacket: 40),
            .init(codec: 12, maxFramesPerPacket: 60), .init(codec: 25, maxFramesPerPacket: 40),
        ])
        #expect(
            machine.phone(.capabilitiesRes(capabilities))
                == [
                    .forward(
                        .capabilitiesChanged(Fixture.name, DeviceCapabilities(codecs: [.g711ulaw, .g711alaw, .g729]))
                    )
                ]
        )

        #expect(
            machine.phone(.buttonTemplateReq)
                == [.send(.buttonTemplateRes(.init([(1, .line), (2, .line), (1, .speedDial)])))]
        )

        #expect(machine.phone(.softKeyTemplateReq) == [.send(.softKeyTemplateRes(Self.expectedTemplate))])
        #expect(
            machine.phone(.softKeySetReq)
                == [.send(.softKeySetRes(Self.expectedSets)), Expect.softKeys(.onHook, line: 0, call: 0)]
        )

        #expect(
            machine.phone(.configStatReq)
                == [
                    .send(
                        .configStatRes(
                            .init(
                                deviceName: "SEP001122334455",
                                userID: 0,
                                instance: 1,
                                userName: "",
                                serverName: "Strowger",
                                numberOfLines: 2,
                                numberOfSpeedDials: 1
                            )
                        )
                    )
                ]
        )

        let line1: SessionAction =
            c.lineStatV2
            ? .send(.lineStatV2Res(.init(lineNumber: 1, directoryNumber: "1001", fullyQualifiedDisplayName: "Alice")))
            : .send(.lineStatRes(.init(lineNumber: 1, directoryNumber: "1001", fullyQualifiedDisplayName: "Alice")))
        #expect(machine.phone(.lineStatReq(.init(lineNumber: 1))) == [line1])
        let line2: SessionAction =
            c.lineStatV2
            ? .send(.lineStatV2Res(.init(lineNumber: 2, directoryNumber: "1002")))
            : .send(.lineStatRes(.init(lineNumber: 2, directoryNumber: "1002")))
        #expect(machine.phone(.lineStatReq(.init(lineNumber: 2))) == [line2])

        #expect(
            machine.phone(.forwardStatReq(.init(lineNumber: 1)))
                == [.send(.forwardStatRes(.init(activeForward: 0, lineNumber: 1)))]
        )
        #expect(
            machine.phone(.speedDialStatReq(.init(speedDialNumber: 1)))
                == [.send(.speedDialStatRes(.init(speedDialNumber: 1, directoryNumber: "1003", displayName: "Bob")))]
        )
        let feature: SessionAction =
            c.featureStatV2
            ? .send(.featureStatV2Res(.init(featureIndex: 1, featureID: 0, featureStatus: 0, textLabel: "")))
            : .send(.featureStatRes(.init(featureIndex: 1, featureID: 0, textLabel: "", featureStatus: 0)))
        #expect(machine.phone(.featureStatReq(.init(featureIndex: 1))) == [feature])
        #expect(
            machine.phone(.serviceURLStatReq(.init(serviceURLIndex: 1)))
                == [.send(.serviceURLStatRes(.init(serviceURLIndex: 1, url: "", displayName: "")))]
        )
        #expect(machine.phone(.registerAvailableLines(.init(maxNumberOfAvailableLines: 2))) == [])

        #expect(
            machine.phone(.timeDateReq)
                == [
                    .send(
                        .timeDateRes(
                            .init(
                                year: 2026,
                                month: 6,
                                dayOfWeek: 5,
                                day: 5,
                                hour: 12,
                                minute: 34,
                                second: 56,
                                millisecond: 0,
                                systemTime: 1_780_662_896
                            )
                        )
                    ),
                    Expect.idleSoftKeys,
                    Expect.prompt("\u{80}\u{13}", line: 0, call: 0, dynamic: c.dynamicDisplay),
                ]
        )

        #expect(machine.phone(.keepAlive) == [.send(.keepAliveAck)])
        #expect(machine.isRegistered)
    }

    /// Strowger's template: the 18 standard softkeys, event = position, label = embedded label of the same id
    /// (reference §6.6, §6.9).
    static let expectedTemplate = SkinnyMessage.SoftKeyTemplateRes(softKeys: [
        .init(label: "\u{80}\u{01}", event: 1), .init(label: "\u{80}\u{02}", event: 2),
        .init(label: "\u{80}\u{03}", event: 3), .init(label: "\u{80}\u{04}", event: 4),
        .init(label: "\u{80}\u{05}", event: 5), .init(label: "\u{80}\u{06}", event: 6),
        .init(label: "\u{80}\u{07}", event: 7), .init(label: "\u{80}\u{08}", event: 8),
        .init(label: "\u{80}\u{09}", event: 9), .init(label: "\u{80}\u{0A}", event: 10),
        .init(label: "\u{80}\u{0B}", event: 11), .init(label: "\u{80}\u{0C}", event: 12),
        .init(label: "\u{80}\u{0D}", event: 13), .init(label: "\u{80}\u{0E}", event: 14),
        .init(label: "\u{80}\u{0F}", event: 15), .init(label: "\u{80}\u{10}", event: 16),
        .init(label: "\u{80}\u{11}", event: 17), .init(label: "\u{80}\u{12}", event: 18),
        // DND, DirTrfr, RmLstC and ConfList, with their label ids as events.
        .init(label: "\u{80}\u{3F}", event: 63), .init(label: "\u{80}\u{4D}", event: 77),
        .init(label: "\u{80}\u{39}", event: 57), .init(label: "\u{80}\u{4F}", event: 79),
    ])

    /// Sets 0–11 (reference §6.7): template positions, info index 300 + event.
    /// Sets 0–11 (reference §6.7): template positions, info index 300 + event (DND 19 → 363, DirTrfr 20 → 377,
    /// RmLstC 21 → 357, ConfList 22 → 379).
    static let expectedSets = SkinnyMessage.SoftKeySetRes(
        softKeySets: [
            [1, 2, 17, 18, 19],  // 0 On Hook: Redial, NewCall, PickUp, GPickUp, DND
            [3, 9, 4, 13, 14, 20, 15],  // 1 Connected: Hold, EndCall, Trnsfer, Confrn, Park, DirTrfr, Join
            [10, 2, 9, 20, 15],  // 2 On Hold: Resume, NewCall, EndCall, DirTrfr, Join
            [11],  // 3 Ring In: Answer
            [1, 9, 17, 18],  // 4 Off Hook: Redial, EndCall, PickUp, GPickUp
            [3, 9, 4],  // 5 Connected Transferable: Hold, EndCall, Trnsfer
            [8, 9],  // 6 Digits Following: «, EndCall
            [3, 9, 13, 22, 21],  // 7 Connected Conference: Hold, EndCall, Confrn, ConfList, RmLstC
            [9, 4],  // 8 Ring Out: EndCall, Trnsfer
            [1, 9],  // 9 Off Hook with Features
            [1, 2],  // 10 In Use Hint
            [1, 2],  // 11 On Hook with Stealable Call
        ].map { (positions: [UInt8]) in
            SkinnyMessage.SoftKeySetRes.SoftKeySet(
                keys: positions.map { position in
                    let events: [UInt8: UInt16] = [19: 63, 20: 77, 21: 57, 22: 79]
                    let event = events[position] ?? UInt16(position)
                    return .init(templateIndex: position, infoIndex: 300 + event)
                }
            )
        }
    )

    @Test func negotiatesTheHighestImplementedVersionNotAboveTheOffer() {
        var machine = DeviceSessionStateMachine()
        _ = machine.phone(Fixture.register(offering: 13))
        #expect(machine.protocolVersion == SkinnyProtocolVersion(11))

        var newer = DeviceSessionStateMachine()
        _ = newer.phone(Fixture.register(offering: 40))
        #expect(newer.protocolVersion == SkinnyProtocolVersion(22))

        var old = DeviceSessionStateMachine()
        _ = old.phone(Fixture.register(offering: 0))
        #expect(old.protocolVersion == SkinnyProtocolVersion(3))
    }

    @Test func anATAIsTalkedToAtVersion3WhateverItClaims() {
        var machine = DeviceSessionStateMachine()
        _ = machine.phone(Fixture.register(offering: 33, type: .ata186))
        #expect(machine.protocolVersion == SkinnyProtocolVersion(3))
    }

    @Test func configurationIsUsedInTheReplies() {
        let configuration = SessionConfiguration(
            keepAliveInterval: 45,
            secondaryKeepAliveInterval: 90,
            dateTemplate: "D.M.Y",
            serverName: "pbx-1",
            serverAddress: .ipv4(192, 0, 2, 7),
            serverPort: 2001
        )
        #expect(configuration.keepAliveTimeout == .seconds(90))
        var machine = DeviceSessionStateMachine(configuration: configuration)
        _ = machine.phone(Fixture.register(offering: 11))
        #expect(
            machine.core(.registrationAccepted(Fixture.name, Fixture.profile))
                == [
                    .send(
                        .registerAck(
                            .init(
                                keepAliveInterval: 45,
                                dateTemplate: "D.M.Y",
                                secondaryKeepAliveInterval: 90,
                                protocolVersion: 11
                            )
                        )
                    ),
                    .send(.capabilitiesReq),
                ]
        )
        #expect(
            machine.phone(.serverReq)
                == [.send(.serverRes(.init(servers: [.init(name: "pbx-1", port: 2001, address: .ipv4(192, 0, 2, 7))])))]
        )
        #expect(machine.phone(.versionReq) == [.send(.versionRes(.init(version: "P00308010200")))])
    }

    @Test func pipelinedRequestsAreEachAnsweredInTheOrderTheyCame() {
        var machine = DeviceSessionStateMachine.registered(offering: 5)
        // The segment the pyskinny client sent CM 2.x (call-flows §1 notes), one frame after another.
        var actions: [SessionAction] = []
        for message: StationMessage in [
            .buttonTemplateReq, .softKeyTemplateReq, .softKeySetReq, .configStatReq, .lineStatReq(.init(lineNumber: 1)),
            .forwardStatReq(.init(lineNumber: 1)), .registerAvailableLines(.init(maxNumberOfAvailableLines: 2)),
        ] {
            actions += machine.phone(message)
        }
        #expect(
            actions == [
                .send(.buttonTemplateRes(.init([(1, .line), (2, .line), (1, .speedDial)]))),
                .send(.softKeyTemplateRes(Self.expectedTemplate)),
                .send(.softKeySetRes(Self.expectedSets)),
                Expect.idleSoftKeys,
                .send(
                    .configStatRes(
                        .init(
                            deviceName: "SEP001122334455",
                            serverName: "Strowger",
                            numberOfLines: 2,
                            numberOfSpeedDials: 1
                        )
                    )
                ),
                .send(.lineStatRes(.init(lineNumber: 1, directoryNumber: "1001", fullyQualifiedDisplayName: "Alice"))),
                .send(.forwardStatRes(.init(activeForward: 0, lineNumber: 1))),
            ]
        )
    }

    @Test func requestsBeforeTheCoreAnswersWaitAndAreAnsweredAfterRegisterAck() {
        var machine = DeviceSessionStateMachine()
        _ = machine.phone(Fixture.register(offering: 5))
        #expect(machine.phone(.ipPort(.init(rtpMediaPort: 16384))) == [])
        #expect(machine.phone(.buttonTemplateReq) == [])
        #expect(machine.phone(.keepAlive) == [.send(.keepAliveAck)])
        #expect(machine.phone(.lineStatReq(.init(lineNumber: 1))) == [])
        #expect(
            machine.core(.registrationAccepted(Fixture.name, Fixture.profile))
                == [
                    .send(
                        .registerAck(
                            .init(
                                keepAliveInterval: 30,
                                dateTemplate: "M/D/YA",
                                secondaryKeepAliveInterval: 60,
                                protocolVersion: 5
                            )
                        )
                    ),
                    .send(.capabilitiesReq),
                    .send(.buttonTemplateRes(.init([(1, .line), (2, .line), (1, .speedDial)]))),
                    .send(
                        .lineStatRes(.init(lineNumber: 1, directoryNumber: "1001", fullyQualifiedDisplayName: "Alice"))
                    ),
                ]
        )
    }

    @Test func tooManyMessagesWhileRegisteringCloseTheConnection() {
        var machine = DeviceSessionStateMachine()
        _ = machine.phone(Fixture.register(offering: 5))
        for _ in 0..<64 {
            #expect(machine.phone(.versionReq) == [])
        }
        #expect(
            machine.phone(.versionReq)
                == [.forward(.deviceUnregistered(Fixture.name)), .close(.protocolViolation(.versionReq))]
        )
        #expect(machine.connectionClosed() == [])
    }

    @Test func rejectedRegistrationSendsRegisterRejectAndClosesWithoutReportingTheDevice() {
        var machine = DeviceSessionStateMachine()
        _ = machine.phone(Fixture.register(offering: 17))
        #expect(machine.phone(.buttonTemplateReq) == [])
        #expect(
            machine.core(.registrationRejected(Fixture.name, .unknownDevice))
                == [
                    .send(.registerReject(.init(text: "Unknown device"))),
                    .close(.registrationRejected(.unknownDevice)),
                ]
        )
        #expect(!machine.isRegistered)
        #expect(machine.isClosed)
        #expect(machine.phone(.keepAlive) == [])
        #expect(machine.connectionClosed() == [])
    }

    @Test(arguments: [
        (RegistrationRejection.unknownDevice, "Unknown device"),
        (.invalidDeviceName, "Invalid device name"),
        (.autoRegistrationRangeExhausted, "No free directory number"),
        (.alreadyRegistered, "Device already registered"),
    ])
    func rejectTextsFitRegisterReject(_ rejection: RegistrationRejection, _ text: String) {
        var machine = DeviceSessionStateMachine()
        _ = machine.phone(Fixture.register(offering: 11))
        #expect(
            machine.core(.registrationRejected(Fixture.name, rejection)).first
                == .send(.registerReject(.init(text: text)))
        )
        #expect(text.utf8.count <= 32)
    }

    @Test func aSecondRegisterIsAProtocolViolation() {
        var machine = DeviceSessionStateMachine.registered(offering: 11)
        #expect(
            machine.phone(Fixture.register(offering: 11))
                == [.forward(.deviceUnregistered(Fixture.name)), .close(.protocolViolation(.register))]
        )

        var pending = DeviceSessionStateMachine()
        _ = pending.phone(Fixture.register(offering: 11))
        #expect(
            pending.phone(Fixture.register(offering: 11))
                == [.forward(.deviceUnregistered(Fixture.name)), .close(.protocolViolation(.register))]
        )
    }

    @Test func unregisterIsAcknowledgedReportedAndClosed() {
        var machine = DeviceSessionStateMachine.registered(offering: 17)
        _ = machine.indicate(.offHook, call: 7)
        #expect(
            machine.phone(.unregister(.init()))
                == [
                    .send(.unregisterAck(.init(.ok))), .forward(.deviceUnregistered(Fixture.name)),
                    .close(.unregistered),
                ]
        )
        #expect(machine.connectionClosed() == [])
        #expect(machine.core(.indicate(Fixture.name, line: 1, call: 7, .cleared)) == [])
    }

    @Test func configurationChangeRestartsThePhoneAndServesTheNewProfile() {
        var machine = DeviceSessionStateMachine.registered(offering: 11)
        let profile = DeviceProfile(
            name: Fixture.name,
            lines: [LineAppearance(instance: 1, number: "2001", displayName: "")],
            speedDials: []
        )
        #expect(machine.core(.configurationChanged(Fixture.name, profile)) == [.send(.reset(.init(.restart)))])
        #expect(machine.isRegistered)
        #expect(machine.phone(.buttonTemplateReq) == [.send(.buttonTemplateRes(.init([(1, .line)])))])
    }

    @Test func removalFromTheDirectoryResetsAndClosesWithoutReportingBack() {
        var machine = DeviceSessionStateMachine.registered(offering: 11)
        #expect(
            machine.core(.unregister(Fixture.name, reason: .removedFromDirectory))
                == [.send(.reset(.init(.restart))), .close(.resetByServer)]
        )
        #expect(machine.connectionClosed() == [])
    }

    @Test func commandsForAnotherDeviceOrBeforeRegistrationAreIgnored() {
        var machine = DeviceSessionStateMachine()
        #expect(machine.core(.registrationAccepted(Fixture.name, Fixture.profile)) == [])
        _ = machine.phone(Fixture.register(offering: 11))
        #expect(machine.core(.registrationAccepted(Fixture.otherName, Fixture.profile)) == [])
        #expect(machine.core(.indicate(Fixture.name, line: 1, call: 1, .offHook)) == [])
        #expect(!machine.isRegistered)
        _ = machine.core(.registrationAccepted(Fixture.name, Fixture.profile))
        #expect(machine.core(.indicate(Fixture.otherName, line: 1, call: 1, .offHook)) == [])
        #expect(machine.core(.startTimer(TimerID(1, .offHook), after: .seconds(1))) == [])
        #expect(machine.core(.registrationAccepted(Fixture.name, Fixture.profile)) == [])
    }

    @Test func moreThan42ButtonsArePaged() {
        var machine = DeviceSessionStateMachine()
        _ = machine.phone(Fixture.register(offering: 17))
        let speedDials = (1...45).map { SpeedDial(index: UInt32($0), number: "2\($0)", label: "") }
        let profile = DeviceProfile(
            name: Fixture.name,
            lines: [LineAppearance(instance: 1, number: "1001", displayName: "")],
            speedDials: speedDials
        )
        _ = machine.core(.registrationAccepted(Fixture.name, profile))
        let first: [SkinnyMessage.ButtonTemplateRes.Button] =
            [.init(instanceNumber: 1, buttonType: .line)]
            + (1...41).map { .init(instanceNumber: UInt8($0), buttonType: .speedDial) }
        let second: [SkinnyMessage.ButtonTemplateRes.Button] = (42...45).map {
            .init(instanceNumber: UInt8($0), buttonType: .speedDial)
        }
        #expect(
            machine.phone(.buttonTemplateReq) == [
                .send(.buttonTemplateRes(.init(buttonOffset: 0, totalButtonCount: 46, buttons: first))),
                .send(.buttonTemplateRes(.init(buttonOffset: 42, totalButtonCount: 46, buttons: second))),
            ]
        )
    }

    @Test func requestsForButtonsTheDeviceDoesNotHaveGetEmptyAnswers() {
        var machine = DeviceSessionStateMachine.registered(offering: 11)
        #expect(
            machine.phone(.lineStatReq(.init(lineNumber: 9)))
                == [.send(.lineStatRes(.init(lineNumber: 9, directoryNumber: "")))]
        )
        #expect(
            machine.phone(.speedDialStatReq(.init(speedDialNumber: 9)))
                == [.send(.speedDialStatRes(.init(speedDialNumber: 9, directoryNumber: "", displayName: "")))]
        )
    }

    @Test func unregisterWhileRegisteringIsAnsweredAtOnce() {
        var machine = DeviceSessionStateMachine()
        _ = machine.phone(Fixture.register(offering: 11))
        #expect(
            machine.phone(.unregister(.init())) == [
                .send(.unregisterAck(.init(.ok))), .forward(.deviceUnregistered(Fixture.name)), .close(.unregistered),
            ]
        )
    }

    @Test func timeDateDuringACallDoesNotResetTheScreen() {
        var machine = DeviceSessionStateMachine.registered(offering: 5)
        _ = machine.indicate(.offHook, call: 9)
        #expect(
            machine.phone(.timeDateReq, now: .seconds(0))
                == [
                    .send(
                        .timeDateRes(
                            .init(
                                year: 1970,
                                month: 1,
                                dayOfWeek: 4,
                                day: 1,
                                hour: 0,
                                minute: 0,
                                second: 0,
                                systemTime: 0
                            )
                        )
                    )
                ]
        )
    }
}
