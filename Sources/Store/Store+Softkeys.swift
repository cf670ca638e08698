import CallControl

/// Softkey templates (issue 17): stored by name, named by devices; a change reaches every device that names the
/// template as a configuration change (the phone restarts once idle and fetches its new softkey sets).
extension Store {
    /// Every stored template by name (the built-in Standard User is not stored).
    public func softkeyTemplates() async throws -> [SoftkeyTemplateRecord] {
        // The name column compares without regard to case (NOCASE in SQLite, CITEXT in PostgreSQL), and so sorts.
        try await read { db in try db.fetchAll(SoftkeyTemplateRecord.self, orderBy: "name") }
    }

    /// The template with this name (without regard to case), or nil.
    public func softkeyTemplate(named name: String) async throws -> SoftkeyTemplateRecord? {
        try await read { db in try db.find(SoftkeyTemplateRecord.self, key: name) }
    }

    /// The devices that name the template `name`, by name.
    public func devices(usingSoftkeyTemplate name: String) async throws -> [String] {
        try await read { db in try Self.devices(usingSoftkeyTemplate: name, db) }
    }

    /// Inserts `record`, or replaces the template with its name (keeping the stored spelling). Returns whether it
    /// was created. Every device that names it gets `upsertDevice`.
    @discardableResult
    public func save(_ record: SoftkeyTemplateRecord) async throws -> Bool {
        try record.validate()
        return try await write { db, changes in
            if let existing = try db.find(SoftkeyTemplateRecord.self, key: record.name) {
                var updated = record
                updated.name = existing.name
                try db.update(updated)
                for id in try Self.deviceIDs(usingSoftkeyTemplate: existing.name, db) {
                    try Self.appendUpsert(ofDevice: id, db, to: &changes)
                }
                return false
            }
            try db.insert(record)
            return true
        }
    }

    /// Removes the template named `name`. Throws ``StoreError/Code/notFound`` when there is none and
    /// ``StoreError/Code/conflict`` while devices name it (they are listed).
    public func deleteSoftkeyTemplate(named name: String) async throws {
        try await write { db, _ in
            guard let existing = try db.find(SoftkeyTemplateRecord.self, key: name) else {
                throw StoreError.notFound(
                    "softkeyTemplate.name",
                    "no softkey template named \(Validation.quoted(name))"
                )
            }
            let devices = try Self.devices(usingSoftkeyTemplate: existing.name, db)
            guard devices.isEmpty else {
                throw StoreError.conflict(
                    "softkeyTemplate.name",
                    "softkey template \(Validation.quoted(existing.name)) is named by "
                        + devices.joined(separator: ", ") + "; give them another first"
                )
            }
            try db.delete(SoftkeyTemplateRecord.self, key: existing.name)
        }
    }

    /// `name` in the stored template's spelling (nil for nil); throws ``StoreError/Code/notFound`` when no template
    /// has it.
    static func checkSoftkeyTemplate(_ name: String?, _ db: any SQLConnection) throws -> String? {
        guard let name else { return nil }
        if let template = try db.find(SoftkeyTemplateRecord.self, key: name) { return template.name }
        throw StoreError.notFound(
            "device.softkeyTemplate",
            "device softkeyTemplate: no softkey template named \(Validation.quoted(name)) (strowger softkeys list)"
        )
    }

    /// Devices name a template in any case: compared as lower case, the same on both databases.
    static func devices(usingSoftkeyTemplate name: String, _ db: any SQLConnection) throws -> [String] {
        try db.fetchColumn(
            String.self,
            "SELECT name FROM device WHERE lower(softkeyTemplate) = lower(?) ORDER BY name",
            name
        )
    }

    static func deviceIDs(usingSoftkeyTemplate name: String, _ db: any SQLConnection) throws -> [Int64] {
        try db.fetchColumn(
            Int64.self,
            "SELECT id FROM device WHERE lower(softkeyTemplate) = lower(?) ORDER BY id",
            name
        )
    }

    /// Every stored template, by name without regard to case, for building device configurations. A row whose
    /// JSON no longer reads (written by hand) is left out: its devices show the built-in keys.
    static func softkeyTemplatesByName(_ db: any SQLConnection) throws -> [String: SoftkeyTemplate] {
        var templates: [String: SoftkeyTemplate] = [:]
        for record in try db.fetchAll(SoftkeyTemplateRecord.self, "SELECT * FROM softkeyTemplate") {
            if let template = try? record.template() { templates[record.name.lowercased()] = template }
        }
        return templates
    }
}
