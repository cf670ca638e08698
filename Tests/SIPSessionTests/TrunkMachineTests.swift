import SIPSession
import SIPWire
import Testing

@Suite struct TrunkMachineTests {
    static let local = SIPLocalIdentity(host: "192.0.2.1", ports: [.udp: 5060])
    static let settings = SIPTrunkMachine.Settings(keepAliveInterval: .seconds(30), registrationExpires: 600)

    static func machine(credentials: DigestCredentials? = nil) -> (SIPTrunkMachine, SIPIdentifierGenerator) {
        var generator = SIPIdentifierGenerator(seed: 1)
        let machine = SIPTrunkMachine(
            configuration: SIPTrunkConfiguration(name: "carrier", host: "203.0.113.5", credentials: credentials),
            settings: settings,
            local: local,
            generator: &generator
        )
        return (machine, generator)
    }

    static func sent(_ actions: [SIPTrunkMachine.Action], _ purpose: SIPTrunkMachine.Purpose) -> SIPRequest? {
        for case .send(let request, let kind) in actions where kind == purpose { return request }
        return nil
    }

    @Test func optionsKeepAliveDecidesUpAndDown() throws {
        var (machine, generator) = Self.machine()
        let started = machine.start(now: .zero, generator: &generator)
        let options = try #require(Self.sent(started, .keepAlive))
        #expect(options.method == .options)
        #expect(options.uri.description == "sip:203.0.113.5:5060")
        #expect(try options.headers.topVia().parameters.contains("rport"))
        #expect(Self.sent(started, .register) == nil)
        #expect(machine.status.reachability == .unknown)

        let ok = Fixture.response(to: options, 200)
        let answered = machine.outcome(of: .keepAlive, response: ok, now: Fixture.at(1), generator: &generator)
        #expect(machine.status.reachability == .up)
        #expect(machine.status.lastResponseCode == 200)
        #expect(answered.contains(.schedule(.keepAlive, at: Fixture.at(31))))

        let next = machine.timerFired(.keepAlive, now: Fixture.at(31), generator: &generator)
        let second = try #require(Self.sent(next, .keepAlive))
        #expect(try second.headers.callID() != (try options.headers.callID()))
        _ = machine.outcome(of: .keepAlive, response: nil, now: Fixture.at(63), generator: &generator)
        #expect(machine.status.reachability == .down)
        #expect(machine.status.lastResponseCode == nil)
        #expect(machine.status.since == Fixture.at(63))
    }

    /// REGISTER, 401 with a SHA-256 challenge, REGISTER with credentials (same Call-ID, CSeq + 1), 200: registered
    /// with the granted lifetime and refreshed before it ends.
    @Test func registrationAnswersTheChallenge() throws {
        var (machine, generator) = Self.machine(credentials: DigestCredentials(username: "4930123", password: "pw"))
        let first = try #require(Self.sent(machine.start(now: .zero, generator: &generator), .register))
        #expect(first.uri.description == "sip:203.0.113.5")
        #expect(try first.headers.to().uri.description == "sip:4930123@203.0.113.5")
        #expect(first.headers[.expires] == "600")
        #expect(first.headers[.authorization] == nil)
        #expect(machine.status.registration == .registering)

        let challenge = Fixture.response(
            to: first,
            401,
            extra: [("WWW-Authenticate", "Digest realm=\"carrier\", nonce=\"n1\", algorithm=SHA-256, qop=\"auth\"")]
        )
        let retried = machine.outcome(of: .register, response: challenge, now: Fixture.at(0.1), generator: &generator)
        let second = try #require(Self.sent(retried, .register))
        #expect(try second.headers.callID() == (try first.headers.callID()))
        #expect(try second.headers.cseq().sequence == (try first.headers.cseq().sequence) + 1)
        let authorization = try #require(second.headers[.authorization])
        #expect(authorization.contains("username=\"4930123\""))
        #expect(authorization.contains("algorithm=SHA-256"))
        #expect(authorization.contains("nc=00000001"))

        let ok = Fixture.response(to: second, 200, extra: [("Contact", "<sip:4930123@192.0.2.1:5060>;expires=300")])
        let done = machine.outcome(of: .register, response: ok, now: Fixture.at(1), generator: &generator)
        #expect(machine.status.registration == .registered(until: Fixture.at(301)))
        #expect(done.contains(.schedule(.register, at: Fixture.at(256))))

        // The refresh answers the same challenge again, nonce count 2.
        let refresh = try #require(
            Self.sent(machine.timerFired(.register, now: Fixture.at(256), generator: &generator), .register)
        )
        #expect(refresh.headers[.authorization]?.contains("nc=00000002") == true)
        #expect(machine.status.registration == .registered(until: Fixture.at(301)))
    }

    /// A second challenge right after answering one means the password is wrong: failed, retried later with backoff.
    @Test func wrongCredentialsFailAndBackOff() throws {
        var (machine, generator) = Self.machine(credentials: DigestCredentials(username: "u", password: "bad"))
        let first = try #require(Self.sent(machine.start(now: .zero, generator: &generator), .register))
        let challenge = { (request: SIPRequest) in
            Fixture.response(
                to: request,
                401,
                extra: [("WWW-Authenticate", "Digest realm=\"c\", nonce=\"n\", qop=\"auth\"")]
            )
        }
        let second = try #require(
            Self.sent(
                machine.outcome(of: .register, response: challenge(first), now: .zero, generator: &generator),
                .register
            )
        )
        let failed = machine.outcome(
            of: .register,
            response: challenge(second),
            now: Fixture.at(1),
            generator: &generator
        )
        #expect(Self.sent(failed, .register) == nil)
        #expect(
            machine.status.registration == .failed(statusCode: 401, reason: "Unauthorized", retryAt: Fixture.at(31))
        )
        let retry = try #require(
            Self.sent(machine.timerFired(.register, now: Fixture.at(31), generator: &generator), .register)
        )
        #expect(retry.headers[.authorization] == nil)
        let timedOut = machine.outcome(of: .register, response: nil, now: Fixture.at(63), generator: &generator)
        #expect(timedOut.contains(.schedule(.register, at: Fixture.at(123))))
    }

    @Test func intervalTooBriefUsesMinExpires() throws {
        var (machine, generator) = Self.machine(credentials: DigestCredentials(username: "u", password: "p"))
        let first = try #require(Self.sent(machine.start(now: .zero, generator: &generator), .register))
        let brief = Fixture.response(to: first, 423, extra: [("Min-Expires", "1800")])
        let second = try #require(
            Self.sent(machine.outcome(of: .register, response: brief, now: .zero, generator: &generator), .register)
        )
        #expect(second.headers[.expires] == "1800")
    }

    @Test func inboundTranslation() {
        let translation = SIPInboundTranslation(stripDigits: 4, prefix: "", defaultNumber: "1000")
        #expect(translation.translate("+49301234567") == "01234567")
        #expect(translation.translate(nil) == "1000")
        #expect(translation.translate("+49") == "1000")
        #expect(SIPInboundTranslation(prefix: "0").translate("301234") == "0301234")
    }
}
