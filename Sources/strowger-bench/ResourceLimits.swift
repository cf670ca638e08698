import NIOPosix

/// The per-process file-descriptor limit: the bench holds one socket per phone (two with RTP).
enum ResourceLimits {
    /// Raises RLIMIT_NOFILE so that at least `needed` descriptors can be open: the soft limit up to the hard one,
    /// and the hard one too when the process may (root). Returns the soft limit now in force.
    @discardableResult
    static func raiseFileDescriptorLimit(to needed: Int) -> Int {
        var limit = rlimit()
        guard getrlimit(resourceNoFile, &limit) == 0 else { return 0 }
        let wanted = rlim_t(needed)
        if limit.rlim_cur >= wanted { return Int(clamping: limit.rlim_cur) }
        var raised = limit
        raised.rlim_cur = wanted
        if raised.rlim_max < wanted {
            raised.rlim_max = wanted
        }
        if setrlimit(resourceNoFile, &raised) != 0 {
            // Not allowed to raise the hard limit: take what the hard limit allows.
            raised = limit
            raised.rlim_cur = limit.rlim_max
            _ = setrlimit(resourceNoFile, &raised)
        }
        _ = getrlimit(resourceNoFile, &limit)
        return Int(clamping: limit.rlim_cur)
    }

    #if os(Linux)
    private static let resourceNoFile = __rlimit_resource_t(RLIMIT_NOFILE.rawValue)
    #else
    private static let resourceNoFile = RLIMIT_NOFILE
    #endif

    /// The local port range connections draw from (Linux), e.g. 32768...60999.
    static func ephemeralPortRange() -> ClosedRange<Int>? {
        guard let text = ProcFile.read("/proc/sys/net/ipv4/ip_local_port_range") else { return nil }
        let parts = text.split(whereSeparator: { $0 == " " || $0 == "\t" || $0 == "\n" }).compactMap { Int($0) }
        guard parts.count == 2, parts[0] <= parts[1] else { return nil }
        return parts[0]...parts[1]
    }
}
