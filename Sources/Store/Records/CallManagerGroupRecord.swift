/// A CallManager group as CUCM has them: the ordered Strowger nodes a phone registers with, the first being primary
/// and the next ones its backups. Table `callManagerGroup` (migration `addCallManagerGroups`), keyed by name.
///
/// A device names its group in ``DeviceRecord/callManagerGroup``; the provisioning files (`SEP<MAC>.cnf.xml`) carry
/// the group's members with their SCCP and SCCPS ports. The group named ``defaultName``, when stored, is the one of
/// every device that names none and of `XMLDefault.cnf.xml` (docs/provisioning.md, "How the nodes are chosen").
public struct CallManagerGroupRecord: Codable, Hashable, Sendable {
    /// One Strowger node of a group: where a phone connects and on which ports.
    public struct Member: Codable, Hashable, Sendable {
        /// CUCM's SCCP port (TCP 2000), for a member given without one.
        public static let defaultSCCPPort = 2000
        /// The port Cisco phones use for SCCP over TLS (TCP 2443), for a member given without one.
        public static let defaultSCCPSPort = 2443

        /// A host name or an IP address (`<processNodeName>` in the cnf.xml); IPv6 without brackets.
        public var host: String
        /// The plain SCCP port (`<ethernetPhonePort>`).
        public var sccpPort: Int
        /// The SCCP-over-TLS port.
        public var sccpsPort: Int

        public init(host: String, sccpPort: Int = Self.defaultSCCPPort, sccpsPort: Int = Self.defaultSCCPSPort) {
            self.host = host
            self.sccpPort = sccpPort
            self.sccpsPort = sccpsPort
        }

        /// The longest host name DNS allows (RFC 1035 §2.3.4: 255 octets on the wire, 253 as text).
        public static let maximumHostLength = 253

        /// Whether `host` is an address a phone can be sent to: letters, digits, `.`, `-` and `:` (IPv6), at most
        /// ``maximumHostLength`` characters, and not a wildcard (`0.0.0.0`, `::`), which names no machine.
        public static func isValidHost(_ host: some StringProtocol) -> Bool {
            guard !host.isEmpty, host.utf8.count <= Self.maximumHostLength, host != "0.0.0.0", host != "::" else {
                return false
            }
            return host.utf8.allSatisfy { byte in
                switch byte {
                case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"),
                    UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "."), UInt8(ascii: "-"), UInt8(ascii: ":"):
                    true
                default:
                    false
                }
            }
        }
    }

    /// Cisco phones take at most three CallManagers from their group (CUCM's limit on a group's members).
    public static let maximumMembers = 3
    /// The group of devices that name none, and of `XMLDefault.cnf.xml` (CUCM's group of the same name).
    public static let defaultName = "Default"

    /// Unique without regard to case: 1–64 of letters, digits, space, `.`, `_` and `-`, with no space at either end.
    public var name: String
    /// One to ``maximumMembers`` nodes, highest priority first. Stored as a JSON array of `{host, sccpPort,
    /// sccpsPort}` objects, in order.
    public var members: [Member]

    public init(name: String, members: [Member]) {
        self.name = name
        self.members = members
    }

    /// Checks every field; throws a ``StoreError`` naming the first bad one.
    public func validate() throws(StoreError) {
        try Validation.callManagerGroupName(name, field: "callManagerGroup.name")
        guard (1...Self.maximumMembers).contains(members.count) else {
            throw .invalidValue(
                "callManagerGroup.members",
                "callManagerGroup members must list 1 to \(Self.maximumMembers) nodes, not \(members.count)"
            )
        }
        var seen: [String: Int] = [:]
        for (index, member) in members.enumerated() {
            let field = "callManagerGroup.members[\(index)]"
            let which = "callManagerGroup member \(index + 1)"
            guard Member.isValidHost(member.host) else {
                throw .invalidValue(
                    "\(field).host",
                    "\(which) host must be a host name or an IP address of letters, digits, '.', '-' and ':'"
                        + " (at most \(Member.maximumHostLength), not a wildcard like 0.0.0.0),"
                        + " not \(Validation.quoted(member.host))"
                )
            }
            for (port, name) in [(member.sccpPort, "sccpPort"), (member.sccpsPort, "sccpsPort")] {
                guard (1...65535).contains(port) else {
                    throw .invalidValue(
                        "\(field).\(name)",
                        "\(which) \(name) must be between 1 and 65535, not \(port)"
                    )
                }
            }
            // One port cannot take both plain SCCP and TLS.
            if member.sccpPort == member.sccpsPort {
                throw .invalidValue(
                    "\(field).sccpsPort",
                    "\(which) sccpsPort must differ from its sccpPort (\(member.sccpPort)): TLS needs its own port"
                )
            }
            let key = "\(member.host.lowercased()) \(member.sccpPort)"
            if let first = seen[key] {
                throw .invalidValue(
                    "callManagerGroup.members",
                    "callManagerGroup members \(first + 1) and \(index + 1) are the same node"
                        + " (\(member.host) port \(member.sccpPort))"
                )
            }
            seen[key] = index
        }
    }
}

extension CallManagerGroupRecord: SQLRecord {
    static let tableName = "callManagerGroup"
    static let primaryKey = "name"
}
