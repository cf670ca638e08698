import CallControl
import Hummingbird
import Store

/// The order of the softkey template list.
enum SoftkeyTemplateListSort: String, CaseIterable, Hashable, Sendable {
    case name
}

extension WebPages {
    /// `/web/softkeys`: the softkey templates (the built-in Standard User first), a template's page with one field
    /// per call state, add, save, delete, through `AdminRoutes.saveSoftkeyTemplate` and its neighbours. A phone
    /// names its template on its own page.
    func addSoftkeyTemplateRoutes(to group: RouterGroup<AdminRequestContext>) {
        let pages = self
        group.get { request, context in
            let list = WebListRequest(
                request,
                path: WebPaths.softkeyTemplates,
                defaultSort: SoftkeyTemplateListSort.name
            )
            var templates = try await AdminRoutes.softkeyTemplates(pages.store)
            if list.descending { templates.reverse() }
            let (shown, total) = Self.window(templates, list) { template, needle in
                template.name.lowercased().contains(needle)
            }
            let rows = shown.map { template in
                let isBuiltIn = template.isBuiltIn == true
                return WebList.Row(cells: [
                    WebList.Cell(template.name, href: WebPaths.item(WebPaths.softkeyTemplates, template.name)),
                    WebList.Cell(isBuiltIn ? "Built in" : "Own"),
                    WebList.Cell(
                        isBuiltIn
                            ? "All"
                            : Self.stateList(
                                SoftkeyTemplate.State.allCases.filter { template.sets[$0.rawValue] != nil }
                            )
                    ),
                    WebList.Cell(isBuiltIn ? "Every phone that names no template" : "\(template.devices?.count ?? 0)"),
                ])
            }
            let view = list.list(
                heading: "Softkey templates",
                noun: "softkey templates",
                searchHint: "Part of a template's name.",
                newHref: WebPaths.softkeyTemplates + "/new",
                newLabel: "Add softkey template",
                columns: [("Name", .name), ("Kind", nil), ("States it sets", nil), ("Phones", nil)],
                rows: rows,
                total: total
            )
            return try pages.page(
                "list",
                title: "Softkey templates",
                body: view,
                context: context,
                section: "softkeys",
                request: request
            )
        }
        let store = pages.store
        addRecordRoutes(
            WebRecordTable(
                path: WebPaths.softkeyTemplates,
                load: { try await AdminRoutes.requireSoftkeyTemplate(named: $0, store) },
                create: { form in
                    let name = form.text("name")
                    // Adding must not replace a template of the same name (the API's PUT does, on purpose).
                    if !name.isEmpty, try await store.softkeyTemplate(named: name) != nil {
                        throw AdminAPIError.conflict(
                            "softkeyTemplate.name",
                            "a softkey template named \"\(name)\" exists; open it to change it"
                        )
                    }
                    return try await AdminRoutes.saveSoftkeyTemplate(named: name, sets: Self.sets(from: form), store)
                        .0.name
                },
                save: { name, form in
                    try await AdminRoutes.saveSoftkeyTemplate(named: name, sets: Self.sets(from: form), store).0.name
                },
                delete: { try await AdminRoutes.deleteSoftkeyTemplate(named: $0, store) },
                page: { try pages.softkeyTemplatePage($0) }
            ),
            to: group
        )
    }

    /// The states as the page names them, in the order of the form.
    static func stateList(_ states: [SoftkeyTemplate.State]) -> String {
        states.isEmpty ? "None (all Standard User)" : states.map(Self.stateLabel).joined(separator: ", ")
    }

    static func stateLabel(_ state: SoftkeyTemplate.State) -> String {
        switch state {
        case .onHook: "On hook"
        case .connected: "Connected"
        case .onHold: "On hold"
        case .ringIn: "Ringing in"
        case .offHook: "Off hook"
        case .connectedTransfer: "Connected, transferring"
        case .digitsFollowing: "Dialling"
        case .connectedConference: "Connected, in a conference"
        case .ringOut: "Ringing out"
        case .offHookWithFeatures: "Off hook with features"
        case .inUseHint: "Line in use elsewhere"
        case .onHookWithStealableCall: "On hook, call to take over"
        }
    }

    /// The form field of a state's keys.
    static func stateField(_ state: SoftkeyTemplate.State) -> String { "sets." + state.rawValue }

