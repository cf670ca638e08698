import CallControl
import CallRuntime
import Logging
import NIOCore
import NIOEmbedded
import ServerNIO
import SkinnySession
import SkinnyWire

/// Feeds one fuzzer input to registered SCCP sessions: the whole per-connection pipeline (frame decoder, encoder,
/// connection guard, keepalive, session handler) of three phones on `EmbeddedChannel`s, sharing one CallControl
/// host on the same embedded loop. Compiled both into ServerNIOTests (the crasher replay) and, through a symbolic
/// link, into FuzzTesting's FuzzSkinnySession target, so both run exactly this code.
///
/// Input layout, read one operation at a time until it runs out:
/// - byte `op`, then by `op % 8`:
///   - 0: raw bytes for a phone: `phone`, `count`, then `count` bytes (split frames, garbage, hostile lengths);
///   - 1: one frame with an id from ``frameIDs``: `phone`, `id index`, `count`, `count` body bytes;
///   - 2, 3, 4: one well-formed phone action (off hook, on hook, digits, dial another phone, soft keys, answer,
///     media acknowledgements, line buttons): `phone`, `action`, `argument`;
///   - 5: time passes: `tenths of a second` (timers fire: dial tone, no answer, keepalive, Register deadline);
///   - 6: a phone's connection drops (one byte, unused) and a new connection registers the same name;
///   - 7: a second connection registers a phone's name while the first lives (take-over).
///
/// At the end every connection closes and the loop runs for an hour of virtual time. Then each name must register
/// again on a fresh connection and be acknowledged: a session the host forgot to release (the teardown bugs of
/// CVE-2012-2948 and CVE-2012-3553) would make that registration fail. Any trap, and any failed check, is a crash.
public enum SessionFuzzInput {
    /// The message ids of op 1: every phone message the session handles, and a few it does not.
    static let frameIDs: [UInt32] =
        Array(0x00...0x2F) + Array(0x40...0x4F) + [0x80, 0x81, 0x111, 0x8000, 0xFFFF_FFFF]

    static let names = ["SEP00000000F001", "SEP00000000F002", "SEP00000000F003"]
    static let numbers = ["4001", "4002", "4003"]

    /// A failed end-of-input check.
    struct CheckFailed: Error, CustomStringConvertible {
        let description: String
    }

    /// Runs `input`; throws when an end-of-input check fails (the fuzzer turns that into a crash). Returns the ids
    /// of every message the server sent, so that tests can see how deep an input went.
    @discardableResult
    public static func run(_ input: [UInt8]) throws -> Set<UInt32> {
        var sent: Set<UInt32> = []
        var reader = Reader(bytes: input)
        let loop = EmbeddedEventLoop()
        let host = Self.makeHost(loop: loop)
        let listenerGuard = ListenerGuard(
            service: "fuzz",
            configuration: ConnectionGuardConfiguration(),
            logger: Logger(label: "fuzz", factory: { _ in SwiftLogNoOpLogHandler() }),
            now: { .now() }
        )
        var phones: [EmbeddedChannel] = []
        var retired: [EmbeddedChannel] = []
        for index in names.indices {
            phones.append(try Self.connect(names[index], host: host, listenerGuard: listenerGuard, loop: loop))
        }
        var operations = 0
        while let op = reader.byte(), operations < 400 {
            operations += 1
            let which = Int(reader.byte() ?? 0) % phones.count
            let phone = phones[which]
            switch op % 8 {
            case 0:
                let count = Int(reader.byte() ?? 0)
                Self.deliver(ByteBuffer(bytes: reader.bytes(count)), to: phone)
            case 1:
                let id = Self.frameIDs[Int(reader.byte() ?? 0) % Self.frameIDs.count]
                let count = Int(reader.byte() ?? 0)
                Self.deliver(Self.frame(id: id, body: reader.bytes(count)), to: phone)
            case 2, 3, 4:
                let action = reader.byte() ?? 0
                let argument = reader.byte() ?? 0
                Self.deliver(Self.action(action, argument: argument, caller: which), to: phone)
            case 5:
                loop.advanceTime(by: .milliseconds(100 * Int64(reader.byte() ?? 0)))
            case 6:
                _ = reader.byte()
                _ = try? phone.close().wait()
                retired.append(phone)
                phones[which] = try Self.connect(names[which], host: host, listenerGuard: listenerGuard, loop: loop)
            default:
                retired.append(phone)
                phones[which] = try Self.connect(names[which], host: host, listenerGuard: listenerGuard, loop: loop)
            }
            loop.run()
            for channel in phones + retired { sent.formUnion(Self.drain(channel)) }
        }
        for channel in phones + retired where channel.isActive {
            _ = try? channel.close().wait()
        }
        loop.run()
        loop.advanceTime(by: .hours(1))
        loop.run()
        // Every name registers again on a fresh connection.
        for name in names {
            let channel = try Self.connect(name, host: host, listenerGuard: listenerGuard, loop: loop, drain: false)
            loop.run()
            guard Self.drain(channel).contains(SkinnyMessageID.registerAck.rawValue) else {
                throw CheckFailed(description: "\(name) could not register again after every connection closed")
            }
            _ = try? channel.close().wait()
            loop.run()
        }
        _ = try? loop.syncShutdownGracefully()
        return sent
    }

