import AdminHTTP
import CallControl
import CallRuntime
import Logging
import Presence
import ServerNIO
import ServiceLifecycle
import Store

/// Presence wiring (issue 8, docs/presence.md "Wiring"): the Store's users and device owners reach the engine in the
/// CallControl host, at start-up and on every committed change; the admin API reads and sets presence through
/// ``HostPresence``.
extension StrowgerApplication {
    /// Gives the host's presence engine the Store's users and device owners now, and returns the service that keeps
    /// them current.
    static func startPresence(store: Store, host: CallControlHost) async throws -> PresenceStoreForwarder {
        let (directory, changes) = try await store.presenceDirectoryAndChanges()
        var events: [PresenceEvent] = []
        for user in directory.users { events += PresenceStoreForwarder.events(for: user) }
        for device in directory.devices {
            events.append(.deviceOwnerChanged(device.device, owner: device.owner.map(UserName.init(rawValue:))))
        }
        host.submit(events)
        return PresenceStoreForwarder(changes: changes, host: host)
    }
}

/// Feeds the Store's committed changes to users and device owners to the host's presence engine, in commit order,
/// so that privacy, capabilities and ownership apply live.
final class PresenceStoreForwarder: Service, Sendable {
    private let changes: AsyncStream<PresenceDirectoryChange>
    private let host: CallControlHost

    init(changes: AsyncStream<PresenceDirectoryChange>, host: CallControlHost) {
        self.changes = changes
        self.host = host
    }

    func run() async {
        for await change in changes.cancelOnGracefulShutdown() {
            host.submit(Self.events(for: change))
        }
    }

    static func events(for change: PresenceDirectoryChange) -> [PresenceEvent] {
        switch change {
        case .upsertUser(let user):
            events(for: user)
        case .removeUser(let name):
            [.userRemoved(UserName(name))]
        case .deviceOwner(let device, let owner):
            [.deviceOwnerChanged(device, owner: owner.map(UserName.init(rawValue:)))]
        case .removeDevice(let device):
            [.deviceRemoved(device)]
        }
    }

    /// A user record as presence sees it: the user (capabilities, privacy) and the status they set.
    static func events(for user: UserRecord) -> [PresenceEvent] {
        let name = UserName(user.name)
        let visibility: PresenceVisibility =
            switch user.presenceVisibility {
            case .everyone: .everyone
            case .nobody: .nobody
            case .allowList: .only(Set(user.presenceAllowList.map(UserName.init(rawValue:))))
            }
        let presenceUser = PresenceUser(
            name: name,
            displayName: user.displayName,
            capabilities: PresenceCapabilities(rawValue: user.capabilities.rawValue),
            visibility: visibility
        )
        let availability = availability(user.presenceStatus)
        // The Store checks the note as UserStatus does; should one slip through, the status stands without it.
        let status = UserStatus(availability, note: user.presenceNote) ?? UserStatus(availability) ?? .available
        return [.userUpdated(presenceUser), .statusChanged(name, status)]
    }

    static func availability(_ status: UserRecord.PresenceStatus) -> Availability {
        switch status {
        case .available: .available
        case .away: .away
        case .busy: .busy
        case .dnd: .doNotDisturb
        }
    }
}

/// The admin API's presence (``AdminPresence``) on top of the host's engine and the Store.
struct HostPresence: AdminPresence {
    let host: CallControlHost
    let store: Store

    func allPresence(as viewer: String?) async throws -> [AdminAPI.Presence] {
        let viewer = try await self.viewer(viewer)
        return try await host.allPresence(seenBy: viewer).map { Self.dto($0.user, $0.view) }
    }

    func presence(of user: String, as viewer: String?) async throws -> AdminAPI.Presence? {
        let viewer = try await self.viewer(viewer)
        guard let name = try await self.presentity(named: user),
            let view = try await host.presence(of: name, seenBy: viewer)
        else { return nil }
        return Self.dto(name, view)
    }

