public import NIOCore

/// One TFTP read from the client's side, without I/O (RFC 1350): what a phone does to fetch its `SEP<MAC>.cnf.xml`.
///
/// The adapter owns one UDP socket and a retransmission timer. It calls `start(now:)` once, feeds every datagram
/// from the server's host to `packetReceived(_:fromPort:now:)` (with the port it came from) and every timer expiry
/// to `retransmitTimerFired(now:)`, and carries out the returned action.
///
/// Rules kept here:
/// - The read request goes to the server's request port (69); the server answers from a port of its own, its
///   transfer ID (RFC 1350 §4), which the first answer fixes. Datagrams from any other port are dropped (the RFC
///   lets a client answer them with ERROR 5; dropping costs the stranger nothing and the transfer nothing).
/// - No options are asked for, so blocks are RFC 1350's 512 bytes and the file ends with the first shorter block.
/// - Each block in order is acknowledged. A repeat of the block just acknowledged means the ACK was lost, so the ACK
///   goes out again; a client may answer a duplicate DATA (RFC 1123 §4.2.3.1 forbids only the sender's reply to
///   duplicate ACKs). On a timeout the last packet (the request, or the last ACK) is sent again, at most
///   `maximumRetransmissions` times.
/// - The file is bounded by `maximumFileSize`: a server that sends more gets ERROR 3 and the read fails.
public struct TFTPReadClientStateMachine: Sendable {
    /// The client's limits.
    public struct Configuration: Hashable, Sendable {
        /// How long to wait for the server's next packet before sending the last one again.
        public var timeout: TimeAmount
        /// How many times a packet is sent again before the read is given up.
        public var maximumRetransmissions: Int
        /// The largest file accepted. A cnf.xml is a few KiB; the default leaves room for any file a phone fetches
        /// before its firmware.
        public var maximumFileSize: Int
        /// How many packets that do not advance the read (out-of-order blocks, repeats) are tolerated in a row.
        public var maximumStrayPackets: Int

        public init(
            timeout: TimeAmount = .seconds(1),
            maximumRetransmissions: Int = 5,
            maximumFileSize: Int = 1024 * 1024,
            maximumStrayPackets: Int = 64
        ) {
            self.timeout = timeout
            self.maximumRetransmissions = maximumRetransmissions
            self.maximumFileSize = maximumFileSize
            self.maximumStrayPackets = maximumStrayPackets
        }
    }

    /// Where a packet goes: the server's request port, or the transfer port it answered from.
    public enum Destination: Hashable, Sendable {
        case requestPort
        case transferPort(Int)
    }

    /// What the adapter does next.
    public enum Action: Hashable, Sendable {
        /// Send the packet and arm the retransmission timer for `retransmitAt`, replacing any armed timer.
        case send(TFTPPacket, to: Destination, retransmitAt: NIODeadline)
        /// The last block is in: send its ACK once (no timer) and hand over the file.
        case finish(acknowledgement: TFTPPacket, to: Destination, file: ByteBuffer)
        /// Send the ERROR once and fail the read.
        case sendErrorAndFail(TFTPPacket, to: Destination, TFTPReadFailure)
        /// Fail the read without sending anything.
        case fail(TFTPReadFailure)
        /// Nothing to do: a stray packet, or a timer armed for an earlier packet.
        case none
    }

    private enum State {
        /// Created, nothing sent.
        case idle
        /// The request is out; no answer yet, so the transfer port is unknown.
        case requested(WaitingState)
        /// Blocks are coming from `transferPort`.
        case receiving(ReceivingState)
        /// Over; every further input gets `.none`.
        case finished
        /// Placeholder while a payload is changed in place (avoids copying the file buffer).
        case modifying
    }

    private struct WaitingState {
        var packetInFlight: TFTPPacket
        var retransmitDeadline: NIODeadline
        var retransmissions = 0
    }

    private struct ReceivingState {
        var transferPort: Int
        var file: ByteBuffer
        /// The absolute number (1-based) of the last block received and acknowledged.
        var lastBlock: Int
        var waiting: WaitingState
        var strayPackets = 0
    }

    /// The file name asked for.
    public let filename: String
    private let configuration: Configuration
    private var state: State = .idle

    public init(filename: String, configuration: Configuration = Configuration()) {
        self.filename = filename
        self.configuration = configuration
    }

    /// Sends the read request (octet mode, no options).
    public mutating func start(now: NIODeadline) -> Action {
        switch self.state {
        case .idle:
            let request = TFTPPacket.readRequest(TFTPRequest(filename: self.filename, mode: .octet))
            let waiting = WaitingState(packetInFlight: request, retransmitDeadline: now + self.configuration.timeout)
            self.state = .requested(waiting)
            return .send(request, to: .requestPort, retransmitAt: waiting.retransmitDeadline)
        case .requested, .receiving, .finished:
            return .none
        case .modifying:
            preconditionFailure("TFTPReadClientStateMachine.start in invalid state \(self.state)")
        }
    }

    /// A datagram from the server's host, decoded, with the port it came from.
    public mutating func packetReceived(_ packet: TFTPPacket, fromPort port: Int, now: NIODeadline) -> Action {
        switch self.state {
        case .idle:
            return .none
        case .requested:
            // The first answer fixes the server's transfer port, whatever it is.
            var receiving = ReceivingState(
                transferPort: port,
                file: ByteBuffer(),
                lastBlock: 0,
                waiting: WaitingState(packetInFlight: .acknowledgement(block: 0), retransmitDeadline: now)
            )
            self.state = .modifying
            return self.received(packet, &receiving, now: now)
        case .receiving(var receiving):
            guard port == receiving.transferPort else { return .none }
            self.state = .modifying
            return self.received(packet, &receiving, now: now)
        case .finished:
            return .none
        case .modifying:
            preconditionFailure("TFTPReadClientStateMachine.packetReceived in invalid state \(self.state)")
        }
    }

