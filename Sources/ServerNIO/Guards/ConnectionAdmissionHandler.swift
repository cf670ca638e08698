import NIOCore

/// Sits in a TCP listener's server channel, ahead of the bootstrap's accept handler, and sees every accepted
/// socket before its pipeline is built (the place of hummingbird's `AvailableConnectionsChannelHandler`).
///
/// A refused socket is closed at once: it never gets a pipeline, a session or a timer, so a port scan or a
/// connect/close flood costs an accept and a close (CVE-2007-1833). An admitted one is counted until it closes.
final class ConnectionAdmissionHandler: ChannelInboundHandler {
    typealias InboundIn = any Channel
    typealias InboundOut = any Channel

    private let listenerGuard: ListenerGuard

    init(listenerGuard: ListenerGuard) {
        self.listenerGuard = listenerGuard
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let child = self.unwrapInboundIn(data)
        let source = SourceAddress(child.remoteAddress)
        switch self.listenerGuard.admit(source) {
        case .accept:
            let listenerGuard = self.listenerGuard
            child.closeFuture.whenComplete { _ in listenerGuard.connectionClosed(source) }
            context.fireChannelRead(data)
        case .reject:
            child.close(promise: nil)
        }
    }
}

@available(*, unavailable)
extension ConnectionAdmissionHandler: Sendable {}
