public import CallControl
public import SIPWire

/// One call on a SIP trunk, sans-I/O: a SIP dialog set up by an INVITE in either direction, driven by the call
/// core's ``CallControl/TrunkCommand``s for the call's leg, reporting what the far end does as
/// ``CallControl/CallEvent``s (docs/sip.md, "Calls").
///
/// - An INVITE from the trunk is reported as `trunkCallArrived` (its token is the call's ``id``) and answered as the
///   core says: 180 when the phone rings, 200 with the SDP answer once the phone answered and its RTP address is
///   known (`startMedia`), or the matching failure (486, 404, 480 …).
/// - `place` with an offer sends an INVITE offering the phone's RTP address (an early offer): a 180/183 whose SDP
///   answers it becomes `trunkMediaAddress` (early media), 180/183 `trunkCallAlerting`, the 200 (its answer, if new,
///   as `trunkMediaAddress`) `trunkCallAnswered`, and the ACK goes at once without SDP. Without an offer the INVITE
///   has no SDP (a delayed offer): the 200's offer becomes `trunkMediaAddress` and `trunkCallAnswered`, and the ACK
///   carries the answer with the phone's address once the core gives it. Failures become `trunkCallEnded`.
/// - Hold and resume are re-INVITEs (`sendonly`, then `sendrecv` with the phone's new address) both ways; a transfer
///   re-INVITEs with the new party's address.
///
/// The machine builds its requests and responses; the endpoint (``SIPEndpoint``) runs them through the transaction
/// layer and routes what comes back. Every wait on the far end or the core has a deadline.
public struct SIPTrunkCall: Sendable {
    /// The call's key in the endpoint, and the token of an inbound call (`trunkCallArrived`, `bound`).
    public typealias ID = UInt64

    public enum Direction: Hashable, Sendable {
        /// The far end called (an INVITE from the trunk).
        case inbound
        /// The core placed the call on the trunk.
        case outbound
    }

    public enum Timer: String, Hashable, Sendable {
        /// Retransmit this side's 2xx until its ACK arrives (RFC 3261 §13.3.1.4): T1 doubling to T2 over UDP; the
        /// call gives up (BYE) at 64·T1.
        case answerRetransmit
        /// The core has not done its part in time: bound an inbound call, given the phone's RTP address for a 200
        /// or an ACK. The call ends rather than hold the far end forever.
        case coreDeadline
        /// Send the re-INVITE again after the far end's 491 (§14.1's random wait).
        case reinviteRetry
    }

    /// What a request this call sends is for, so that its outcome comes back to the right step.
    public enum RequestPurpose: Hashable, Sendable {
        case invite
        case reinvite
        case bye
        case cancel
    }

    public enum Action: Hashable, Sendable {
        /// Start a client transaction with this request to the trunk's peer.
        case sendRequest(SIPRequest, RequestPurpose)
        /// Send this ACK (for a 2xx) to the trunk's peer, without a transaction.
        case sendAck(SIPRequest)
        /// Answer this server transaction.
        case respond(SIPServerTransactionID, SIPResponse)
        /// Run this timer (replacing the call's earlier one of the same kind).
        case schedule(Timer, at: SIPInstant)
        /// Tell the call core.
        case report(CallEvent)
        /// The dialog is over (or was never made): forget the call.
        case finished
    }

    public struct Settings: Hashable, Sendable {
        public var timers: SIPTimerSettings
        /// How long the core may take to do its part: bind an inbound call, give the phone's address after an answer.
        /// A phone answers an open-receive-channel in milliseconds; 10 s covers a loaded server.
        public var coreTimeout: Duration
        /// The telephone-event payload type this side offers and answers with: 101, the one SCCP phones send RFC 2833
        /// DTMF on (SkinnySession's OpenReceiveChannel), so that the phone's events reach the far end as offered.
        public var telephoneEventPayloadType: Int

        public init(
            timers: SIPTimerSettings = SIPTimerSettings(),
            coreTimeout: Duration = .seconds(10),
            telephoneEventPayloadType: Int = 101
        ) {
            self.timers = timers
            self.coreTimeout = coreTimeout
            self.telephoneEventPayloadType = telephoneEventPayloadType
        }
    }

