public import NIOCore

/// One TFTP read transfer from the server's side, without I/O (RFC 1350, 2347, 2348, 2349).
///
/// The adapter owns the transfer's socket (its TID) and a retransmission timer. It calls `start(now:)` once, then
/// feeds every datagram from the peer to `packetReceived(_:now:)` and every timer expiry to
/// `retransmitTimerFired(now:)`, and carries out the returned action: `.send` writes the packet and (re)arms the
/// timer for the given deadline, `.sendErrorAndClose` writes the ERROR and closes, `.close` closes.
///
/// Rules kept here:
/// - The file goes out in blocks of the negotiated size; block numbers are the absolute block index modulo 65536,
///   so block 65535 is followed by block 0 ("rollover"), which is how curl, tftp-hpa and Cisco phones count.
/// - A file whose size is a multiple of the block size ends with an empty block (RFC 1350 §6).
/// - Only the ACK of the block in flight moves the transfer on. Duplicate and old ACKs are ignored, never answered
///   with a retransmission (RFC 1123 §4.2.3.1, the Sorcerer's Apprentice bug); the timer retransmits instead.
/// - After `maximumRetransmissions` unanswered retransmissions the transfer ends as timed out.
public struct TFTPTransferStateMachine: Sendable {
    /// Server-side limits for a transfer.
    public struct Configuration: Hashable, Sendable {
        /// The largest block size granted, whatever the client asks (at most RFC 2348's 65464).
        public var maximumBlockSize: Int
        /// The retransmission timeout when the client sends no `timeout` option.
        public var defaultTimeout: TimeAmount
        /// How many times a packet is sent again before the transfer is given up.
        public var maximumRetransmissions: Int
        /// How many packets that do not advance the transfer (duplicate ACKs) are tolerated in a row before it is
        /// ended: a peer that only repeats itself costs its own transfer, nobody else's.
        public var maximumStrayPackets: Int

        public init(
            maximumBlockSize: Int = TFTPLimits.maximumBlockSize,
            defaultTimeout: TimeAmount = .seconds(2),
            maximumRetransmissions: Int = 5,
            maximumStrayPackets: Int = 64
        ) {
            self.maximumBlockSize = maximumBlockSize
            self.defaultTimeout = defaultTimeout
            self.maximumRetransmissions = maximumRetransmissions
            self.maximumStrayPackets = maximumStrayPackets
        }
    }

    /// What the adapter does next.
    public enum Action: Hashable, Sendable {
        /// Send the packet and arm the retransmission timer for `retransmitAt`, replacing any armed timer.
        case send(TFTPPacket, retransmitAt: NIODeadline)
        /// Send the ERROR packet, then close the transfer (ERRORs are never retransmitted, RFC 1350 §7).
        case sendErrorAndClose(TFTPPacket, TFTPTransferOutcome)
        /// Close the transfer without sending anything.
        case close(TFTPTransferOutcome)
        /// Nothing to do: e.g. a duplicate ACK, or a timer that fired after the transfer moved on.
        case none
    }

    private enum State {
        /// Created, nothing sent yet.
        case idle(IdleState)
        /// The OACK is out; the client answers with ACK 0 (RFC 2347) or an ERROR 8 refusing the options.
        case awaitingOptionAcknowledgement(SendingState)
        /// DATA block `SendingState.block` is out, waiting for its ACK.
        case awaitingAcknowledgement(SendingState)
        /// Over; every further input is answered with `.none`.
        case finished(TFTPTransferOutcome)
        /// Placeholder while a payload is being changed in place (avoids copy-on-write of the file buffer).
        case modifying
    }

    private struct IdleState {
        var file: ByteBuffer
        var options: TFTPNegotiatedOptions
    }

    private struct SendingState {
        /// The whole file; blocks are slices of it.
        var file: ByteBuffer
        var options: TFTPNegotiatedOptions
        /// How many DATA blocks the transfer has: size / blockSize + 1, the last one short (possibly empty).
        var blockCount: Int
        /// The absolute index (1-based) of the block in flight; 0 while the OACK is in flight.
        var block: Int
        /// The packet in flight, sent again on timeout.
        var packetInFlight: TFTPPacket
        /// When the packet in flight is due for retransmission.
        var retransmitDeadline: NIODeadline
        /// Retransmissions of the packet in flight so far.
        var retransmissions: Int
        /// Packets in a row that did not advance the transfer.
        var strayPackets: Int
    }

    private let configuration: Configuration
    private var state: State

    /// - Parameters:
    ///   - request: the client's RRQ (its options are negotiated here).
    ///   - file: the bytes to send, already translated for netascii if that was the mode.
    public init(request: TFTPRequest, file: ByteBuffer, configuration: Configuration = Configuration()) {
        self.configuration = configuration
        let options = TFTPNegotiatedOptions.negotiate(
            request,
            fileSize: file.readableBytes,
            maximumBlockSize: configuration.maximumBlockSize,
            defaultTimeout: configuration.defaultTimeout
        )
        self.state = .idle(IdleState(file: file, options: options))
    }