    static func makeHost(loop: EmbeddedEventLoop) -> CallControlHost {
        var settings = CallControlSettings()
        settings.autoRegistration.isEnabled = false
        let directory = Directory(
            devices: names.indices.map { index in
                DeviceConfiguration(
                    name: DeviceName(names[index]),
                    lines: [DirectoryNumber(numbers[index])],
                    speedDials: [SpeedDial(index: 1, number: numbers[(index + 1) % numbers.count], label: "next")]
                )
            },
            lines: numbers.map {
                LineConfiguration(number: DirectoryNumber($0), displayName: "", maxCalls: 2, busyTrigger: 2)
            },
            settings: settings
        )
        return CallControlHost(
            core: CallControlCore(directory: directory),
            configuration: .init(keepAliveInterval: .seconds(30)),
            eventLoop: loop,
            logger: Logger(label: "fuzz", factory: { _ in SwiftLogNoOpLogHandler() })
        )
    }

    /// A new connection for `name`, with the listener's pipeline, registered (unless `drain` is false, RegisterAck
    /// and the registration burst are drained).
    static func connect(
        _ name: String,
        host: CallControlHost,
        listenerGuard: ListenerGuard,
        loop: EmbeddedEventLoop,
        drain: Bool = true
    ) throws -> EmbeddedChannel {
        let channel = EmbeddedChannel(loop: loop)
        let initializer = SCCPSessionInitializer(
            host: host,
            sessionConfiguration: SessionConfiguration(),
            logger: Logger(label: "fuzz", factory: { _ in SwiftLogNoOpLogHandler() }),
            counters: listenerGuard.counters
        )
        try SCCPListener.addConnectionHandlers(
            to: channel,
            connectionGuard: listenerGuard,
            now: { [loop] in loop.now },
            sessionInitializer: { try initializer.initialize($0) }
        )
        channel.remoteAddress = try SocketAddress(ipAddress: "192.0.2.10", port: 50_000)
        try channel.connect(to: SocketAddress(ipAddress: "192.0.2.1", port: 2000)).wait()
        var register = ByteBuffer()
        register.writeSkinnyFrame(
            StationMessage.register(
                SkinnyMessage.Register(deviceName: name, deviceType: .station7960, protocolVersion: 11)
            ).frame(version: .v3)
        )
        Self.deliver(register, to: channel)
        loop.run()
        if drain {
            Self.drain(channel)
        }
        return channel
    }

