import Store

/// One node of the CallManager group that phones are given in their cnf.xml: where a phone connects, on which
/// ports. `strowger serve --callmanager HOST[:SCCP_PORT[:SCCPS_PORT]]` (IPv6 addresses in brackets).
public struct CallManagerAddress: Hashable, Sendable, CustomStringConvertible {
    /// Cisco phones take at most three CallManagers from their group.
    public static let maximumCount = 3

    /// A host name or IP address (`<processNodeName>`).
    public var host: String
    /// The plain SCCP port; nil: this server's SCCP port.
    public var sccpPort: Int?
    /// The SCCP-over-TLS port; nil: this server's SCCPS port.
    public var sccpsPort: Int?

    public init(host: String, sccpPort: Int? = nil, sccpsPort: Int? = nil) {
        self.host = host
        self.sccpPort = sccpPort
        self.sccpsPort = sccpsPort
    }

    /// Parses `HOST`, `HOST:SCCP_PORT` or `HOST:SCCP_PORT:SCCPS_PORT`, with an IPv6 host in brackets
    /// (`[2001:db8::1]:2000:2443`). Throws a message that says what is wrong.
    public init(parsing text: String) throws(StrowgerConfigurationError) {
        let host: Substring
        let rest: Substring
        if text.hasPrefix("[") {
            guard let close = text.firstIndex(of: "]") else {
                throw StrowgerConfigurationError("'\(text)': an IPv6 address in brackets needs its closing ']'")
            }
            host = text[text.index(after: text.startIndex)..<close]
            rest = text[text.index(after: close)...]
            guard rest.isEmpty || rest.hasPrefix(":") else {
                throw StrowgerConfigurationError("'\(text)': only ':PORT' may follow the bracketed address")
            }
        } else {
            let colon = text.firstIndex(of: ":") ?? text.endIndex
            host = text[..<colon]
            rest = text[colon...]
        }
        guard Self.isValidHost(host) else {
            throw StrowgerConfigurationError(
                "'\(text)': the host must be a host name or an IP address (not empty, not a wildcard like 0.0.0.0)"
            )
        }
        let ports = rest.isEmpty ? [] : rest.dropFirst().split(separator: ":", omittingEmptySubsequences: false)
        guard ports.count <= 2 else {
            throw StrowgerConfigurationError("'\(text)': the form is HOST[:SCCP_PORT[:SCCPS_PORT]]")
        }
        var numbers: [Int] = []
        for text in ports {
            guard let port = Int(text), (1...65535).contains(port) else {
                throw StrowgerConfigurationError("'\(text)' is not a port between 1 and 65535")
            }
            numbers.append(port)
        }
        self.init(
            host: String(host),
            sccpPort: numbers.first,
            sccpsPort: numbers.count > 1 ? numbers[1] : nil
        )
    }

    public var description: String {
        let host = self.host.contains(":") ? "[\(self.host)]" : self.host
        switch (self.sccpPort, self.sccpsPort) {
        case (nil, nil): return host
        case (let sccp?, nil): return "\(host):\(sccp)"
        case (let sccp, let sccps?): return "\(host):\(sccp.map(String.init) ?? "2000"):\(sccps)"
        }
    }

    /// Whether `host` is an address a phone can be sent to: the Store's rule for CallManager group members.
    static func isValidHost(_ host: Substring) -> Bool {
        CallManagerGroupRecord.Member.isValidHost(host)
    }
}
