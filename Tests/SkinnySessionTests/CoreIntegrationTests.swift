import CallControl
import NIOCore
import SkinnySession
import SkinnyWire
import Testing

/// Two sessions wired to a real CallControl core, the way CallRuntime's host does it: forwarded events go to the
/// core, device commands come back to the session of that device. Checks that the two machines fit together.
@Suite("Sessions with the CallControl core")
struct CoreIntegrationTests {
    struct Exchange {
        var core = CallControlCore(
            directory: Directory(devices: [
                DeviceConfiguration(name: "SEP0000000000A1", lines: ["1001"]),
                DeviceConfiguration(name: "SEP0000000000B2", lines: ["1002"]),
            ])
        )
        var sessions: [DeviceName: DeviceSessionStateMachine] = [:]
        /// Everything each phone was sent, in order.
        var sent: [DeviceName: [CallManagerMessage]] = [:]

        mutating func connect(_ name: DeviceName, offering version: UInt8) {
            self.sessions[name] = DeviceSessionStateMachine()
            self.phone(
                name,
                .register(
                    SkinnyMessage.Register(
                        deviceName: name.rawValue,
                        deviceType: .station7960,
                        protocolVersion: version
                    )
                )
            )
        }

        mutating func phone(_ name: DeviceName, _ message: StationMessage) {
            guard var session = self.sessions[name] else { return }
            let actions = session.frameReceived(message.frame(version: session.protocolVersion), now: Fixture.now)
            self.sessions[name] = session
            self.run(actions, for: name)
        }

        mutating func run(_ actions: [SessionAction], for name: DeviceName) {
            for action in actions {
                switch action {
                case .send(let message):
                    self.sent[name, default: []].append(message)
                case .forward(let event):
                    for command in self.core.handle(event, at: Fixture.now) {
                        self.deliver(command)
                    }
                case .close:
                    self.sessions[name] = nil
                }
            }
        }

        /// Routes `command` as the runtime does (``CallCommand/route``): endpoint commands to the owner's session.
        mutating func deliver(_ command: CallCommand) {
            guard let target = command.route.sessionOwner?.deviceName, var session = self.sessions[target] else {
                return
            }
            let actions = session.commandReceived(command, now: Fixture.now)
            self.sessions[target] = session
            self.run(actions, for: target)
        }

        /// Takes what `name` was sent since the last call.
        mutating func drain(_ name: DeviceName) -> [CallManagerMessage] {
            defer { self.sent[name] = [] }
            return self.sent[name] ?? []
        }
    }

    let a: DeviceName = "SEP0000000000A1"
    let b: DeviceName = "SEP0000000000B2"