    /// Where the call is in its life.
    enum Phase: Hashable, Sendable {
        /// Inbound: the INVITE is with the core (100 sent); `ringing` is the party a 180 was sent for.
        case inboundOffered(ringing: Party?)
        /// Inbound: the phone answered; the 200 goes out once the core gives the phone's address (`startMedia`).
        case inboundAnswering(callee: Party)
        /// Outbound: the INVITE is out. `provisional` once any 1xx came (only then may a CANCEL go, §9.1),
        /// `alerted` once the core was told it rings, `cancelWanted` when the core cleared before any 1xx.
        case outboundCalling(provisional: Bool, alerted: Bool, cancelWanted: Bool)
        /// Outbound: CANCEL sent; the INVITE ends with 487 (or a 2xx that is ACKed and ended with BYE at once).
        case outboundCancelling
        /// The dialog is confirmed: a 2xx was sent or received.
        case confirmed
        /// BYE sent; waiting for its response.
        case terminating
        /// Over; kept only until the core binds it (an inbound call the far end cancelled at once).
        case ended
    }

    /// An INVITE transaction of the confirmed dialog whose offer/answer is not finished, in either direction.
    enum Exchange: Hashable, Sendable {
        case idle
        /// This side's 2xx (to the first INVITE or a re-INVITE) is out and retransmitted until its ACK; `offer` when
        /// the 2xx carried this side's offer (their INVITE had none), so the ACK brings the answer.
        case awaitingAck(
            server: SIPServerTransactionID,
            response: SIPResponse,
            retransmits: Bool,
            interval: Duration,
            giveUpAt: SIPInstant,
            offer: SessionDescription?
        )
        /// Their 2xx to this side's INVITE (a delayed offer) carried their offer: the ACK, with the answer, waits for
        /// the phone's address.
        case ackWaitingForMedia(sequence: UInt32, offer: SessionDescription)
        /// This side's re-INVITE (CSeq `sequence`) is out with `offer`, describing `local`; `previous` is what was
        /// described before, which still holds if the far end turns the offer down with 491.
        case reinviting(
            sequence: UInt32,
            offer: SessionDescription,
            local: TrunkCallMedia.Local,
            previous: TrunkCallMedia.Local?
        )
    }

    public let id: ID
    public let trunk: TrunkName
    public let direction: Direction
    /// The core's leg; nil for an inbound call until the core binds it.
    public private(set) var reference: CallReference?
    let configuration: SIPTrunkConfiguration
    let local: SIPLocalIdentity
    let settings: Settings
    var phase: Phase
    var exchange: Exchange = .idle
    var dialog: SIPDialog?
    /// The INVITE that set the call up: the far end's, or this side's as last sent (a challenge makes a new one).
    var invite: SIPRequest
    /// Inbound: the INVITE's server transaction (a CANCEL finds the call by it).
    public let inviteServer: SIPServerTransactionID?
    /// Inbound: whether the INVITE came over TCP or TLS (no 2xx retransmissions).
    let inviteReliable: Bool
    /// Inbound: the far end's offer, when its INVITE had one.
    var inviteOffer: SessionDescription?
    /// Outbound: this side's offer in the INVITE (an early offer), when the core gave the phone's address.
    var earlyOffer: SessionDescription?
    /// Outbound with an early offer: the far end answered it, in a provisional response (early media) or the 2xx.
    var hasAnswer = false
    var media: TrunkCallMedia
    /// Whether the core no longer has a leg for this call: it cleared or refused it, or this side reported its end.
    /// Nothing more is reported then.
    var coreDone = false
    /// An end to report once the core binds the call (it ended before that).
    var unreportedEnd: (cause: TrunkEndCause, status: Int?)?
    /// Whether an outbound INVITE was sent again with credentials (one answer per call: a second challenge means the
    /// credentials are wrong).
    var answeredChallenge = false
    /// The last ACK for a 2xx this side sent, re-sent when the 2xx is retransmitted.
    var lastAck: SIPRequest?
    /// The core cleared the call while this side's 2xx waited for its ACK: BYE once it comes (§15).
    var byeWanted = false
    /// A re-INVITE waits for its §14.1 retry timer.
    var retryPending = false
    /// When ``Timer/coreDeadline`` ends the call.
    var coreDeadline: SIPInstant?

