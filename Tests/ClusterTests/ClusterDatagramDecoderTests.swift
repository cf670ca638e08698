import Cluster
import NIOCore
import Testing

@Suite("Cluster datagram decoder: each reason a datagram is dropped")
struct ClusterDatagramDecoderTests {
    private func decode(
        _ datagram: ByteBuffer,
        now: ClusterTimestamp = Fixtures.now
    ) -> Result<ClusterMessage, ClusterDatagramRejection> {
        var decoder = Fixtures.decoder()
        return decoder.decode(datagram, now: now)
    }

    @Test("A heartbeat from a peer, signed with the secret and on time, is accepted")
    func accepted() throws {
        let message = try self.decode(Fixtures.heartbeat()).get()
        #expect(message.sender == Fixtures.beta)
        #expect(message.body == .heartbeat(.init(interval: .seconds(2), registeredDevices: 7, activeCalls: 3)))
    }

    @Test(
        "Anything shorter than the smallest datagram is too short",
        arguments: [0, 1, 20, ClusterLimits.minimumDatagramSize - 1]
    )
    func tooShort(size: Int) {
        #expect(self.decode(ByteBuffer(bytes: Array(repeating: 1, count: size))) == .failure(.tooShort))
    }

    @Test("Anything longer than one Ethernet payload is too long")
    func tooLong() {
        let datagram = ByteBuffer(bytes: Array(repeating: 1, count: ClusterLimits.maximumDatagramSize + 1))
        #expect(self.decode(datagram) == .failure(.tooLong))
    }

    @Test("Another version byte is a bad version, whatever follows", arguments: [0, 2, 0xFF] as [UInt8])
    func badVersion(version: UInt8) {
        var datagram = Fixtures.heartbeat()
        datagram.setInteger(version, at: datagram.readerIndex)
        #expect(self.decode(datagram) == .failure(.badVersion))
    }

    @Test("A datagram signed with another secret is a bad tag")
    func wrongSecret() {
        #expect(self.decode(Fixtures.heartbeat(secret: Fixtures.otherSecret)) == .failure(.badTag))
    }

    @Test("Changing any byte after the version breaks the tag")
    func tampered() {
        let original = Fixtures.heartbeat()
        for offset in 1..<original.readableBytes {
            var datagram = original
            let byte = datagram.getInteger(at: offset, as: UInt8.self)!
            datagram.setInteger(byte ^ 0x01, at: offset)
            #expect(self.decode(datagram) == .failure(.badTag), "byte \(offset)")
        }
    }

    @Test("A datagram cut short or lengthened no longer verifies")
    func truncatedOrExtended() {
        var datagram = Fixtures.heartbeat()
        let truncated = datagram.getSlice(at: 0, length: datagram.readableBytes - 1)!
        #expect(self.decode(truncated) == .failure(.badTag))
        datagram.writeInteger(UInt8(0))
        #expect(self.decode(datagram) == .failure(.badTag))
    }

    @Test("A well-signed datagram from a node that is not a peer is an unknown node")
    func unknownNode() {
        let stranger = ClusterNodeName("stranger")!
        #expect(self.decode(Fixtures.heartbeat(from: stranger)) == .failure(.unknownNode))
    }

