extension Store {
    /// Every stored model, by name.
    public func phoneModels() async throws -> [PhoneModelRecord] {
        try await read { db in try db.fetchAll(PhoneModelRecord.self, orderBy: "model") }
    }

    /// The stored model a device of `model` belongs to (compared after ``PhoneModelRecord/normalizedModel(_:)``,
    /// without regard to case); nil if there is none.
    public func phoneModel(named model: String) async throws -> PhoneModelRecord? {
        let key = PhoneModelRecord.normalizedModel(model)
        guard !key.isEmpty else { return nil }
        return try await read { db in try db.find(PhoneModelRecord.self, key: key) }
    }

    /// Stores `record`, replacing the model of the same name (in any case). Models publish no directory change: the
    /// provisioning files read them from the Store on every request.
    @discardableResult
    public func save(_ record: PhoneModelRecord) async throws -> PhoneModelRecord {
        var record = record
        record.model = PhoneModelRecord.normalizedModel(record.model)
        try record.validate()
        let stored = record
        return try await write { db, _ in
            try db.delete(PhoneModelRecord.self, key: stored.model)
            try db.insert(stored)
            return stored
        }
    }

    /// Removes the model named `model`. Throws ``StoreError/Code/notFound`` (`phoneModel.model`) if there is none.
    public func deletePhoneModel(named model: String) async throws {
        let key = PhoneModelRecord.normalizedModel(model)
        try await write { db, _ in
            guard try db.delete(PhoneModelRecord.self, key: key) else {
                throw StoreError.notFound("phoneModel.model", "no phone model named \(Validation.quoted(model))")
            }
        }
    }
}