    /// The form's states as `PUT /api/softkey-templates/{name}` reads them: a field with keys sets that state (keys
    /// separated by commas or spaces), an empty one leaves it to the Standard User.
    static func sets(from form: WebForm) -> [String: [String]] {
        var sets: [String: [String]] = [:]
        for state in SoftkeyTemplate.State.allCases {
            let keys = form.text(Self.stateField(state))
                .split(whereSeparator: { $0 == "," || $0 == " " })
                .map(String.init)
            if !keys.isEmpty { sets[state.rawValue] = keys }
        }
        return sets
    }

    func softkeyTemplatePage(_ page: WebRecordPage<AdminAPI.SoftkeyTemplate>) throws -> Response {
        let template = page.record
        let standard = SoftkeyTemplate.standardUser
        let keyNames = SoftkeyTemplate.Key.allCases.map(\.rawValue).joined(separator: ", ")
        let path = template.map { WebPaths.item(WebPaths.softkeyTemplates, $0.name) }

        if let template, template.isBuiltIn == true {
            // The built-in template cannot be changed: its keys, and how to make one's own.
            let facts = SoftkeyTemplate.State.allCases.map { state in
                WebFact(Self.stateLabel(state), (standard.sets[state] ?? []).map(\.rawValue).joined(separator: ", "))
            }
            return try recordPage(
                RecordView(
                    listHref: WebPaths.softkeyTemplates,
                    listLabel: "Softkey templates",
                    crumb: template.name,
                    heading: "Softkey template \(template.name)",
                    intro: "Built in: what a phone that names no template shows. It cannot be changed; add a template"
                        + " of your own, in which every state left empty shows these keys.",
                    facts: facts
                ),
                title: "Softkey template \(template.name)",
                section: "softkeys",
                page
            )
        }

        let form = page.form
        var fields: [WebField] = []
        if template == nil {
            fields.append(
                WebField(
                    "name",
                    "Name",
                    value: form?.text("name") ?? "",
                    hint: "Up to 64 characters; phones name the template by it. It cannot be changed later.",
                    required: true
                )
            )
        }
        for state in SoftkeyTemplate.State.allCases {
            let stored = template?.sets[state.rawValue]?.joined(separator: ", ")
            let standardKeys = (standard.sets[state] ?? []).map(\.rawValue).joined(separator: ", ")
            fields.append(
                WebField(
                    Self.stateField(state),
                    Self.stateLabel(state),
                    value: form.map { $0.text(Self.stateField(state)) } ?? stored ?? "",
                    hint: "Empty: the Standard User's \(standardKeys.isEmpty ? "none" : standardKeys).",
                    apiFields: [Self.stateField(state)]
                )
            )
        }
        var view = WebFormView(
            action: path ?? WebPaths.softkeyTemplates,
            submitLabel: template == nil ? "Add softkey template" : "Save",
            fields: fields
        )
        if let error = page.error { view.show(error, entity: "softkeyTemplate") }
        var facts: [WebFact]?
        var actions: [WebAction]?
        if let template, let path {
            let devices = template.devices ?? []
            facts = [
                WebFact("Name", template.name),
                WebFact("Phones that name it", devices.isEmpty ? "None" : devices.joined(separator: ", ")),
            ]
            actions = [
                WebAction(
                    action: path + "/delete",
                    label: "Delete template",
                    confirm: "Delete softkey template \(template.name)? Phones that name it must be changed first.",
                    style: "danger"
                )
            ]
        }
        return try recordPage(
            RecordView(
                listHref: WebPaths.softkeyTemplates,
                listLabel: "Softkey templates",
                crumb: template?.name ?? "Add",
                heading: template.map { "Softkey template \($0.name)" } ?? "Add a softkey template",
                intro: "The softkeys a phone shows in each call state, in order, at most "
                    + "\(SoftkeyTemplate.maximumKeysPerSet) a state, separated by commas. The keys: \(keyNames)."
                    + " Phones that name the template restart with its keys when they are next idle.",
                facts: facts,
                form: view,
                actions: actions
            ),
            title: template.map { "Softkey template \($0.name)" } ?? "Add softkey template",
            section: "softkeys",
            page
        )
    }
}
