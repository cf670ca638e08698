/// Who may see a user's presence (issue 8 §3). The user always sees their own; BLF lamps and the API both obey it.
public enum PresenceVisibility: Hashable, Sendable {
    /// Everyone, including anonymous API clients (the default).
    case everyone
    /// No one but the user.
    case nobody
    /// The listed users only (and the user).
    case only(Set<UserName>)

    /// Whether `viewer` (nil: an anonymous client) may see the presence of `owner`.
    public func allows(_ viewer: UserName?, toSee owner: UserName) -> Bool {
        if viewer == owner { return true }
        switch self {
        case .everyone: return true
        case .nobody: return false
        case .only(let allowed): return viewer.map(allowed.contains) ?? false
        }
    }
}
