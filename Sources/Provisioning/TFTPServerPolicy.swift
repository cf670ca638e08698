public import NIOCore

/// Decides, without I/O, what happens to each datagram arriving on the TFTP server port (UDP 69).
///
/// One owner (the listener's event loop) calls `datagramReceived(_:from:now:)` for every datagram on the server
/// port. A `.lookUp` decision reserves one of the `maximumConcurrentTransfers` slots; the owner then asks its
/// `TFTPFileProvider`, reports the result to `lookupCompleted(_:)`, and calls `transferEnded()` when a started
/// transfer is over. Time is an input (`now`), so the rate limiter is tested without sleeping.
///
/// Order of checks, cheapest and least revealing first:
/// 1. Not a well-formed RRQ/WRQ (junk of any size, or a DATA/ACK/ERROR/OACK sent to the server port) → dropped.
/// 2. The source is over its request rate (a token bucket per source address) → dropped, so that the server cannot
///    be used to reflect ERRORs at a spoofed address.
/// 3. WRQ → ERROR 2: Strowger serves files, it never stores them.
/// 4. Mode "mail" → ERROR 4 (RFC 1350 calls it obsolete).
/// 5. A file name with "..", a leading "/", a backslash, a NUL or a control character → ERROR 2.
/// 6. All transfer slots taken → dropped: the client sends its RRQ again after its timeout and gets served when a
///    slot frees, which after a power cut spreads thousands of booting phones over time by itself.
public struct TFTPServerPolicy<Source: Hashable & Sendable>: Sendable {
    public typealias Configuration = TFTPServerPolicyConfiguration

    /// What to do with a datagram on the server port.
    public enum RequestDecision: Hashable, Sendable {
        /// Look the file up; a transfer slot is now reserved until `lookupCompleted` or `transferEnded`.
        case lookUp(TFTPRequest)
        /// Answer the sender with this ERROR (from the server port) and forget the request.
        case reject(TFTPPacket, Reason)
        /// Send nothing.
        case drop(Reason)
    }

    /// What to do once the file provider has answered.
    public enum LookupDecision: Hashable, Sendable {
        /// Open a transfer socket and run a `TFTPTransferStateMachine`; the slot stays taken.
        case startTransfer
        /// Answer with this ERROR; the slot is released.
        case reject(TFTPPacket, Reason)
    }

    /// What the file provider answered.
    public enum LookupResult: Hashable, Sendable {
        case found
        case notFound
        /// The provider failed or missed its deadline.
        case failed
    }

    /// Why a request was not served; for counters and logs.
    public enum Reason: Hashable, Sendable, CustomStringConvertible {
        case malformed
        case notARequest
        case rateLimited
        case writeRequest
        case unsupportedMode
        case unsafeFilename
        case tooManyTransfers
        case fileNotFound
        case lookupFailed

        public var description: String {
            switch self {
            case .malformed: "malformed datagram"
            case .notARequest: "not a request"
            case .rateLimited: "rate limited"
            case .writeRequest: "write request"
            case .unsupportedMode: "unsupported mode"
            case .unsafeFilename: "unsafe file name"
            case .tooManyTransfers: "too many transfers"
            case .fileNotFound: "file not found"
            case .lookupFailed: "lookup failed"
            }
        }
    }

    private struct Bucket {
        var tokens: Double
        var updated: NIODeadline
    }

    private let configuration: Configuration
    private var buckets: [Source: Bucket] = [:]
    private var lastPrune: NIODeadline?
    /// Slots reserved by lookups and running transfers.
    public private(set) var activeTransfers = 0

    public init(configuration: Configuration = Configuration()) {
        self.configuration = configuration
    }

    /// How many sources' buckets are remembered now.
    public var trackedSources: Int { self.buckets.count }

    /// A datagram arrived on the server port from `source` (the sender's address without its port).
    public mutating func datagramReceived(
        _ datagram: ByteBuffer,
        from source: Source,
        now: NIODeadline
    )
        -> RequestDecision
    {
        let packet: TFTPPacket
        do {
            packet = try TFTPPacket(decoding: datagram)
        } catch {
            return .drop(.malformed)
        }
        let request: TFTPRequest
        let isWrite: Bool
        switch packet {
        case .readRequest(let read):
            request = read
            isWrite = false
        case .writeRequest(let write):
            request = write
            isWrite = true
        case .data, .acknowledgement, .error, .optionAcknowledgement:
            return .drop(.notARequest)
        }
        guard self.takeToken(for: source, now: now) else {
            return .drop(.rateLimited)
        }
        if isWrite {
            return .reject(.error(.accessViolation, message: "writes are not allowed"), .writeRequest)
        }
        switch request.mode {
        case .octet, .netascii:
            break
        case .mail:
            return .reject(.error(.illegalOperation, message: "mail mode is not supported"), .unsupportedMode)
        }
        guard Self.isSafe(filename: request.filename) else {
            return .reject(.error(.accessViolation, message: "file name not allowed"), .unsafeFilename)
        }
        guard self.activeTransfers < self.configuration.maximumConcurrentTransfers else {
            return .drop(.tooManyTransfers)
        }
        self.activeTransfers += 1
        return .lookUp(request)
    }

