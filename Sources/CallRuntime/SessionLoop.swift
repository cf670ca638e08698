public import CallControl
public import NIOCore

/// The endpoint sessions that live on one event loop, as the host sees them: their way in to the core and the
/// core's way back to them, with one hop between the loops per tick in each direction instead of one per event.
///
/// A session that lives on an event loop (an SCCP connection on its channel's loop) gets its loop's `SessionLoop`
/// once (``CallControlHost/sessionLoop(for:)``) and submits its events through it, on that loop
/// (``submit(_:from:)``). Every event that the loop's sessions submit during one tick of the loop reaches the core's
/// loop in one task, at the end of the tick (at once, without a task, when the core runs on the same loop). The
/// core's commands and presence's lamps for the sessions that registered through a `SessionLoop` are collected while
/// the host works through a batch, and handed back in one task per loop, after the batch; each session's
/// ``EndpointSession/deliver(_:)-(CallCommand)`` is then called on the session's own loop. Under load a tick carries
/// many events, so each thread wake-up (an `eventfd` write, a context switch) is shared by many; a lone event waits
/// for nothing but the end of its tick.
///
/// Ordering is what `submit(_:from:)` on the host guarantees: one session's events reach the core in the order
/// submitted, and one session's deliveries (commands, lamps, its closing) in the core's order.
public final class SessionLoop: Sendable {
    /// The loop the sessions live on.
    public let eventLoop: any EventLoop
    /// The host lives at least as long as any session that can submit (each holds it); tasks scheduled here capture it
    /// strongly, so a link never outlives its host's work.
    unowned let host: CallControlHost
    /// Touched only on `eventLoop`.
    private let inbound: NIOLoopBoundBox<Inbound>
    /// Touched only on the host's loop: what the host has for this loop's sessions since its last flush.
    let outbound: NIOLoopBoundBox<[Delivery]>

    /// Events that arrived during the current tick of `eventLoop`.
    struct Inbound {
        var events: [(event: CallEvent, session: any EndpointSession)] = []
        /// Whether the task that hands `events` to the host is scheduled on `eventLoop`.
        var isFlushScheduled = false
    }

    /// Something the host hands a session, in the host's order.
    enum Delivery: Sendable {
        case commands(any EndpointSession, [CallCommand])
        case busyLamps(any EndpointSession, [BusyLampUpdate])
        case close(any EndpointSession)

        func carryOut() {
            switch self {
            case .commands(let session, let commands): session.deliver(commands)
            case .busyLamps(let session, let lamps): session.deliver(lamps)
            case .close(let session): session.close()
            }
        }
    }

    init(eventLoop: any EventLoop, host: CallControlHost) {
        self.eventLoop = eventLoop
        self.host = host
        self.inbound = NIOLoopBoundBox.makeBoxSendingValue(Inbound(), eventLoop: eventLoop)
        self.outbound = NIOLoopBoundBox.makeBoxSendingValue([], eventLoop: host.eventLoop)
    }

    /// Hands an event from `session`, which lives on this loop, to the core: it goes with every other event of this
    /// tick, in order. Must be called on ``eventLoop``. The rules of ``CallControlHost/submit(_:from:)`` apply:
    /// only the session that speaks for an owner may act for it.
    public func submit(_ event: CallEvent, from session: any EndpointSession) {
        self.inbound.value.events.append((event, session))
        guard !self.inbound.value.isFlushScheduled else { return }
        self.inbound.value.isFlushScheduled = true
        // Runs after everything this tick brought (the channels' reads, then the tasks queued before it).
        let host = self.host
        self.eventLoop.execute { self.flushInbound(to: host) }
    }

    private func flushInbound(to host: CallControlHost) {
        let events = self.inbound.value.events
        self.inbound.value = Inbound()
        if host.eventLoop === self.eventLoop {
            host.handle(events, via: self)
        } else {
            host.eventLoop.execute { host.handle(events, via: self) }
        }
    }

    /// On the host's loop: hands what the host collected to the sessions, on this loop.
    func flushOutbound() {
        let deliveries = self.outbound.value
        self.outbound.value = []
        guard !deliveries.isEmpty else { return }
        if self.eventLoop === self.host.eventLoop {
            // A task of the host's loop, not a channel callback: a session can take its commands at once.
            for delivery in deliveries { delivery.carryOut() }
        } else {
            self.eventLoop.execute {
                for delivery in deliveries { delivery.carryOut() }
            }
        }
    }
}
