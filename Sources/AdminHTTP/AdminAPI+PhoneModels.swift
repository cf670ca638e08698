extension AdminAPI {
    // MARK: - Phone models

    /// What every phone of a model gets unless its device says otherwise (`/api/phone-models`).
    public struct PhoneModel: Codable, Hashable, Sendable {
        /// The model, e.g. `7942` (a leading `Cisco ` is dropped); compared without regard to case.
        public var model: String
        /// The firmware load, e.g. `SCCP42.9-4-2SR3-1S`; absent for none.
        public var loadInformation: String?
        /// `sha1` or `sha512`: the digest of the model's trust lists; absent for the default (SHA-1).
        public var trustListDigest: String?

        public init(model: String, loadInformation: String? = nil, trustListDigest: String? = nil) {
            self.model = model
            self.loadInformation = loadInformation
            self.trustListDigest = trustListDigest
        }
    }

    /// `PUT /api/phone-models/{model}`: the model's settings, replacing what was stored (absent fields are cleared).
    public struct PhoneModelSettings: Codable, Hashable, Sendable {
        public var loadInformation: String?
        public var trustListDigest: String?

        public init(loadInformation: String? = nil, trustListDigest: String? = nil) {
            self.loadInformation = loadInformation
            self.trustListDigest = trustListDigest
        }
    }
}