    /// The retransmission timer fired. A timer armed for an earlier packet is ignored.
    public mutating func retransmitTimerFired(now: NIODeadline) -> Action {
        switch self.state {
        case .requested(var waiting):
            guard now >= waiting.retransmitDeadline else { return .none }
            guard let action = self.retransmit(&waiting, to: .requestPort, now: now) else { return self.timedOut() }
            self.state = .requested(waiting)
            return action
        case .receiving(var receiving):
            guard now >= receiving.waiting.retransmitDeadline else { return .none }
            self.state = .modifying
            let destination = Destination.transferPort(receiving.transferPort)
            guard let action = self.retransmit(&receiving.waiting, to: destination, now: now) else {
                return self.timedOut()
            }
            self.state = .receiving(receiving)
            return action
        case .idle, .finished:
            return .none
        case .modifying:
            preconditionFailure("TFTPReadClientStateMachine.retransmitTimerFired in invalid state \(self.state)")
        }
    }

    // MARK: Transitions

    private mutating func received(
        _ packet: TFTPPacket,
        _ receiving: inout ReceivingState,
        now: NIODeadline
    )
        -> Action
    {
        let destination = Destination.transferPort(receiving.transferPort)
        switch packet {
        case .data(let block, let payload) where block == UInt16(truncatingIfNeeded: receiving.lastBlock + 1):
            guard receiving.file.readableBytes + payload.readableBytes <= self.configuration.maximumFileSize else {
                self.state = .finished
                return .sendErrorAndFail(
                    .error(.diskFull, message: "file larger than \(self.configuration.maximumFileSize) bytes"),
                    to: destination,
                    .tooLarge(limit: self.configuration.maximumFileSize)
                )
            }
            let isLast = payload.readableBytes < TFTPLimits.defaultBlockSize
            receiving.file.writeImmutableBuffer(payload)
            receiving.lastBlock += 1
            receiving.strayPackets = 0
            let acknowledgement = TFTPPacket.acknowledgement(block: block)
            if isLast {
                self.state = .finished
                return .finish(acknowledgement: acknowledgement, to: destination, file: receiving.file)
            }
            receiving.waiting = WaitingState(
                packetInFlight: acknowledgement,
                retransmitDeadline: now + self.configuration.timeout
            )
            self.state = .receiving(receiving)
            return .send(acknowledgement, to: destination, retransmitAt: receiving.waiting.retransmitDeadline)
        case .data(let block, _):
            receiving.strayPackets += 1
            guard receiving.strayPackets <= self.configuration.maximumStrayPackets else {
                self.state = .finished
                return .sendErrorAndFail(
                    .error(.illegalOperation, message: "too many out-of-order blocks"),
                    to: destination,
                    .illegalPacket
                )
            }
            let isRepeat = receiving.lastBlock > 0 && block == UInt16(truncatingIfNeeded: receiving.lastBlock)
            self.state = .receiving(receiving)
            // The server did not get the ACK of the block just received: send it again.
            return isRepeat
                ? .send(
                    receiving.waiting.packetInFlight,
                    to: destination,
                    retransmitAt: now + self.configuration.timeout
                )
                : .none
        case .error(let code, let message):
            self.state = .finished
            return .fail(.refused(code, message: message))
        case .readRequest, .writeRequest, .acknowledgement, .optionAcknowledgement:
            // No option was asked for, so even an OACK has no place here.
            self.state = .finished
            return .sendErrorAndFail(
                .error(.illegalOperation, message: "expected DATA"),
                to: destination,
                .illegalPacket
            )
        }
    }

    /// The packet in flight again, or nil when every retransmission is spent.
    private func retransmit(_ waiting: inout WaitingState, to destination: Destination, now: NIODeadline) -> Action? {
        guard waiting.retransmissions < self.configuration.maximumRetransmissions else { return nil }
        waiting.retransmissions += 1
        waiting.retransmitDeadline = now + self.configuration.timeout
        return .send(waiting.packetInFlight, to: destination, retransmitAt: waiting.retransmitDeadline)
    }

    private mutating func timedOut() -> Action {
        self.state = .finished
        return .fail(.timedOut)
    }
}

/// Why a TFTP read failed.
public enum TFTPReadFailure: Error, Hashable, Sendable, CustomStringConvertible {
    /// The server answered with an ERROR (1: file not found, 2: access violation, …).
    case refused(TFTPErrorCode, message: String)
    /// Nothing came back after every retransmission.
    case timedOut
    /// The server sent a packet that has no place in a read, or too many out-of-order blocks.
    case illegalPacket
    /// The file is larger than the client accepts.
    case tooLarge(limit: Int)

    public var description: String {
        switch self {
        case .refused(let code, let message):
            "the server refused: \(code.rawValue) \(code)\(message.isEmpty ? "" : ", \(message)")"
        case .timedOut: "no answer from the server"
        case .illegalPacket: "the server sent a packet that has no place in a read"
        case .tooLarge(let limit): "the file is larger than \(limit) bytes"
        }
    }
}
