public import NIOCore

/// Decides, without I/O, what happens to each datagram arriving on the TFTP server port (UDP 69).
///
/// One owner (the listener's event loop) calls `datagramReceived(_:from:now:)` for every datagram on the server
/// port. A `.lookUp` decision reserves one of the `maximumConcurrentTransfers` slots, named by a ``Slot``; the owner
/// then asks its `TFTPFileProvider`, reports the result to `lookupCompleted(_:_:)`, tells `transferStalled(_:now:)`
/// and `transferProgressed(_:)` as the transfer's packets go unanswered or are acknowledged, and calls
/// `transferEnded(_:)` when a started transfer is over. Time is an input (`now`), so the rate limiter and the
/// eviction are tested without sleeping.
///
/// Order of checks, cheapest and least revealing first:
/// 1. Not a well-formed RRQ/WRQ (junk of any size, or a DATA/ACK/ERROR/OACK sent to the server port) → dropped.
/// 2. The source is over its request rate (a token bucket per source address) → dropped, so that the server cannot
///    be used to reflect ERRORs at a spoofed address.
/// 3. WRQ → ERROR 2: Strowger serves files, it never stores them.
/// 4. Mode "mail" → ERROR 4 (RFC 1350 calls it obsolete).
/// 5. A file name with "..", a leading "/", a backslash, a NUL or a control character → ERROR 2.
/// 6. The source already holds `maximumTransfersPerSource` slots → dropped: one address cannot take the slots of
///    everyone else (issue 13: never-acknowledged requests from one address locked out every phone).
/// 7. All transfer slots taken → the oldest stalled transfer (its packet unanswered past its timeout) is ended to
///    make room; if none is stalled, the request is dropped: the client sends its RRQ again after its timeout and
///    gets served when a slot frees, which after a power cut spreads thousands of booting phones over time by
///    itself. A transfer that makes progress is never ended for another.
public struct TFTPServerPolicy<Source: Hashable & Sendable>: Sendable {
    public typealias Configuration = TFTPServerPolicyConfiguration

    /// Names one reserved slot: a lookup and then its transfer.
    public struct Slot: Hashable, Sendable, CustomStringConvertible {
        public let rawValue: UInt64

        public init(rawValue: UInt64) { self.rawValue = rawValue }

        public var description: String { "slot \(rawValue)" }
    }