    /// The negotiated block size and timeout.
    public var options: TFTPNegotiatedOptions {
        switch self.state {
        case .idle(let idle): idle.options
        case .awaitingOptionAcknowledgement(let sending), .awaitingAcknowledgement(let sending): sending.options
        case .finished, .modifying: TFTPNegotiatedOptions(blockSize: 0, timeout: .zero, acknowledged: [])
        }
    }

    /// Whether the packet in flight has gone unanswered past its timeout at least once (it is being retransmitted):
    /// a stalled transfer, the first one the server ends when it needs a slot (`TFTPServerPolicy`). An ACK that moves
    /// the transfer on clears it.
    public var isStalled: Bool {
        switch self.state {
        case .awaitingOptionAcknowledgement(let sending), .awaitingAcknowledgement(let sending):
            sending.retransmissions > 0
        case .idle, .finished, .modifying:
            false
        }
    }

    /// The outcome, once the transfer is over.
    public var outcome: TFTPTransferOutcome? {
        switch self.state {
        case .finished(let outcome): outcome
        case .idle, .awaitingOptionAcknowledgement, .awaitingAcknowledgement, .modifying: nil
        }
    }

    /// The transfer socket is ready: send the OACK if any option was accepted, otherwise DATA block 1.
    public mutating func start(now: NIODeadline) -> Action {
        switch self.state {
        case .idle(let idle):
            let blockCount = idle.file.readableBytes / idle.options.blockSize + 1
            var sending = SendingState(
                file: idle.file,
                options: idle.options,
                blockCount: blockCount,
                block: 0,
                packetInFlight: .acknowledgement(block: 0),
                retransmitDeadline: now + idle.options.timeout,
                retransmissions: 0,
                strayPackets: 0
            )
            if idle.options.acknowledged.isEmpty {
                sending.block = 1
                sending.packetInFlight = Self.dataPacket(sending, block: 1)
                self.state = .awaitingAcknowledgement(sending)
            } else {
                sending.packetInFlight = .optionAcknowledgement(idle.options.acknowledged)
                self.state = .awaitingOptionAcknowledgement(sending)
            }
            return .send(sending.packetInFlight, retransmitAt: sending.retransmitDeadline)
        case .awaitingOptionAcknowledgement, .awaitingAcknowledgement, .finished:
            return .none
        case .modifying:
            preconditionFailure("TFTPTransferStateMachine.start in invalid state \(self.state)")
        }
    }

    /// A datagram from the peer's TID, decoded.
    public mutating func packetReceived(_ packet: TFTPPacket, now: NIODeadline) -> Action {
        switch self.state {
        case .idle:
            // The socket is not announced to the peer before `start`; a packet now is out of order.
            return self.fail(.illegalOperation, "transfer not started", outcome: .illegalPacket)
        case .awaitingOptionAcknowledgement(var sending):
            switch packet {
            case .acknowledgement(block: 0):
                self.state = .modifying
                return self.advance(&sending, now: now)
            case .acknowledgement:
                self.state = .modifying
                return self.stray(&sending, phase: .option)
            case .error(let code, _):
                // RFC 2347: a client that refuses the options answers the OACK with ERROR 8.
                self.state = .finished(.abortedByPeer(code))
                return .close(.abortedByPeer(code))
            case .readRequest, .writeRequest, .data, .optionAcknowledgement:
                return self.fail(.illegalOperation, "expected ACK 0", outcome: .illegalPacket)
            }
        case .awaitingAcknowledgement(var sending):
            switch packet {
            case .acknowledgement(let block) where block == UInt16(truncatingIfNeeded: sending.block):
                self.state = .modifying
                return self.advance(&sending, now: now)
            case .acknowledgement:
                self.state = .modifying
                return self.stray(&sending, phase: .data)
            case .error(let code, _):
                self.state = .finished(.abortedByPeer(code))
                return .close(.abortedByPeer(code))
            case .readRequest, .writeRequest, .data, .optionAcknowledgement:
                return self.fail(.illegalOperation, "expected ACK", outcome: .illegalPacket)
            }
        case .finished:
            return .none
        case .modifying:
            preconditionFailure("TFTPTransferStateMachine.packetReceived in invalid state \(self.state)")
        }
    }

