/// Two directories are equal when they hold the same configuration: devices, line settings, route patterns (in order),
/// settings, and the order in which devices carry each number (which decides the device a shared number rings first).
/// The dial-plan trie and the prefix counts are derived from these, so they are not compared.
///
/// Needed so that ``CallEvent`` (which can carry a whole directory in ``DirectoryChange/replace(_:)``) is `Hashable`,
/// which lets the session layer's actions be compared in transcript tests.
extension Directory: Hashable {
    public static func == (lhs: Directory, rhs: Directory) -> Bool {
        lhs.devices == rhs.devices && lhs.lines == rhs.lines && lhs.settings == rhs.settings
            && lhs.appearances == rhs.appearances && lhs.routePatterns == rhs.routePatterns
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(devices)
        hasher.combine(lines)
        hasher.combine(settings)
        hasher.combine(routePatterns)
    }
}
