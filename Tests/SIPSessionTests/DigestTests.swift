import SIPSession
import SIPWire
import Testing

@Suite struct DigestTests {
    /// RFC 7616 §3.9.1's example (the same computation SIP uses, RFC 8760 §2.2), MD5 and SHA-256.
    @Test(arguments: [
        (DigestAlgorithm.md5, "8ca523f5e9506fed4657c9700eebdbec"),
        (.sha256, "753927fa0e85d155564e2e272a28d1802ca10daf4496794697cf8db5856cb6c1"),
    ])
    func rfc7616Example(_ algorithm: DigestAlgorithm, _ expected: String) {
        let response = DigestClient.response(
            algorithm: algorithm,
            username: "Mufasa",
            realm: "http-auth@example.org",
            password: "Circle of Life",
            method: "GET",
            uri: "/dir/index.html",
            nonce: "7ypf/xlj9XXwfDPEoM4URrv/xwf94BcCAzFZH4GiTo0v",
            qop: "auth",
            nonceCount: "00000001",
            cnonce: "f2/wE4q74E6zIJEtWaHKaf5wv/H5QzzpXusqGemxURZJ"
        )
        #expect(response == expected)
    }

    /// RFC 2617 §3.5's example.
    @Test func rfc2617Example() {
        let response = DigestClient.response(
            algorithm: .md5,
            username: "Mufasa",
            realm: "testrealm@host.com",
            password: "Circle Of Life",
            method: "GET",
            uri: "/dir/index.html",
            nonce: "dcd98b7102dd2f0e8b11d0f600bfb0c093",
            qop: "auth",
            nonceCount: "00000001",
            cnonce: "0a4f113b"
        )
        #expect(response == "6629fae49393a05397450978507c4ef1")
    }

    @Test func challengesParseAndTheServersPreferenceWins() throws {
        var response = SIPResponse(statusCode: 401)
        response.headers.append(
            .wwwAuthenticate,
            "Digest realm=\"carrier\", nonce=\"abc\", algorithm=SHA-256, qop=\"auth,auth-int\""
        )
        response.headers.append(
            .wwwAuthenticate,
            "Digest realm=\"carrier\", nonce=\"abc\", algorithm=MD5, qop=\"auth\""
        )
        response.headers.append(.wwwAuthenticate, "Basic realm=\"x\"")
        let challenges = DigestChallenge.challenges(in: response)
        #expect(challenges.map(\.algorithm) == [.sha256, .md5])
        let chosen = try #require(DigestClient.choose(challenges))
        #expect(chosen.algorithm == .sha256)
        #expect(chosen.qopOptions == ["auth", "auth-int"])
        let header = DigestClient.authorization(
            for: chosen,
            credentials: DigestCredentials(username: "alice", password: "secret"),
            method: .register,
            uri: "sip:carrier.example",
            nonceCount: 1,
            cnonce: "c1"
        )
        #expect(
            header.hasPrefix("Digest username=\"alice\", realm=\"carrier\", nonce=\"abc\", uri=\"sip:carrier.example\"")
        )
        #expect(header.contains("algorithm=SHA-256"))
        #expect(header.contains("qop=auth, nc=00000001"))
        #expect(!header.contains("secret"))
    }

    /// The server side checks what the client side computes; a wrong password, a forged nonce and an expired one
    /// are told apart.
    @Test func serverVerifiesClientAnswers() throws {
        let server = DigestServer(realm: "strowger", secret: Array(repeating: 7, count: 32))
        let credentials = DigestCredentials(username: "carrier", password: "pa55")
        for challenge in server.challenges(now: Fixture.at(100)) {
            var request = Fixture.request(.invite)
            request.headers.append(
                .authorization,
                DigestClient.authorization(
                    for: challenge,
                    credentials: credentials,
                    method: .invite,
                    uri: request.uri.description,
                    cnonce: "x"
                )
            )
            #expect(
                server.verify(request, now: Fixture.at(110)) { $0 == "carrier" ? "pa55" : nil }
                    == .valid(username: "carrier")
            )
            #expect(server.verify(request, now: Fixture.at(110)) { _ in "wrong" } == .invalid)
            #expect(server.verify(request, now: Fixture.at(1_000)) { _ in "pa55" } == .stale)
            let other = DigestServer(realm: "strowger", secret: Array(repeating: 8, count: 32))
            #expect(other.verify(request, now: Fixture.at(110)) { _ in "pa55" } == .invalid)
        }
    }
}
