import CallControl
import SIPWire

/// The media of one trunk call as both sides see it, for RFC 3264 offer/answer: what the far end last described
/// (its address, codecs and direction), what the call core has set up on the leg (``CallControl/TrunkCommand``'s
/// `openMedia`, `startMedia`, `closeMedia`, and whether it holds the far end), and what this side last told the far
/// end. Media never passes through Strowger: the address this side describes is the phone's RTP address
/// (`startMedia`), and the far end's address goes to the phone.
struct TrunkCallMedia: Hashable, Sendable {
    /// What this side describes in an offer or an answer.
    struct Local: Hashable, Sendable {
        /// Where the far end sends RTP: the receive address of the party on the other side of the call (a phone).
        var endpoint: MediaEndpoint
        var codec: AudioCodec
        /// `a=ptime`.
        var packetTime: Int
        /// What this side wants: `.sendrecv`, or `.sendonly` while the call core holds the far end (RFC 3264 §8.4).
        var direction: MediaDirection
    }

    /// The far end's last offer or answer.
    var remote: AudioStream?
    /// The far end's last real receive address (RFC 2543's `c=0.0.0.0` keeps the one before): where the phone sends.
    var remoteEndpoint: MediaEndpoint?
    /// The parameters of the core's last `openMedia` or `startMedia` (the codec it negotiated with the phone).
    var parameters: MediaParameters?
    /// Between the core's `openMedia` and `closeMedia`.
    var isOpen = false
    /// The other party's receive address (the core's `startMedia`).
    var localEndpoint: MediaEndpoint?
    /// Whether ``localEndpoint`` came after the last `openMedia`: a resumed or transferred call gets a new one, and
    /// nothing is described to the far end until it does.
    var localIsCurrent = false
    /// The call core put the far end on hold (`indicate(.remoteHold)`): this side describes `sendonly`.
    var holdsFarEnd = false
    /// The far end holds this side (its last offer was `sendonly`, `inactive` or `c=0.0.0.0`).
    var heldByFarEnd = false
    /// What this side last offered or answered.
    var announced: Local?
    /// The core asked for the far end's address (`openMedia`) before the far end had described one (a call whose
    /// INVITE had no SDP): it is reported when the far end's answer arrives.
    var owesAddress = false
    /// The `o=` session ID, fixed for the call.
    let sessionID: String
    /// The `o=` version: up by one whenever this side's description changes (RFC 3264 §8).
    private(set) var version: UInt64 = 0
    /// The last description sent, with its version zeroed, to tell whether the next one changed.
    private var lastSent: SessionDescription?

    init(sessionID: String) {
        self.sessionID = sessionID
    }

    /// An early offer (``CallControl/TrunkCommand/place(caller:called:offer:)``): the core set the leg's media up as
    /// `openMedia` and `startMedia` would, with the calling phone's address. Returns the offer for the INVITE.
    mutating func earlyOffer(_ offer: TrunkOffer, telephoneEvent: Int) -> SessionDescription? {
        isOpen = true
        parameters = offer.media
        localEndpoint = offer.endpoint
        localIsCurrent = true
        guard let desired else { return nil }
        return self.offer(
            desired,
            telephoneEvent: telephoneEvent,
            alternatives: offer.alternatives.map(Self.audioCodec)
        )
    }

    /// The far end answered this side's offer (in a provisional response or the 2xx) with `stream`: whether its
    /// address or codecs differ from what it described before (the same answer again changes nothing, RFC 3264).
    mutating func answered(with stream: AudioStream) -> Bool {
        let endpoint = Self.endpoint(address: stream.address, port: stream.port)
        let changed = stream.codecs != remote?.codecs || (endpoint != nil && endpoint != remoteEndpoint)
        remote = stream
        if let endpoint { remoteEndpoint = endpoint }
        return changed
    }

    /// The far end's codecs as the call core names them.
    var remoteCodecs: [Codec] { (remote?.codecs ?? []).map(Self.codec) }

    /// What this side should describe now, or nil while the core is still setting media up (after `openMedia`, until
    /// `startMedia` gives the new address): then nothing is offered, so that the far end is not sent an address that
    /// is about to change.
    var desired: Local? {
        let codec = parameters.map { Self.audioCodec($0.codec) } ?? announced?.codec ?? .pcmu
        let packetTime = parameters.map { Int($0.packetMilliseconds) } ?? announced?.packetTime ?? 20
        if holdsFarEnd {
            guard let endpoint = localEndpoint ?? announced?.endpoint else { return nil }
            return Local(endpoint: endpoint, codec: codec, packetTime: packetTime, direction: .sendonly)
        }
        guard isOpen, localIsCurrent, let endpoint = localEndpoint else { return nil }
        return Local(endpoint: endpoint, codec: codec, packetTime: packetTime, direction: .sendrecv)
    }

    /// What to describe when the far end asks (its re-INVITE) while the core has nothing new: the last description,
    /// with the direction the core wants now.
    var current: Local? {
        if let desired { return desired }
        guard var announced else { return nil }
        announced.direction = holdsFarEnd ? .sendonly : .sendrecv
        return announced
    }

    /// The capabilities to offer or answer `local` with: its codec only (the phone is set up for it), and
    /// telephone-event on the payload type the phones send (RFC 4733; SCCP phones use 101).
    static func capabilities(_ local: Local, telephoneEvent: Int) -> AudioCapabilities {
        AudioCapabilities(
            codecs: [local.codec],
            telephoneEventPayloadType: telephoneEvent,
            packetTime: local.packetTime
        )
    }

