/// The audio codecs a trunk call can use: G.711, which every SCCP phone and every carrier speaks, so media can go
/// straight between phone and peer with no transcoding (issue 15).
public enum AudioCodec: String, Hashable, Sendable, CaseIterable {
    /// G.711 µ-law, static payload type 0 (RFC 3551 §6).
    case pcmu = "PCMU"
    /// G.711 A-law, static payload type 8.
    case pcma = "PCMA"

    public var staticPayloadType: Int {
        switch self {
        case .pcmu: 0
        case .pcma: 8
        }
    }

    public static let clockRate = 8_000
}

/// What one side can do for audio: its codecs in order of preference, whether it handles RFC 4733 telephone-events
/// (DTMF) and on which payload type it offers them, and its packet time.
public struct AudioCapabilities: Hashable, Sendable {
    public var codecs: [AudioCodec]
    /// The dynamic payload type offered for telephone-event; nil to offer none. 101 is what most UAs use.
    public var telephoneEventPayloadType: Int?
    /// Milliseconds of audio per packet (`a=ptime`); 20 is G.711's usual and the phones' default.
    public var packetTime: Int

    public init(codecs: [AudioCodec] = [.pcmu, .pcma], telephoneEventPayloadType: Int? = 101, packetTime: Int = 20) {
        self.codecs = codecs
        self.telephoneEventPayloadType = telephoneEventPayloadType
        self.packetTime = packetTime
    }
}

/// The audio both sides agreed on, from this side's point of view: where to send, in what, and which way.
public struct NegotiatedAudio: Hashable, Sendable {
    public var codec: AudioCodec
    /// The payload type of ``codec`` in this session.
    public var payloadType: Int
    /// The telephone-event payload type both sides use, when both support RFC 4733.
    public var telephoneEventPayloadType: Int?
    /// The packet time to send with: the peer's `a=ptime` if it gave one, else ours.
    public var packetTime: Int
    /// Where the peer wants RTP.
    public var remoteAddress: String
    public var remotePort: Int
    /// What this side does: `.sendonly` while the peer holds us (RFC 3264 §8.4), `.inactive` when both hold.
    public var direction: MediaDirection

    public init(
        codec: AudioCodec,
        payloadType: Int,
        telephoneEventPayloadType: Int?,
        packetTime: Int,
        remoteAddress: String,
        remotePort: Int,
        direction: MediaDirection
    ) {
        self.codec = codec
        self.payloadType = payloadType
        self.telephoneEventPayloadType = telephoneEventPayloadType
        self.packetTime = packetTime
        self.remoteAddress = remoteAddress
        self.remotePort = remotePort
        self.direction = direction
    }
}

/// Why an offer or answer cannot give a usable audio session (an INVITE with it is answered 488 Not Acceptable
/// Here, RFC 3261 §13.3.1.4).
public struct OfferAnswerError: Error, Hashable, Sendable, CustomStringConvertible {
    public enum Reason: Hashable, Sendable {
        /// No `m=audio` line with a port.
        case noAudio
        /// No codec in common.
        case noCommonCodec
        /// An answer whose m-lines do not match the offer's (RFC 3264 §6).
        case answerDoesNotMatchOffer
        /// No connection address for the audio stream.
        case noConnectionAddress
    }

    public let reason: Reason

    public init(_ reason: Reason) {
        self.reason = reason
    }

    public var description: String {
        switch reason {
        case .noAudio: "no audio stream"
        case .noCommonCodec: "no codec in common (PCMU or PCMA)"
        case .answerDoesNotMatchOffer: "answer does not match the offer"
        case .noConnectionAddress: "no connection address"
        }
    }
}

/// RFC 3264 offer/answer for one audio stream, without state: the caller (a SIP dialog) keeps the last offer and
/// the session version.
public enum AudioOfferAnswer {
    /// An offer of one audio stream at `address:port`.
    ///
    /// - Parameters:
    ///   - direction: `.sendrecv` normally; `.sendonly` to put the peer on hold (RFC 3264 §8.4), `.inactive` to
    ///     hold a peer that holds us.
    ///   - sessionID / version: `o=` values; the version must grow with every new offer in the session (§8).
    public static func offer(
        address: String,
        port: Int,
        capabilities: AudioCapabilities,
        direction: MediaDirection = .sendrecv,
        sessionID: String,
        version: UInt64
    ) -> SessionDescription {
        let connection = SessionDescription.ConnectionAddress(address: address)
        var formats = capabilities.codecs.map { "\($0.staticPayloadType)" }
        var attributes = capabilities.codecs.map {
            SessionDescription.Attribute("rtpmap", "\($0.staticPayloadType) \($0.rawValue)/\(AudioCodec.clockRate)")
        }
        if let event = capabilities.telephoneEventPayloadType {
            formats.append("\(event)")
            attributes.append(.init("rtpmap", "\(event) telephone-event/\(AudioCodec.clockRate)"))
            attributes.append(.init("fmtp", "\(event) 0-16"))
        }
        attributes.append(.init("ptime", "\(capabilities.packetTime)"))
        attributes.append(.init(direction.rawValue))
        return SessionDescription(
            origin: .init(username: "strowger", sessionID: sessionID, sessionVersion: version, address: connection),
            sessionName: "strowger",
            connection: connection,
            media: [
                .init(type: "audio", port: port, formats: formats, attributes: attributes)
            ]
        )
    }