    @Test func aCallFromAV5PhoneToAV17Phone() {
        var exchange = Exchange()
        exchange.connect(a, offering: 5)
        exchange.connect(b, offering: 17)
        #expect(exchange.sessions[a]?.isRegistered == true)
        #expect(exchange.sessions[b]?.isRegistered == true)
        #expect(exchange.drain(a).first.map(\.id) == .registerAck)
        _ = exchange.drain(b)

        // A lifts the handset and dials 1002.
        exchange.phone(a, .offHook(.init(lineInstance: 1, callReference: 0)))
        let offHook = exchange.drain(a)
        #expect(offHook.contains(.startTone(.init(.insideDialTone, lineInstance: 1, callReference: 1))))
        for key: SkinnyKeypadButton in [.one, .zero, .zero, .two] {
            exchange.phone(a, .keypadButton(.init(key, lineInstance: 1, callReference: 1)))
        }
        let dialled = exchange.drain(a)
        #expect(dialled.contains(.callState(.init(.ringOut, lineInstance: 1, callReference: 1))))
        #expect(dialled.contains(.startTone(.init(.alerting, lineInstance: 1, callReference: 1))))
        let ring = exchange.drain(b)
        #expect(ring.contains(.callState(.init(.ringIn, lineInstance: 1, callReference: 2))))
        #expect(ring.contains(.setRinger(.init(.inside, duration: .normal, lineInstance: 1, callReference: 2))))
        #expect(ring.contains { $0.id == .callInfoV2 })

        // B answers with the Answer softkey; both phones are asked to open a receive channel.
        exchange.phone(b, .softKeyEvent(.init(.answer, lineInstance: 1, callReference: 2)))
        let answeredB = exchange.drain(b)
        let answeredA = exchange.drain(a)
        #expect(answeredB.contains(.callState(.init(.connected, lineInstance: 1, callReference: 2))))
        #expect(answeredA.contains(.callState(.init(.connected, lineInstance: 1, callReference: 1))))
        guard case .openReceiveChannel(let openB)? = answeredB.last(where: { $0.id == .openReceiveChannel }),
            case .openReceiveChannel(let openA)? = answeredA.last(where: { $0.id == .openReceiveChannel })
        else {
            Issue.record("no OpenReceiveChannel: A \(answeredA), B \(answeredB)")
            return
        }

        // Each ack makes the *other* phone transmit to the acking phone's address.
        exchange.phone(
            a,
            .openReceiveChannelAck(
                .init(
                    ipAddress: .ipv4(10, 0, 0, 1),
                    port: 16384,
                    passThroughPartyID: openA.passThroughPartyID,
                    callReference: 1
                )
            )
        )
        exchange.phone(
            b,
            .openReceiveChannelAck(
                .init(
                    ipAddress: .ipv4(10, 0, 0, 2),
                    port: 20000,
                    passThroughPartyID: openB.passThroughPartyID,
                    callReference: 2
                )
            )
        )
        let mediaB = exchange.drain(b)
        let mediaA = exchange.drain(a)
        guard case .startMediaTransmission(let toA)? = mediaB.first,
            case .startMediaTransmission(let toB)? = mediaA.first
        else {
            Issue.record("no StartMediaTransmission: A \(mediaA), B \(mediaB)")
            return
        }
        #expect(toA.remoteAddress == .ipv4(10, 0, 0, 1))
        #expect(toA.remotePort == 16384)
        #expect(toB.remoteAddress == .ipv4(10, 0, 0, 2))
        #expect(toB.remotePort == 20000)

        // A hangs up (a v5 phone naming its call); both return to idle.
        exchange.phone(a, .onHook(.init(lineInstance: 1, callReference: 1)))
        let clearedA = exchange.drain(a)
        let clearedB = exchange.drain(b)
        #expect(clearedA.first?.id == .closeReceiveChannel)
        #expect(clearedA.contains(.callState(.init(.onHook, lineInstance: 1, callReference: 1))))
        #expect(clearedA.last == .displayPromptStatus(.init("\u{80}\u{13}", lineInstance: 0, callReference: 0)))
        #expect(clearedB.contains(.callState(.init(.onHook, lineInstance: 1, callReference: 2))))
        #expect(clearedB.last == .displayPromptStatusV2(.init("\u{80}\u{13}", lineInstance: 0, callReference: 0)))
        #expect(exchange.core.activeCallCount == 0)

        // B's connection drops: the core forgets it, exactly once.
        if var session = exchange.sessions[b] {
            let actions = session.connectionClosed()
            #expect(actions == [.forward(.deviceUnregistered(b))])
            exchange.run(actions, for: b)
        }
        #expect(exchange.core.registeredDeviceCount == 1)
    }

    @Test func onHookWithoutLineOrCallFromANewerPhoneEndsTheActiveCall() {
        var exchange = Exchange()
        exchange.connect(a, offering: 22)
        exchange.connect(b, offering: 22)
        exchange.phone(a, .enblocCall(.init(calledParty: "1002", lineInstance: 1)))
        exchange.phone(b, .offHook(.init()))
        #expect(exchange.core.activeCallCount == 1)
        _ = exchange.drain(a)
        exchange.phone(b, .onHook(.init()))
        #expect(exchange.core.activeCallCount == 0)
        #expect(exchange.drain(a).contains(.callState(.init(.onHook, lineInstance: 1, callReference: 1))))
    }
}
