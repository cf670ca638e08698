import CallControl
import SIPWire

/// The messages a trunk call builds, and the identities in them (caller name and number both ways: From and
/// P-Asserted-Identity, RFC 3325).
extension SIPTrunkCall {
    /// The longest caller name and number taken from the far end: more than any display shows, and a bound on what
    /// a peer can put into the core.
    static let maximumNameLength = 64
    static let maximumNumberLength = 32

    // MARK: - Requests

    /// Strowger's Via for a request to the trunk (a fresh branch; `rport`, RFC 3581).
    func via() -> SIPVia {
        var via = SIPVia(
            transport: configuration.transport.viaToken,
            host: local.host,
            port: local.port(for: configuration.transport),
            branch: nil
        )
        via.parameters.set("rport", nil)
        return via
    }

    /// Strowger's Contact for the trunk's transport.
    var contactURI: SIPURI { Self.contact(configuration: configuration, local: local) }

    static func contact(configuration: SIPTrunkConfiguration, local: SIPLocalIdentity) -> SIPURI {
        var contact = SIPURI(
            user: "strowger",
            host: local.host.contains(":") ? "[\(local.host)]" : local.host,
            port: local.port(for: configuration.transport)
        )
        if configuration.transport != .udp { contact.parameters.set("transport", configuration.transport.rawValue) }
        return contact
    }

    /// The INVITE for a call to `called`, without a body (the caller adds an early offer's SDP). The Request-URI is
    /// the number at the trunk's domain; From and P-Asserted-Identity carry the caller's name and number.
    static func initialInvite(
        caller: Party,
        called: String,
        configuration: SIPTrunkConfiguration,
        local: SIPLocalIdentity,
        generator: inout SIPIdentifierGenerator
    ) -> SIPRequest {
        var uri = SIPURI(
            user: escapedUser(called),
            host: configuration.domain,
            port: configuration.fromDomain == nil && configuration.port != configuration.transport.defaultPort
                ? configuration.port : nil
        )
        if configuration.transport != .udp { uri.parameters.set("transport", configuration.transport.rawValue) }
        var from = identity(caller, domain: configuration.domain)
        from.tag = generator.tag()
        let to = SIPNameAddress(uri: SIPURI(user: escapedUser(called), host: configuration.domain))
        var via = SIPVia(
            transport: configuration.transport.viaToken,
            host: local.host,
            port: local.port(for: configuration.transport),
            branch: generator.branch()
        )
        via.parameters.set("rport", nil)
        var headers = SIPHeaders()
        headers.append(.via, via.description)
        headers.append(.maxForwards, "\(SIPLimits.initialMaxForwards)")
        headers.append(.from, from.description)
        headers.append(.to, to.description)
        headers.append(.callID, generator.callID(host: local.host))
        headers.append(.cseq, "1 INVITE")
        headers.append(.contact, SIPNameAddress(uri: contact(configuration: configuration, local: local)).description)
        headers.append(.pAssertedIdentity, identity(caller, domain: configuration.domain).description)
        headers.append(.allow, SIPEndpoint.allowedMethods)
        headers.append(.userAgent, local.userAgent)
        return SIPRequest(method: .invite, uri: uri, headers: headers)
    }

    /// The INVITE again with the answer to the far end's challenge (RFC 3261 §22.2, RFC 8760): a new branch, CSeq
    /// one up, the same Call-ID and From tag. Nil when the trunk has no credentials or the challenge is not one this
    /// side can answer.
    func authenticatedInvite(for response: SIPResponse, generator: inout SIPIdentifierGenerator) -> SIPRequest? {
        guard let credentials = configuration.credentials,
            let challenge = DigestClient.choose(DigestChallenge.challenges(in: response))
        else { return nil }
        var request = invite
        var headers = SIPHeaders()
        for field in invite.headers {
            switch field.name {
            case .via:
                var via = (try? SIPVia(parsing: field.value)) ?? self.via()
                via.parameters.set("branch", generator.branch())
                headers.append(.via, via.description)
            case .cseq:
                headers.append(.cseq, "\(Self.sequence(of: invite) &+ 1) INVITE")
            case .authorization, .proxyAuthorization:
                continue
            default:
                headers.append(field.name, field.value)
            }
        }
        headers.append(
            challenge.isProxy ? .proxyAuthorization : .authorization,
            DigestClient.authorization(
                for: challenge,
                credentials: credentials,
                method: .invite,
                uri: invite.uri.description,
                nonceCount: 1,
                cnonce: generator.cnonce()
            )
        )
        request.headers = headers
        return request
    }

    /// The CANCEL of this side's INVITE (§9.1): its Request-URI, top Via, From, To, Call-ID, Route and CSeq number.
    func cancelRequest() -> SIPRequest {
        var headers = SIPHeaders()
        if let via = invite.headers.values(.via).first { headers.append(.via, via) }
        headers.append(.maxForwards, "\(SIPLimits.initialMaxForwards)")
        if let from = invite.headers[.from] { headers.append(.from, from) }
        if let to = invite.headers[.to] { headers.append(.to, to) }
        if let callID = invite.headers[.callID] { headers.append(.callID, callID) }
        headers.append(.cseq, "\(Self.sequence(of: invite)) CANCEL")
        for route in invite.headers.lines(.route) { headers.append(.route, route) }
        headers.append(.userAgent, local.userAgent)
        return SIPRequest(method: .cancel, uri: invite.uri, headers: headers)
    }

