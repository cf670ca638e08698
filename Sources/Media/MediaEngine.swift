public import NIOCore

/// The media engine's state: conferences, music and tone streams, every leg's jitter buffer and RTP numbering,
/// driven by commands, datagrams and the 20 ms clock. Sans-I/O: it never touches a socket; it says which sockets to
/// bind and close (``Action``) and returns the packets each tick sends (``Send``), and time is an input.
///
/// One owner drives it (the NIO part, on one event loop): no locks, and the order of commands, datagrams and ticks
/// is the order they happen in.
///
/// Sockets: each conference participant has a UDP socket of its own from the port range (the phone sends to it,
/// and the port tells whose packet it is); music-on-hold and tone legs are sent from one shared "streaming" socket,
/// which receives nothing it keeps, so that 1,000 listeners cost one descriptor and the NIO part can send them in
/// batches.
public struct MediaEngine {
    /// Limits and choices, fixed for the life of the engine.
    public struct Configuration: Hashable, Sendable {
        /// The address reported as the local end of every stream (the server's address phones reach).
        public var localHost: MediaSocketAddress.Host
        /// The UDP ports participants' sockets come from (`--media-ports`).
        public var ports: ClosedRange<UInt16>
        /// Participants per conference unless the conference says otherwise (`--conference-max`, default 8: a
        /// CUCM 5 software bridge's ad hoc default, and the point where 8 voices stop being a conversation).
        public var conferenceMaximum: Int
        /// Streams of all kinds at once: participants, music and tone legs. Bounds the engine's memory (a
        /// participant's jitter buffer is 2.5 KiB) and its per-tick work.
        public var maximumLegs: Int
        /// How a participant's datagram source is checked against the negotiated remote.
        public var sourceCheck: SourceCheck
        /// The tone plan.
        public var toneRegion: ToneRegion
        /// A participant who sent and then stays silent this long is reported (``MediaEvent/mediaInactive(_:)``).
        public var inactivityTimeout: UInt64
        /// Times a participant's socket is tried on another port when binding fails (port held by another
        /// process) before the command fails with ``MediaCommandError/Code/portsExhausted``.
        public var bindAttempts: Int
        /// The slots each 20 ms frame is cut into: the clock ticks `slots` times a frame, and every stream is
        /// served in one slot of each frame (a conference's participants all in the conference's slot), handed
        /// out in turn. Each stream still gets exactly one packet every 20 ms, but the work of a frame is spread
        /// over it instead of landing at once: with 4 slots, no packet waits behind more than a quarter of the
        /// frame's sends, which keeps how late packets leave low when thousands of streams share the loop.
        public var slots: Int

        public init(
            localHost: MediaSocketAddress.Host,
            ports: ClosedRange<UInt16> = 16_384...32_767,
            conferenceMaximum: Int = 8,
            maximumLegs: Int = 10_000,
            sourceCheck: SourceCheck = .addressAndPort,
            toneRegion: ToneRegion = .northAmerica,
            inactivityTimeout: UInt64 = 30_000_000_000,
            bindAttempts: Int = 16,
            slots: Int = 4
        ) {
            self.localHost = localHost
            self.ports = ports
            self.conferenceMaximum = conferenceMaximum
            self.maximumLegs = maximumLegs
            self.sourceCheck = sourceCheck
            self.toneRegion = toneRegion
            self.inactivityTimeout = inactivityTimeout
            self.bindAttempts = bindAttempts
            self.slots = max(1, min(slots, 20))
        }
    }

    /// Which part of a datagram's source must match the leg's remote.
    public enum SourceCheck: Hashable, Sendable {
        /// Address and port: symmetric RTP, as Cisco phones send (from the port they receive on).
        case addressAndPort
        /// The address only, for endpoints that send from another port than they receive on.
        case addressOnly
    }

    /// What the owner must do after a command.
    public enum Action: Hashable, Sendable {
        /// Answer the command.
        case reply(MediaCommandResult)
        /// Bind a UDP socket on `port` for `leg`, then call ``socketBound(_:)`` or ``socketBindFailed(_:)``;
        /// the command is answered after that.
        case bindSocket(MediaLegID, port: UInt16)
        /// Close these legs' sockets, then answer.
        case closeSockets([MediaLegID], reply: MediaCommandResult)
    }

    /// One packet to send: on `leg`'s socket (a participant) or the streaming socket (music, tone), to `leg`'s
    /// remote. Packets of one music source share one buffer.
    public struct Send: Sendable {
        public var leg: MediaLegID
        /// True when the packet goes out of the shared streaming socket.
        public var viaStreamingSocket: Bool
        public var destination: MediaSocketAddress
        public var packet: ByteBuffer
        /// When its slot of the frame was due, to measure lateness against.
        public var dueTime: UInt64
    }

    public let configuration: Configuration
    var clock: MediaClock
    var ports: MediaPortAllocator
    var legs: [MediaLegID: Leg] = [:]
    var conferences: [ConferenceID: Conference] = [:]
    /// Conferences in creation order, for a stable tick order.
    var conferenceOrder: [ConferenceID] = []
    var sources: [String: MusicSource] = [:]
    var toneLegs: [MediaLegID] = []
    /// The slot the next conference or streaming leg is served in (handed out in turn).
    var nextSlot = 0
    /// The frame being served (or last served).
    var currentFrame: UInt64 = 0
    var toneClips: [MediaTone: AudioClip] = [:]
    /// The streaming socket's port once bound.
    public private(set) var streamingPort: UInt16?
    var counters = MediaStatistics()
    /// Jitter-buffer counts of legs already removed.
    var retiredJitter = JitterBuffer.Statistics()
    let allocator = ByteBufferAllocator()
    var mixer = ConferenceMixer()
    /// Scratch for one encoded frame.
    var scratch = [UInt8](repeating: 0, count: MediaTiming.samplesPerFrame)
    /// Per-packet lateness recorded by the owner after each send (``recordLateness(_:)``).
    public private(set) var lateness = LatenessHistogram()

