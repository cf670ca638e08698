#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// How the process's file descriptors are shared between the phones and everything else (issue 13: 20,000 idle
/// connections to the admin port used every descriptor, and SCCP, TFTP and HTTP stopped).
///
/// Every service but the phones' SCCP and SCCPS listeners has a cap, and the caps together are the *reserve*: the
/// admin API's connections, HTTP provisioning's connections, TFTP's transfer sockets, the SIP stream listeners'
/// connections and the process's own
/// descriptors. The phones get the rest, so no other service can ever starve them, and the phones cannot starve the
/// others either (the SCCP listeners' connection caps are lowered to what is left). Where the limit is small, each
/// cap is also held to a share of it, so that phones always keep most of the descriptors.
public struct DescriptorBudget: Hashable, Sendable {
    /// Descriptors the process needs besides connections: the listening sockets, each event loop's epoll and
    /// eventfd, the database, its WAL and shared memory, the lock file, stdio, certificate files read at start.
    /// 64 covers them with room.
    public static let ownDescriptors = 64

    /// The process's descriptor limit (RLIMIT_NOFILE's soft limit, after ``raiseLimit()``).
    public var limit: Int
    /// Connections the admin API accepts at once.
    public var adminConnections: Int
    /// Connections HTTP provisioning accepts at once.
    public var httpConnections: Int
    /// TFTP transfers at once (one socket each).
    public var tftpTransfers: Int
    /// Connections each SIP stream listener (TCP, TLS) accepts at once; 0 for a listener that is off.
    public var sipConnectionsPerListener: Int
    /// SIP stream listeners running (TCP and TLS: 0, 1 or 2).
    public var sipListeners: Int

    /// Sizes the budget for `limit`: each non-phone cap at most its default and at most a share of the limit
    /// (admin 1/32, HTTP and TFTP 1/16 each, each SIP stream listener 1/64: trunks are few), so that phones get at
    /// least three quarters of any limit (about two thirds with SIP on TCP and TLS).
    public init(
        limit: Int,
        adminConnections: Int = 64,
        httpConnections: Int = 512,
        tftpTransfers: Int = 512,
        sipConnectionsPerListener: Int = 1_024,
        sipListeners: Int = 0
    ) {
        self.limit = limit
        self.adminConnections = max(4, min(adminConnections, limit / 32))
        self.httpConnections = max(4, min(httpConnections, limit / 16))
        self.tftpTransfers = max(4, min(tftpTransfers, limit / 16))
        self.sipListeners = max(0, min(2, sipListeners))
        self.sipConnectionsPerListener = self.sipListeners == 0 ? 0 : max(4, min(sipConnectionsPerListener, limit / 64))
    }

    /// Descriptors kept for everything but the phones.
    public var reserve: Int {
        Self.ownDescriptors + self.adminConnections + self.httpConnections + self.tftpTransfers
            + self.sipListeners * self.sipConnectionsPerListener
    }

    /// Connections the phones (SCCP and SCCPS together) may hold.
    public var phoneConnections: Int {
        max(0, self.limit - self.reserve)
    }

    /// Raises the soft descriptor limit to the hard one (as servers do: the soft limit is often 1,024 while the hard
    /// one allows far more) and returns the limit in force.
    @discardableResult
    public static func raiseLimit() -> Int {
        var limits = rlimit()
        guard getrlimit(Self.resourceNoFile, &limits) == 0 else { return 1_024 }
        if limits.rlim_cur < limits.rlim_max {
            var raised = limits
            raised.rlim_cur = limits.rlim_max
            if setrlimit(Self.resourceNoFile, &raised) == 0 { limits = raised }
        }
        // RLIM_INFINITY (or anything beyond Int32) is as good as unlimited.
        return Int(clamping: min(limits.rlim_cur, rlim_t(Int32.max)))
    }

    #if os(Linux)
    private static let resourceNoFile = __rlimit_resource_t(RLIMIT_NOFILE.rawValue)
    #else
    private static let resourceNoFile = RLIMIT_NOFILE
    #endif
}
