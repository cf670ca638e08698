public import SIPWire

/// A SIP dialog (RFC 3261 §12): the peer-to-peer relationship an INVITE sets up, identified by the Call-ID and the
/// two tags, holding what every request inside it needs: the local and remote CSeq, the route set (from
/// Record-Route), the remote target (from Contact) and the local and remote URIs.
///
/// Pure data and functions: the call layer of phase 2 keeps one per SIP call leg and builds its in-dialog requests
/// (re-INVITE for hold and resume, BYE, INFO) with ``makeRequest(_:localContact:branch:)``, and checks incoming
/// ones with ``receive(_:)``. It knows nothing of calls or of CallControl.
public struct SIPDialog: Hashable, Sendable {
    /// `Call-ID`, local tag, remote tag (§12: the dialog ID).
    public struct ID: Hashable, Sendable, CustomStringConvertible {
        public var callID: String
        public var localTag: String
        public var remoteTag: String

        public init(callID: String, localTag: String, remoteTag: String) {
            self.callID = callID
            self.localTag = localTag
            self.remoteTag = remoteTag
        }

        public var description: String { "\(callID);local=\(localTag);remote=\(remoteTag)" }
    }

    /// Why an in-dialog request is refused (§12.2.2).
    public enum RequestError: Error, Hashable, Sendable {
        /// Its CSeq is not above the last one seen: answer 500 (§12.2.2).
        case cseqOutOfOrder
        /// It belongs to another dialog: answer 481.
        case wrongDialog
    }

    public let id: ID
    /// Whether this side sent the INVITE.
    public let isCaller: Bool
    /// The local URI (From of our requests) and the remote URI (their To), with display names.
    public var localAddress: SIPNameAddress
    public var remoteAddress: SIPNameAddress
    /// Where in-dialog requests go: the peer's Contact URI, updated by target refresh requests (re-INVITE, §12.2).
    public var remoteTarget: SIPURI
    /// The Record-Route set as this side must use it (§12.1.1: in order for the callee, reversed for the caller).
    public var routeSet: [SIPNameAddress]
    /// The CSeq of the last request this side sent in the dialog.
    public var localSequence: UInt32
    /// The CSeq of the last request received in the dialog; nil before the first (§12.2.2).
    public var remoteSequence: UInt32?
    /// Whether the dialog is confirmed (a 2xx) or still early (a 1xx with a To tag).
    public var isConfirmed: Bool

    /// The dialog a UAC gets from a response with a To tag to its INVITE (§12.1.2): the route set is the response's
    /// Record-Route reversed, the remote target its Contact.
    public init(
        asCaller invite: SIPRequest,
        response: SIPResponse
    ) throws(SIPParseError) {
        let request = try invite.essentials()
        let answer = try response.essentials()
        guard let localTag = request.from.tag, let remoteTag = answer.to.tag else {
            throw SIPParseError(code: .missingHeader, detail: "dialog without tags")
        }
        let contact = try response.headers.contacts().addresses.first
        self.id = ID(callID: request.callID, localTag: localTag, remoteTag: remoteTag)
        self.isCaller = true
        self.localAddress = request.from
        self.remoteAddress = answer.to
        self.remoteTarget = contact?.uri ?? invite.uri
        self.routeSet = try response.headers.routes(.recordRoute).reversed()
        self.localSequence = request.cseq.sequence
        self.remoteSequence = nil
        self.isConfirmed = response.isSuccess
    }

    /// The dialog a UAS gets when it answers an INVITE with a To tag of its own (§12.1.1): the route set is the
    /// request's Record-Route in order, the remote target its Contact.
    public init(asCallee invite: SIPRequest, localTag: String) throws(SIPParseError) {
        let request = try invite.essentials()
        let contact = try invite.headers.contacts().addresses.first
        guard let remoteTag = request.from.tag else {
            throw SIPParseError(code: .missingHeader, detail: "INVITE without From tag")
        }
        var local = request.to
        local.tag = localTag
        self.id = ID(callID: request.callID, localTag: localTag, remoteTag: remoteTag)
        self.isCaller = false
        self.localAddress = local
        self.remoteAddress = request.from
        self.remoteTarget = contact?.uri ?? invite.uri
        self.routeSet = try invite.headers.routes(.recordRoute)
        self.localSequence = 0
        self.remoteSequence = request.cseq.sequence
        self.isConfirmed = false
    }

    /// A request inside the dialog (§12.2.1.1): CSeq one above the last, the Request-URI the remote target, Route
    /// the route set (loose routing, §16.12: the remote target stays the Request-URI when the first route has
    /// `lr`; a strict router gets the Request-URI and the target goes last).
    public mutating func makeRequest(
        _ method: SIPMethod,
        localContact: SIPURI,
        branch: String,
        via: SIPVia
    ) -> SIPRequest {
        if method != .ack && method != .cancel { localSequence &+= 1 }
        var headers = SIPHeaders()
        var topVia = via
        topVia.parameters.set("branch", branch)
        headers.append(.via, topVia.description)
        headers.append(.maxForwards, "\(SIPLimits.initialMaxForwards)")
        headers.append(.from, localAddress.description)
        headers.append(.to, remoteAddress.description)
        headers.append(.callID, id.callID)
        headers.append(.cseq, "\(localSequence) \(method)")
        var requestURI = remoteTarget
        if let first = routeSet.first, !first.uri.parameters.contains("lr") {
            requestURI = first.uri
            for route in routeSet.dropFirst() { headers.append(.route, route.description) }
            headers.append(.route, SIPNameAddress(uri: remoteTarget).description)
        } else {
            for route in routeSet { headers.append(.route, route.description) }
        }
        headers.append(.contact, SIPNameAddress(uri: localContact).description)
        return SIPRequest(method: method, uri: requestURI, headers: headers)
    }

    /// The ACK for a 2xx to this side's INVITE (§13.2.2.4): the INVITE's CSeq number, method ACK.
    public func makeAck(forInviteSequence sequence: UInt32, branch: String, via: SIPVia) -> SIPRequest {
        var copy = self
        copy.localSequence = sequence
        var ack = copy.makeRequest(.ack, localContact: remoteTarget, branch: branch, via: via)
        ack.headers.remove(.contact)
        return ack
    }

    /// Checks a request received in the dialog (§12.2.2) and takes its CSeq and, for a target refresh, its Contact.
    public mutating func receive(_ request: SIPRequest) throws(RequestError) {
        guard let essentials = try? request.essentials(),
            essentials.callID == id.callID, essentials.to.tag == id.localTag, essentials.from.tag == id.remoteTag
        else { throw .wrongDialog }
        if request.method != .ack && request.method != .cancel {
            if let last = remoteSequence, essentials.cseq.sequence <= last { throw .cseqOutOfOrder }
            remoteSequence = essentials.cseq.sequence
        }
        if request.method == .invite || request.method == .update,
            let contact = try? request.headers.contacts().addresses.first
        {
            remoteTarget = contact.uri
        }
        if request.method == .ack { isConfirmed = true }
    }

    /// The dialog ID a request received would belong to (its To tag is ours, its From tag theirs).
    public static func id(ofReceived request: SIPEssentials) -> ID? {
        guard let local = request.to.tag, let remote = request.from.tag else { return nil }
        return ID(callID: request.callID, localTag: local, remoteTag: remote)
    }
}