    /// The file provider answered for a request that got `.lookUp`.
    public mutating func lookupCompleted(_ result: LookupResult) -> LookupDecision {
        switch result {
        case .found:
            return .startTransfer
        case .notFound:
            self.releaseSlot()
            return .reject(.error(.fileNotFound, message: "file not found"), .fileNotFound)
        case .failed:
            self.releaseSlot()
            return .reject(.error(.notDefined, message: "file unavailable, try again"), .lookupFailed)
        }
    }

    /// A transfer that got `.startTransfer` is over, however it ended (or its socket could not be opened).
    public mutating func transferEnded() {
        self.releaseSlot()
    }

    /// Whether a file name may be looked up: printable ASCII, no "..", no leading "/", no backslash.
    ///
    /// The provider serves a flat namespace of generated files, so nothing legitimate needs a path; refusing these
    /// shapes outright keeps any later file-backed provider safe from "../" and absolute-path reads, the classic
    /// TFTP server hole.
    public static func isSafe(filename: String) -> Bool {
        guard !filename.isEmpty, !filename.hasPrefix("/"), !filename.contains("..") else { return false }
        return filename.utf8.allSatisfy { byte in
            byte >= 0x20 && byte < 0x7F && byte != UInt8(ascii: "\\")
        }
    }

    private mutating func releaseSlot() {
        self.activeTransfers = max(0, self.activeTransfers - 1)
    }

    /// Token bucket per source: `requestBurst` tokens, refilled at `requestsPerSecond`.
    private mutating func takeToken(for source: Source, now: NIODeadline) -> Bool {
        let capacity = Double(max(1, self.configuration.requestBurst))
        let rate = Double(max(0, self.configuration.requestsPerSecond))
        var bucket: Bucket
        if let existing = self.buckets[source] {
            bucket = existing
            let elapsed = Double(max(0, (now - bucket.updated).nanoseconds)) / 1_000_000_000
            bucket.tokens = min(capacity, bucket.tokens + elapsed * rate)
            bucket.updated = now
        } else {
            guard self.makeRoom(now: now, capacity: capacity, rate: rate) else { return false }
            bucket = Bucket(tokens: capacity, updated: now)
        }
        guard bucket.tokens >= 1 else {
            self.buckets[source] = bucket
            return false
        }
        bucket.tokens -= 1
        self.buckets[source] = bucket
        return true
    }

    /// Makes room for one more bucket: when the table is full, drops the buckets that have refilled (their sources
    /// are idle), at most once a second so that a flood of new sources cannot make every request scan the table.
    private mutating func makeRoom(now: NIODeadline, capacity: Double, rate: Double) -> Bool {
        guard self.buckets.count >= self.configuration.maximumTrackedSources else { return true }
        if let lastPrune = self.lastPrune, now - lastPrune < .seconds(1) { return false }
        self.lastPrune = now
        self.buckets = self.buckets.filter { _, bucket in
            let elapsed = Double(max(0, (now - bucket.updated).nanoseconds)) / 1_000_000_000
            return bucket.tokens + elapsed * rate < capacity
        }
        return self.buckets.count < self.configuration.maximumTrackedSources
    }
}

/// Bounds of the TFTP server port, for `TFTPServerPolicy`.
public struct TFTPServerPolicyConfiguration: Hashable, Sendable {
    /// Transfers running (or being looked up) at once; further requests are dropped until one ends.
    public var maximumConcurrentTransfers: Int
    /// Requests one source may send in a burst (the token bucket's size).
    public var requestBurst: Int
    /// Requests per second one source may sustain (the bucket's refill rate).
    public var requestsPerSecond: Int
    /// Sources whose buckets are remembered at once. When the table is full, idle (full) buckets are pruned;
    /// if none is idle, requests from new sources are dropped.
    public var maximumTrackedSources: Int

    public init(
        maximumConcurrentTransfers: Int = 512,
        requestBurst: Int = 20,
        requestsPerSecond: Int = 10,
        maximumTrackedSources: Int = 65536
    ) {
        self.maximumConcurrentTransfers = maximumConcurrentTransfers
        self.requestBurst = requestBurst
        self.requestsPerSecond = requestsPerSecond
        self.maximumTrackedSources = maximumTrackedSources
    }
}