    init(
        id: ID,
        direction: Direction,
        reference: CallReference?,
        configuration: SIPTrunkConfiguration,
        local: SIPLocalIdentity,
        settings: Settings,
        phase: Phase,
        invite: SIPRequest,
        inviteServer: SIPServerTransactionID?,
        inviteReliable: Bool,
        sessionID: String
    ) {
        self.id = id
        self.trunk = TrunkName(configuration.name)
        self.direction = direction
        self.reference = reference
        self.configuration = configuration
        self.local = local
        self.settings = settings
        self.phase = phase
        self.invite = invite
        self.inviteServer = inviteServer
        self.inviteReliable = inviteReliable
        self.media = TrunkCallMedia(sessionID: sessionID)
    }

    /// The dialog's ID once there is one (inbound at once, outbound at the 2xx).
    public var dialogID: SIPDialog.ID? { dialog?.id }

    /// Whether the call is over and can be forgotten.
    public var isFinished: Bool { phase == .ended && (reference != nil || unreportedEnd == nil) }

    // MARK: - Creation

    /// An INVITE from the trunk, taken into server transaction `server` (which has answered 100 Trying): the call and
    /// its report to the core, or nil with the refusal to send (a malformed or unusable offer: 400 or 488).
    public static func inbound(
        _ invite: SIPRequest,
        server: SIPServerTransactionID,
        reliable: Bool,
        id: ID,
        trunk configuration: SIPTrunkConfiguration,
        local: SIPLocalIdentity,
        settings: Settings,
        generator: inout SIPIdentifierGenerator,
        now: SIPInstant
    ) -> (call: SIPTrunkCall?, actions: [Action]) {
        let localTag = generator.tag()
        // RFC 3261 §20.43: 399 is a miscellaneous warning, 305 "incompatible media format".
        func refuse(_ status: Int, warning code: Int = 399, _ text: String) -> (SIPTrunkCall?, [Action]) {
            var response = SIPResponse(replyingTo: invite, statusCode: status, toTag: localTag)
            response.headers.append(.warning, "\(code) \(local.host) \"\(text)\"")
            response.headers.append(.server, local.userAgent)
            return (nil, [.respond(server, response)])
        }
        var offer: SessionDescription?
        var codecs: [Codec] = []
        if !invite.body.isEmpty {
            guard let parsed = try? SessionDescription(parsing: invite.body) else {
                return refuse(400, "the SDP offer does not parse")
            }
            guard let stream = AudioOfferAnswer.audioStream(of: parsed), !stream.codecs.isEmpty else {
                return refuse(488, warning: 305, "Incompatible media format: only PCMU and PCMA")
            }
            offer = parsed
            codecs = stream.codecs.map(TrunkCallMedia.codec)
        }
        guard let dialog = try? SIPDialog(asCallee: invite, localTag: localTag) else {
            return refuse(400, "the INVITE cannot start a dialog")
        }
        var call = SIPTrunkCall(
            id: id,
            direction: .inbound,
            reference: nil,
            configuration: configuration,
            local: local,
            settings: settings,
            phase: .inboundOffered(ringing: nil),
            invite: invite,
            inviteServer: server,
            inviteReliable: reliable,
            sessionID: String(generator.next() >> 1)
        )
        call.dialog = dialog
        call.inviteOffer = offer
        if let offer, let stream = AudioOfferAnswer.audioStream(of: offer) {
            call.media.remote = stream
            call.media.remoteEndpoint = TrunkCallMedia.endpoint(address: stream.address, port: stream.port)
        }
        let called = configuration.inboundTranslation.translate(Self.calledNumber(of: invite)) ?? ""
        let deadline = now + settings.coreTimeout
        call.coreDeadline = deadline
        let arrival = CallEvent.trunkCallArrived(
            call.trunk,
            token: id,
            caller: Self.callingParty(of: invite),
            called: called,
            codecs: codecs,
            defaultNumber: configuration.inboundTranslation.defaultNumber
        )
        return (call, [.report(arrival), .schedule(.coreDeadline, at: deadline)])
    }

