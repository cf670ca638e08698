import NIOCore
import NIOPosix
import SkinnyPhone
import SkinnyWire
import Testing

@Suite struct RTPTests {
    /// Opens a receive channel on `connection`'s phone and returns the ack.
    static func openReceiveChannel(
        _ connection: FakeConnection,
        call: UInt32,
        passThrough: UInt32,
        codec: SkinnyCodec = .g711ULaw64k
    ) async throws -> SkinnyMessage.OpenReceiveChannelAck {
        try await connection.send(
            .openReceiveChannel(
                .init(
                    conferenceID: call,
                    passThroughPartyID: passThrough,
                    packetSize: 20,
                    codec: codec,
                    callReference: call
                )
            )
        )
        let frame = try await connection.waitFor("OpenReceiveChannelAck") {
            if case .openReceiveChannelAck(let ack) = $0 { ack.passThroughPartyID == passThrough } else { false }
        }
        guard case .openReceiveChannelAck(let ack) = frame.message else { throw FakeError.timedOut("ack") }
        return ack
    }

    static func startMedia(
        _ connection: FakeConnection,
        call: UInt32,
        passThrough: UInt32,
        to ack: SkinnyMessage.OpenReceiveChannelAck,
        codec: SkinnyCodec = .g711ULaw64k
    ) async throws {
        try await connection.send(
            .startMediaTransmission(
                .init(
                    conferenceID: call,
                    passThroughPartyID: passThrough,
                    remoteAddress: ack.ipAddress,
                    remotePort: ack.port,
                    packetSize: 20,
                    codec: codec,
                    callReference: call
                )
            )
        )
    }

    @Test func twoPhonesExchangeRTPBothWays() async throws {
        let fake = try await FakeCallManager.start(group: testGroup)
        // One phone below v17 (4-byte addresses), one above (address blocks).
        let (alice, aliceCM) = try await registeredPhone(
            fake,
            .init(deviceName: deviceName(0x601), protocolVersion: 11)
        )
        let (bob, bobCM) = try await registeredPhone(fake, .init(deviceName: deviceName(0x602), protocolVersion: 17))
        try await aliceCM.send(.callState(.init(.connected, lineInstance: 1, callReference: 1)))
        try await bobCM.send(.callState(.init(.connected, lineInstance: 1, callReference: 2)))

        let aliceAck = try await Self.openReceiveChannel(aliceCM, call: 1, passThrough: 101)
        let bobAck = try await Self.openReceiveChannel(bobCM, call: 2, passThrough: 202)
        #expect(aliceAck.status == .ok && bobAck.status == .ok)
        #expect(aliceAck.ipAddress == .ipv4(127, 0, 0, 1) && bobAck.ipAddress == .ipv4(127, 0, 0, 1))
        #expect(aliceAck.callReference == 1 && bobAck.callReference == 2)
        #expect(aliceAck.port != 0 && bobAck.port != 0 && aliceAck.port != bobAck.port)

        try await Self.startMedia(aliceCM, call: 1, passThrough: 101, to: bobAck)
        try await Self.startMedia(bobCM, call: 2, passThrough: 202, to: aliceAck)
        #expect(try await alice.waitForRTP(packets: 10, callReference: 1) >= 10)
        #expect(try await bob.waitForRTP(packets: 10, callReference: 2) >= 10)

        let aliceState = try await alice.state()
        let bobState = try await bob.state()
        #expect(aliceState.calls[1]?.rtpPacketsSent ?? 0 >= 10)
        #expect(bobState.calls[2]?.rtpPacketsSent ?? 0 >= 10)
        #expect(aliceState.rtpPacketsInvalid == 0 && bobState.rtpPacketsInvalid == 0)
        #expect(aliceState.calls[1]?.transmittingTo == "127.0.0.1:\(bobAck.port)")
        #expect(aliceState.calls[1]?.isReceiving == true)

        // Hang-up stops everything: counts freeze.
        try await aliceCM.send(.callState(.init(.onHook, lineInstance: 1, callReference: 1)))
        try await alice.waitForIdle()
        let sentAtHangUp = try await alice.state().rtpPacketsSent
        try await Task.sleep(for: .milliseconds(200))
        #expect(try await alice.state().rtpPacketsSent == sentAtHangUp)
        try await alice.disconnect()
        try await bob.disconnect()
        try await fake.stop()
    }