    /// The ACK of a 2xx to this side's INVITE with CSeq `sequence`, with the answer when the 2xx carried an offer.
    func ack(sequence: UInt32, body: SessionDescription?, generator: inout SIPIdentifierGenerator) -> SIPRequest {
        guard let dialog else {
            return SIPRequest(method: .ack, uri: invite.uri)
        }
        var request = dialog.makeAck(forInviteSequence: sequence, branch: generator.branch(), via: via())
        if let body {
            request.headers.append(.contentType, "application/sdp")
            request.body = body.serialized()
        }
        return request
    }

    /// An answer refusing every stream of `offer`, at the address this side described last (or its own host).
    func refusal(of offer: SessionDescription) -> SessionDescription {
        AudioOfferAnswer.refusal(
            of: offer,
            address: media.announced?.endpoint.address.description ?? local.host,
            sessionID: media.sessionID
        )
    }

    /// A response to a request of the dialog (the INVITE, a re-INVITE): this side's To tag, the request's
    /// Record-Route (§12.1.1), Contact, Allow and Server.
    func dialogResponse(to request: SIPRequest, status: Int) -> SIPResponse {
        var response = SIPResponse(replyingTo: request, statusCode: status, toTag: dialog?.id.localTag)
        if status < 300 {
            for route in request.headers.lines(.recordRoute) { response.headers.append(.recordRoute, route) }
            response.headers.append(.contact, SIPNameAddress(uri: contactURI).description)
            response.headers.append(.allow, SIPEndpoint.allowedMethods)
        }
        response.headers.append(.server, local.userAgent)
        return response
    }

    static func sequence(of request: SIPRequest) -> UInt32 {
        (try? request.headers.cseq().sequence) ?? 1
    }

    // MARK: - Identities

    /// A party as a SIP address at `domain`: its name as the display name, its number as the user.
    static func identity(_ party: Party, domain: String) -> SIPNameAddress {
        let number = party.number.rawValue.isEmpty ? "anonymous" : party.number.rawValue
        return SIPNameAddress(
            displayName: party.name.isEmpty ? nil : party.name,
            uri: SIPURI(user: escapedUser(number), host: domain)
        )
    }

    /// Who is calling: the first SIP or tel URI of P-Asserted-Identity (a trunk is trusted to assert it, RFC 3325),
    /// else From. The number is the URI's user (or the tel number), the name its display name; both bounded.
    static func callingParty(of invite: SIPRequest) -> Party {
        let asserted = invite.headers.values(.pAssertedIdentity).lazy.compactMap {
            try? SIPNameAddress(parsing: $0)
        }.first { address in
            switch address.uri.scheme {
            case .sip, .sips, .tel: true
            case .other: false
            }
        }
        guard let address = asserted ?? (try? invite.headers.from()) else {
            return Party(name: "", number: "")
        }
        let number: String
        switch address.uri.scheme {
        case .tel: number = address.uri.host
        case .sip, .sips, .other: number = address.uri.decodedUser ?? ""
        }
        let shownNumber = number.lowercased() == "anonymous" ? "" : number
        return Party(
            name: String((address.displayName ?? "").filter { !$0.isNewline }.prefix(maximumNameLength)),
            number: DirectoryNumber(String(shownNumber.filter { !$0.isWhitespace }.prefix(maximumNumberLength)))
        )
    }

    /// The number called: the Request-URI's user (a tel URI's number), else To's; nil when neither has one.
    static func calledNumber(of invite: SIPRequest) -> String? {
        func number(_ uri: SIPURI) -> String? {
            let value: String?
            switch uri.scheme {
            case .tel: value = uri.host
            case .sip, .sips: value = uri.decodedUser
            case .other: value = nil
            }
            guard let value, !value.isEmpty else { return nil }
            return String(value.prefix(maximumNumberLength))
        }
        return number(invite.uri) ?? (try? invite.headers.to()).flatMap { number($0.uri) }
    }

    /// `text` as the user part of a SIP URI (RFC 3261 §25.1: unreserved and user-unreserved characters as they are,
    /// anything else `%HH`), so that `#` or a space in a number cannot break the URI.
    static func escapedUser(_ text: String) -> String {
        var result = ""
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"),
                UInt8(ascii: "0")...UInt8(ascii: "9"):
                result.append(Character(Unicode.Scalar(byte)))
            case _ where "-_.!~*'()&=+$,;?/".utf8.contains(byte):
                result.append(Character(Unicode.Scalar(byte)))
            default:
                let hex = String(byte, radix: 16, uppercase: true)
                result += "%" + (hex.count == 1 ? "0" : "") + hex
            }
        }
        return result
    }
}
