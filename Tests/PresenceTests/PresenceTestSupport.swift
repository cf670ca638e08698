import CallControl
import Presence

/// Shared fixtures: phones with one line each unless a test says otherwise.
///
/// | user | device | line |
/// |---|---|---|
/// | alice | `SEP00000000000A` | 1001 |
/// | bob | `SEP00000000000B` | 1002 |
/// | carol | `SEP00000000000C` | 1003 |
enum P {
    static let alice: UserName = "alice"
    static let bob: UserName = "bob"
    static let carol: UserName = "carol"

    static let alicePhone: DeviceName = "SEP00000000000A"
    static let bobPhone: DeviceName = "SEP00000000000B"
    static let carolPhone: DeviceName = "SEP00000000000C"

    static func profile(_ device: DeviceName, lines: [DirectoryNumber], speedDials: [SpeedDial] = []) -> DeviceProfile {
        DeviceProfile(
            name: device,
            lines: lines.enumerated().map {
                LineAppearance(instance: LineInstance(UInt32($0.offset + 1)), number: $0.element, displayName: "")
            },
            speedDials: speedDials
        )
    }

    static func blf(_ index: UInt32, _ number: String) -> SpeedDial {
        SpeedDial(index: index, number: number, label: number, isBusyLampField: true)
    }

    static func status(_ availability: Availability, _ note: String = "") -> UserStatus {
        guard let status = UserStatus(availability, note: note) else { preconditionFailure("bad test status") }
        return status
    }
}

extension PresenceEngine {
    /// Feeds several events, returning all outputs.
    @discardableResult
    mutating func send(_ events: PresenceEvent...) -> [PresenceOutput] {
        events.flatMap { handle($0) }
    }

    /// A user record (public unless said) owning `device`, registered with `lines` and `speedDials`.
    @discardableResult
    mutating func addUser(
        _ name: UserName,
        device: DeviceName,
        lines: [DirectoryNumber],
        speedDials: [SpeedDial] = [],
        visibility: PresenceVisibility = .everyone,
        capabilities: DeviceCapabilities = .unknown
    ) -> [PresenceOutput] {
        send(
            .userUpdated(
                PresenceUser(
                    name: name,
                    displayName: name.rawValue.prefix(1).uppercased() + name.rawValue.dropFirst(),
                    visibility: visibility
                )
            ),
            .deviceOwnerChanged(device, owner: name),
            .deviceRegistered(device, P.profile(device, lines: lines, speedDials: speedDials), capabilities)
        )
    }

    /// Alice, Bob and Carol, each public with one registered phone.
    static func threeUsers() -> PresenceEngine {
        var engine = PresenceEngine()
        engine.addUser(P.alice, device: P.alicePhone, lines: ["1001"])
        engine.addUser(P.bob, device: P.bobPhone, lines: ["1002"])
        engine.addUser(P.carol, device: P.carolPhone, lines: ["1003"])
        return engine
    }

    /// How anonymous sees `user`, unwrapped (tests of aggregation use public users).
    func presence(_ user: UserName) -> UserPresence? {
        guard case .visible(let presence) = presence(of: user, seenBy: user) else { return nil }
        return presence
    }

    func state(_ user: UserName) -> PresenceState? { presence(user)?.state }
}