    @Test func packetsCarryTheCodecsPayloadTypeSizeAndClock() async throws {
        let fake = try await FakeCallManager.start(group: testGroup)
        let (phone, connection) = try await registeredPhone(fake, .init(deviceName: deviceName(0x603)))
        let sink = try await PacketSink.start()
        let ack = try await Self.openReceiveChannel(connection, call: 5, passThrough: 55)
        try await connection.send(
            .startMediaTransmission(
                .init(
                    conferenceID: 5,
                    passThroughPartyID: 55,
                    remoteAddress: .ipv4(127, 0, 0, 1),
                    remotePort: UInt32(sink.port),
                    packetSize: 20,
                    codec: .g711ALaw64k,
                    callReference: 5
                )
            )
        )
        let packets = try await sink.waitFor(5)
        let headers = packets.compactMap { RTPHeader(parsing: $0.data) }
        #expect(headers.count == packets.count)
        #expect(headers.allSatisfy { $0.version == 2 && $0.payloadType == 8 })
        #expect(packets.allSatisfy { $0.data.readableBytes == RTPHeader.size + 160 })
        #expect(Set(headers.map(\.ssrc)).count == 1)
        for (earlier, later) in zip(headers, headers.dropFirst()) {
            #expect(later.sequenceNumber == earlier.sequenceNumber &+ 1)
            #expect(later.timestamp == earlier.timestamp &+ 160)
        }
        // Sent from the receive socket (symmetric RTP).
        #expect(packets.first?.remoteAddress.port == Int(ack.port))

        // StopMediaTransmission stops sending; the receive channel stays open until CloseReceiveChannel.
        try await connection.send(
            .stopMediaTransmission(.init(conferenceID: 5, passThroughPartyID: 55, callReference: 5))
        )
        // Wait until the phone has processed the stop (under load that can take a while), let a packet already on
        // the wire land, then no more may come.
        _ = try await phone.waitForState("transmission stopped") { state in
            state.calls.values.allSatisfy { $0.transmittingTo == nil } ? true : nil
        }
        // Packets already sent may still be on their way to the sink (a loaded machine delays its reads): wait until
        // the count has been still for 200 ms (at most 3 s; a phone still sending every 20 ms never gets there), then
        // no more may come.
        var stopped = try await sink.count()
        let settleDeadline = ContinuousClock.now + .seconds(3)
        while ContinuousClock.now < settleDeadline {
            try await Task.sleep(for: .milliseconds(200))
            let now = try await sink.count()
            if now == stopped { break }
            stopped = now
        }
        try await Task.sleep(for: .milliseconds(300))
        #expect(try await sink.count() == stopped)
        try await connection.send(
            .closeReceiveChannel(.init(conferenceID: 5, passThroughPartyID: 55, callReference: 5))
        )
        try await phone.disconnect()
        try await sink.close()
        try await fake.stop()
    }

    @Test func aWrongPayloadTypeCountsAsInvalid() async throws {
        let fake = try await FakeCallManager.start(group: testGroup)
        let (alice, aliceCM) = try await registeredPhone(fake, .init(deviceName: deviceName(0x604)))
        let (bob, bobCM) = try await registeredPhone(fake, .init(deviceName: deviceName(0x605)))
        let aliceAck = try await Self.openReceiveChannel(aliceCM, call: 1, passThrough: 1, codec: .g711ULaw64k)
        // Bob sends A-law (payload type 8) where Alice expects µ-law (0).
        try await Self.startMedia(bobCM, call: 2, passThrough: 2, to: aliceAck, codec: .g711ALaw64k)
        let invalid = try await alice.waitForState("invalid packets") { $0.rtpPacketsInvalid >= 3 ? $0 : nil }
        #expect(invalid.rtpPacketsReceived == 0)
        try await alice.disconnect()
        try await bob.disconnect()
        try await fake.stop()
    }

