import CallControl
import NIOCore
import SkinnySession
import SkinnyWire
import Testing

/// Keepalive, closing, bad input, and what may come before Register (call-flows §1; design.md failure rules).
@Suite("Session lifecycle")
struct LifecycleTests {
    let gone = SessionAction.forward(.deviceUnregistered(Fixture.name))

    // MARK: Before Register

    @Test func keepAliveAndTokenRequestsAreAnsweredBeforeRegister() {
        var machine = DeviceSessionStateMachine()
        #expect(machine.phone(.keepAlive) == [.send(.keepAliveAck)])
        #expect(
            machine.phone(
                .registerTokenReq(
                    .init(deviceName: "SEP001122334455", stationIPAddress: .ipv4(10, 0, 0, 5), deviceType: 548)
                )
            )
                == [.send(.registerTokenAck)]
        )
        #expect(
            machine.phone(
                .spcpRegisterTokenReq(
                    .init(deviceName: "SEP001122334455", stationIPAddress: .ipv4(10, 0, 0, 5), deviceType: 80000)
                )
            )
                == [.send(.spcpRegisterTokenAck(.init()))]
        )
        #expect(machine.phone(.alarm(.init(severity: 2, text: "Name=SEP001122334455 Last=TCP-timeout"))) == [])
        #expect(!machine.isClosed)
        #expect(machine.phone(Fixture.register(offering: 11)) == [.forward(.deviceRegistered(Fixture.name, .unknown))])
    }

    @Test(arguments: [
        StationMessage.offHook(.init(lineInstance: 1, callReference: 0)), .buttonTemplateReq, .timeDateReq,
        .keypadButton(.init(.one)), .capabilitiesRes(.init(capabilities: [])),
        .unknown(SkinnyFrame(id: SkinnyMessageID(rawValue: 0x7777))),
    ])
    func anythingElseBeforeRegisterIsAProtocolViolation(_ message: StationMessage) {
        var machine = DeviceSessionStateMachine()
        #expect(machine.phone(message) == [.close(.protocolViolation(message.id))])
        #expect(machine.isClosed)
        #expect(machine.phone(Fixture.register(offering: 11)) == [])
        #expect(machine.connectionClosed() == [])
    }

    @Test func unregisterBeforeRegisterIsAcknowledgedAndClosed() {
        var machine = DeviceSessionStateMachine()
        #expect(machine.phone(.unregister(.init())) == [.send(.unregisterAck(.init(.ok))), .close(.unregistered)])
        #expect(machine.connectionClosed() == [])
    }

    // MARK: Keepalive

    @Test func keepAliveIsAlwaysAcknowledged() {
        var machine = DeviceSessionStateMachine.registered(offering: 22)
        _ = machine.indicate(.offHook, call: 1)
        for _ in 0..<3 {
            #expect(machine.phone(.keepAlive) == [.send(.keepAliveAck)])
        }
    }

    @Test func keepAliveExpiryReportsTheDeviceGoneOnce() {
        var machine = DeviceSessionStateMachine.registered(offering: 11)
        #expect(machine.keepAliveExpired() == [gone, .close(.keepAliveExpired)])
        #expect(machine.keepAliveExpired() == [])
        #expect(machine.connectionClosed() == [])
    }

    @Test func keepAliveExpiryBeforeRegister() {
        var machine = DeviceSessionStateMachine()
        #expect(machine.keepAliveExpired() == [.close(.keepAliveExpired)])
        #expect(machine.connectionClosed() == [])
    }

    /// A phone's standby connection (KeepAlives before any Register, at the secondary interval, 60 s) outlives the
    /// deadline of two primary intervals; once it registers, the deadline applies again.
    @Test func keepAliveExpiryLeavesAStandbyConnectionOpenUntilItRegisters() {
        var machine = DeviceSessionStateMachine()
        #expect(machine.phone(.keepAlive) == [.send(.keepAliveAck)])
        #expect(machine.keepAliveExpired() == [])
        #expect(machine.keepAliveExpired() == [])
        #expect(!machine.isClosed)
        _ = machine.phone(Fixture.register(offering: 11))
        #expect(machine.keepAliveExpired() == [gone, .close(.keepAliveExpired)])
    }

    @Test func keepAliveExpiryWhileRegistering() {
        var machine = DeviceSessionStateMachine()
        _ = machine.phone(Fixture.register(offering: 11))
        #expect(machine.keepAliveExpired() == [gone, .close(.keepAliveExpired)])
        // The core's late answer finds the session closed.
        #expect(machine.core(.registrationAccepted(Fixture.name, Fixture.profile)) == [])
        #expect(machine.connectionClosed() == [])
    }

    // MARK: Malformed frames

    @Test func aMalformedFrameCostsTheConnection() {
        var machine = DeviceSessionStateMachine.registered(offering: 17)
        // CapabilitiesRes claiming 200 entries where 18 fit (CVE-2007-4280's bug class).
        var body = ByteBuffer()
        body.writeInteger(UInt32(200), endianness: .little)
        let frame = SkinnyFrame(headerVersion: 17, id: .capabilitiesRes, body: body)
        let expectedError = SkinnyError.countOutOfRange(
            "capCount",
            count: 200,
            maximum: 18,
            messageID: .capabilitiesRes,
            body: body
        )
        #expect(machine.frameReceived(frame, now: Fixture.now) == [gone, .close(.malformedFrame(expectedError))])
        #expect(machine.isClosed)
        #expect(machine.frameReceived(frame, now: Fixture.now) == [])
        #expect(machine.connectionClosed() == [])
    }

    @Test func aMalformedFrameBeforeRegisterClosesWithoutReporting() {
        var machine = DeviceSessionStateMachine()
        var body = ByteBuffer()
        body.writeInteger(UInt32(19), endianness: .little)
        let actions = machine.frameReceived(SkinnyFrame(id: .capabilitiesRes, body: body), now: Fixture.now)
        #expect(actions.count == 1)
        if case .close(.malformedFrame(let error)) = actions.first {
            #expect(error.code == .countOutOfRange)
        } else {
            Issue.record("expected a close for a malformed frame, got \(actions)")
        }
    }

    // MARK: connectionClosed forwards deviceUnregistered exactly once

    @Test func connectionClosedBeforeRegisterForwardsNothing() {
        var machine = DeviceSessionStateMachine()
        #expect(machine.connectionClosed() == [])
        #expect(machine.connectionClosed() == [])
    }

    @Test func connectionClosedWhileRegisteringReportsTheDevice() {
        // The core may already have accepted; the host drops the report if the name is not this connection's.
        var machine = DeviceSessionStateMachine()
        _ = machine.phone(Fixture.register(offering: 11))
        #expect(machine.connectionClosed() == [gone])
        #expect(machine.connectionClosed() == [])
        #expect(machine.keepAliveExpired() == [])
    }

    @Test func connectionClosedWhenRegisteredReportsTheDeviceOnce() {
        var machine = DeviceSessionStateMachine.registered(offering: 22)
        _ = machine.indicate(.offHook, call: 1)
        #expect(machine.connectionClosed() == [gone])
        #expect(!machine.isRegistered)
        #expect(machine.connectionClosed() == [])
        #expect(machine.phone(.keepAlive) == [])
        #expect(machine.core(.indicate(Fixture.name, line: 1, call: 1, .cleared)) == [])
    }

    @Test func connectionClosedAfterEveryKindOfCloseForwardsNothing() {
        var afterUnregister = DeviceSessionStateMachine.registered(offering: 11)
        #expect(afterUnregister.phone(.unregister(.init())).contains(gone))
        #expect(afterUnregister.connectionClosed() == [])

        var afterReject = DeviceSessionStateMachine()
        _ = afterReject.phone(Fixture.register(offering: 11))
        #expect(!afterReject.core(.registrationRejected(Fixture.name, .alreadyRegistered)).contains(gone))
        #expect(afterReject.connectionClosed() == [])

        var afterRemoval = DeviceSessionStateMachine.registered(offering: 11)
        #expect(!afterRemoval.core(.unregister(Fixture.name, reason: .removedFromDirectory)).contains(gone))
        #expect(afterRemoval.connectionClosed() == [])

        var afterViolation = DeviceSessionStateMachine.registered(offering: 11)
        #expect(afterViolation.phone(Fixture.register(offering: 11)).contains(gone))
        #expect(afterViolation.connectionClosed() == [])
    }

    @Test func closeReasonsReadWellInLogs() {
        #expect(SessionCloseReason.keepAliveExpired.description == "keepalive expired")
        #expect(SessionCloseReason.unregistered.description == "unregistered by the phone")
        #expect(SessionCloseReason.resetByServer.description == "reset by the server")
        #expect(
            SessionCloseReason.registrationRejected(.unknownDevice).description
                == "registration rejected: Unknown device: not configured and auto-registration is off"
        )
        #expect(SessionCloseReason.protocolViolation(.offHook).description.hasPrefix("protocol violation: unexpected "))
    }
}