    func setStatus(
        of user: String,
        _ status: UserRecord.PresenceStatus,
        note: String
    ) async throws -> AdminAPI.Presence? {
        let availability = PresenceStoreForwarder.availability(status)
        guard let userStatus = UserStatus(availability, note: note) else {
            throw AdminAPIError.invalidValue("presence.note", "presence note is not valid")
        }
        if let record = try await store.user(named: user) {
            // A user with a record: the status is kept across restarts, and reaches the engine through the Store's
            // change feed, in commit order with every other change to the user (telling the engine directly too
            // could let two quick PUTs arrive out of order). The feed takes well under a millisecond; the answer
            // waits for it, a second at most.
            let updated = try await store.setPresenceStatus(ofUserNamed: record.name, status, note: note)
            let name = UserName(updated.name)
            let clock = ContinuousClock()
            let deadline = clock.now.advanced(by: .seconds(1))
            while true {
                let view = try await host.presence(of: name, seenBy: .administrator)
                if let view, case .visible(let presence) = view, presence.status == userStatus {
                    return Self.dto(name, view)
                }
                guard clock.now < deadline else { return view.map { Self.dto(name, $0) } }
                try await Task.sleep(for: .milliseconds(1))
            }
        }
        // A device-user (an ownerless phone) has no record: the engine alone keeps its status.
        let name = UserName(user)
        guard let view = try await host.setPresenceStatus(of: name, to: userStatus) else { return nil }
        return Self.dto(name, view)
    }

    func subscribe(
        as viewer: String?,
        queue: PresenceEventQueue
    ) async throws -> (snapshot: [AdminAPI.PresenceEvent], cancel: @Sendable () -> Void) {
        let viewer = try await self.viewer(viewer)
        let host = self.host
        let (id, snapshot) = try await host.subscribePresence(seenBy: viewer) { notice in
            queue.push(Self.event(notice))
        }
        return (snapshot.map(Self.event), { host.unsubscribePresence(id) })
    }

    // MARK: Names

    /// The presentity a path names: as spelled if presence knows it, otherwise the Store's spelling of a user name
    /// (user names are compared without regard to case there).
    private func presentity(named name: String) async throws -> UserName? {
        if try await host.knowsPresence(of: UserName(name)) { return UserName(name) }
        if let record = try await store.user(named: name), try await host.knowsPresence(of: UserName(record.name)) {
            return UserName(record.name)
        }
        return nil
    }

    private func viewer(_ name: String?) async throws -> PresenceViewer {
        guard let name else { return .administrator }
        guard let user = try await presentity(named: name) else {
            throw AdminAPIError.invalidValue("as", "as must name a user presence knows, not \"\(name)\"")
        }
        return .user(user)
    }

    // MARK: JSON shapes

    static func event(_ notice: PresenceNotice) -> AdminAPI.PresenceEvent {
        AdminAPI.PresenceEvent(sequence: notice.sequence, presence: dto(notice.user, notice.view))
    }

    static func dto(_ user: UserName, _ view: PresenceView) -> AdminAPI.Presence {
        guard case .visible(let presence) = view else { return .hidden(user.rawValue) }
        var capabilities: [String] = []
        if presence.capabilities.contains(.voice) { capabilities.append("voice") }
        if presence.capabilities.contains(.video) { capabilities.append("video") }
        if presence.capabilities.contains(.web) { capabilities.append("web") }
        return AdminAPI.Presence(
            user: user.rawValue,
            visible: true,
            state: stateName(presence.state),
            activity: activityName(presence.activity),
            status: statusName(presence.status.availability),
            note: presence.status.note,
            capabilities: capabilities,
            displayName: presence.displayName
        )
    }

    static func stateName(_ state: PresenceState) -> String {
        switch state {
        case .offline: "offline"
        case .onCall: "onCall"
        case .ringing: "ringing"
        case .onHold: "onHold"
        case .doNotDisturb: "dnd"
        case .busy: "busy"
        case .away: "away"
        case .available: "available"
        }
    }

    static func activityName(_ activity: PresenceActivity) -> String {
        switch activity {
        case .offline: "offline"
        case .available: "available"
        case .onCall: "onCall"
        case .ringing: "ringing"
        case .onHold: "onHold"
        case .doNotDisturb: "dnd"
        }
    }

    static func statusName(_ availability: Availability) -> String {
        switch availability {
        case .available: "available"
        case .away: "away"
        case .busy: "busy"
        case .doNotDisturb: "dnd"
        }
    }
}