    /// What to do with a datagram on the server port.
    public enum RequestDecision: Hashable, Sendable {
        /// Look the file up; `slot` is now reserved until `lookupCompleted` rejects or `transferEnded`. When
        /// `evicting` is set, every slot was taken and that stalled transfer lost its slot to this request: end it
        /// (its later `transferEnded` is ignored).
        case lookUp(TFTPRequest, slot: Slot, evicting: Slot?)
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
        case tooManyTransfersFromSource
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
            case .tooManyTransfersFromSource: "too many transfers from one source"
            case .fileNotFound: "file not found"
            case .lookupFailed: "lookup failed"
            }
        }
    }

    private struct Bucket {
        var tokens: Double
        var updated: NIODeadline
    }

    /// One reserved slot.
    private struct Reservation {
        var source: Source
        /// Set while the transfer's packet in flight is being retransmitted: since when.
        var stalledSince: NIODeadline?
    }

    private let configuration: Configuration
    private var buckets: [Source: Bucket] = [:]
    private var lastPrune: NIODeadline?
    private var reservations: [Slot: Reservation] = [:]
    private var slotsBySource: [Source: Int] = [:]
    private var nextSlot: UInt64 = 1

    /// Slots reserved by lookups and running transfers.
    public var activeTransfers: Int { self.reservations.count }

    /// Slots held by `source` now.
    public func activeTransfers(from source: Source) -> Int { self.slotsBySource[source, default: 0] }

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
        guard self.slotsBySource[source, default: 0] < max(1, self.configuration.maximumTransfersPerSource) else {
            return .drop(.tooManyTransfersFromSource)
        }
        var evicted: Slot?
        if self.reservations.count >= self.configuration.maximumConcurrentTransfers {
            guard let stalled = self.oldestStalledTransfer() else { return .drop(.tooManyTransfers) }
            self.release(stalled)
            evicted = stalled
        }
        let slot = Slot(rawValue: self.nextSlot)
        self.nextSlot += 1
        self.reservations[slot] = Reservation(source: source)
        self.slotsBySource[source, default: 0] += 1
        return .lookUp(request, slot: slot, evicting: evicted)
    }

    /// The file provider answered for the request that got `.lookUp` with `slot`.
    public mutating func lookupCompleted(_ slot: Slot, _ result: LookupResult) -> LookupDecision {
        switch result {
        case .found:
            return .startTransfer
        case .notFound:
            self.release(slot)
            return .reject(.error(.fileNotFound, message: "file not found"), .fileNotFound)
        case .failed:
            self.release(slot)
            return .reject(.error(.notDefined, message: "file unavailable, try again"), .lookupFailed)
        }
    }

    /// The transfer in `slot` sent its packet again: the client did not answer within the timeout. From now until
    /// it progresses, it may be ended to make room for a new request.
    public mutating func transferStalled(_ slot: Slot, now: NIODeadline) {
        guard self.reservations[slot] != nil, self.reservations[slot]?.stalledSince == nil else { return }
        self.reservations[slot]?.stalledSince = now
    }

    /// The client acknowledged the packet in flight of the transfer in `slot`: it is not stalled.
    public mutating func transferProgressed(_ slot: Slot) {
        guard self.reservations[slot]?.stalledSince != nil else { return }
        self.reservations[slot]?.stalledSince = nil
    }

    /// A transfer that got `.startTransfer` is over, however it ended (or its socket could not be opened). A slot
    /// already released (evicted, or reported twice) is ignored.
    public mutating func transferEnded(_ slot: Slot) {
        self.release(slot)
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

    private mutating func release(_ slot: Slot) {
        guard let reservation = self.reservations.removeValue(forKey: slot) else { return }
        let remaining = self.slotsBySource[reservation.source, default: 1] - 1
        self.slotsBySource[reservation.source] = remaining > 0 ? remaining : nil
    }

    /// The transfer that has been stalled the longest, if any is. A linear scan, run only when every slot is
    /// taken (at most `maximumConcurrentTransfers` entries).
    private func oldestStalledTransfer() -> Slot? {
        var oldest: (slot: Slot, since: NIODeadline)?
        for (slot, reservation) in self.reservations {
            guard let since = reservation.stalledSince else { continue }
            if let current = oldest,
                current.since < since || (current.since == since && current.slot.rawValue < slot.rawValue)
            {
                continue
            }
            oldest = (slot, since)
        }
        return oldest?.slot
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
    /// Transfers running (or being looked up) at once; when all are taken, a new request ends the oldest stalled
    /// transfer, or is dropped if none is stalled.
    public var maximumConcurrentTransfers: Int
    /// Transfers (and lookups) one source address may hold at once; more from it are dropped.
    ///
    /// A phone fetches one file at a time (its cnf.xml, then its firmware, its ringers); 4 leaves room for a retried
    /// RRQ and a few phones behind one NAT address, and keeps one address from taking every slot (issue 13).
    public var maximumTransfersPerSource: Int
    /// Requests one source may send in a burst (the token bucket's size).
    public var requestBurst: Int
    /// Requests per second one source may sustain (the bucket's refill rate).
    public var requestsPerSecond: Int
    /// Sources whose buckets are remembered at once. When the table is full, idle (full) buckets are pruned;
    /// if none is idle, requests from new sources are dropped.
    public var maximumTrackedSources: Int

    public init(
        maximumConcurrentTransfers: Int = 512,
        maximumTransfersPerSource: Int = 4,
        requestBurst: Int = 20,
        requestsPerSecond: Int = 10,
        maximumTrackedSources: Int = 65536
    ) {
        self.maximumConcurrentTransfers = maximumConcurrentTransfers
        self.maximumTransfersPerSource = maximumTransfersPerSource
        self.requestBurst = requestBurst
        self.requestsPerSecond = requestsPerSecond
        self.maximumTrackedSources = maximumTrackedSources
    }
}
