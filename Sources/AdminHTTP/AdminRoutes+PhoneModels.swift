import Hummingbird
import Store

extension AdminRoutes {
    /// `/api/phone-models`: the firmware load and trust-list digest of each phone model (what a device of that model
    /// gets unless it names its own load).
    func addPhoneModelRoutes(to group: RouterGroup<Context>) {
        let store = self.store
        group.get { _, _ in
            try Self.json(try await store.phoneModels().map(Self.phoneModel))
        }
        group.get(":model") { _, context in
            let model = try Self.parameter("model", context)
            guard let record = try await store.phoneModel(named: model) else {
                throw AdminAPIError.notFound("phoneModel.model", "no phone model named \"\(model)\"")
            }
            return try Self.json(Self.phoneModel(record))
        }
        group.put(":model") { request, context in
            let model = try Self.parameter("model", context)
            let body = try await Self.decode(AdminAPI.PhoneModelSettings.self, from: request, entity: "phoneModel")
            var digest: PhoneModelRecord.TrustListDigest?
            if let text = body.trustListDigest {
                guard let parsed = PhoneModelRecord.TrustListDigest(rawValue: text) else {
                    throw AdminAPIError.invalidValue(
                        "phoneModel.trustListDigest",
                        "phoneModel trustListDigest must be sha1 or sha512, not \"\(text)\""
                    )
                }
                digest = parsed
            }
            let stored = try await Self.renaming([:]) {
                try await store.save(
                    PhoneModelRecord(model: model, loadInformation: body.loadInformation, trustListDigest: digest)
                )
            }
            return try Self.json(Self.phoneModel(stored))
        }
        group.delete(":model") { _, context in
            let model = try Self.parameter("model", context)
            guard try await store.phoneModel(named: model) != nil else {
                throw AdminAPIError.notFound("phoneModel.model", "no phone model named \"\(model)\"")
            }
            try await Self.renaming([:]) { try await store.deletePhoneModel(named: model) }
            return Self.noContent()
        }
    }

    static func phoneModel(_ record: PhoneModelRecord) -> AdminAPI.PhoneModel {
        AdminAPI.PhoneModel(
            model: record.model,
            loadInformation: record.loadInformation,
            trustListDigest: record.trustListDigest?.rawValue
        )
    }
}
