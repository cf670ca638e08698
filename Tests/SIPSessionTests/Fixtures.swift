import SIPSession
import SIPWire

enum Fixture {
    static func request(
        _ method: SIPMethod,
        branch: String = "z9hG4bKtest1",
        callID: String = "call-1@test",
        fromTag: String = "ft",
        cseq: UInt32 = 1,
        extra: [(String, String)] = []
    ) -> SIPRequest {
        var headers = SIPHeaders()
        headers.append(.via, "SIP/2.0/UDP 192.0.2.2:5060;branch=\(branch);rport")
        headers.append(.maxForwards, "70")
        headers.append(.from, "<sip:carrier@192.0.2.2>;tag=\(fromTag)")
        headers.append(.to, "<sip:strowger@192.0.2.1>")
        headers.append(.callID, callID)
        headers.append(.cseq, "\(cseq) \(method)")
        for (name, value) in extra { headers.append(SIPHeaderName(name), value) }
        return SIPRequest(method: method, uri: SIPURI(user: "strowger", host: "192.0.2.1"), headers: headers)
    }

    static func response(
        to request: SIPRequest,
        _ code: Int,
        toTag: String? = "tt",
        extra: [(String, String)] = []
    )
        -> SIPResponse
    {
        var response = SIPResponse(replyingTo: request, statusCode: code, toTag: toTag)
        for (name, value) in extra { response.headers.append(SIPHeaderName(name), value) }
        return response
    }

    static let timers = SIPTimerSettings()
    static let peer = SIPPeer(transport: .udp, host: "192.0.2.2", port: 5060)
    static let tcpPeer = SIPPeer(transport: .tcp, host: "192.0.2.2", port: 40_000)

    static func at(_ seconds: Double) -> SIPInstant { .seconds(seconds) }
}