    /// This side's offer of `local`; `alternatives` are further codecs offered after `local`'s (an early offer lists
    /// the calling phone's other G.711 law, so that a far end with only that one can still answer).
    mutating func offer(
        _ local: Local,
        telephoneEvent: Int,
        alternatives: [AudioCodec] = []
    ) -> SessionDescription {
        var capabilities = Self.capabilities(local, telephoneEvent: telephoneEvent)
        capabilities.codecs += alternatives.filter { $0 != local.codec }
        let description = AudioOfferAnswer.offer(
            address: local.endpoint.address.description,
            port: Int(local.endpoint.port),
            capabilities: capabilities,
            direction: local.direction,
            sessionID: sessionID,
            version: 0
        )
        announced = local
        return versioned(description)
    }

    /// This side's answer to the far end's `offer` with `local`: the codec the core chose if offered, else the first
    /// G.711 codec offered (the phone then hears a codec it was not set up for, which is better than no call; the core
    /// only chooses otherwise for an offer that changed codecs mid-call). Nil when the offer has no G.711 audio.
    mutating func answer(to offer: SessionDescription, with local: Local, telephoneEvent: Int) -> SessionDescription? {
        var answering = local
        for codecs in [[local.codec], AudioCodec.allCases] {
            var capabilities = Self.capabilities(local, telephoneEvent: telephoneEvent)
            capabilities.codecs = codecs
            guard
                let (answer, negotiated) = try? AudioOfferAnswer.answer(
                    to: offer,
                    address: local.endpoint.address.description,
                    port: Int(local.endpoint.port),
                    capabilities: capabilities,
                    direction: local.direction,
                    sessionID: sessionID,
                    version: 0
                )
            else { continue }
            answering.codec = negotiated.codec
            announced = answering
            return versioned(answer)
        }
        return nil
    }

    /// `description` with the session version this side is at: the same as last time if nothing changed, else one
    /// more.
    private mutating func versioned(_ description: SessionDescription) -> SessionDescription {
        var result = description
        if result != lastSent || version == 0 {
            version += 1
            lastSent = result
        }
        result.origin.sessionVersion = version
        return result
    }

    // MARK: - Conversions

    static func codec(_ codec: AudioCodec) -> Codec {
        switch codec {
        case .pcmu: .g711ulaw
        case .pcma: .g711alaw
        }
    }

    static func audioCodec(_ codec: Codec) -> AudioCodec {
        switch codec {
        case .g711alaw: .pcma
        // The phones and the far end speak G.711; the core chooses among the codecs reported to it, which are G.711
        // only, so G.729 and G.722 are reached only by a phone whose capabilities are unknown: µ-law then.
        case .g711ulaw, .g729, .g722: .pcmu
        }
    }

    /// The endpoint of an SDP address and port; nil for a host name, RFC 2543's `0.0.0.0`, or a port out of range.
    static func endpoint(address text: String, port: Int) -> MediaEndpoint? {
        guard (1...65_535).contains(port), let address = mediaAddress(text) else { return nil }
        if case .ipv4(0) = address { return nil }
        if case .ipv6(0, 0) = address { return nil }
        return MediaEndpoint(address: address, port: UInt16(port))
    }

    /// An IPv4 dotted quad or an IPv6 address (with `::` and an IPv4 tail) as ``CallControl/MediaAddress``.
    static func mediaAddress(_ text: String) -> MediaAddress? {
        if let value = ipv4(Substring(text)) { return .ipv4(value) }
        return ipv6(text)
    }

    private static func ipv4(_ text: Substring) -> UInt32? {
        let parts = text.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 4 else { return nil }
        var value: UInt32 = 0
        for part in parts {
            guard (1...3).contains(part.count), part.allSatisfy(\.isASCII), let octet = UInt8(part) else { return nil }
            value = value << 8 | UInt32(octet)
        }
        return value
    }

    private static func ipv6(_ text: String) -> MediaAddress? {
        guard text.contains(":"), text.count <= 45 else { return nil }
        func groups(_ part: Substring) -> [UInt16]? {
            guard !part.isEmpty else { return [] }
            var result: [UInt16] = []
            let pieces = part.split(separator: ":", omittingEmptySubsequences: false)
            for (index, piece) in pieces.enumerated() {
                if index == pieces.count - 1, piece.contains("."), let tail = ipv4(piece) {
                    result += [UInt16(tail >> 16), UInt16(tail & 0xFFFF)]
                    continue
                }
                guard (1...4).contains(piece.count), let group = UInt16(piece, radix: 16) else { return nil }
                result.append(group)
            }
            return result
        }
        var all: [UInt16]
        let characters = Array(text)
        let gaps = characters.indices.dropLast().filter { characters[$0] == ":" && characters[$0 + 1] == ":" }
        if let gap = gaps.first {
            let head = Substring(String(characters[..<gap]))
            let rest = Substring(String(characters[(gap + 2)...]))
            guard gaps.count == 1, let head = groups(head), let tail = groups(rest), head.count + tail.count < 8
            else { return nil }
            all = head + Array(repeating: 0, count: 8 - head.count - tail.count) + tail
        } else {
            guard let only = groups(Substring(text)), only.count == 8 else { return nil }
            all = only
        }
        var high: UInt64 = 0
        var low: UInt64 = 0
        for group in all[0..<4] { high = high << 16 | UInt64(group) }
        for group in all[4..<8] { low = low << 16 | UInt64(group) }
        return .ipv6(high: high, low: low)
    }
}
