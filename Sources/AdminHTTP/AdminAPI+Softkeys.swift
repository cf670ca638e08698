extension AdminAPI {
    // MARK: - Softkey templates

    /// A softkey template (`/api/softkey-templates`): the softkeys a phone shows in each call state. States it does
    /// not name show the built-in Standard User's keys.
    public struct SoftkeyTemplate: Codable, Hashable, Sendable {
        public var name: String
        /// Call state (`onHook`, `connected`, `onHold`, `ringIn`, `offHook`, `connectedTransfer`,
        /// `digitsFollowing`, `connectedConference`, `ringOut`, `offHookWithFeatures`, `inUseHint`,
        /// `onHookWithStealableCall`) → softkeys in the order the phone shows them (`Redial`, `NewCall`, `Hold`,
        /// `Trnsfer`, `BackSp`, `EndCall`, `Resume`, `Answer`, `Confrn`, `Park`, `Join`, `PickUp`, `GPickUp`, `DND`,
        /// `DirTrfr`, `RmLstC`, `ConfList`), at most 16 a state.
        public var sets: [String: [String]]
        /// The devices that name it (responses only).
        public var devices: [String]?
        /// Whether it is the built-in template (responses only; it cannot be changed or removed).
        public var isBuiltIn: Bool?

        public init(name: String, sets: [String: [String]], devices: [String]? = nil, isBuiltIn: Bool? = nil) {
            self.name = name
            self.sets = sets
            self.devices = devices
            self.isBuiltIn = isBuiltIn
        }
    }

    /// `PUT /api/softkey-templates/{name}`'s body.
    public struct SoftkeyTemplateSets: Codable, Hashable, Sendable {
        public var sets: [String: [String]]

        public init(sets: [String: [String]]) {
            self.sets = sets
        }
    }
}
