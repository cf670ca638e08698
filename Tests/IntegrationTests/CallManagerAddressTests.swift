import StrowgerApp
import Testing

/// `--callmanager HOST[:SCCP_PORT[:SCCPS_PORT]]`: what it accepts, and the message for what it does not.
@Suite struct CallManagerAddressTests {
    @Test(arguments: [
        ("192.0.2.10", CallManagerAddress(host: "192.0.2.10")),
        ("cm1.example.net:2000", CallManagerAddress(host: "cm1.example.net", sccpPort: 2000)),
        ("192.0.2.10:2001:2444", CallManagerAddress(host: "192.0.2.10", sccpPort: 2001, sccpsPort: 2444)),
        ("[2001:db8::1]", CallManagerAddress(host: "2001:db8::1")),
        ("[2001:db8::1]:2000:2443", CallManagerAddress(host: "2001:db8::1", sccpPort: 2000, sccpsPort: 2443)),
    ])
    func parses(_ text: String, _ expected: CallManagerAddress) throws {
        #expect(try CallManagerAddress(parsing: text) == expected)
    }

    @Test(arguments: [
        ("", "host must be a host name or an IP address"),
        ("0.0.0.0", "not a wildcard"),
        ("[::]:2000", "not a wildcard"),
        ("host:0", "'0' is not a port between 1 and 65535"),
        ("host:2000:x", "'x' is not a port"),
        ("host:1:2:3", "the form is HOST[:SCCP_PORT[:SCCPS_PORT]]"),
        ("[2001:db8::1", "needs its closing ']'"),
        ("[2001:db8::1]x", "only ':PORT' may follow"),
        ("host name", "host must be a host name or an IP address"),
    ])
    func refuses(_ text: String, _ message: String) {
        let error = #expect(throws: StrowgerConfigurationError.self) { try CallManagerAddress(parsing: text) }
        #expect(error?.description.contains(message) == true, "\(String(describing: error))")
    }
}
