extension AdminAPI {
    // MARK: - Hunt groups

    /// A hunt group (CUCM: a hunt pilot with its line group). `POST /api/hunt-groups` needs `pilot` and `members`;
    /// the rest default.
    public struct HuntGroup: Codable, Hashable, Sendable {
        /// The number callers dial: 1–24 of `0-9 * + A-D`, not a line, a pickup group number or a park slot.
        public var pilot: String
        /// Member directory numbers in list order (1–100, each an existing line, none twice).
        public var members: [String]
        /// `top-down` (default), `circular`, `longest-idle` or `broadcast`.
        public var algorithm: String
        /// How long one member rings before the next is tried (broadcast: how long all ring), 1–300 (default 10).
        public var noAnswerTimeoutSeconds: Int
        /// Where the call goes when nobody answers or nobody is free (a dialled string); nil: the caller hears busy.
        public var finalDestination: String?

        public init(
            pilot: String,
            members: [String],
            algorithm: String = "top-down",
            noAnswerTimeoutSeconds: Int = 10,
            finalDestination: String? = nil
        ) {
            self.pilot = pilot
            self.members = members
            self.algorithm = algorithm
            self.noAnswerTimeoutSeconds = noAnswerTimeoutSeconds
            self.finalDestination = finalDestination
        }

        enum CodingKeys: String, CodingKey {
            case pilot, members, algorithm, noAnswerTimeoutSeconds, finalDestination
        }

        public init(from decoder: any Decoder) throws {
            let container = try decoder.container(keyedBy: CodingKeys.self)
            self.pilot = try container.decode(String.self, forKey: .pilot)
            self.members = try container.decode([String].self, forKey: .members)
            self.algorithm = try container.decodeIfPresent(String.self, forKey: .algorithm) ?? "top-down"
            self.noAnswerTimeoutSeconds =
                try container.decodeIfPresent(Int.self, forKey: .noAnswerTimeoutSeconds) ?? 10
            self.finalDestination = try container.decodeIfPresent(String.self, forKey: .finalDestination)
        }
    }

    /// `PATCH /api/hunt-groups/{pilot}`: the fields given change; `members` replaces the list; a new `pilot`
    /// renumbers the group; `finalDestination` `null` (or `""`) clears it.
    public struct HuntGroupPatch: Codable, Hashable, Sendable {
        public var pilot: String?
        public var members: [String]?
        public var algorithm: String?
        public var noAnswerTimeoutSeconds: Int?
        public var finalDestination: String??

        public init(
            pilot: String? = nil,
            members: [String]? = nil,
            algorithm: String? = nil,
            noAnswerTimeoutSeconds: Int? = nil,
            finalDestination: String?? = nil
        ) {
            self.pilot = pilot
            self.members = members
            self.algorithm = algorithm
            self.noAnswerTimeoutSeconds = noAnswerTimeoutSeconds
            self.finalDestination = finalDestination
        }

        enum CodingKeys: String, CodingKey {
            case pilot, members, algorithm, noAnswerTimeoutSeconds, finalDestination
        }

        public init(from decoder: any Decoder) throws {
            let container = try decoder.container(keyedBy: CodingKeys.self)
            self.pilot = try container.decodeIfPresent(String.self, forKey: .pilot)
            self.members = try container.decodeIfPresent([String].self, forKey: .members)
            self.algorithm = try container.decodeIfPresent(String.self, forKey: .algorithm)
            self.noAnswerTimeoutSeconds = try container.decodeIfPresent(Int.self, forKey: .noAnswerTimeoutSeconds)
            self.finalDestination = try container.decodePatch(String.self, forKey: .finalDestination)
        }

        public func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encodeIfPresent(pilot, forKey: .pilot)
            try container.encodeIfPresent(members, forKey: .members)
            try container.encodeIfPresent(algorithm, forKey: .algorithm)
            try container.encodeIfPresent(noAnswerTimeoutSeconds, forKey: .noAnswerTimeoutSeconds)
            try container.encodePatch(finalDestination, forKey: .finalDestination)
        }
    }

    // MARK: - Pickup groups

    /// A call pickup group. `POST /api/pickup-groups` needs both fields.
    public struct PickupGroup: Codable, Hashable, Sendable {
        /// The number dialled after GPickUp: 1–24 of `0-9 * + A-D`, not a line, a hunt pilot or a park slot.
        public var number: String
        /// Member directory numbers (1–500, each an existing line in no other pickup group, none twice).
        public var members: [String]

        public init(number: String, members: [String]) {
            self.number = number
            self.members = members
        }
    }

    /// `PATCH /api/pickup-groups/{number}`: a new `number` renumbers the group; `members` replaces the list.
    public struct PickupGroupPatch: Codable, Hashable, Sendable {
        public var number: String?
        public var members: [String]?

        public init(number: String? = nil, members: [String]? = nil) {
            self.number = number
            self.members = members
        }
    }

    // MARK: - Message waiting and do not disturb

    /// `PUT /api/lines/{number}/mwi`: light (`true`) or clear the message lamp of every phone with the line.
    public struct MessageWaiting: Codable, Hashable, Sendable {
        public var messageWaiting: Bool

        public init(messageWaiting: Bool) {
            self.messageWaiting = messageWaiting
        }
    }

    /// `PUT /api/lines/{number}/dnd`: do not disturb on (`true`) or off for every device that shows the line.
    public struct DoNotDisturb: Codable, Hashable, Sendable {
        public var doNotDisturb: Bool

        public init(doNotDisturb: Bool) {
            self.doNotDisturb = doNotDisturb
        }
    }
}
