import Foundation
import NIOCore
import ServerNIO
import SkinnyPhone
import SkinnyWire
import StrowgerApp
import Testing

/// Each class of attack that took down CUCM or another SCCP server, against a whole Strowger server on loopback.
/// After each, the server is clean (no leaked session, call, timer or media) and still places a call.
@Suite struct GuardCVETests {
    /// CVE-2007-1833: port scans and connect/close floods on TCP 2000 and 2443 (what `nmap -sT` does).
    ///
    /// The limit is the default's 16 connects, counted over a minute instead of 2 s: the ban must not depend on how
    /// fast a test process that shares two cores with the rest of the suite can connect.
    @Test func connectScansOfBothPorts() async throws {
        try await GuardServer.with(
            .configured { $0.guards.connectionRate = RateLimit(events: 16, per: .seconds(60)) }
        ) { server in
            for round in 0..<3 {
                for port in [server.sccpPort, server.sccpsPort] {
                    for _ in 0..<60 {
                        let client = try await RawClient.connect(port: port, from: "127.0.3.\(round + 1)")
                        await client.close()
                    }
                }
            }
            try await server.placeCall(0)
            try await server.waitUntilClean(registered: 0)
            try await server.waitForStatistics("the scanners banned") { $0[.connectionRateExceeded] == 3 }
        }
    }

    /// CVE-2006-5444 (Asterisk chan_skinny trusted the length field): lengths 0, 3, 8 KiB + 1, 2^31 and 2^32 − 1
    /// cost the sender its connection; length 4 is a KeepAlive and is answered.
    @Test(arguments: [0, 3, 8 * 1024 + 1, 1 << 31, UInt32.max] as [UInt32])
    func hostileLengthFields(length: UInt32) async throws {
        try await GuardServer.with { server in
            let client = try await RawClient.connect(port: server.sccpPort, from: "127.0.4.1")
            try await client.send(RawFrames.frame(id: 0, body: Array(repeating: 0x41, count: 64), length: length))
            #expect(try await client.waitForClose())
            try await server.waitForStatistics("malformed frame") { $0[.malformedFrame] == 1 }
            try await server.placeCall(0)
        }
    }

    @Test func lengthFourIsAKeepAlive() async throws {
        try await GuardServer.with { server in
            let client = try await RawClient.connect(port: server.sccpPort, from: "127.0.4.2")
            try await client.send(RawFrames.frame(id: 0, length: 4))
            try await client.waitFor(.keepAliveAck)
            #expect(!client.isClosed)
        }
    }

    /// CVE-2007-4280 (capability count past the array) and counts and instances past the button arrays.
    @Test func countsPastTheirArrays() async throws {
        try await GuardServer.with(
            .configured { $0.guards.connectionRate = RateLimit(events: 1_000, per: .seconds(2)) }
        ) {
            server in
            func capabilities(count: UInt32, entries: Int) -> [UInt8] {
                var body = RawFrames.littleEndian(count)
                for _ in 0..<entries {
                    body += RawFrames.littleEndian(4) + RawFrames.littleEndian(20) + Array(repeating: 0, count: 8)
                }
                return body
            }
            let hostile: [(SkinnyMessageID, [UInt8])] = [
                (.capabilitiesRes, capabilities(count: 0xFFFF_FFFF, entries: 1)),
                (.capabilitiesRes, capabilities(count: 19, entries: 19)),
                (.capabilitiesRes, capabilities(count: 1_000, entries: 2)),
                (.lineStatReq, RawFrames.littleEndian(0xFFFF_FFFF)),
                (.lineStatReq, RawFrames.littleEndian(43)),
                (.speedDialStatReq, RawFrames.littleEndian(0xFFFF_FFFF)),
                (.stimulus, RawFrames.littleEndian(9) + RawFrames.littleEndian(0xFFFF_FFFF)),
                (.softKeySetReq, []),
                (.buttonTemplateReq, Array(repeating: 0xFF, count: 64)),
            ]
            for (index, (id, body)) in hostile.enumerated() {
                let client = try await RawClient.connect(port: server.sccpPort, from: "127.0.5.1")
                try await client.register(Calls.deviceName(0xE00 + index))
                try await client.waitFor(.registerAck)
                // The hostile message may cost the connection before the KeepAlive goes out.
                try? await client.send(id: id, body: body)
                try? await client.send(id: .keepAlive)
                // Either the message is answered (harmlessly) or the sender loses its connection.
                try await Eventually.wait("an answer or a close") {
                    client.isClosed || RawFrames.ids(in: client.received).filter { $0 == .keepAliveAck }.count >= 1
                        ? () : nil
                }
                await client.close()
            }
            try await server.waitUntilClean(registered: 0)
            try await server.placeCall(0)
        }
    }

