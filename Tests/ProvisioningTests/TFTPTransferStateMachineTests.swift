import NIOCore
import Provisioning
import Testing

@Suite struct TFTPNegotiationTests {
    private func negotiate(
        _ options: [(String, String)],
        fileSize: Int = 1000,
        maximumBlockSize: Int = 65464
    )
        -> TFTPNegotiatedOptions
    {
        TFTPNegotiatedOptions.negotiate(
            TFTPRequest(
                filename: "f",
                mode: .octet,
                options: options.map { TFTPOption(name: $0.0, value: $0.1) }
            ),
            fileSize: fileSize,
            maximumBlockSize: maximumBlockSize,
            defaultTimeout: .seconds(2)
        )
    }

    @Test func noOptionsMeansNoOACK() {
        let result = negotiate([])
        #expect(result == TFTPNegotiatedOptions(blockSize: 512, timeout: .seconds(2), acknowledged: []))
    }

    @Test func tsizeZeroIsAnsweredWithTheFileSize() {
        #expect(negotiate([("tsize", "0")], fileSize: 4321).acknowledged == [TFTPOption(name: "tsize", value: "4321")])
    }

    @Test(arguments: [
        ("8", 8), ("512", 512), ("1024", 1024), ("1428", 1428), ("65464", 65464), ("65465", 65464), ("70000", 65464),
        ("9223372036854775807", 65464),
    ])
    func blockSizeIsAcceptedAndClampedToTheRFC2348Maximum(_ requested: String, _ granted: Int) {
        let result = negotiate([("blksize", requested)])
        #expect(result.blockSize == granted)
        #expect(result.acknowledged == [TFTPOption(name: "blksize", value: String(granted))])
    }

    @Test func blockSizeIsClampedToTheServerMaximum() {
        let result = negotiate([("blksize", "8192")], maximumBlockSize: 1024)
        #expect(result.blockSize == 1024)
        #expect(result.acknowledged == [TFTPOption(name: "blksize", value: "1024")])
    }

    @Test(arguments: ["0", "7", "-1", "abc", "", " 512", "512x", "99999999999999999999"])
    func invalidBlockSizesAreIgnored(_ requested: String) {
        let result = negotiate([("blksize", requested)])
        #expect(result.blockSize == 512)
        #expect(result.acknowledged.isEmpty)
    }

    @Test func timeoutInRangeIsEchoedAndUsed() {
        let result = negotiate([("timeout", "1"), ("blksize", "1024")])
        #expect(result.timeout == .seconds(1))
        #expect(
            result.acknowledged == [
                TFTPOption(name: "timeout", value: "1"), TFTPOption(name: "blksize", value: "1024"),
            ]
        )
        #expect(negotiate([("timeout", "10")]).timeout == .seconds(10))
    }

    /// RFC 2349 allows up to 255 s, but a server may ignore the option: above 10 s it is ignored, so that a request
    /// that is never acknowledged cannot hold a slot for 255 s per retransmission (issue 13, the TFTP lockout).
    @Test(arguments: ["0", "11", "255", "256", "x"])
    func timeoutOutOfRangeIsIgnored(_ requested: String) {
        let result = negotiate([("timeout", requested)])
        #expect(result.timeout == .seconds(2))
        #expect(result.acknowledged.isEmpty)
    }

    @Test func unknownOptionsAreIgnored() {
        #expect(negotiate([("windowsize", "16"), ("multicast", "")]).acknowledged.isEmpty)
    }
}

@Suite struct TFTPTransferStateMachineTests {
    private let t0 = NIODeadline.uptimeNanoseconds(1_000_000_000)

    private func file(_ count: Int) -> ByteBuffer {
        var buffer = ByteBuffer()
        for index in 0..<count { buffer.writeInteger(UInt8(truncatingIfNeeded: index)) }
        return buffer
    }

    private func machine(
        size: Int,
        options: [(String, String)] = [],
        configuration: TFTPTransferStateMachine.Configuration = .init()
    ) -> TFTPTransferStateMachine {
        TFTPTransferStateMachine(
            request: TFTPRequest(
                filename: "f",
                mode: .octet,
                options: options.map { TFTPOption(name: $0.0, value: $0.1) }
            ),
            file: self.file(size),
            configuration: configuration
        )
    }

    private func slice(_ size: Int, from offset: Int, length: Int) -> ByteBuffer {
        self.file(size).getSlice(at: offset, length: length) ?? ByteBuffer()
    }

