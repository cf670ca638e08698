import Certificates
import Logging
import NIOConcurrencyHelpers
import NIOCore
import NIOSSL
import NIOTLS

/// Sits right behind `NIOSSLServerHandler`: closes the connection if the handshake has not completed within the
/// deadline, and once it has, fires `TLSPeerIdentity` with the verified client certificate's CN. It then removes
/// itself, so that it costs nothing per frame.
final class TLSHandshakeHandler: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = ByteBuffer
    typealias InboundOut = ByteBuffer

    private let timeout: TimeAmount
    /// With `.opportunistic` client authentication: whether the client's certificate was the Strowger CA's.
    private let verdict: TLSClientCertificateVerdict?
    private let logger: Logger
    private let counters: TLSCounters
    private var deadline: Scheduled<Void>?
    /// Whether the handshake completed, failed or timed out: whatever happens first is counted, once.
    private var finished = false

    init(timeout: TimeAmount, logger: Logger, counters: TLSCounters, verdict: TLSClientCertificateVerdict? = nil) {
        self.timeout = timeout
        self.verdict = verdict
        self.logger = logger
        self.counters = counters
    }

    func handlerAdded(context: ChannelHandlerContext) {
        if context.channel.isActive {
            self.startDeadline(context: context)
        }
    }

    func channelActive(context: ChannelHandlerContext) {
        self.startDeadline(context: context)
        context.fireChannelActive()
    }

    func handlerRemoved(context: ChannelHandlerContext) {
        self.cancelDeadline()
    }

    func channelInactive(context: ChannelHandlerContext) {
        self.cancelDeadline()
        context.fireChannelInactive()
    }

    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        guard let tlsEvent = event as? TLSUserEvent, case .handshakeCompleted = tlsEvent else {
            context.fireUserInboundEventTriggered(event)
            return
        }
        self.cancelDeadline()
        if !self.finished {
            self.finished = true
            self.counters.value.withLockedValue { $0.handshakesCompleted += 1 }
        }
        // With verification on, NIOSSL only completes a handshake whose client certificate verified. The TLS handler
        // is found in the pipeline: with several server certificates it was added after this handler was.
        // With `.opportunistic`, a certificate from another CA (a phone's MIC) was let through, and names nobody.
        let sslHandler = try? context.pipeline.syncOperations.handler(type: NIOSSLServerHandler.self)
        let commonName = sslHandler?.peerCertificate.flatMap { certificate -> String? in
            guard self.verdict?.issuedByTheCA ?? true else { return nil }
            return (try? certificate.toDERBytes()).flatMap { DeviceCertificate.commonName(derEncoded: $0) }
        }
        context.fireUserInboundEventTriggered(event)
        context.fireUserInboundEventTriggered(TLSPeerIdentity(commonName: commonName))
        context.pipeline.syncOperations.removeHandler(context: context, promise: nil)
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        if !self.finished {
            // Most often a client certificate that is missing or not from the CA, or a client that is not TLS.
            self.finished = true
            self.cancelDeadline()
            self.counters.value.withLockedValue { $0.handshakeFailures += 1 }
            self.logger.debug(
                "SCCPS handshake failed",
                metadata: ["sccp.peer": "\(context.channel.remoteAddress.map { "\($0)" } ?? "?")", "error": "\(error)"]
            )
            // The TLS handler has sent its alert; nothing useful can follow on this connection.
            context.fireUserInboundEventTriggered(TLSHandshakeFailure.failed)
            context.close(promise: nil)
        }
        context.fireErrorCaught(error)
    }

    private func startDeadline(context: ChannelHandlerContext) {
        guard self.deadline == nil, !self.finished else { return }
        let loopBoundContext = context.loopBound
        self.deadline = context.eventLoop.assumeIsolated().scheduleTask(in: self.timeout) {
            let context = loopBoundContext.value
            guard !self.finished else { return }
            self.finished = true
            self.counters.value.withLockedValue { $0.handshakeTimeouts += 1 }
            self.logger.debug(
                "SCCPS handshake timed out",
                metadata: ["sccp.peer": "\(context.channel.remoteAddress.map { "\($0)" } ?? "?")"]
            )
            context.fireUserInboundEventTriggered(TLSHandshakeFailure.timedOut)
            context.close(promise: nil)
        }
    }

    private func cancelDeadline() {
        self.deadline?.cancel()
        self.deadline = nil
    }
}

@available(*, unavailable)
extension TLSHandshakeHandler: Sendable {}