    /// CVE-2010-0587 class: crafted bodies for every phone message id (empty, short, all 0xFF, oversized), sent by a
    /// registered phone.
    @Test func craftedMessagesFromARegisteredPhone() async throws {
        try await GuardServer.with(
            .configured { $0.guards.connectionRate = RateLimit(events: 10_000, per: .seconds(2)) }
        ) {
            server in
            let ids: [UInt32] = Array(0x00...0x2F) + Array(0x40...0x4F) + [0x8000, 0x8001, 0xFFFF_FFFF]
            let bodies: [[UInt8]] = [[], [0x01], Array(repeating: 0xFF, count: 7), Array(repeating: 0xFF, count: 300)]
            var client = try await RawClient.connect(port: server.sccpPort, from: "127.0.6.1")
            var device = 0
            try await client.register(Calls.deviceName(0xD00))
            try await client.waitFor(.registerAck)
            for id in ids where id != 0x01 && id != 0x27 {
                for body in bodies {
                    if client.isClosed {
                        device += 1
                        client = try await RawClient.connect(port: server.sccpPort, from: "127.0.6.1")
                        try await client.register(Calls.deviceName(0xD00 + device))
                        try await client.waitFor(.registerAck)
                    }
                    // The server may already have closed it for the previous frame.
                    try? await client.send(RawFrames.frame(id: id, body: body))
                }
            }
            await client.close()
            try await server.waitUntilClean(registered: 0)
            try await server.placeCall(0)
        }
    }

    /// CVE-2012-2948 and CVE-2012-3553 (chan_skinny crashed on teardown): connections dropped while off-hook,
    /// while dialling, while ringing (callee and caller side) and while connected.
    @Test func closeWhileOffHookAndWhileRinging() async throws {
        try await GuardServer.with(
            .configured { $0.guards.connectionRate = RateLimit(events: 1_000, per: .seconds(2)) }
        ) {
            server in
            for round in 0..<3 {
                let base = 0x100 * (round + 1)
                // Off hook, then the connection drops.
                let (lonely, _) = try await server.registeredPhone(Calls.deviceName(base + 1))
                try await lonely.offHook()
                try await lonely.waitForCallState(.offHook, timeout: TestServer.timeout)
                try await lonely.abort()
                // The callee drops while ringing.
                let (caller, _) = try await server.registeredPhone(Calls.deviceName(base + 2))
                let (callee, calleeNumber) = try await server.registeredPhone(Calls.deviceName(base + 3))
                try await caller.offHook()
                try await caller.waitForCallState(.offHook, timeout: TestServer.timeout)
                try await caller.dial(calleeNumber)
                _ = try await callee.waitForRinging(timeout: TestServer.timeout)
                try await callee.abort()
                // The caller drops while the other rings; then the callee, mid-dial and connected.
                let (second, secondNumber) = try await server.registeredPhone(Calls.deviceName(base + 4))
                try await caller.onHook()
                try await caller.waitForIdle(timeout: TestServer.timeout)
                try await caller.offHook()
                try await caller.dial(String(secondNumber.prefix(2)))
                try await caller.abort()
                let (third, thirdNumber) = try await server.registeredPhone(Calls.deviceName(base + 5))
                try await second.offHook()
                try await second.dial(thirdNumber)
                _ = try await third.waitForRinging(timeout: TestServer.timeout)
                try await second.abort()
                try await third.waitForIdle(timeout: TestServer.timeout)
                try await third.disconnect()
                try await server.waitUntilClean(registered: 0)
            }
            try await server.placeCall(0)
        }
    }