    /// A call the core placed on the trunk (`place`): the INVITE, with the phone's address as its offer (an early
    /// offer) when the core gave one, else without SDP (a delayed offer).
    public static func outbound(
        reference: CallReference,
        caller: Party,
        called: String,
        offer: TrunkOffer? = nil,
        id: ID,
        trunk configuration: SIPTrunkConfiguration,
        local: SIPLocalIdentity,
        settings: Settings,
        generator: inout SIPIdentifierGenerator
    ) -> (call: SIPTrunkCall, actions: [Action]) {
        var request = Self.initialInvite(
            caller: caller,
            called: called,
            configuration: configuration,
            local: local,
            generator: &generator
        )
        var call = SIPTrunkCall(
            id: id,
            direction: .outbound,
            reference: reference,
            configuration: configuration,
            local: local,
            settings: settings,
            phase: .outboundCalling(provisional: false, alerted: false, cancelWanted: false),
            invite: request,
            inviteServer: nil,
            inviteReliable: configuration.transport.isReliable,
            sessionID: String(generator.next() >> 1)
        )
        if let offer, let description = call.media.earlyOffer(offer, telephoneEvent: settings.telephoneEventPayloadType)
        {
            request.headers.append(.contentType, "application/sdp")
            request.body = description.serialized()
            call.invite = request
            call.earlyOffer = description
        }
        return (call, [.sendRequest(request, .invite)])
    }

    // MARK: - The core's commands

    /// The core bound the inbound call to leg `reference`.
    public mutating func bound(_ reference: CallReference) -> [Action] {
        guard self.reference == nil else { return [] }
        self.reference = reference
        if let end = unreportedEnd {
            unreportedEnd = nil
            return [.report(.trunkCallEnded(trunk, call: reference, end.cause, sipStatus: end.status)), .finished]
        }
        return []
    }

    /// One of the core's commands for the call's leg. Offers and answers that the command makes possible go out in
    /// ``reconcile(now:generator:)``, after the whole batch.
    public mutating func command(
        _ command: TrunkCommand,
        now: SIPInstant,
        generator: inout SIPIdentifierGenerator
    ) -> [Action] {
        switch command {
        case .bound, .place:
            // Handled by the endpoint, which creates and binds calls.
            return []
        case .indicate(let indication):
            return indicate(indication, now: now, generator: &generator)
        case .openMedia(let parameters):
            media.isOpen = true
            media.parameters = parameters
            media.localIsCurrent = false
            if let endpoint = media.remoteEndpoint, let reference {
                return [.report(.trunkMediaAddress(trunk, call: reference, endpoint, codecs: media.remoteCodecs))]
            }
            media.owesAddress = true
            return []
        case .startMedia(let remote, let parameters):
            media.isOpen = true
            media.parameters = parameters
            media.localEndpoint = remote
            media.localIsCurrent = true
            return []
        case .closeMedia:
            media.isOpen = false
            media.localIsCurrent = false
            media.owesAddress = false
            return []
        }
    }

    private mutating func indicate(
        _ indication: Indication,
        now: SIPInstant,
        generator: inout SIPIdentifierGenerator
    ) -> [Action] {
        switch indication {
        case .ringOut(let callee), .earlyMedia(let callee):
            guard case .inboundOffered(let ringing) = phase, ringing != callee, let server = inviteServer else {
                return []
            }
            phase = .inboundOffered(ringing: callee)
            var response = dialogResponse(to: invite, status: 180)
            response.headers.append(.pAssertedIdentity, Self.identity(callee, domain: local.host).description)
            return [.respond(server, response)]
        case .connected(let remote):
            switch phase {
            case .inboundOffered:
                phase = .inboundAnswering(callee: remote)
                let deadline = now + settings.coreTimeout
                coreDeadline = deadline
                return [.schedule(.coreDeadline, at: deadline)]
            case .confirmed:
                media.holdsFarEnd = false
                return []
            case .inboundAnswering, .outboundCalling, .outboundCancelling, .terminating, .ended:
                return []
            }
        case .remoteHold:
            media.holdsFarEnd = true
            return []
        case .conference:
            // The far end was put on a conference bridge (held or not before): it talks to the bridge, whose address
            // follows as `startMedia` and goes out in a re-INVITE.
            if phase == .confirmed { media.holdsFarEnd = false }
            return []
        case .busy:
            return refuseInbound(486)
        case .invalidNumber:
            return refuseInbound(404)
        case .reorder(.blocked):
            return refuseInbound(403)
        case .reorder(.unavailable), .reorder(.offHookTimeout):
            return refuseInbound(480)
        case .cleared:
            coreDone = true
            return clear(now: now, generator: &generator)
        case .hold, .offHook, .digitsCollected, .digitRemoved, .proceeding, .ringIn, .callWaiting,
            .transferConsultation, .inUseRemote, .conferenceConsultation:
            // `hold`: the far end held (the core echoes the far end's own re-INVITE); the rest are a phone's.
            return []
        }
    }