    /// A new engine whose clock starts at `now` (nanoseconds of a monotonic clock), with the built-in music source.
    public init(configuration: Configuration, now: UInt64) {
        self.configuration = configuration
        // A tick per slot; after a stall at most two frames' worth of ticks are run.
        self.clock = MediaClock(
            origin: now,
            period: MediaTiming.frameNanoseconds / UInt64(configuration.slots),
            catchUpLimit: 2 * UInt64(configuration.slots)
        )
        self.ports = MediaPortAllocator(range: configuration.ports)
        self.sources[Self.musicSourceKey(BuiltInMusic.sourceName)] = MusicSource(
            name: BuiltInMusic.sourceName,
            clip: BuiltInMusic.clip,
            slots: configuration.slots,
            frame: 0
        )
    }

    /// The names of the music sources, sorted, with their lengths in seconds.
    public var musicSources: [(name: String, seconds: Double)] {
        self.sources.values.map { ($0.name, $0.clip.duration) }.sorted { $0.name < $1.name }
    }

    /// When the next tick is due; the owner wakes up then and calls ``tick(now:sends:events:)``.
    public var nextTickDeadline: UInt64 { self.clock.nextDeadline }

    /// Whether there is anything to tick for: with no stream open the owner need not wake up every 5 ms (an idle
    /// server's engine sleeps); it calls ``resume(now:)`` when a stream opens.
    public var needsTicks: Bool { !self.legs.isEmpty }

    /// Continues after sleeping with nothing to serve: the ticks missed are not run and not counted as skipped
    /// (music sources follow the frame number and are where they would have been).
    public mutating func resume(now: UInt64) {
        self.clock.resume(now: now)
    }

    /// The counts so far, with the current numbers of streams.
    public var statistics: MediaStatistics {
        var statistics = self.counters
        var jitter = self.retiredJitter
        for leg in self.legs.values {
            guard let buffer = leg.jitter else { continue }
            jitter.add(buffer.statistics)
        }
        statistics.jitterLate = jitter.late
        statistics.jitterDuplicates = jitter.duplicates
        statistics.jitterLost = jitter.lost
        statistics.jitterResets = jitter.resets
        statistics.jitterWrongSize = jitter.wrongSize
        statistics.skippedTicks = self.clock.skippedTicks
        statistics.conferences = self.conferences.count
        statistics.participants = self.legs.values.filter { $0.conference != nil }.count
        statistics.musicListeners = self.legs.values.filter { $0.musicSource != nil }.count
        statistics.toneLegs = self.toneLegs.count
        statistics.portsInUse = self.ports.allocated
        statistics.musicSources = self.sources.count
        return statistics
    }

    // MARK: Ports and the streaming socket

    /// A port for the streaming socket (or nil: the range is exhausted); then ``streamingSocketBound(port:)`` or
    /// ``portUnusable(_:)``.
    public mutating func allocateStreamingPort() -> UInt16? {
        self.ports.allocate()
    }

    /// The streaming socket is bound on `port`.
    public mutating func streamingSocketBound(port: UInt16) {
        self.streamingPort = port
    }

    /// A port from ``allocateStreamingPort()`` could not be bound.
    public mutating func portUnusable(_ port: UInt16) {
        self.ports.markUnusable(port)
    }

    /// Records how late one sent packet was (the owner measures it after handing the packet to the socket).
    public mutating func recordLateness(_ nanoseconds: UInt64) {
        self.lateness.record(nanoseconds)
    }

    /// Forgets the lateness recorded so far (a benchmark's warm-up).
    public mutating func resetLateness() {
        self.lateness = LatenessHistogram()
    }

    /// A send was dropped because the socket could not take it.
    public mutating func sendDropped() {
        self.counters.droppedSendBufferFull += 1
        self.counters.packetsSent -= 1
    }

    /// The slot for a new conference or streaming leg.
    mutating func takeSlot() -> Int {
        let slot = self.nextSlot
        self.nextSlot = (self.nextSlot + 1) % self.configuration.slots
        return slot
    }

    func endpoint(port: UInt16) -> MediaSocketAddress {
        MediaSocketAddress(host: self.configuration.localHost, port: port)
    }
}

extension JitterBuffer.Statistics {
    mutating func add(_ other: Self) {
        self.accepted += other.accepted
        self.duplicates += other.duplicates
        self.late += other.late
        self.lost += other.lost
        self.resets += other.resets
        self.wrongSize += other.wrongSize
    }
}

@available(*, unavailable)
extension MediaEngine: Sendable {}

extension MediaEngine {
    /// Open legs of every kind.
    public var legCount: Int { self.legs.count }

    /// Whether a leg is open.
    public func hasLeg(_ id: MediaLegID) -> Bool { self.legs[id] != nil }

    /// Whether participant `id` waits for its socket on `port` (``Action/bindSocket(_:port:)``). A bind that
    /// completes when this is false is stale: the leg was removed meanwhile, or removed and added again under the
    /// same id on another port; its socket is closed and must not be taken for the new leg's.
    public func isAwaitingSocket(_ id: MediaLegID, port: UInt16) -> Bool {
        guard let leg = self.legs[id] else { return false }
        return leg.port == port && !leg.isBound
    }
}
