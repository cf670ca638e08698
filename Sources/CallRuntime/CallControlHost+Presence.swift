import CallControl
import Logging
import NIOCore
public import Presence

/// Who reads a presence query or stream of the admin API.
public enum PresenceViewer: Hashable, Sendable {
    /// The administrator: sees every user, whatever their privacy (they configure it).
    case administrator
    /// A user: sees what that user may see; users who hide from them are `.hidden`.
    case user(UserName)
}

/// One presence change as a stream subscriber sees it.
public struct PresenceNotice: Hashable, Sendable {
    /// Increases by one for every change the host reports (to any stream), so a client can tell order and gaps.
    public var sequence: UInt64
    public var user: UserName
    public var view: PresenceView

    public init(sequence: UInt64, user: UserName, view: PresenceView) {
        self.sequence = sequence
        self.user = user
        self.view = view
    }
}

/// A subscriber to presence changes (the admin API's event stream): how it sees, and where its notices go.
struct PresenceStream {
    let viewer: PresenceViewer
    /// Called on the host's loop; must not block. Returns false when the subscriber cannot take more (its bounded
    /// queue overflowed): the host then drops the subscription.
    let deliver: @Sendable (PresenceNotice) -> Bool
    /// Users this stream was last told are hidden: a hidden user's changes are not reported again (the viewer may
    /// not even learn that something changed), only a change of what the viewer may see.
    var hiddenUsers: Set<UserName> = []
}

/// Presence beside the core (docs/presence.md, "Wiring"): the engine lives in the host's state, on the core's loop.
/// Line states and registrations reach it from ``run(_:)`` in the core's order; the Store's users and device owners,
/// the status users set and the API's queries come through the methods below. Its outputs go to the phones'
/// sessions (BLF lamps) and to the presence streams.
extension CallControlHost {
    /// The host's watcher of every user, the source of every stream's notices.
    static let presenceStreamWatcher = Watcher.administrator(0)

    /// Hands a presence event (from the Store: users, device owners; from the API: a status) to the engine. Safe
    /// from any thread; events are handled in the order submitted.
    public func submit(_ event: PresenceEvent) {
        self.eventLoop.execute {
            self.route(self.state.value.presence.handle(event))
        }
    }

    /// Hands several presence events to the engine, in order, in one hop to the core's loop (the Store's snapshot at
    /// start-up).
    public func submit(_ events: [PresenceEvent]) {
        self.eventLoop.execute {
            let state = self.state.value
            for event in events {
                self.route(state.presence.handle(event))
            }
        }
    }

    /// Sets a user's status and returns their presence as `viewer` sees it now; nil if presence does not know the
    /// name.
    public func setPresenceStatus(
        of user: UserName,
        to status: UserStatus,
        seenBy viewer: PresenceViewer = .administrator
    ) async throws -> PresenceView? {
        try await self.eventLoop.submit {
            let state = self.state.value
            guard state.presence.knows(user) else { return nil }
            self.route(state.presence.handle(.statusChanged(user, status)))
            return Self.view(of: user, in: state.presence, seenBy: viewer)
        }.get()
    }

    /// `user`'s presence as `viewer` sees it; nil if presence does not know the name.
    public func presence(of user: UserName, seenBy viewer: PresenceViewer) async throws -> PresenceView? {
        try await self.eventLoop.submit {
            Self.view(of: user, in: self.state.value.presence, seenBy: viewer)
        }.get()
    }

    /// Every user's presence as `viewer` sees it, by name.
    public func allPresence(seenBy viewer: PresenceViewer) async throws -> [(user: UserName, view: PresenceView)] {
        try await self.eventLoop.submit {
            Self.allViews(in: self.state.value.presence, seenBy: viewer)
        }.get()
    }

    /// Whether presence knows `user` (a user record, a device's owner, or an ownerless device's first number).
    public func knowsPresence(of user: UserName) async throws -> Bool {
        try await self.eventLoop.submit { self.state.value.presence.knows(user) }.get()
    }

    /// Counts for status pages and the benchmark.
    public func presenceCounts() async throws -> (users: Int, devices: Int, subscriptions: Int, streams: Int) {
        try await self.eventLoop.submit {
            let state = self.state.value
            return (
                state.presence.userCount, state.presence.deviceCount, state.presence.subscriptionCount,
                state.presenceStreams.count
            )
        }.get()
    }

