public import CallControl

/// Something the host must pass on, returned by ``PresenceEngine/handle(_:)``. Privacy is already applied.
public enum PresenceOutput: Hashable, Sendable {
    /// Set BLF speed dial `index` of `device` to this state (SkinnySession's `busyLampFieldChanged(index:state:)`).
    case busyLamp(DeviceName, index: UInt32, BusyLampState)
    /// Tell `watcher` how it now sees `user`.
    case userPresence(Watcher, UserName, PresenceView)
    /// Tell `watcher` the state of `number` as it may see it (``BusyLampState/unknown`` when hidden).
    case numberState(Watcher, DirectoryNumber, BusyLampState)
}
