public import Logging
public import ServiceLifecycle

#if canImport(Glibc)
import Glibc
#endif

/// Hands memory back to the system after a surge of connections has passed.
///
/// A thousand connections that come and go (a scan, an idle-connection flood, a registration storm) raise the
/// process's RSS by about 6 MB that glibc's allocator keeps for reuse once they are freed: freed, not leaked (a
/// second surge reuses it), but it would stay counted against the server for good. When the open connections have
/// fallen to half or less of their peak since the last trim, and that peak was at least ``minimumPeak``, this asks
/// glibc to return its free pages (`malloc_trim(0)`): at most once per interval, never on the path of a message.
/// Elsewhere than glibc it does nothing.
public struct MemoryTrimmer: Service {
    /// Surges smaller than this many connections are not worth a trim.
    public static let minimumPeak = 256

    private let interval: Duration
    private let logger: Logger
    private let openConnections: @Sendable () -> Int

    /// - Parameter openConnections: the connections open now, over every listener.
    public init(
        interval: Duration = .seconds(5),
        logger: Logger,
        openConnections: @escaping @Sendable () -> Int
    ) {
        self.interval = interval
        self.logger = logger
        self.openConnections = openConnections
    }

    /// glibc's `malloc_trim`, looked up at run time (Swift's Glibc module does not export `<malloc.h>`); nil elsewhere.
    static let mallocTrim: (@convention(c) (Int) -> Int32)? = {
        #if canImport(Glibc)
        guard let handle = dlopen(nil, RTLD_NOW), let symbol = dlsym(handle, "malloc_trim") else { return nil }
        return unsafeBitCast(symbol, to: (@convention(c) (Int) -> Int32).self)
        #else
        return nil
        #endif
    }()

    /// Whether a trim is due, given the peak since the last one and the connections open now.
    static func shouldTrim(peak: Int, open: Int) -> Bool {
        peak >= Self.minimumPeak && open * 2 <= peak
    }

    public func run() async throws {
        var peak = 0
        while !Task.isCancelled && !Task.isShuttingDownGracefully {
            // Sample more often than the interval, so that a short surge's peak is seen.
            for _ in 0..<10 {
                let interval = self.interval / 10
                do {
                    try await cancelWhenGracefulShutdown { try await Task.sleep(for: interval) }
                } catch {
                    return
                }
                peak = max(peak, self.openConnections())
            }
            let open = self.openConnections()
            guard Self.shouldTrim(peak: peak, open: open) else { continue }
            if let trim = Self.mallocTrim {
                let released = trim(0)
                self.logger.debug(
                    "Memory trimmed after a connection surge",
                    metadata: ["memory.peakConnections": "\(peak)", "memory.released": "\(released != 0)"]
                )
            }
            peak = open
        }
    }
}
