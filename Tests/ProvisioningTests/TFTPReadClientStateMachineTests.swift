import NIOCore
import Provisioning
import Testing

/// The client side of a TFTP read (what a phone does to fetch its cnf.xml), as transcripts, and against the server's
/// own transfer machine with packets lost on the way.
@Suite struct TFTPReadClientStateMachineTests {
    static let start = NIODeadline.uptimeNanoseconds(1_000_000_000)
    static let timeout = TimeAmount.seconds(1)

    static func bytes(_ count: Int) -> ByteBuffer {
        ByteBuffer(bytes: (0..<count).map { UInt8(truncatingIfNeeded: $0 &* 7) })
    }

    static func data(_ block: UInt16, _ file: ByteBuffer, blockSize: Int = 512) -> TFTPPacket {
        let offset = (Int(block) - 1) * blockSize
        let length = min(blockSize, file.readableBytes - offset)
        return .data(block: block, payload: file.getSlice(at: offset, length: length) ?? ByteBuffer())
    }

    @Test(arguments: [0, 1, 511, 512, 1100, 1536])
    func aFileArrivesBlockByBlockEachAcknowledged(_ size: Int) {
        let file = Self.bytes(size)
        var client = TFTPReadClientStateMachine(filename: "SEP001122334455.cnf.xml")
        #expect(
            client.start(now: Self.start)
                == .send(
                    .readRequest(TFTPRequest(filename: "SEP001122334455.cnf.xml", mode: .octet)),
                    to: .requestPort,
                    retransmitAt: Self.start + Self.timeout
                )
        )
        // A file of a whole number of blocks ends with an empty one (RFC 1350 §6).
        let blocks = size / 512 + 1
        for block in 1...blocks {
            let action = client.packetReceived(Self.data(UInt16(block), file), fromPort: 40_000, now: Self.start)
            if block < blocks {
                #expect(
                    action
                        == .send(
                            .acknowledgement(block: UInt16(block)),
                            to: .transferPort(40_000),
                            retransmitAt: Self.start + Self.timeout
                        )
                )
            } else {
                #expect(
                    action
                        == .finish(
                            acknowledgement: .acknowledgement(block: UInt16(block)),
                            to: .transferPort(40_000),
                            file: file
                        )
                )
            }
        }
        #expect(client.packetReceived(Self.data(1, file), fromPort: 40_000, now: Self.start) == .none)
    }

    @Test func theFirstAnswerFixesTheTransferPortAndStrangersAreDropped() {
        let file = Self.bytes(600)
        var client = TFTPReadClientStateMachine(filename: "f")
        _ = client.start(now: Self.start)
        _ = client.packetReceived(Self.data(1, file), fromPort: 40_001, now: Self.start)
        // Another port's block 2, even the right one, is not the transfer's.
        #expect(client.packetReceived(Self.data(2, file), fromPort: 40_002, now: Self.start) == .none)
        #expect(client.packetReceived(.error(.unknownTransferID, message: ""), fromPort: 69, now: Self.start) == .none)
        guard
            case .finish(_, .transferPort(40_001), let received) =
                client.packetReceived(Self.data(2, file), fromPort: 40_001, now: Self.start)
        else {
            Issue.record("the transfer did not finish")
            return
        }
        #expect(received == file)
    }

    @Test func aRepeatedBlockIsAcknowledgedAgainAndOtherStraysAreIgnored() {
        let file = Self.bytes(1100)
        var client = TFTPReadClientStateMachine(filename: "f")
        _ = client.start(now: Self.start)
        _ = client.packetReceived(Self.data(1, file), fromPort: 40_000, now: Self.start)
        let later = Self.start + .milliseconds(300)
        #expect(
            client.packetReceived(Self.data(1, file), fromPort: 40_000, now: later)
                == .send(.acknowledgement(block: 1), to: .transferPort(40_000), retransmitAt: later + Self.timeout)
        )
        #expect(client.packetReceived(Self.data(3, file), fromPort: 40_000, now: later) == .none)
        #expect(
            client.packetReceived(Self.data(2, file), fromPort: 40_000, now: later)
                == .send(.acknowledgement(block: 2), to: .transferPort(40_000), retransmitAt: later + Self.timeout)
        )
    }

    @Test func silenceIsAnsweredWithRetransmissionsThenATimeout() {
        var client = TFTPReadClientStateMachine(
            filename: "f",
            configuration: .init(timeout: Self.timeout, maximumRetransmissions: 2)
        )
        let request = TFTPPacket.readRequest(TFTPRequest(filename: "f", mode: .octet))
        _ = client.start(now: Self.start)
        // A timer armed for an earlier packet does nothing.
        #expect(client.retransmitTimerFired(now: Self.start + .milliseconds(999)) == .none)
        var now = Self.start + Self.timeout
        #expect(
            client.retransmitTimerFired(now: now) == .send(request, to: .requestPort, retransmitAt: now + Self.timeout)
        )
        now = now + Self.timeout
        #expect(
            client.retransmitTimerFired(now: now) == .send(request, to: .requestPort, retransmitAt: now + Self.timeout)
        )
        #expect(client.retransmitTimerFired(now: now + Self.timeout) == .fail(.timedOut))

        // Mid-transfer, the last ACK is what goes out again.
        var receiving = TFTPReadClientStateMachine(filename: "f")
        _ = receiving.start(now: Self.start)
        _ = receiving.packetReceived(Self.data(1, Self.bytes(600)), fromPort: 40_000, now: Self.start)
        now = Self.start + Self.timeout
        #expect(
            receiving.retransmitTimerFired(now: now)
                == .send(.acknowledgement(block: 1), to: .transferPort(40_000), retransmitAt: now + Self.timeout)
        )
    }

    @Test func anErrorFromTheServerFailsTheRead() {
        var client = TFTPReadClientStateMachine(filename: "SEP000000000000.cnf.xml")
        _ = client.start(now: Self.start)
        #expect(
            client.packetReceived(.error(.fileNotFound, message: "file not found"), fromPort: 40_000, now: Self.start)
                == .fail(.refused(.fileNotFound, message: "file not found"))
        )
        #expect(client.retransmitTimerFired(now: Self.start + .seconds(10)) == .none)
    }

    @Test func packetsWithNoPlaceInAReadAndOversizedFilesEndItWithAnError() {
        for packet in [
            TFTPPacket.acknowledgement(block: 1), .optionAcknowledgement([]),
            .readRequest(.init(filename: "x", mode: .octet)),
        ] {
            var client = TFTPReadClientStateMachine(filename: "f")
            _ = client.start(now: Self.start)
            guard
                case .sendErrorAndFail(.error(.illegalOperation, _), .transferPort(40_000), .illegalPacket) =
                    client.packetReceived(packet, fromPort: 40_000, now: Self.start)
            else {
                Issue.record("\(packet) was not refused")
                continue
            }
        }
        var small = TFTPReadClientStateMachine(filename: "f", configuration: .init(maximumFileSize: 1000))
        let file = Self.bytes(1100)
        _ = small.start(now: Self.start)
        _ = small.packetReceived(Self.data(1, file), fromPort: 40_000, now: Self.start)
        guard
            case .sendErrorAndFail(.error(.diskFull, _), _, .tooLarge(limit: 1000)) =
                small.packetReceived(Self.data(2, file), fromPort: 40_000, now: Self.start)
        else {
            Issue.record("a file over the limit was accepted")
            return
        }
    }

    /// The client against the server's transfer machine, every third packet lost either way: the file arrives
    /// whole, through retransmissions alone.
    @Test func againstTheServersTransferMachineThroughALossyPath() throws {
        let file = Self.bytes(5_000)
        var client = TFTPReadClientStateMachine(filename: "f", configuration: .init(maximumRetransmissions: 20))
        var now = Self.start
        guard case .send(.readRequest(let request), .requestPort, _) = client.start(now: now) else {
            Issue.record("no request")
            return
        }
        var server = TFTPTransferStateMachine(
            request: request,
            file: file,
            configuration: .init(defaultTimeout: .milliseconds(1500), maximumRetransmissions: 20)
        )
        var sent = 0
        func delivered() -> Bool {
            sent += 1
            return sent % 3 != 0
        }
        var toClient: TFTPPacket?
        if case .send(let packet, _) = server.start(now: now) { toClient = packet }
        var received: ByteBuffer?
        for _ in 0..<500 where received == nil {
            now = now + .milliseconds(500)
            var toServer: TFTPPacket?
            if let packet = toClient, delivered() {
                switch client.packetReceived(packet, fromPort: 40_000, now: now) {
                case .send(let ack, _, _): toServer = ack
                case .finish(let ack, _, let file):
                    toServer = ack
                    received = file
                case .sendErrorAndFail, .fail: Issue.record("the client failed")
                case .none: break
                }
            }
            toClient = nil
            if case .send(let ack, _, _) = client.retransmitTimerFired(now: now), toServer == nil { toServer = ack }
            if let packet = toServer, delivered() {
                if case .send(let data, _) = server.packetReceived(packet, now: now) { toClient = data }
            }
            if toClient == nil, case .send(let data, _) = server.retransmitTimerFired(now: now) { toClient = data }
        }
        #expect(received == file)
    }
}