    /// The answer to `offer` (RFC 3264 §6): one m-line per offered one, in order; every stream but the first usable
    /// audio one rejected with port 0; that one answered with the codecs both support (the offerer's order, so the
    /// first is the one in use), telephone-event on the offerer's payload type if both support it, and the direction
    /// reversed and limited by `direction` (what this side wants: `.sendrecv`, or a hold of its own).
    public static func answer(
        to offer: SessionDescription,
        address: String,
        port: Int,
        capabilities: AudioCapabilities,
        direction: MediaDirection = .sendrecv,
        sessionID: String,
        version: UInt64
    ) throws(OfferAnswerError) -> (answer: SessionDescription, negotiated: NegotiatedAudio) {
        guard let index = offer.media.firstIndex(where: { $0.type == "audio" && $0.port != 0 }) else {
            throw OfferAnswerError(.noAudio)
        }
        let offered = offer.media[index]
        let payloads = Self.payloadTypes(of: offered)
        let common = payloads.compactMap { entry in
            capabilities.codecs.contains(entry.codec) ? entry : nil
        }
        guard let chosen = common.first else { throw OfferAnswerError(.noCommonCodec) }
        guard let remote = offer.connection(of: offered) else { throw OfferAnswerError(.noConnectionAddress) }
        let event = capabilities.telephoneEventPayloadType == nil ? nil : Self.telephoneEventPayloadType(of: offered)
        // RFC 2543 hold: c=0.0.0.0 means the offerer does not want media now.
        let offeredDirection = remote.isUnspecified ? .sendonly : offer.direction(of: offered)
        let answerDirection = direction.intersected(withRemote: offeredDirection)

        let connection = SessionDescription.ConnectionAddress(address: address)
        var media: [SessionDescription.Media] = []
        for (position, item) in offer.media.enumerated() {
            guard position == index else {
                media.append(.init(type: item.type, port: 0, transport: item.transport, formats: item.formats))
                continue
            }
            var formats = common.map { "\($0.payloadType)" }
            var attributes = common.map {
                SessionDescription.Attribute("rtpmap", "\($0.payloadType) \($0.codec.rawValue)/\(AudioCodec.clockRate)")
            }
            if let event {
                formats.append("\(event)")
                attributes.append(.init("rtpmap", "\(event) telephone-event/\(AudioCodec.clockRate)"))
                attributes.append(.init("fmtp", "\(event) 0-16"))
            }
            attributes.append(.init("ptime", "\(capabilities.packetTime)"))
            attributes.append(.init(answerDirection.rawValue))
            media.append(
                .init(type: "audio", port: port, transport: item.transport, formats: formats, attributes: attributes)
            )
        }
        let answer = SessionDescription(
            origin: .init(username: "strowger", sessionID: sessionID, sessionVersion: version, address: connection),
            sessionName: "strowger",
            connection: connection,
            media: media
        )
        let negotiated = NegotiatedAudio(
            codec: chosen.codec,
            payloadType: chosen.payloadType,
            telephoneEventPayloadType: event,
            packetTime: Self.packetTime(of: offered) ?? capabilities.packetTime,
            remoteAddress: remote.address,
            remotePort: offered.port,
            direction: answerDirection
        )
        return (answer, negotiated)
    }

    /// What an answer to this side's `offer` settles (RFC 3264 §7): the first codec of the answer that was offered,
    /// the peer's address, and the direction.
    public static func negotiate(
        offer: SessionDescription,
        answer: SessionDescription
    ) throws(OfferAnswerError) -> NegotiatedAudio {
        guard answer.media.count == offer.media.count else { throw OfferAnswerError(.answerDoesNotMatchOffer) }
        guard let index = offer.media.firstIndex(where: { $0.type == "audio" && $0.port != 0 }),
            answer.media[index].type == "audio"
        else { throw OfferAnswerError(.noAudio) }
        let offered = offer.media[index]
        let answered = answer.media[index]
        guard answered.port != 0 else { throw OfferAnswerError(.noAudio) }
        let offeredCodecs = Set(Self.payloadTypes(of: offered).map(\.codec))
        guard let chosen = Self.payloadTypes(of: answered).first(where: { offeredCodecs.contains($0.codec) }) else {
            throw OfferAnswerError(.noCommonCodec)
        }
        guard let remote = answer.connection(of: answered) else { throw OfferAnswerError(.noConnectionAddress) }
        let ours = offer.direction(of: offered)
        let theirs = remote.isUnspecified ? MediaDirection.sendonly : answer.direction(of: answered)
        let event =
            Self.telephoneEventPayloadType(of: offered) != nil ? Self.telephoneEventPayloadType(of: answered) : nil
        return NegotiatedAudio(
            codec: chosen.codec,
            payloadType: chosen.payloadType,
            telephoneEventPayloadType: event,
            packetTime: Self.packetTime(of: answered) ?? Self.packetTime(of: offered) ?? 20,
            remoteAddress: remote.address,
            remotePort: answered.port,
            direction: ours.intersected(withRemote: theirs)
        )
    }