    @Test("A datagram naming one peer from another peer's address is refused without moving the named one's window")
    func wrongSender() {
        var decoder = Fixtures.decoder()
        let claimsBeta = Fixtures.heartbeat(from: Fixtures.beta, sequence: .max)
        #expect(decoder.decode(claimsBeta, now: Fixtures.now, expectedSender: Fixtures.gamma) == .failure(.wrongSender))
        #expect(
            (try? decoder.decode(Fixtures.heartbeat(sequence: 5), now: Fixtures.now, expectedSender: Fixtures.beta)
                .get()) != nil
        )
    }

    @Test("This node's own datagram reflected back is an unknown node")
    func reflected() {
        var decoder = ClusterDatagramDecoder(secret: Fixtures.secret, peers: [Fixtures.beta])
        #expect(decoder.decode(Fixtures.heartbeat(from: Fixtures.alpha), now: Fixtures.now) == .failure(.unknownNode))
    }

    @Test(
        "Clock skew up to the tolerance either way is accepted; beyond it the timestamp is outside the window",
        arguments: [
            (-30_000, true), (30_000, true), (-29_999, true), (0, true),
            (-30_001, false), (30_001, false), (-86_400_000, false),
        ] as [(Int64, Bool)]
    )
    func clockSkew(skewMilliseconds: Int64, accepted: Bool) {
        let sent = ClusterTimestamp(milliseconds: Fixtures.now.milliseconds + skewMilliseconds)
        let result = self.decode(Fixtures.heartbeat(at: sent))
        if accepted {
            #expect((try? result.get()) != nil)
        } else {
            #expect(result == .failure(.timestampOutsideWindow))
        }
    }

    @Test("Timestamps at the ends of Int64 do not trap")
    func extremeTimestamps() {
        for milliseconds in [Int64.min, .max] {
            let datagram = Fixtures.heartbeat(at: ClusterTimestamp(milliseconds: milliseconds))
            #expect(self.decode(datagram) == .failure(.timestampOutsideWindow))
            #expect(
                self.decode(Fixtures.heartbeat(), now: ClusterTimestamp(milliseconds: milliseconds))
                    == .failure(.timestampOutsideWindow)
            )
        }
    }

    @Test("The same datagram twice is a replay the second time")
    func replayed() {
        var decoder = Fixtures.decoder()
        let datagram = Fixtures.heartbeat(sequence: 100)
        #expect((try? decoder.decode(datagram, now: Fixtures.now).get()) != nil)
        #expect(decoder.decode(datagram, now: Fixtures.now) == .failure(.replayed))
    }

    @Test("Datagrams reordered within the window are each accepted once; below the window they are too old")
    func reordering() {
        var decoder = Fixtures.decoder()
        for sequence: UInt64 in [1_000, 998, 1_001, 999, 938] {
            #expect((try? decoder.decode(Fixtures.heartbeat(sequence: sequence), now: Fixtures.now).get()) != nil)
        }
        #expect(decoder.decode(Fixtures.heartbeat(sequence: 999), now: Fixtures.now) == .failure(.replayed))
        #expect(decoder.decode(Fixtures.heartbeat(sequence: 1_001), now: Fixtures.now) == .failure(.replayed))
        #expect(decoder.decode(Fixtures.heartbeat(sequence: 938), now: Fixtures.now) == .failure(.replayed))
        // 1,001 − 64: just below the window.
        #expect(decoder.decode(Fixtures.heartbeat(sequence: 937), now: Fixtures.now) == .failure(.sequenceTooOld))
        #expect(decoder.decode(Fixtures.heartbeat(sequence: 1), now: Fixtures.now) == .failure(.sequenceTooOld))
    }

    @Test("Each peer has its own window")
    func windowsPerPeer() {
        var decoder = Fixtures.decoder()
        #expect(
            (try? decoder.decode(Fixtures.heartbeat(from: Fixtures.beta, sequence: 5), now: Fixtures.now).get()) != nil
        )
        #expect(
            (try? decoder.decode(Fixtures.heartbeat(from: Fixtures.gamma, sequence: 5), now: Fixtures.now).get()) != nil
        )
        #expect(
            decoder.decode(Fixtures.heartbeat(from: Fixtures.gamma, sequence: 5), now: Fixtures.now)
                == .failure(.replayed)
        )
    }

    @Test("A datagram refused for its timestamp does not move the window")
    func rejectedDoesNotRecord() {
        var decoder = Fixtures.decoder()
        let late = ClusterTimestamp(milliseconds: Fixtures.now.milliseconds - 60_000)
        #expect(
            decoder.decode(Fixtures.heartbeat(sequence: 500, at: late), now: Fixtures.now)
                == .failure(.timestampOutsideWindow)
        )
        // Had 500 been recorded, 10 would now be too old.
        #expect((try? decoder.decode(Fixtures.heartbeat(sequence: 10), now: Fixtures.now).get()) != nil)
    }

    @Test("A node that restarts continues above its old sequence numbers")
    func restartedSender() throws {
        var decoder = Fixtures.decoder()
        var first = ClusterDatagramEncoder(secret: Fixtures.secret, sender: Fixtures.beta, startedAt: Fixtures.now)
        let body = ClusterMessage.Body.heartbeat(.init(interval: .seconds(2)))
        for _ in 0..<100 {
            _ = try decoder.decode(first.encode(body, now: Fixtures.now), now: Fixtures.now).get()
        }
        let restartedAt = ClusterTimestamp(milliseconds: Fixtures.now.milliseconds + 1_000)
        var second = ClusterDatagramEncoder(secret: Fixtures.secret, sender: Fixtures.beta, startedAt: restartedAt)
        #expect((try? decoder.decode(second.encode(body, now: restartedAt), now: restartedAt).get()) != nil)
    }

    @Test("Authenticated but malformed payloads and unknown types are named as such")
    func authenticatedButMalformed() {
        // Built by hand: the encoder cannot write these.
        func signed(type: UInt8, payload: [UInt8], name: [UInt8] = Array("beta".utf8)) -> ByteBuffer {
            var bytes: [UInt8] = [1, type, UInt8(name.count)] + name
            bytes += withUnsafeBytes(of: UInt64(1).bigEndian, Array.init)
            bytes += withUnsafeBytes(of: UInt64(bitPattern: Fixtures.now.milliseconds).bigEndian, Array.init)
            bytes += withUnsafeBytes(of: UInt16(payload.count).bigEndian, Array.init)
            bytes += payload
            return ByteBuffer(bytes: bytes + ClusterTestHMAC.tag(bytes))
        }
        #expect(self.decode(signed(type: 9, payload: [])) == .failure(.unknownType))
        #expect(self.decode(signed(type: 1, payload: [0, 0, 0])) == .failure(.malformed))
        #expect(self.decode(signed(type: 2, payload: [0, 1, 2, 1, 0x41])) == .failure(.malformed))
        #expect(self.decode(signed(type: 2, payload: [0, 17])) == .failure(.malformed))
        #expect(
            self.decode(signed(type: 1, payload: Array(repeating: 0, count: 12), name: [0x20])) == .failure(.malformed)
        )
        #expect((try? self.decode(signed(type: 2, payload: [0, 1, 1, 1, 0x41])).get()) != nil)
    }

    @Test("Random bytes never trap and are never accepted")
    func randomBytes() {
        var generator = SystemRandomNumberGenerator()
        var decoder = Fixtures.decoder()
        for _ in 0..<2_000 {
            let size = Int.random(in: 0...1_600, using: &generator)
            var bytes = (0..<size).map { _ in UInt8.random(in: 0...255, using: &generator) }
            if !bytes.isEmpty, Bool.random(using: &generator) { bytes[0] = ClusterLimits.version }
            #expect((try? decoder.decode(ByteBuffer(bytes: bytes), now: Fixtures.now).get()) == nil)
        }
    }
}