    /// CVE-2012-2415 (chan_skinny overflowed its digit buffer): a keypad flood while off hook, below the message
    /// ceiling, then one above it.
    @Test func keypadFlood() async throws {
        try await GuardServer.with { server in
            let flooder = try await RawClient.connect(port: server.sccpPort, from: "127.0.7.1")
            try await flooder.register(Calls.deviceName(0x7001))
            try await flooder.waitFor(.registerAck)
            try await flooder.send(id: .offHook, body: RawFrames.littleEndian(1) + RawFrames.littleEndian(0))
            func digits(_ count: Int) -> [UInt8] {
                var bytes: [UInt8] = []
                for index in 0..<count {
                    bytes += RawFrames.frame(
                        id: SkinnyMessageID.keypadButton.rawValue,
                        body: RawFrames.littleEndian(UInt32(index % 10)) + RawFrames.littleEndian(1)
                            + RawFrames.littleEndian(0)
                    )
                }
                return bytes
            }
            try await flooder.send(digits(1_900))
            try await Task.sleep(for: .seconds(1))
            #expect(!flooder.isClosed)
            try await flooder.send(digits(1_000))
            #expect(try await flooder.waitForClose())
            try await server.waitForStatistics("the ceiling") { $0[.messageRateExceeded] == 1 }
            try await server.waitUntilClean(registered: 0)
            try await server.placeCall(0)
        }
    }

    /// CVE-2011-1507 (unlimited unauthenticated sessions): idle connections beyond the cap are refused, the rest are
    /// closed at the Register deadline, and phones register throughout.
    @Test func unauthenticatedSessionsAreBounded() async throws {
        try await GuardServer.with(
            .configured {
                $0.guards.maximumUnregisteredConnections = 40
                $0.guards.registerTimeout = .seconds(5)
            }
        ) { server in
            // All at once, so that the cap is reached before the first deadline even on a loaded machine.
            let idle = try await RawClient.connectAtOnce(60, port: server.sccpPort) { "127.0.8.\($0 / 15 + 1)" }
            for client in idle { #expect(try await client.waitForClose()) }
            let statistics = try await server.waitForStatistics("the cap and the deadline") {
                $0[.unregisteredConnectionLimit] + $0[.registerTimeout] == 60 && $0.unregisteredConnections == 0
            }
            #expect(statistics[.unregisteredConnectionLimit] >= 1)
            #expect(statistics[.registerTimeout] >= 40)
            try await server.placeCall(0)
        }
    }

    /// CVE-2011-4486 class: crafted registrations. Each is refused or costs only its own connection.
    @Test func craftedRegistrations() async throws {
        try await GuardServer.with(
            .configured {
                $0.autoRegistration = true
                $0.guards.connectionRate = RateLimit(events: 1_000, per: .seconds(2))
            }
        ) { server in
            var crafted: [[UInt8]] = [
                RawFrames.register(""),
                RawFrames.register("NOTAPHONE"),
                RawFrames.register("SEP0011223344556677889900"),
                RawFrames.register("SEP001122334455", version: 0),
                RawFrames.register("SEP001122334456", version: 255),
                RawFrames.register("SEP001122334457", deviceType: 0xFFFF_FFFF),
                RawFrames.frame(id: 0x01, body: [0x53, 0x45, 0x50]),
                RawFrames.frame(id: 0x01, body: Array(repeating: 0x41, count: 16) + Array(repeating: 0xFF, count: 60)),
                RawFrames.frame(id: 0x01, body: Array(repeating: 0xFF, count: 8_000)),
                // Register twice on one connection.
                RawFrames.register("SEP001122334458") + RawFrames.register("SEP001122334459"),
            ]
            // The same name from two connections at once.
            crafted.append(RawFrames.register("SEP00112233445A"))
            crafted.append(RawFrames.register("SEP00112233445A"))
            var clients: [RawClient] = []
            for bytes in crafted {
                let client = try await RawClient.connect(port: server.sccpPort, from: "127.0.9.1")
                try await client.send(bytes)
                clients.append(client)
            }
            try await Task.sleep(for: .seconds(1))
            for client in clients { await client.close() }
            try await server.waitUntilClean(registered: 0)
            try await server.placeCall(0)
        }
    }
}
