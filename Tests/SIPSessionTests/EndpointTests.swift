import SIPSession
import SIPWire
import Testing

@Suite struct EndpointTests {
    static let trunkPeer = SIPPeer(transport: .udp, host: "192.0.2.2", port: 5060)
    static let stranger = SIPPeer(transport: .udp, host: "198.51.100.66", port: 5060)

    static func endpoint(
        _ trunk: SIPTrunkConfiguration = SIPTrunkConfiguration(name: "carrier", host: "192.0.2.2")
    )
        -> SIPEndpoint
    {
        var endpoint = SIPEndpoint(
            local: SIPLocalIdentity(host: "192.0.2.1", ports: [.udp: 5060]),
            generator: SIPIdentifierGenerator(seed: 9),
            digestSecret: Array(repeating: 1, count: 32)
        )
        _ = endpoint.trunksChanged([trunk], addresses: [trunk.name: [trunk.host]], now: .zero)
        return endpoint
    }

    static func responses(_ actions: [SIPEndpoint.Action]) -> [SIPResponse] {
        actions.compactMap {
            if case .send(.response(let response), _) = $0 { return response }
            return nil
        }
    }

    @Test func optionsFromATrunkIsAnswered200() throws {
        var endpoint = Self.endpoint()
        let options = Fixture.request(.options)
        let actions = endpoint.received(.request(options), from: Self.trunkPeer, now: Fixture.at(1))
        let response = try #require(Self.responses(actions).first)
        #expect(response.statusCode == 200)
        #expect(response.headers[.allow] == SIPEndpoint.allowedMethods)
        #expect(try response.headers.to().tag != nil)
    }

    /// A stranger gets 403, statelessly (no transaction is kept), and the refusal is reported for the metrics.
    @Test func requestsFromStrangersAreForbidden() throws {
        var endpoint = Self.endpoint()
        for method in [SIPMethod.invite, .options, .register] {
            let actions = endpoint.received(.request(Fixture.request(method)), from: Self.stranger, now: Fixture.at(1))
            #expect(Self.responses(actions).map(\.statusCode) == [403])
            #expect(actions.last == .refused(.notATrunk, method, from: Self.stranger))
        }
        #expect(endpoint.transactionCounts.server == 0)
        // An ACK is never answered.
        #expect(endpoint.received(.request(Fixture.request(.ack)), from: Self.stranger, now: Fixture.at(2)).isEmpty)
    }

    /// Phase 1: an INVITE from a trunk gets 100 Trying and then 503 with a Warning that says why.
    @Test func invitesFromATrunkAreRefusedClearly() throws {
        var endpoint = Self.endpoint()
        let actions = endpoint.received(.request(Fixture.request(.invite)), from: Self.trunkPeer, now: Fixture.at(1))
        let responses = Self.responses(actions)
        #expect(responses.map(\.statusCode) == [100, 503])
        #expect(responses.last?.headers[.warning]?.hasPrefix("399 192.0.2.1 \"Strowger does not connect calls") == true)
    }

    @Test func atypicalRequestsGetTheirRFCAnswers() throws {
        var endpoint = Self.endpoint()
        var unknownScheme = Fixture.request(.options, branch: "z9hG4bKa")
        unknownScheme.uri = try SIPURI(parsing: "nobodyKnowsThisScheme:totallyopaquecontent")
        var require = Fixture.request(.options, branch: "z9hG4bKb", extra: [("Require", "nothingSupportsThis")])
        require.uri = SIPURI(host: "192.0.2.1")
        let bye = Fixture.request(.bye, branch: "z9hG4bKc")
        let register = Fixture.request(.register, branch: "z9hG4bKd")
        var codes: [Int] = []
        for request in [unknownScheme, require, bye, register] {
            codes += Self.responses(endpoint.received(.request(request), from: Self.trunkPeer, now: Fixture.at(1))).map(
                \.statusCode
            )
        }
        #expect(codes == [416, 420, 481, 405])
    }

    /// A trunk that accepts credentials: a stranger is challenged, and accepted once it answers with the trunk's.
    @Test func inboundCredentialsAdmitAPeerFromAnotherAddress() throws {
        var endpoint = Self.endpoint(
            SIPTrunkConfiguration(
                name: "carrier",
                host: "192.0.2.2",
                credentials: DigestCredentials(username: "carrier", password: "s3cret"),
                acceptsInboundCredentials: true
            )
        )
        let options = Fixture.request(.options)
        let challenged = Self.responses(endpoint.received(.request(options), from: Self.stranger, now: Fixture.at(1)))
        let challenge = try #require(challenged.first)
        #expect(challenge.statusCode == 401)
        let chosen = try #require(DigestClient.choose(DigestChallenge.challenges(in: challenge)))
        #expect(chosen.algorithm == .sha256)
        var answered = Fixture.request(.options, branch: "z9hG4bKsecond", cseq: 2)
        answered.headers.append(
            .authorization,
            DigestClient.authorization(
                for: chosen,
                credentials: DigestCredentials(username: "carrier", password: "s3cret"),
                method: .options,
                uri: answered.uri.description,
                cnonce: "c"
            )
        )
        #expect(
            Self.responses(endpoint.received(.request(answered), from: Self.stranger, now: Fixture.at(2))).map(
                \.statusCode
            ) == [200]
        )
        var wrong = Fixture.request(.options, branch: "z9hG4bKthird", cseq: 3)
        wrong.headers.append(
            .authorization,
            DigestClient.authorization(
                for: chosen,
                credentials: DigestCredentials(username: "carrier", password: "guess"),
                method: .options,
                uri: wrong.uri.description,
                cnonce: "c"
            )
        )
        let refused = endpoint.received(.request(wrong), from: Self.stranger, now: Fixture.at(3))
        #expect(Self.responses(refused).map(\.statusCode) == [403])
        #expect(refused.last == .refused(.authenticationFailed, .options, from: Self.stranger))
    }

    /// The trunk's keepalive goes out through a transaction and its outcome reaches the status.
    @Test func keepAliveRunsThroughTransactions() throws {
        var endpoint = SIPEndpoint(
            local: SIPLocalIdentity(host: "192.0.2.1", ports: [.udp: 5060]),
            generator: SIPIdentifierGenerator(seed: 3)
        )
        let started = endpoint.trunksChanged(
            [SIPTrunkConfiguration(name: "carrier", host: "192.0.2.2")],
            addresses: ["carrier": ["192.0.2.2"]],
            now: .zero
        )
        var options: SIPRequest?
        for case .send(.request(let request), let peer) in started where peer == Self.trunkPeer { options = request }
        let request = try #require(options)
        let after = endpoint.received(
            .response(Fixture.response(to: request, 200)),
            from: Self.trunkPeer,
            now: Fixture.at(0.1)
        )
        #expect(endpoint.trunkStatuses["carrier"]?.reachability == .up)
        #expect(after.contains { if case .trunkStatusChanged("carrier", _) = $0 { true } else { false } })
        // Removing the trunk forgets it.
        _ = endpoint.trunksChanged([], addresses: [:], now: Fixture.at(1))
        #expect(endpoint.trunkStatuses.isEmpty)
    }
}