    /// The retransmission timer fired. A timer that fires before the current deadline (armed for an earlier packet)
    /// is ignored.
    public mutating func retransmitTimerFired(now: NIODeadline) -> Action {
        switch self.state {
        case .awaitingOptionAcknowledgement(var sending):
            guard now >= sending.retransmitDeadline else { return .none }
            self.state = .modifying
            let action = self.retransmit(&sending, now: now)
            if case .modifying = self.state { self.state = .awaitingOptionAcknowledgement(sending) }
            return action
        case .awaitingAcknowledgement(var sending):
            guard now >= sending.retransmitDeadline else { return .none }
            self.state = .modifying
            let action = self.retransmit(&sending, now: now)
            if case .modifying = self.state { self.state = .awaitingAcknowledgement(sending) }
            return action
        case .idle, .finished:
            return .none
        case .modifying:
            preconditionFailure("TFTPTransferStateMachine.retransmitTimerFired in invalid state \(self.state)")
        }
    }

    /// The whole transfer ran past its overall deadline (a peer that ACKs just slowly enough to keep it alive).
    public mutating func transferDeadlineReached() -> Action {
        switch self.state {
        case .idle, .awaitingOptionAcknowledgement, .awaitingAcknowledgement:
            return self.fail(.notDefined, "transfer took too long", outcome: .deadlineExceeded)
        case .finished:
            return .none
        case .modifying:
            preconditionFailure("TFTPTransferStateMachine.transferDeadlineReached in invalid state \(self.state)")
        }
    }

    /// The peer's port is unreachable (ICMP port unreachable, reported as ECONNREFUSED on the connected socket).
    public mutating func peerUnreachable() -> Action {
        switch self.state {
        case .idle, .awaitingOptionAcknowledgement, .awaitingAcknowledgement:
            self.state = .finished(.peerUnreachable)
            return .close(.peerUnreachable)
        case .finished:
            return .none
        case .modifying:
            preconditionFailure("TFTPTransferStateMachine.peerUnreachable in invalid state \(self.state)")
        }
    }

    // MARK: - Transitions

    private enum Phase { case option, data }

    /// The packet in flight was acknowledged: send the next block, or finish after the last one.
    private mutating func advance(_ sending: inout SendingState, now: NIODeadline) -> Action {
        if sending.block >= sending.blockCount {
            self.state = .finished(.completed)
            return .close(.completed)
        }
        sending.block += 1
        sending.packetInFlight = Self.dataPacket(sending, block: sending.block)
        sending.retransmissions = 0
        sending.strayPackets = 0
        sending.retransmitDeadline = now + sending.options.timeout
        let action = Action.send(sending.packetInFlight, retransmitAt: sending.retransmitDeadline)
        self.state = .awaitingAcknowledgement(sending)
        return action
    }

    /// A packet that does not move the transfer on: ignore it, unless the peer keeps sending them.
    private mutating func stray(_ sending: inout SendingState, phase: Phase) -> Action {
        sending.strayPackets += 1
        if sending.strayPackets > self.configuration.maximumStrayPackets {
            return self.fail(.illegalOperation, "too many duplicate packets", outcome: .illegalPacket)
        }
        switch phase {
        case .option: self.state = .awaitingOptionAcknowledgement(sending)
        case .data: self.state = .awaitingAcknowledgement(sending)
        }
        return .none
    }

    private mutating func retransmit(_ sending: inout SendingState, now: NIODeadline) -> Action {
        guard sending.retransmissions < self.configuration.maximumRetransmissions else {
            self.state = .finished(.timedOut)
            return .close(.timedOut)
        }
        sending.retransmissions += 1
        sending.retransmitDeadline = now + sending.options.timeout
        return .send(sending.packetInFlight, retransmitAt: sending.retransmitDeadline)
    }

    /// The one way a transfer ends with an ERROR from the server.
    private mutating func fail(_ code: TFTPErrorCode, _ message: String, outcome: TFTPTransferOutcome) -> Action {
        self.state = .finished(outcome)
        return .sendErrorAndClose(.error(code, message: message), outcome)
    }

    private static func dataPacket(_ sending: SendingState, block: Int) -> TFTPPacket {
        let blockSize = sending.options.blockSize
        let offset = (block - 1) * blockSize
        let length = max(0, min(blockSize, sending.file.readableBytes - offset))
        let payload =
            sending.file.getSlice(at: sending.file.readerIndex + offset, length: length) ?? ByteBuffer()
        return .data(block: UInt16(truncatingIfNeeded: block), payload: payload)
    }
}

/// How a transfer ended.
public enum TFTPTransferOutcome: Hashable, Sendable {
    /// The last block was acknowledged.
    case completed
    /// The peer stopped answering and every retransmission went unanswered.
    case timedOut
    /// The transfer ran past its overall deadline.
    case deadlineExceeded
    /// The peer sent an ERROR (e.g. 8: it refuses the options).
    case abortedByPeer(TFTPErrorCode)
    /// The peer sent a packet that has no place in a read transfer, or too many duplicates.
    case illegalPacket
    /// The peer's port answered with ICMP port unreachable.
    case peerUnreachable
}