    /// Subscribes a stream to every presence change, as `viewer` sees it. Returns the stream's id (for
    /// ``unsubscribePresence(_:)``) and every user's current view, by name; `deliver` then gets each change after
    /// that snapshot, in order, on the host's loop (it must not block; returning false ends the subscription).
    public func subscribePresence(
        seenBy viewer: PresenceViewer,
        deliver: @escaping @Sendable (PresenceNotice) -> Bool
    ) async throws -> (id: UInt64, snapshot: [PresenceNotice]) {
        try await self.eventLoop.submit {
            let state = self.state.value
            let id = state.nextPresenceStreamID
            state.nextPresenceStreamID += 1
            var stream = PresenceStream(viewer: viewer, deliver: deliver)
            let snapshot = Self.allViews(in: state.presence, seenBy: viewer).map { entry in
                if entry.view == .hidden { stream.hiddenUsers.insert(entry.user) }
                return PresenceNotice(sequence: state.presenceSequence, user: entry.user, view: entry.view)
            }
            state.presenceStreams[id] = stream
            return (id, snapshot)
        }.get()
    }

    /// Ends a stream's subscription. Safe from any thread.
    public func unsubscribePresence(_ id: UInt64) {
        self.eventLoop.execute {
            self.state.value.presenceStreams[id] = nil
        }
    }

    // MARK: On the core's loop

    /// Carries out the engine's outputs: lamps to each phone's session (one batch per phone, in order), user changes
    /// to every stream as its viewer may see them.
    func route(_ outputs: [PresenceOutput]) {
        guard !outputs.isEmpty else { return }
        let state = self.state.value
        var lamps: [DeviceName: [BusyLampUpdate]] = [:]
        var order: [DeviceName] = []
        for output in outputs {
            switch output {
            case .busyLamp(let device, let index, let lampState):
                if lamps[device] == nil {
                    order.append(device)
                    lamps[device] = [BusyLampUpdate(index: index, state: lampState)]
                } else {
                    lamps[device]?.append(BusyLampUpdate(index: index, state: lampState))
                }
            case .userPresence(Self.presenceStreamWatcher, let user, let view):
                state.presenceSequence += 1
                self.publish(user, view, sequence: state.presenceSequence)
            case .userPresence, .numberState:
                // No other watcher is subscribed by the host.
                continue
            }
        }
        for device in order {
            guard let updates = lamps[device], let entry = state.sessions[.device(device)] else { continue }
            self.deliver(.busyLamps(entry.session, updates), via: entry.loop)
        }
    }

    /// Tells every stream about a change of `user` (whom the administrator's watcher sees as `view`).
    private func publish(_ user: UserName, _ view: PresenceView, sequence: UInt64) {
        let state = self.state.value
        guard !state.presenceStreams.isEmpty else { return }
        var ended: [UInt64] = []
        for id in state.presenceStreams.keys {
            guard var stream = state.presenceStreams[id] else { continue }
            let seen: PresenceView
            switch stream.viewer {
            case .administrator:
                seen = view
            case .user(let viewer):
                seen = state.presence.presence(of: user, seenBy: viewer) ?? view
            }
            if seen == .hidden {
                // Told once that the user hides; nothing about their changes after that.
                guard stream.hiddenUsers.insert(user).inserted else { continue }
            } else {
                stream.hiddenUsers.remove(user)
            }
            state.presenceStreams[id] = stream
            if !stream.deliver(PresenceNotice(sequence: sequence, user: user, view: seen)) {
                ended.append(id)
            }
        }
        for id in ended {
            state.presenceStreams[id] = nil
            self.logger.info("A presence stream fell behind and was ended", metadata: ["presence.stream": "\(id)"])
        }
    }

    static func view(of user: UserName, in presence: PresenceEngine, seenBy viewer: PresenceViewer) -> PresenceView? {
        switch viewer {
        case .administrator: presence.presence(of: user).map(PresenceView.visible)
        case .user(let name): presence.presence(of: user, seenBy: name)
        }
    }

    static func allViews(
        in presence: PresenceEngine,
        seenBy viewer: PresenceViewer
    ) -> [(user: UserName, view: PresenceView)] {
        switch viewer {
        case .administrator:
            // Seen as each user by themselves: every user visible.
            presence.allPresence(seenBy: nil).map { entry in
                (entry.user, presence.presence(of: entry.user).map(PresenceView.visible) ?? entry.view)
            }
        case .user(let name):
            presence.allPresence(seenBy: name)
        }
    }
}