    /// The G.711 payloads of a media section in its order: static types 0 and 8, and dynamic ones mapped by
    /// `a=rtpmap` to PCMU/8000 or PCMA/8000.
    static func payloadTypes(of media: SessionDescription.Media) -> [(payloadType: Int, codec: AudioCodec)] {
        let maps = rtpmaps(of: media)
        return media.formats.compactMap { format in
            guard let number = Int(format) else { return nil }
            if let encoding = maps[number] {
                let parts = encoding.split(separator: "/")
                guard parts.count >= 2, parts[1] == "8000",
                    let codec = AudioCodec.allCases.first(where: { $0.rawValue.caseInsensitiveEquals(String(parts[0])) }
                    )
                else { return nil }
                return (number, codec)
            }
            return AudioCodec.allCases.first { $0.staticPayloadType == number }.map { (number, $0) }
        }
    }

    /// The payload type the section maps to telephone-event/8000.
    static func telephoneEventPayloadType(of media: SessionDescription.Media) -> Int? {
        let maps = rtpmaps(of: media)
        return media.formats.compactMap(Int.init).first { number in
            maps[number].map { $0.lowercased().hasPrefix("telephone-event/8000") } ?? false
        }
    }

    static func packetTime(of media: SessionDescription.Media) -> Int? {
        media.attributeValues("ptime").first.flatMap { Int($0.trimmingSpaces) }.flatMap {
            (1...200).contains($0) ? $0 : nil
        }
    }

    private static func rtpmaps(of media: SessionDescription.Media) -> [Int: String] {
        var maps: [Int: String] = [:]
        for value in media.attributeValues("rtpmap") {
            let parts = value.split(separator: " ", maxSplits: 1)
            guard parts.count == 2, let number = Int(parts[0]) else { continue }
            maps[number] = String(parts[1])
        }
        return maps
    }
}

extension String {
    var trimmingSpaces: String {
        SIPHeaders.trimmed(Array(self.utf8))
    }
}

/// The first usable audio stream of a session description, as the far end declared it: what an offer or answer
/// says before it is negotiated (a trunk call reports the far end's codecs and address to the call core from it).
public struct AudioStream: Hashable, Sendable {
    /// The G.711 codecs of the stream, in the order given (the sender's preference).
    public var codecs: [AudioCodec]
    /// The payload type mapped to telephone-event/8000, if any (RFC 4733).
    public var telephoneEventPayloadType: Int?
    /// The connection address (`0.0.0.0` for RFC 2543's hold).
    public var address: String
    public var port: Int
    /// The declared direction; RFC 2543's `c=0.0.0.0` counts as `sendonly` (the sender wants nothing back).
    public var direction: MediaDirection
    /// `a=ptime`, when given and sane (1–200 ms).
    public var packetTime: Int?

    /// Whether the sender holds the session: it will not receive (RFC 3264 §8.4: `sendonly` or `inactive`, or
    /// RFC 2543's `c=0.0.0.0`).
    public var isHold: Bool { !direction.receives }
}

extension AudioOfferAnswer {
    /// The first audio stream with a port, its G.711 codecs and connection address; nil when there is none, or it
    /// has no connection address.
    public static func audioStream(of description: SessionDescription) -> AudioStream? {
        guard let media = description.media.first(where: { $0.type == "audio" && $0.port != 0 }),
            let connection = description.connection(of: media)
        else { return nil }
        return AudioStream(
            codecs: payloadTypes(of: media).map(\.codec),
            telephoneEventPayloadType: telephoneEventPayloadType(of: media),
            address: connection.address,
            port: media.port,
            direction: connection.isUnspecified ? .sendonly : description.direction(of: media),
            packetTime: packetTime(of: media)
        )
    }

    /// An answer that refuses every stream of `offer` (port 0, RFC 3264 §6): for an offer this side cannot take
    /// (no common codec), or one that arrives when the call is ending.
    public static func refusal(of offer: SessionDescription, address: String, sessionID: String) -> SessionDescription {
        let connection = SessionDescription.ConnectionAddress(address: address)
        return SessionDescription(
            origin: .init(username: "strowger", sessionID: sessionID, sessionVersion: 1, address: connection),
            sessionName: "strowger",
            connection: connection,
            media: offer.media.map { .init(type: $0.type, port: 0, transport: $0.transport, formats: $0.formats) }
        )
    }
}