    @Test func plainTransferSendsBlocksAndEndsOnTheShortBlocksACK() {
        var sm = machine(size: 1000)
        #expect(
            sm.start(now: t0)
                == .send(.data(block: 1, payload: slice(1000, from: 0, length: 512)), retransmitAt: t0 + .seconds(2))
        )
        #expect(
            sm.packetReceived(.acknowledgement(block: 1), now: t0)
                == .send(.data(block: 2, payload: slice(1000, from: 512, length: 488)), retransmitAt: t0 + .seconds(2))
        )
        #expect(sm.outcome == nil)
        #expect(sm.packetReceived(.acknowledgement(block: 2), now: t0) == .close(.completed))
        #expect(sm.outcome == .completed)
        #expect(sm.packetReceived(.acknowledgement(block: 2), now: t0) == TFTPTransferStateMachine.Action.none)
    }

    @Test func fileOfWholeBlocksEndsWithAnEmptyBlock() {
        var sm = machine(size: 1024)
        _ = sm.start(now: t0)
        _ = sm.packetReceived(.acknowledgement(block: 1), now: t0)
        #expect(
            sm.packetReceived(.acknowledgement(block: 2), now: t0)
                == .send(.data(block: 3, payload: ByteBuffer()), retransmitAt: t0 + .seconds(2))
        )
        #expect(sm.packetReceived(.acknowledgement(block: 3), now: t0) == .close(.completed))
    }

    @Test func emptyFileIsOneEmptyBlock() {
        var sm = machine(size: 0)
        #expect(sm.start(now: t0) == .send(.data(block: 1, payload: ByteBuffer()), retransmitAt: t0 + .seconds(2)))
        #expect(sm.packetReceived(.acknowledgement(block: 1), now: t0) == .close(.completed))
    }

    @Test func optionsAreAcknowledgedThenDataFollowsACK0() {
        var sm = machine(size: 3000, options: [("tsize", "0"), ("blksize", "2048"), ("timeout", "3")])
        let oack = TFTPPacket.optionAcknowledgement([
            TFTPOption(name: "tsize", value: "3000"), TFTPOption(name: "blksize", value: "2048"),
            TFTPOption(name: "timeout", value: "3"),
        ])
        #expect(sm.start(now: t0) == .send(oack, retransmitAt: t0 + .seconds(3)))
        // An ACK for a data block before ACK 0 does not start the data.
        #expect(sm.packetReceived(.acknowledgement(block: 1), now: t0) == TFTPTransferStateMachine.Action.none)
        #expect(
            sm.packetReceived(.acknowledgement(block: 0), now: t0)
                == .send(.data(block: 1, payload: slice(3000, from: 0, length: 2048)), retransmitAt: t0 + .seconds(3))
        )
        #expect(
            sm.packetReceived(.acknowledgement(block: 1), now: t0)
                == .send(.data(block: 2, payload: slice(3000, from: 2048, length: 952)), retransmitAt: t0 + .seconds(3))
        )
        #expect(sm.packetReceived(.acknowledgement(block: 2), now: t0) == .close(.completed))
    }

    @Test func clientRefusingTheOptionsEndsTheTransferSilently() {
        var sm = machine(size: 10, options: [("blksize", "1024")])
        _ = sm.start(now: t0)
        #expect(
            sm.packetReceived(.error(.optionsRefused, message: "no"), now: t0)
                == .close(.abortedByPeer(.optionsRefused))
        )
    }

    @Test func duplicateACKsAreNeverAnsweredWithARetransmission() {
        // Sorcerer's Apprentice: answering the duplicate ACK 1 with DATA 2 again would double every later block.
        var sm = machine(size: 2000)
        _ = sm.start(now: t0)
        _ = sm.packetReceived(.acknowledgement(block: 1), now: t0)
        #expect(sm.packetReceived(.acknowledgement(block: 1), now: t0) == TFTPTransferStateMachine.Action.none)
        #expect(sm.packetReceived(.acknowledgement(block: 0), now: t0) == TFTPTransferStateMachine.Action.none)
        #expect(sm.packetReceived(.acknowledgement(block: 9), now: t0) == TFTPTransferStateMachine.Action.none)
        #expect(
            sm.packetReceived(.acknowledgement(block: 2), now: t0)
                == .send(.data(block: 3, payload: slice(2000, from: 1024, length: 512)), retransmitAt: t0 + .seconds(2))
        )
    }

    @Test func timeoutRetransmitsTheSamePacketThenGivesUp() {
        var sm = machine(size: 100, configuration: .init(defaultTimeout: .seconds(1), maximumRetransmissions: 2))
        let data1 = TFTPPacket.data(block: 1, payload: slice(100, from: 0, length: 100))
        #expect(sm.start(now: t0) == .send(data1, retransmitAt: t0 + .seconds(1)))
        // A timer that fires early (armed for an older packet) changes nothing.
        #expect(sm.retransmitTimerFired(now: t0 + .milliseconds(500)) == TFTPTransferStateMachine.Action.none)
        #expect(sm.retransmitTimerFired(now: t0 + .seconds(1)) == .send(data1, retransmitAt: t0 + .seconds(2)))
        #expect(sm.retransmitTimerFired(now: t0 + .seconds(2)) == .send(data1, retransmitAt: t0 + .seconds(3)))
        #expect(sm.retransmitTimerFired(now: t0 + .seconds(3)) == .close(.timedOut))
        #expect(sm.outcome == .timedOut)
        #expect(sm.retransmitTimerFired(now: t0 + .seconds(4)) == TFTPTransferStateMachine.Action.none)
    }

    @Test func progressResetsTheRetransmissionCount() {
        var sm = machine(size: 1500, configuration: .init(defaultTimeout: .seconds(1), maximumRetransmissions: 1))
        _ = sm.start(now: t0)
        #expect(!sm.isStalled)
        guard case .send = sm.retransmitTimerFired(now: t0 + .seconds(1)) else {
            Issue.record("expected a retransmission")
            return
        }
        // Retransmitting: stalled, until the client acknowledges.
        #expect(sm.isStalled)
        _ = sm.packetReceived(.acknowledgement(block: 1), now: t0 + .seconds(1))
        #expect(!sm.isStalled)
        guard case .send = sm.retransmitTimerFired(now: t0 + .seconds(2)) else {
            Issue.record("expected a retransmission of block 2")
            return
        }
        #expect(sm.retransmitTimerFired(now: t0 + .seconds(3)) == .close(.timedOut))
    }

    @Test func oackIsRetransmittedToo() {
        var sm = machine(size: 10, options: [("tsize", "0")], configuration: .init(defaultTimeout: .seconds(1)))
        let oack = TFTPPacket.optionAcknowledgement([TFTPOption(name: "tsize", value: "10")])
        _ = sm.start(now: t0)
        #expect(sm.retransmitTimerFired(now: t0 + .seconds(1)) == .send(oack, retransmitAt: t0 + .seconds(2)))
    }

    @Test func blockNumbersRollOverFrom65535To0() {
        // blksize 8 and 65,540 blocks: the 65,536th block goes out as block 0, and the transfer ends on the ACK of
        // block 65,540 (wire number 4), as curl and Cisco phones count.
        let size = 8 * 65539 + 3
        var sm = machine(size: size, options: [("blksize", "8")])
        _ = sm.start(now: t0)
        var action = sm.packetReceived(.acknowledgement(block: 0), now: t0)
        var absolute = 1
        var wrapped = false
        while case .send(.data(let block, let payload), _) = action {
            #expect(block == UInt16(truncatingIfNeeded: absolute))
            if absolute == 65536 {
                #expect(block == 0)
                #expect(
                    payload.getBytes(at: payload.readerIndex, length: 8)
                        == slice(size, from: 65535 * 8, length: 8).getBytes(at: 0, length: 8)
                )
                wrapped = true
            }
            action = sm.packetReceived(.acknowledgement(block: block), now: t0)
            absolute += 1
        }
        #expect(wrapped)
        #expect(absolute == 65541)
        #expect(action == .close(.completed))
    }

    @Test func aPacketThatHasNoPlaceInAReadTransferEndsItWithError4() {
        var sm = machine(size: 10)
        _ = sm.start(now: t0)
        #expect(
            sm.packetReceived(.data(block: 1, payload: ByteBuffer()), now: t0)
                == .sendErrorAndClose(.error(.illegalOperation, message: "expected ACK"), .illegalPacket)
        )
    }

    @Test func aPeerThatOnlyRepeatsItselfLosesItsTransfer() {
        var sm = machine(size: 10_000, configuration: .init(maximumStrayPackets: 3))
        _ = sm.start(now: t0)
        for _ in 0..<3 {
            #expect(sm.packetReceived(.acknowledgement(block: 0), now: t0) == TFTPTransferStateMachine.Action.none)
        }
        guard
            case .sendErrorAndClose(.error(.illegalOperation, _), .illegalPacket) = sm.packetReceived(
                .acknowledgement(block: 0),
                now: t0
            )
        else {
            Issue.record("expected the transfer to end")
            return
        }
    }

    @Test func peerErrorEndsTheTransferWithoutAnswer() {
        var sm = machine(size: 2000)
        _ = sm.start(now: t0)
        #expect(sm.packetReceived(.error(.diskFull, message: "full"), now: t0) == .close(.abortedByPeer(.diskFull)))
    }

    @Test func overallDeadlineEndsTheTransferWithError0() {
        var sm = machine(size: 2000)
        _ = sm.start(now: t0)
        #expect(
            sm.transferDeadlineReached()
                == .sendErrorAndClose(.error(.notDefined, message: "transfer took too long"), .deadlineExceeded)
        )
        #expect(sm.transferDeadlineReached() == TFTPTransferStateMachine.Action.none)
    }

    @Test func unreachablePeerClosesTheTransfer() {
        var sm = machine(size: 2000)
        _ = sm.start(now: t0)
        #expect(sm.peerUnreachable() == .close(.peerUnreachable))
        #expect(sm.packetReceived(.acknowledgement(block: 1), now: t0) == TFTPTransferStateMachine.Action.none)
    }
}
