import CallControl
import Hummingbird
import Store

extension AdminRoutes {
    /// `/api/softkey-templates`: which softkeys phones show in each call state (issue 17). The built-in Standard
    /// User is listed and readable but not stored: it cannot be changed or removed.
    func addSoftkeyTemplateRoutes(to group: RouterGroup<Context>) {
        let store = self.store
        group.get { _, _ in
            try Self.json(try await Self.softkeyTemplates(store))
        }
        group.get(":name") { _, context in
            try Self.json(try await Self.requireSoftkeyTemplate(named: try Self.parameter("name", context), store))
        }
        group.put(":name") { request, context in
            let name = try Self.parameter("name", context)
            if Self.isBuiltInSoftkeyTemplate(name) { throw Self.builtInSoftkeyTemplateIsFixed }
            let body = try await Self.decode(
                AdminAPI.SoftkeyTemplateSets.self,
                from: request,
                entity: "softkeyTemplate"
            )
            let (template, created) = try await Self.saveSoftkeyTemplate(named: name, sets: body.sets, store)
            return try Self.json(template, status: created ? .created : .ok)
        }
        group.delete(":name") { _, context in
            try await Self.deleteSoftkeyTemplate(named: try Self.parameter("name", context), store)
            return Self.noContent()
        }
    }

    // MARK: - Shared with the web pages

    /// The built-in Standard User first, then the stored templates with the devices that name them.
    static func softkeyTemplates(_ store: Store) async throws -> [AdminAPI.SoftkeyTemplate] {
        var templates = [Self.softkeyTemplate(.standardUser, devices: nil, isBuiltIn: true)]
        for record in try await store.softkeyTemplates() {
            templates.append(try await Self.softkeyTemplate(record, store))
        }
        return templates
    }

    /// The template named `name` (the built-in one too), or the API's 404.
    static func requireSoftkeyTemplate(named name: String, _ store: Store) async throws -> AdminAPI.SoftkeyTemplate {
        if Self.isBuiltInSoftkeyTemplate(name) {
            return Self.softkeyTemplate(.standardUser, devices: nil, isBuiltIn: true)
        }
        guard let record = try await store.softkeyTemplate(named: name) else {
            throw AdminAPIError.notFound("softkeyTemplate.name", "no softkey template named \"\(name)\"")
        }
        return try await Self.softkeyTemplate(record, store)
    }

    /// Creates or replaces the template `name` with `sets` (state → key names, every name checked); whether it was
    /// created. Phones that name it restart with its keys once idle.
    static func saveSoftkeyTemplate(
        named name: String,
        sets: [String: [String]],
        _ store: Store
    ) async throws -> (AdminAPI.SoftkeyTemplate, created: Bool) {
        if Self.isBuiltInSoftkeyTemplate(name) { throw Self.builtInSoftkeyTemplateIsFixed }
        let template = try await Self.renaming([:]) { try SoftkeyTemplateRecord.template(named: name, sets) }
        let created = try await Self.renaming([:]) { try await store.save(SoftkeyTemplateRecord(template)) }
        return (try await Self.requireSoftkeyTemplate(named: name, store), created)
    }

    /// Removes the template `name`; refused (409) while a device names it, and for the built-in one.
    static func deleteSoftkeyTemplate(named name: String, _ store: Store) async throws {
        if Self.isBuiltInSoftkeyTemplate(name) {
            throw AdminAPIError.conflict(
                "softkeyTemplate.name",
                "the built-in Standard User template cannot be removed"
            )
        }
        try await Self.renaming([:]) { try await store.deleteSoftkeyTemplate(named: name) }
    }

    static let builtInSoftkeyTemplateIsFixed = AdminAPIError.conflict(
        "softkeyTemplate.name",
        "the built-in Standard User template cannot be changed; make a template of your own"
    )

    static func isBuiltInSoftkeyTemplate(_ name: String) -> Bool {
        name.lowercased() == SoftkeyTemplate.standardUser.name.lowercased()
    }

    static func softkeyTemplate(
        _ record: SoftkeyTemplateRecord,
        _ store: Store
    ) async throws -> AdminAPI.SoftkeyTemplate {
        let template = try await Self.renaming([:]) { try record.template() }
        return Self.softkeyTemplate(
            template,
            devices: try await store.devices(usingSoftkeyTemplate: record.name),
            isBuiltIn: false
        )
    }

    static func softkeyTemplate(
        _ template: SoftkeyTemplate,
        devices: [String]?,
        isBuiltIn: Bool
    ) -> AdminAPI.SoftkeyTemplate {
        var sets: [String: [String]] = [:]
        for (state, keys) in template.sets {
            sets[state.rawValue] = keys.map(\.rawValue)
        }
        return AdminAPI.SoftkeyTemplate(name: template.name, sets: sets, devices: devices, isBuiltIn: isBuiltIn)
    }
}
