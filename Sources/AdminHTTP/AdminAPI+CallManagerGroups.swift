extension AdminAPI {
    // MARK: - CallManager groups

    /// One Strowger node of a CallManager group. `host` is required; the ports default to 2000 (SCCP) and 2443
    /// (SCCPS).
    public struct CallManagerGroupMember: Codable, Hashable, Sendable {
        /// A host name or an IP address (IPv6 without brackets), where the phone connects.
        public var host: String
        /// The plain SCCP port, 1–65535 (default 2000).
        public var sccpPort: Int
        /// The SCCP-over-TLS port, 1–65535 (default 2443).
        public var sccpsPort: Int

        public init(host: String, sccpPort: Int = 2000, sccpsPort: Int = 2443) {
            self.host = host
            self.sccpPort = sccpPort
            self.sccpsPort = sccpsPort
        }

        enum CodingKeys: String, CodingKey {
            case host, sccpPort, sccpsPort
        }

        public init(from decoder: any Decoder) throws {
            let container = try decoder.container(keyedBy: CodingKeys.self)
            self.host = try container.decode(String.self, forKey: .host)
            self.sccpPort = try container.decodeIfPresent(Int.self, forKey: .sccpPort) ?? 2000
            self.sccpsPort = try container.decodeIfPresent(Int.self, forKey: .sccpsPort) ?? 2443
        }
    }

    /// A CallManager group: the ordered nodes (one to three, primary first) its phones register with.
    /// `POST /api/callmanager-groups` needs `name` and `members`.
    public struct CallManagerGroup: Codable, Hashable, Sendable {
        /// Unique without regard to case: letters, digits, spaces, `.`, `_`, `-`; at most 64 characters.
        public var name: String
        public var members: [CallManagerGroupMember]
        /// The devices that name this group (responses only).
        public var devices: [String]

        public init(name: String, members: [CallManagerGroupMember], devices: [String] = []) {
            self.name = name
            self.members = members
            self.devices = devices
        }

        enum CodingKeys: String, CodingKey {
            case name, members, devices
        }

        public init(from decoder: any Decoder) throws {
            let container = try decoder.container(keyedBy: CodingKeys.self)
            self.name = try container.decode(String.self, forKey: .name)
            self.members = try container.decode([CallManagerGroupMember].self, forKey: .members)
            self.devices = try container.decodeIfPresent([String].self, forKey: .devices) ?? []
        }
    }

    /// `PUT /api/callmanager-groups/{name}` (`members` required; `name`, if given, must be the path's) and
    /// `PATCH /api/callmanager-groups/{name}` (the fields given change; a new `name` renames the group and its
    /// devices follow).
    public struct CallManagerGroupPatch: Codable, Hashable, Sendable {
        public var name: String?
        public var members: [CallManagerGroupMember]?

        public init(name: String? = nil, members: [CallManagerGroupMember]? = nil) {
            self.name = name
            self.members = members
        }
    }
}