    @Test func withRTPDisabledReceiveChannelsAreStillAcknowledged() async throws {
        let fake = try await FakeCallManager.start(group: testGroup)
        let (phone, connection) = try await registeredPhone(
            fake,
            .init(deviceName: deviceName(0x606), protocolVersion: 22, rtp: .disabled)
        )
        let first = try await Self.openReceiveChannel(connection, call: 1, passThrough: 1)
        let second = try await Self.openReceiveChannel(connection, call: 2, passThrough: 2)
        #expect(first.status == .ok && first.port >= 16384 && first.port % 2 == 0)
        #expect(second.port != first.port)
        #expect(first.ipAddress == .ipv4(127, 0, 0, 1))
        try await Self.startMedia(connection, call: 1, passThrough: 1, to: second)
        try await Task.sleep(for: .milliseconds(100))
        #expect(try await phone.state().rtpPacketsSent == 0)
        try await phone.disconnect()
        try await fake.stop()
    }
}

/// A UDP socket that collects what arrives, for checking packets byte by byte.
final class PacketSink: Sendable {
    let channel: any Channel
    let port: Int
    private let collector: NIOLoopBound<Collector>

    final class Collector: ChannelInboundHandler {
        typealias InboundIn = AddressedEnvelope<ByteBuffer>
        var packets: [AddressedEnvelope<ByteBuffer>] = []
        var waiters: [(count: Int, promise: EventLoopPromise<[AddressedEnvelope<ByteBuffer>]>)] = []

        func channelRead(context: ChannelHandlerContext, data: NIOAny) {
            self.packets.append(self.unwrapInboundIn(data))
            let ready = self.waiters.filter { $0.count <= self.packets.count }
            self.waiters.removeAll { $0.count <= self.packets.count }
            for waiter in ready {
                waiter.promise.succeed(Array(self.packets.prefix(waiter.count)))
            }
        }
    }

    private init(channel: any Channel, collector: NIOLoopBound<Collector>) {
        self.channel = channel
        self.port = channel.localAddress?.port ?? 0
        self.collector = collector
    }

    static func start() async throws -> PacketSink {
        let loop = testGroup.next()
        let collector = try await loop.submit { NIOLoopBound(Collector(), eventLoop: loop) }.get()
        let channel = try await DatagramBootstrap(group: loop)
            .channelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.addHandler(collector.value)
                }
            }
            .bind(host: "127.0.0.1", port: 0)
            .get()
        return PacketSink(channel: channel, collector: collector)
    }

    func waitFor(_ count: Int, timeout: TimeAmount = .seconds(5)) async throws -> [AddressedEnvelope<ByteBuffer>] {
        let collector = self.collector
        let loop = self.channel.eventLoop
        return try await loop.flatSubmit {
            let value = collector.value
            if value.packets.count >= count {
                return loop.makeSucceededFuture(Array(value.packets.prefix(count)))
            }
            let promise = loop.makePromise(of: [AddressedEnvelope<ByteBuffer>].self)
            value.waiters.append((count, promise))
            loop.assumeIsolated().scheduleTask(in: timeout) { promise.fail(FakeError.timedOut("\(count) packets")) }
            return promise.futureResult
        }.get()
    }

    func count() async throws -> Int {
        let collector = self.collector
        return try await self.channel.eventLoop.submit { collector.value.packets.count }.get()
    }

    func close() async throws {
        try await self.channel.close()
    }
}

@Suite struct ConnectionStatisticsTests {
    @Test func statisticsReportTheCallsRTPCounts() async throws {
        let fake = try await FakeCallManager.start(group: testGroup)
        let (alice, aliceCM) = try await registeredPhone(fake, .init(deviceName: deviceName(0x607)))
        let (bob, bobCM) = try await registeredPhone(fake, .init(deviceName: deviceName(0x608)))
        try await aliceCM.send(.callState(.init(.connected, lineInstance: 1, callReference: 4)))
        let aliceAck = try await RTPTests.openReceiveChannel(aliceCM, call: 4, passThrough: 4)
        try await RTPTests.startMedia(bobCM, call: 8, passThrough: 8, to: aliceAck)
        try await alice.waitForRTP(packets: 5, callReference: 4)
        try await aliceCM.send(.connectionStatisticsReq(.init(directoryNumber: "1001", callReference: 4)))
        let frame = try await aliceCM.waitFor("ConnectionStatisticsRes") { $0.id == .connectionStatisticsRes }
        guard case .connectionStatisticsRes(let statistics) = frame.message else { return }
        #expect(statistics.callReference == 4)
        #expect(statistics.directoryNumber == "1001")
        #expect(statistics.packetsReceived >= 5)
        #expect(statistics.octetsReceived >= 5 * 160)
        try await alice.disconnect()
        try await bob.disconnect()
        try await fake.stop()
    }
}
