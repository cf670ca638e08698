public import CallControl

/// What a watcher watches.
public enum WatchTarget: Hashable, Sendable {
    /// One user's presence.
    case user(UserName)
    /// One directory number's line state (what a BLF speed dial shows).
    case number(DirectoryNumber)
    /// Every user's presence: the admin API's event stream. Subscribing returns every user's current view.
    case allUsers
}

/// Someone who watches. Each kind sees with an identity that privacy is checked against.
public enum Watcher: Hashable, Sendable {
    /// A BLF speed dial: button `index` of a device. Sees as the device's user (its owner, or the device-user).
    /// Its updates are ``PresenceOutput/busyLamp(_:index:_:)`` for the device's session.
    case busyLampField(DeviceName, index: UInt32)
    /// A user watching (a buddy list through the API, SIP SUBSCRIBE later). Sees as that user.
    case user(UserName)
    /// An anonymous API client, such as an admin's event stream, told apart by an id the host picks. Sees only what
    /// everyone may see.
    case anonymous(UInt64)
    /// The server's administrator (the admin API's own view, with no viewing user named), told apart by an id the
    /// host picks. Privacy does not apply: the administrator configures who may see whom, and sees everyone.
    case administrator(UInt64)
}
