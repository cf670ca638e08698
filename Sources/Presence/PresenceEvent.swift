public import CallControl

/// Something that happened, told to ``PresenceEngine/handle(_:)``: from CallControl (line states, registrations),
/// from the Store (users, device owners), from users (status, do-not-disturb) and from watchers (subscriptions).
public enum PresenceEvent: Hashable, Sendable {
    /// A directory number's state over all its calls changed (``CallCommand/lineStateChanged(_:_:)``).
    case lineStateChanged(DirectoryNumber, LineState)
    /// A device registered, or its profile or capabilities changed (``CallCommand/deviceStatusChanged(_:_:)``).
    /// Its BLF speed dials become watchers of their numbers and get their current states.
    case deviceRegistered(DeviceName, DeviceProfile, DeviceCapabilities)
    /// A device unregistered. Its BLF speed dials stop watching; the engine remembers its lines and owner, so that
    /// privacy of its numbers still applies while it is away.
    case deviceUnregistered(DeviceName)
    /// The Store says who owns the device; nil makes it a device-user named by its first line's number.
    case deviceOwnerChanged(DeviceName, owner: UserName?)
    /// The device is gone from the configuration: forget it.
    case deviceRemoved(DeviceName)
    /// A device's do-not-disturb feature was turned on or off (DND softkey, later).
    case doNotDisturbChanged(DeviceName, isOn: Bool)
    /// A user was added or changed in the Store (display name, capabilities, visibility).
    case userUpdated(PresenceUser)
    /// A user was deleted from the Store. Its status and visibility are forgotten (visible to everyone again, if its
    /// name still names a device-user).
    case userRemoved(UserName)
    /// A user set their status. Ignored for a name the engine does not know (``PresenceEngine/knows(_:)``).
    case statusChanged(UserName, UserStatus)
    /// Start watching: the watcher gets the target's current view at once, then every change it may see.
    case subscribe(Watcher, to: WatchTarget)
    /// Stop watching one target.
    case unsubscribe(Watcher, from: WatchTarget)
    /// Stop watching everything (an event stream closed, a client logged out).
    case unsubscribeAll(Watcher)

    /// The presence event a CallControl command stands for, or nil for commands presence does not use.
    public init?(_ command: CallCommand) {
        switch command {
        case .lineStateChanged(let number, let state):
            self = .lineStateChanged(number, state)
        case .deviceStatusChanged(let device, .registered(let profile, let capabilities)):
            self = .deviceRegistered(device, profile, capabilities)
        case .deviceStatusChanged(let device, .unregistered):
            self = .deviceUnregistered(device)
        case .doNotDisturbChanged(let device, let isOn):
            self = .doNotDisturbChanged(device, isOn: isOn)
        case .registrationAccepted, .registrationRejected, .autoRegistered, .configurationChanged, .unregister,
            .indicate, .openReceiveChannel, .startMediaTransmission, .closeMedia, .startTimer, .cancelTimer,
            .callRecord, .messageWaiting, .notify, .trunk, .trunkAttachRefused, .media, .mediaServerAttachRefused:
            return nil
        }
    }
}