    /// The core refused the inbound call (the number is busy, unknown, blocked or unavailable): the final response.
    private mutating func refuseInbound(_ status: Int) -> [Action] {
        switch phase {
        case .inboundOffered, .inboundAnswering:
            coreDone = true
            phase = .ended
            guard let server = inviteServer else { return [.finished] }
            return [.respond(server, dialogResponse(to: invite, status: status)), .finished]
        case .outboundCalling, .outboundCancelling, .confirmed, .terminating, .ended:
            return []
        }
    }

    /// Ends the SIP side as the dialog's state allows: a final response, CANCEL, BYE or nothing.
    private mutating func clear(now: SIPInstant, generator: inout SIPIdentifierGenerator) -> [Action] {
        switch phase {
        case .inboundOffered, .inboundAnswering:
            return refuseInbound(480)
        case .outboundCalling(true, _, _):
            phase = .outboundCancelling
            return [.sendRequest(cancelRequest(), .cancel)]
        case .outboundCalling(false, let alerted, _):
            phase = .outboundCalling(provisional: false, alerted: alerted, cancelWanted: true)
            return []
        case .outboundCancelling, .terminating, .ended:
            return []
        case .confirmed:
            switch exchange {
            case .awaitingAck:
                byeWanted = true
                return []
            case .ackWaitingForMedia(let sequence, let offer):
                exchange = .idle
                return [.sendAck(ack(sequence: sequence, body: refusal(of: offer), generator: &generator))]
                    + bye(generator: &generator)
            case .idle, .reinviting:
                return bye(generator: &generator)
            }
        }
    }

    /// The trunk is gone (removed, or the server stops): the SIP side ends as ``clear(now:generator:)`` ends it,
    /// nothing is reported, and the call is forgotten at once.
    public mutating func terminate(now: SIPInstant, generator: inout SIPIdentifierGenerator) -> [Action] {
        coreDone = true
        unreportedEnd = nil
        var actions: [Action]
        switch phase {
        case .outboundCalling:
            // Without a provisional nothing may be sent (§9.1); the far end's INVITE transaction times out.
            actions = []
        case .inboundOffered, .inboundAnswering, .outboundCancelling, .confirmed, .terminating, .ended:
            actions = clear(now: now, generator: &generator)
        }
        if case .confirmed = phase, byeWanted {
            byeWanted = false
            actions += bye(generator: &generator)
        }
        phase = .ended
        return actions.filter { $0 != .finished } + [.finished]
    }

    /// After a batch of the core's commands, or anything that ends an exchange: sends what has become possible. The
    /// 200 to an inbound INVITE once the phone's address is known; the ACK with the answer to the far end's offer;
    /// a re-INVITE when what this side wants (hold, a new address or codec) differs from what it last described.
    public mutating func reconcile(now: SIPInstant, generator: inout SIPIdentifierGenerator) -> [Action] {
        switch phase {
        case .inboundAnswering(let callee):
            guard let desired = media.desired, let server = inviteServer else { return [] }
            return answerInvite(server: server, callee: callee, local: desired, now: now, generator: &generator)
        case .confirmed:
            if case .ackWaitingForMedia(let sequence, let offer) = exchange {
                guard let desired = media.desired else { return [] }
                exchange = .idle
                guard let answer = media.answer(to: offer, with: desired, telephoneEvent: telephoneEvent) else {
                    return [.sendAck(ack(sequence: sequence, body: refusal(of: offer), generator: &generator))]
                        + reportEnd(.rejected, status: nil) + bye(generator: &generator)
                }
                let request = ack(sequence: sequence, body: answer, generator: &generator)
                lastAck = request
                return [.sendAck(request)] + reconcile(now: now, generator: &generator)
            }
            guard exchange == .idle, !retryPending, !byeWanted, let desired = media.desired,
                desired != media.announced, let dialog
            else { return [] }
            return reinvite(desired, dialog: dialog, generator: &generator)
        case .inboundOffered, .outboundCalling, .outboundCancelling, .terminating, .ended:
            return []
        }
    }