    static func deliver(_ bytes: ByteBuffer, to channel: EmbeddedChannel) {
        guard channel.isActive else { return }
        // Errors (a framing error, a closed channel) end the connection, as they would on a socket.
        _ = try? channel.writeInbound(bytes)
        _ = try? channel.throwIfErrorCaught()
    }

    /// Reads and discards what the server sent; returns the message ids.
    @discardableResult
    static func drain(_ channel: EmbeddedChannel) -> [UInt32] {
        var ids: [UInt32] = []
        while let buffer = try? channel.readOutbound(as: ByteBuffer.self) {
            var buffer = buffer
            while let (length, _, id) = buffer.readMultipleIntegers(
                endianness: .little,
                as: (UInt32, UInt32, UInt32).self
            ) {
                ids.append(id)
                buffer.moveReaderIndex(forwardBy: min(buffer.readableBytes, Int(length) - 4))
            }
        }
        _ = try? channel.readInbound(as: SkinnyFrame.self)
        return ids
    }

    static func frame(id: UInt32, body: [UInt8]) -> ByteBuffer {
        var buffer = ByteBuffer()
        buffer.writeMultipleIntegers(UInt32(4 + body.count), UInt32(0), id, endianness: .little)
        buffer.writeBytes(body)
        return buffer
    }

    static func frame(_ id: UInt32, _ words: UInt32...) -> ByteBuffer {
        var body: [UInt8] = []
        for word in words { body += withUnsafeBytes(of: word.littleEndian) { Array($0) } }
        return frame(id: id, body: body)
    }

    /// A well-formed phone action; line and call references come from `argument` so that they sometimes match
    /// the live call and sometimes do not.
    static func action(_ action: UInt8, argument: UInt8, caller: Int) -> ByteBuffer {
        let line = UInt32(argument % 3)
        let call = UInt32(argument >> 2) % 4 == 0 ? 0 : UInt32(argument >> 2)
        switch action % 12 {
        case 0: return frame(0x06, line, call)  // OffHook
        case 1: return frame(0x07, line, call)  // OnHook
        case 2: return frame(0x03, UInt32(argument % 16), line, call)  // KeypadButton
        case 3:
            // Dial another phone's number, digit by digit.
            let number = numbers[(caller + 1 + Int(argument % 2)) % numbers.count]
            var bytes = ByteBuffer()
            for digit in number.utf8 {
                var one = frame(0x03, UInt32(digit - 48), line, call)
                bytes.writeBuffer(&one)
            }
            return bytes
        case 4:
            // EnblocCall with another phone's number.
            let number = numbers[(caller + 1 + Int(argument % 2)) % numbers.count]
            return frame(id: 0x04, body: Array(number.utf8) + Array(repeating: 0, count: 24 - number.utf8.count))
        case 5: return frame(0x26, UInt32(argument % 20), line, call)  // SoftKeyEvent
        case 6: return frame(0x05, UInt32(argument % 0x7F), line, call)  // Stimulus
        case 7:
            // OpenReceiveChannelAck (v11 layout: status, address, port, pass-through party, call).
            return frame(
                0x22,
                UInt32(argument & 1),
                0x0100_007F,
                20_000 + UInt32(argument),
                UInt32(argument >> 1),
                call
            )
        case 8: return frame(0x1E, UInt32(argument % 4))  // (reserved id range, as a stray message)
        case 9: return frame(0x0A, UInt32(argument % 4))  // SpeedDialStatReq
        case 10: return frame(0x0B, UInt32(argument % 4))  // LineStatReq
        default: return frame(0x24, line, call)  // OffHookWithCallingPartyNumber
        }
    }

    struct Reader {
        let bytes: [UInt8]
        var position = 0

        mutating func byte() -> UInt8? {
            guard self.position < self.bytes.count else { return nil }
            defer { self.position += 1 }
            return self.bytes[self.position]
        }

        mutating func bytes(_ count: Int) -> [UInt8] {
            let end = min(self.bytes.count, self.position + count)
            defer { self.position = end }
            return Array(self.bytes[self.position..<end])
        }
    }
}
