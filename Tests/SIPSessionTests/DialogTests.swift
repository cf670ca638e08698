import SIPSession
import SIPWire
import Testing

@Suite struct DialogTests {
    static let via = SIPVia(transport: "UDP", host: "192.0.2.1", port: 5060)

    /// The INVITE this side sent, and the peer's 200 with its tag, Contact and the proxies' Record-Route.
    static func callerDialog() throws -> SIPDialog {
        var invite = Fixture.request(.invite, fromTag: "ours", cseq: 10)
        invite.headers.append(.contact, "<sip:strowger@192.0.2.1:5060>")
        var ok = Fixture.response(to: invite, 200, toTag: "theirs")
        ok.headers.append(.contact, "<sip:peer@203.0.113.9:5070>")
        ok.headers.append(.recordRoute, "<sip:p2.example.net;lr>, <sip:p1.example.net;lr>")
        return try SIPDialog(asCaller: invite, response: ok)
    }

    /// RFC 3261 §12.1.2 and §12.2.1.1: the caller's route set is Record-Route reversed, requests go to the remote
    /// target with CSeq one above the INVITE's, and the ACK of a 2xx keeps the INVITE's number.
    @Test func callerBuildsInDialogRequests() throws {
        var dialog = try Self.callerDialog()
        #expect(dialog.id == SIPDialog.ID(callID: "call-1@test", localTag: "ours", remoteTag: "theirs"))
        #expect(dialog.routeSet.map(\.uri.host) == ["p1.example.net", "p2.example.net"])
        let ack = dialog.makeAck(forInviteSequence: 10, branch: "z9hG4bKack", via: Self.via)
        #expect(try ack.headers.cseq() == SIPCSeq(10, .ack))
        #expect(ack.uri.description == "sip:peer@203.0.113.9:5070")
        let bye = dialog.makeRequest(
            .bye,
            localContact: SIPURI(user: "strowger", host: "192.0.2.1"),
            branch: "z9hG4bKbye",
            via: Self.via
        )
        #expect(bye.uri.description == "sip:peer@203.0.113.9:5070")
        #expect(try bye.headers.cseq() == SIPCSeq(11, .bye))
        #expect(try bye.headers.routes(.route).map(\.uri.host) == ["p1.example.net", "p2.example.net"])
        #expect(try bye.headers.from().tag == "ours")
        #expect(try bye.headers.to().tag == "theirs")
        #expect(try bye.headers.topVia().branch == "z9hG4bKbye")
        // The next one counts on.
        let reinvite = dialog.makeRequest(
            .invite,
            localContact: SIPURI(host: "192.0.2.1"),
            branch: "z9hG4bKre",
            via: Self.via
        )
        #expect(try reinvite.headers.cseq().sequence == 12)
    }

    /// A strict router (no `lr`) gets the Request-URI and the remote target goes last in Route (RFC 3261 §12.2.1.1).
    @Test func strictRoutingPutsTheTargetLast() throws {
        var invite = Fixture.request(.invite, fromTag: "ours")
        invite.headers.append(.contact, "<sip:strowger@192.0.2.1>")
        var ok = Fixture.response(to: invite, 200, toTag: "theirs")
        ok.headers.append(.contact, "<sip:peer@203.0.113.9>")
        ok.headers.append(.recordRoute, "<sip:strict.example.net>")
        var dialog = try SIPDialog(asCaller: invite, response: ok)
        let bye = dialog.makeRequest(.bye, localContact: SIPURI(host: "192.0.2.1"), branch: "z9hG4bKb", via: Self.via)
        #expect(bye.uri.host == "strict.example.net")
        #expect(try bye.headers.routes(.route).map(\.uri.description) == ["sip:peer@203.0.113.9"])
    }

    /// The callee's dialog (§12.1.1): route set in order, remote CSeq from the INVITE; requests out of order are
    /// refused (500) and a re-INVITE refreshes the remote target.
    @Test func calleeChecksIncomingRequests() throws {
        var invite = Fixture.request(.invite, fromTag: "theirs", cseq: 5)
        invite.headers.append(.contact, "<sip:peer@203.0.113.9>")
        invite.headers.append(.recordRoute, "<sip:p1.example.net;lr>")
        var dialog = try SIPDialog(asCallee: invite, localTag: "ours")
        #expect(dialog.remoteSequence == 5)
        #expect(dialog.routeSet.map(\.uri.host) == ["p1.example.net"])

        var reinvite = Fixture.request(.invite, branch: "z9hG4bK2", fromTag: "theirs", cseq: 6)
        reinvite.headers.set(.to, "<sip:strowger@192.0.2.1>;tag=ours")
        reinvite.headers.append(.contact, "<sip:peer@203.0.113.10>")
        try dialog.receive(reinvite)
        #expect(dialog.remoteTarget.host == "203.0.113.10")
        #expect(throws: SIPDialog.RequestError.cseqOutOfOrder) { try dialog.receive(reinvite) }
        var other = reinvite
        other.headers.set(.to, "<sip:strowger@192.0.2.1>;tag=someoneelse")
        #expect(throws: SIPDialog.RequestError.wrongDialog) { try dialog.receive(other) }
    }
}
