import AdminHTTP
import Provisioning
import Store

/// The phone services' data (docs/phone-services.md): the corporate directory and Messages from the Store,
/// presence through ``AdminPresence`` (the same interface the admin API uses, so this file never reaches into the
/// call-control host), and where a phone is registered through an injected lookup.
struct StorePhoneServicesSource: PhoneServicesSource {
    let store: Store
    /// Presence as users see it (`HostPresence` in `strowger serve`).
    let presence: any AdminPresence
    /// The IP address the device named so is registered from now; nil when it is not registered.
    let registeredAddress: @Sendable (String) async throws -> String?

    func directory(
        firstName: String,
        lastName: String,
        number: String,
        offset: Int,
        limit: Int
    ) async throws -> PhoneServices.DirectoryPage {
        let page = try await self.store.phoneDirectory(
            firstName: firstName,
            lastName: lastName,
            number: number,
            offset: offset,
            limit: limit
        )
        return PhoneServices.DirectoryPage(
            entries: page.entries.map { .init(name: $0.name.isEmpty ? $0.number : $0.name, telephone: $0.number) },
            total: page.total
        )
    }

    func presence(seenFromDevice device: String) async throws -> [PhoneServices.PresenceEntry]? {
        guard let details = try await self.store.deviceDetails(named: device).first else { return nil }
        // The device's user: its owner, or for an ownerless phone the presentity named by its first number.
        guard let viewer = details.owner ?? details.lines.first else { return [] }
        let everyone: [AdminAPI.Presence]
        do {
            everyone = try await self.presence.allPresence(as: viewer)
        } catch is AdminAPIError {
            // Presence does not know the viewer (yet): nobody to show.
            return []
        }
        let numbers = try await self.store.userNumbers()
        return everyone.compactMap { person -> PhoneServices.PresenceEntry? in
            guard person.visible, person.user != viewer, let state = Self.state(person.state) else { return nil }
            // A device-user is named by its number; a user by name, with the number of their first line.
            let number = numbers[person.user] ?? (person.user.allSatisfy(\.isNumber) ? person.user : nil)
            let name = person.displayName.flatMap { $0.isEmpty ? nil : $0 } ?? person.user
            return PhoneServices.PresenceEntry(name: name, number: number, state: state)
        }
    }

    func messages(ofDevice device: String) async throws -> PhoneServices.Messages? {
        guard try await self.store.device(named: device) != nil else { return nil }
        return PhoneServices.Messages(
            voicemailNumber: try await self.store.voicemailNumber(ofDevice: device),
            // The line's message-waiting flag (set over the admin API, issue 12), which also lights the lamp.
            messageWaiting: try await self.store.hasMessageWaiting(onDevice: device)
        )
    }

    func isRegistered(_ device: String, from address: String) async throws -> Bool {
        guard let registered = try await self.registeredAddress(device) else { return false }
        return Self.sameAddress(registered, address)
    }

    /// Push authentication: the user ID is the name of an admin token and the password is that token.
    func authorizesPush(userID: String, password: String, device: String) async throws -> Bool {
        guard try await self.store.device(named: device) != nil,
            let token = try await self.store.adminToken(matching: password)
        else { return false }
        return token.name == userID
    }

    /// `::ffff:192.0.2.1` and `192.0.2.1` are the same address.
    static func sameAddress(_ lhs: String, _ rhs: String) -> Bool {
        func plain(_ address: String) -> String {
            let lower = address.lowercased()
            return lower.hasPrefix("::ffff:") && lower.contains(".") ? String(lower.dropFirst(7)) : lower
        }
        return plain(lhs) == plain(rhs)
    }

    static func state(_ name: String) -> PhoneServices.PresenceState? {
        switch name {
        case "available": .available
        case "onCall": .onCall
        case "ringing": .ringing
        case "onHold": .onHold
        case "dnd": .doNotDisturb
        case "busy": .busy
        case "away": .away
        case "offline": .offline
        default: nil
        }
    }
}
