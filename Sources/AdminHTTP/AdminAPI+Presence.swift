extension AdminAPI {
    // MARK: - Presence

    /// One user's presence as the viewer sees it (`GET /api/presence`, the event stream's `data`).
    ///
    /// A user who hides from the viewer is `{"user": …, "visible": false, "state": "unknown"}` and nothing else.
    public struct Presence: Codable, Hashable, Sendable {
        /// The presentity: a user name, or an ownerless phone's first directory number.
        public var user: String
        /// False when the user hides their presence from the viewer.
        public var visible: Bool
        /// The combined state: `offline`, `available`, `away`, `busy`, `dnd`, `ringing`, `onCall`, `onHold`;
        /// `unknown` when hidden.
        public var state: String
        /// What the phones say: `offline`, `available`, `ringing`, `onCall`, `onHold`, `dnd`.
        public var activity: String?
        /// What the user set: `available`, `away`, `busy`, `dnd`.
        public var status: String?
        /// The note the user set with the status (may be empty).
        public var note: String?
        /// `voice`, `video`, `web`.
        public var capabilities: [String]?
        public var displayName: String?

        public init(
            user: String,
            visible: Bool,
            state: String,
            activity: String? = nil,
            status: String? = nil,
            note: String? = nil,
            capabilities: [String]? = nil,
            displayName: String? = nil
        ) {
            self.user = user
            self.visible = visible
            self.state = state
            self.activity = activity
            self.status = status
            self.note = note
            self.capabilities = capabilities
            self.displayName = displayName
        }

        /// How a hidden user is shown.
        public static func hidden(_ user: String) -> Presence {
            Presence(user: user, visible: false, state: "unknown")
        }
    }

    /// `PUT /api/presence/{user}/status`.
    public struct PresenceStatusUpdate: Codable, Hashable, Sendable {
        /// `available`, `away`, `busy` or `dnd`.
        public var status: String
        /// At most 140 characters, no control characters; absent: empty.
        public var note: String?

        public init(status: String, note: String? = nil) {
            self.status = status
            self.note = note
        }
    }

    /// One event of `GET /api/presence/events`: its `id:` is `sequence`, its `data:` the presence.
    public struct PresenceEvent: Codable, Hashable, Sendable {
        /// Increases with every change the server reports; the snapshot sent first carries the sequence of the
        /// last change before it.
        public var sequence: UInt64
        public var presence: Presence

        public init(sequence: UInt64, presence: Presence) {
            self.sequence = sequence
            self.presence = presence
        }
    }
}
