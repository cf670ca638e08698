import CallControl
import Hummingbird
import Store

extension AdminRoutes {
    /// `/api/softkey-templates`: which softkeys phones show in each call state (issue 17). The built-in Standard
    /// User is listed and readable but not stored: it cannot be changed or removed.
    func addSoftkeyTemplateRoutes(to group: RouterGroup<Context>) {
        let store = self.store
        group.get { _, _ in
            var templates = [Self.softkeyTemplate(.standardUser, devices: nil, isBuiltIn: true)]
            for record in try await store.softkeyTemplates() {
                templates.append(try await Self.softkeyTemplate(record, store))
            }
            return try Self.json(templates)
        }
        group.get(":name") { _, context in
            let name = try Self.parameter("name", context)
            if Self.isBuiltInSoftkeyTemplate(name) {
                return try Self.json(Self.softkeyTemplate(.standardUser, devices: nil, isBuiltIn: true))
            }
            guard let record = try await store.softkeyTemplate(named: name) else {
                throw AdminAPIError.notFound("softkeyTemplate.name", "no softkey template named \"\(name)\"")
            }
            return try Self.json(try await Self.softkeyTemplate(record, store))
        }
        group.put(":name") { request, context in
            let name = try Self.parameter("name", context)
            if Self.isBuiltInSoftkeyTemplate(name) {
                throw AdminAPIError.conflict(
                    "softkeyTemplate.name",
                    "the built-in Standard User template cannot be changed; make a template of your own"
                )
            }
            let body = try await Self.decode(
                AdminAPI.SoftkeyTemplateSets.self,
                from: request,
                entity: "softkeyTemplate"
            )
            let template = try await Self.renaming([:]) { try SoftkeyTemplateRecord.template(named: name, body.sets) }
            let created = try await Self.renaming([:]) { try await store.save(SoftkeyTemplateRecord(template)) }
            guard let stored = try await store.softkeyTemplate(named: name) else {
                throw AdminAPIError.notFound("softkeyTemplate.name", "no softkey template named \"\(name)\"")
            }
            return try Self.json(try await Self.softkeyTemplate(stored, store), status: created ? .created : .ok)
        }
        group.delete(":name") { _, context in
            let name = try Self.parameter("name", context)
            if Self.isBuiltInSoftkeyTemplate(name) {
                throw AdminAPIError.conflict(
                    "softkeyTemplate.name",
                    "the built-in Standard User template cannot be removed"
                )
            }
            try await Self.renaming([:]) { try await store.deleteSoftkeyTemplate(named: name) }
            return Self.noContent()
        }
    }

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
