public import NIOCore
import NIOPosix
import Provisioning

/// Reads a file over TFTP as a Cisco phone does at boot (RFC 1350, octet mode, 512-byte blocks, no options): the
/// client side of Strowger's TFTP listener, for tests and the failover phone's CallManager list.
///
/// One UDP socket per read, unconnected so that the server may answer from its transfer port; datagrams from any
/// other host are dropped. The decisions are `TFTPReadClientStateMachine`'s: retransmission after a second of
/// silence (five times), a file of at most 1 MiB. The whole read has a deadline besides, so that a server that
/// trickles blocks cannot hold it forever.
public enum TFTPClient {
    /// Reads `filename` from the TFTP server at `host`:`port`.
    ///
    /// - Parameters:
    ///   - localAddress: the address to send from (the phone's own address); nil = the kernel's choice.
    ///   - timeout: the deadline of the whole read.
    /// - Throws: `SkinnyPhoneError` with code `.provisioningFailed`: the server refused (its ERROR code and text,
    ///   e.g. 1 file not found), did not answer, or sent what a read cannot take.
    public static func read(
        _ filename: String,
        host: String,
        port: Int = 69,
        localAddress: String? = nil,
        timeout: Duration = .seconds(10),
        group: any EventLoopGroup
    ) async throws -> ByteBuffer {
        do {
            return try await Self.readFile(
                filename,
                host: host,
                port: port,
                localAddress: localAddress,
                timeout: timeout,
                group: group
            )
        } catch {
            throw SkinnyPhoneError.provisioningFailed(filename, "TFTP read from \(host):\(port): \(error)")
        }
    }

    /// `read`, with the error as it came: a `TFTPReadFailure` (the server's ERROR code among them), the deadline's,
    /// or the socket's.
    static func readFile(
        _ filename: String,
        host: String,
        port: Int,
        localAddress: String?,
        timeout: Duration,
        group: any EventLoopGroup
    ) async throws -> ByteBuffer {
        let server = try SocketAddress.makeAddressResolvingHost(host, port: port)
        let eventLoop = group.next()
        let promise = eventLoop.makePromise(of: ByteBuffer.self)
        let deadline = TimeAmount.nanoseconds(
            timeout.components.seconds * 1_000_000_000 + timeout.components.attoseconds / 1_000_000_000
        )
        let bindHost = localAddress ?? (server.protocol == .inet6 ? "::" : "0.0.0.0")
        let channel: any Channel
        do {
            channel = try await DatagramBootstrap(group: eventLoop)
                .channelInitializer { channel in
                    channel.eventLoop.makeCompletedFuture {
                        try channel.pipeline.syncOperations.addHandler(
                            TFTPReadHandler(
                                machine: TFTPReadClientStateMachine(filename: filename),
                                server: server,
                                maximumDuration: deadline,
                                promise: promise
                            )
                        )
                    }
                }
                .bind(host: bindHost, port: 0)
                .get()
        } catch {
            promise.fail(error)
            throw error
        }
        do {
            let file = try await promise.futureResult.get()
            try? await channel.close()
            return file
        } catch {
            try? await channel.close()
            throw error
        }
    }
}

/// The read's socket: feeds the state machine and carries out its actions.
final class TFTPReadHandler: ChannelInboundHandler {
    typealias InboundIn = AddressedEnvelope<ByteBuffer>
    typealias OutboundOut = AddressedEnvelope<ByteBuffer>

    /// The whole read took longer than its deadline.
    struct DeadlineExceeded: Error, CustomStringConvertible {
        var description: String { "the read took longer than its deadline" }
    }

    private var machine: TFTPReadClientStateMachine
    /// The server's request address (port 69 by default); its transfer port comes with its first answer.
    private let server: SocketAddress
    private let maximumDuration: TimeAmount
    private let promise: EventLoopPromise<ByteBuffer>
    private var retransmitTimer: Scheduled<Void>?
    private var deadlineTimer: Scheduled<Void>?
    private var completed = false

    init(
        machine: TFTPReadClientStateMachine,
        server: SocketAddress,
        maximumDuration: TimeAmount,
        promise: EventLoopPromise<ByteBuffer>
    ) {
        self.machine = machine
        self.server = server
        self.maximumDuration = maximumDuration
        self.promise = promise
    }

    func channelActive(context: ChannelHandlerContext) {
        let loopBoundContext = context.loopBound
        self.deadlineTimer = context.eventLoop.assumeIsolated().scheduleTask(in: self.maximumDuration) {
            self.complete(.failure(DeadlineExceeded()), context: loopBoundContext.value)
        }
        self.run(self.machine.start(now: .now()), context: context)
        context.fireChannelActive()
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let envelope = self.unwrapInboundIn(data)
        // Only the server's host takes part; its port is the machine's business (request port, then transfer port).
        guard envelope.remoteAddress.ipAddress == self.server.ipAddress, let port = envelope.remoteAddress.port,
            let packet = try? TFTPPacket(decoding: envelope.data)
        else { return }
        self.run(self.machine.packetReceived(packet, fromPort: port, now: .now()), context: context)
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        // An unconnected socket hears no ICMP errors; anything else is the socket's end, and the read's.
        self.complete(.failure(error), context: context)
    }

    func channelInactive(context: ChannelHandlerContext) {
        self.complete(.failure(ChannelError.ioOnClosedChannel), context: context)
        context.fireChannelInactive()
    }

    private func run(_ action: TFTPReadClientStateMachine.Action, context: ChannelHandlerContext) {
        switch action {
        case .send(let packet, let destination, let deadline):
            self.write(packet, to: destination, context: context)
            self.retransmitTimer?.cancel()
            let loopBoundContext = context.loopBound
            self.retransmitTimer = context.eventLoop.assumeIsolated().scheduleTask(deadline: deadline) {
                self.run(self.machine.retransmitTimerFired(now: .now()), context: loopBoundContext.value)
            }
        case .finish(let acknowledgement, let destination, let file):
            self.write(acknowledgement, to: destination, context: context)
            self.complete(.success(file), context: context)
        case .sendErrorAndFail(let packet, let destination, let failure):
            self.write(packet, to: destination, context: context)
            self.complete(.failure(failure), context: context)
        case .fail(let failure):
            self.complete(.failure(failure), context: context)
        case .none:
            break
        }
    }

    private func write(
        _ packet: TFTPPacket,
        to destination: TFTPReadClientStateMachine.Destination,
        context: ChannelHandlerContext
    ) {
        var address = self.server
        if case .transferPort(let port) = destination {
            address.port = port
        }
        var buffer = context.channel.allocator.buffer(capacity: 516)
        buffer.writeTFTPPacket(packet)
        context.writeAndFlush(
            self.wrapOutboundOut(AddressedEnvelope(remoteAddress: address, data: buffer)),
            promise: nil
        )
    }

    private func complete(_ result: Result<ByteBuffer, any Error>, context: ChannelHandlerContext) {
        guard !self.completed else { return }
        self.completed = true
        self.retransmitTimer?.cancel()
        self.deadlineTimer?.cancel()
        self.promise.completeWith(result)
    }
}

@available(*, unavailable)
extension TFTPReadHandler: Sendable {}