    var telephoneEvent: Int { settings.telephoneEventPayloadType }

    /// The 200 to the inbound INVITE: the answer to its offer, or this side's offer when it had none.
    private mutating func answerInvite(
        server: SIPServerTransactionID,
        callee: Party,
        local desired: TrunkCallMedia.Local,
        now: SIPInstant,
        generator: inout SIPIdentifierGenerator
    ) -> [Action] {
        let body: SessionDescription
        var ourOffer: SessionDescription?
        if let offer = inviteOffer {
            guard let answer = media.answer(to: offer, with: desired, telephoneEvent: telephoneEvent) else {
                // The offer was checked when it arrived; a codec the core chose that it does not have is the only way
                // here.
                coreDone = true
                phase = .ended
                let response = dialogResponse(to: invite, status: 488)
                return reportEnd(.rejected, status: nil) + [.respond(server, response), .finished]
            }
            body = answer
        } else {
            body = media.offer(desired, telephoneEvent: telephoneEvent)
            ourOffer = body
        }
        phase = .confirmed
        var response = dialogResponse(to: invite, status: 200)
        response.headers.append(.pAssertedIdentity, Self.identity(callee, domain: local.host).description)
        response.headers.append(.contentType, "application/sdp")
        response.body = body.serialized()
        return [.respond(server, response)]
            + awaitAck(server: server, response: response, reliable: inviteReliable, offer: ourOffer, now: now)
    }

    /// Starts waiting for the ACK of a 2xx this side sent: retransmitted over UDP, given up at 64·T1.
    mutating func awaitAck(
        server: SIPServerTransactionID,
        response: SIPResponse,
        reliable: Bool,
        offer: SessionDescription?,
        now: SIPInstant
    ) -> [Action] {
        let timers = settings.timers
        let giveUpAt = now + timers.transactionTimeout
        exchange = .awaitingAck(
            server: server,
            response: response,
            retransmits: !reliable,
            interval: timers.t1,
            giveUpAt: giveUpAt,
            offer: offer
        )
        return [.schedule(.answerRetransmit, at: reliable ? giveUpAt : now + timers.t1)]
    }

    private mutating func reinvite(
        _ desired: TrunkCallMedia.Local,
        dialog: SIPDialog,
        generator: inout SIPIdentifierGenerator
    ) -> [Action] {
        var dialog = dialog
        var request = dialog.makeRequest(
            .invite,
            localContact: contactURI,
            branch: generator.branch(),
            via: via()
        )
        self.dialog = dialog
        let previous = media.announced
        let offer = media.offer(desired, telephoneEvent: telephoneEvent)
        request.headers.append(.allow, SIPEndpoint.allowedMethods)
        request.headers.append(.userAgent, local.userAgent)
        request.headers.append(.contentType, "application/sdp")
        request.body = offer.serialized()
        exchange = .reinviting(sequence: dialog.localSequence, offer: offer, local: desired, previous: previous)
        return [.sendRequest(request, .reinvite)]
    }

    mutating func bye(generator: inout SIPIdentifierGenerator) -> [Action] {
        guard var dialog else {
            phase = .ended
            return [.finished]
        }
        var request = dialog.makeRequest(.bye, localContact: contactURI, branch: generator.branch(), via: via())
        request.headers.append(.userAgent, local.userAgent)
        self.dialog = dialog
        phase = .terminating
        return [.sendRequest(request, .bye)]
    }

    /// Tells the core the far end ended (once), or keeps it for when the core binds the call.
    func reportEndActions(_ cause: TrunkEndCause, status: Int?) -> [Action] {
        guard let reference else { return [] }
        return [.report(.trunkCallEnded(trunk, call: reference, cause, sipStatus: status))]
    }

    mutating func reportEnd(_ cause: TrunkEndCause, status: Int?) -> [Action] {
        guard !coreDone else { return [] }
        coreDone = true
        guard reference != nil else {
            unreportedEnd = (cause, status)
            return []
        }
        return reportEndActions(cause, status: status)
    }

    /// The action that forgets the call, unless it must wait for the core to bind it (to report its end then).
    var finishedIfDone: [Action] { isFinished ? [.finished] : [] }
}
