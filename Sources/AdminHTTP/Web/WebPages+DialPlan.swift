import Hummingbird
import Store

/// The orders of the route-pattern list: the plan's own order, or by pattern.
enum RoutePatternListSort: String, CaseIterable, Hashable, Sendable {
    case order, pattern
}

/// The order of the CallManager-group list.
enum CallManagerGroupListSort: String, CaseIterable, Hashable, Sendable {
    case name
}

extension WebPages {
    /// A small table paged in memory (route patterns and groups number in the tens): the search and the window of
    /// ``WebListRequest`` over the whole list.
    static func window<Item, Sort>(
        _ items: [Item],
        _ list: WebListRequest<Sort>,
        matches: (Item, String) -> Bool
    ) -> (items: [Item], total: Int) {
        let needle = list.search.lowercased()
        let found = needle.isEmpty ? items : items.filter { matches($0, needle) }
        let start = min(found.count, (list.page - 1) * list.pageSize)
        return (Array(found[start..<min(found.count, start + list.pageSize)]), found.count)
    }

    // MARK: - Route patterns

    /// `/web/routes`: the dial plan in order, a pattern's page, add, save, delete.
    func addRoutePatternRoutes(to group: RouterGroup<AdminRequestContext>) {
        let pages = self
        group.get { request, context in
            let list = WebListRequest(request, path: WebPaths.routePatterns, defaultSort: RoutePatternListSort.order)
            var patterns = try await pages.store.routePatterns().map(AdminRoutes.routePattern)
            if list.sort == .pattern { patterns.sort { $0.pattern < $1.pattern } }
            if list.descending { patterns.reverse() }
            let (shown, total) = Self.window(patterns, list) { pattern, needle in
                pattern.pattern.lowercased().contains(needle) || (pattern.targetNumber ?? "").contains(needle)
                    || (pattern.trunk ?? "").lowercased().contains(needle)
                    || pattern.description.lowercased().contains(needle)
            }
            let rows = shown.map { pattern in
                WebList.Row(cells: [
                    WebList.Cell(pattern.pattern, href: WebPaths.item(WebPaths.routePatterns, String(pattern.id ?? 0))),
                    WebList.Cell(
                        pattern.isBlocked
                            ? "Blocked"
                            : pattern.trunk.map { "trunk \($0)" } ?? "to \(pattern.targetNumber ?? "")"
                    ),
                    WebList.Cell(pattern.description),
                    WebList.Cell(String(pattern.sortOrder)),
                ])
            }
            let view = list.list(
                heading: "Route patterns",
                noun: "route patterns",
                searchHint: "Part of a pattern, target number or description.",
                newHref: WebPaths.routePatterns + "/new",
                newLabel: "Add route pattern",
                columns: [("Pattern", .pattern), ("Routes", nil), ("Description", nil), ("Sort order", .order)],
                rows: rows,
                total: total
            )
            return try pages.page(
                "list",
                title: "Route patterns",
                body: view,
                context: context,
                section: "routes",
                request: request
            )
        }
        let store = pages.store
        addRecordRoutes(
            WebRecordTable(
                path: WebPaths.routePatterns,
                load: {
                    AdminRoutes.routePattern(
                        try await AdminRoutes.requireRoutePattern(id: try AdminRoutes.routePatternID($0), store)
                    )
                },
                create: {
                    String(try await AdminRoutes.createRoutePattern(try Self.routePattern(from: $0), store).id ?? 0)
                },
                save: { key, form in
                    let id = try AdminRoutes.routePatternID(key)
                    _ = try await AdminRoutes.updateRoutePattern(id: id, try Self.routePatternPatch(from: form), store)
                    return key
                },
                delete: { try await AdminRoutes.deleteRoutePattern(id: try AdminRoutes.routePatternID($0), store) },
                page: { try await pages.routePatternPage($0) }
            ),
            to: group
        )
    }

    func routePatternPage(_ page: WebRecordPage<AdminAPI.RoutePattern>) async throws -> Response {
        let pattern = page.record
        let form = page.form
        func value(_ name: String, _ stored: String?) -> String { form.map { $0.text(name) } ?? stored ?? "" }
        // The trunks to choose from; a name typed or stored that is no trunk stays offered, so that the API's error
        // for it is shown rather than the choice silently changed.
        let trunk = value("trunk", pattern?.trunk)
        let trunks = try await store.trunks().map(\.name)
        var trunkChoices = [("", "None")] + trunks.map { ($0, $0) }
        if !trunk.isEmpty, !trunks.contains(where: { $0.lowercased() == trunk.lowercased() }) {
            trunkChoices.append((trunk, trunk))
        }
        let path = pattern.map { WebPaths.item(WebPaths.routePatterns, String($0.id ?? 0)) }
        var view = WebFormView(
            action: path ?? WebPaths.routePatterns,
            submitLabel: pattern == nil ? "Add route pattern" : "Save",
            fields: [
                WebField(
                    "pattern",
                    "Pattern",
                    value: value("pattern", pattern?.pattern),
                    hint: "CUCM style: X any digit, [2-5] a range, ! one or more digits, . separates the prefix.",
                    required: true
                ),
                WebField(
                    "targetNumber",
                    "Route to number",
                    value: value("targetNumber", pattern?.targetNumber),
                    hint: "The directory number a match reaches; or fill in a trunk below, or block the pattern.",
                    inputmode: "tel"
                ),
                .select(
                    "trunk",
                    "Route to trunk",
                    trunkChoices,
                    selected: trunks.first { $0.lowercased() == trunk.lowercased() } ?? trunk,
                    hint: "A SIP trunk (SIP trunks page): the call leaves through it."
                ),
                .checkbox(
                    "stripPreDot",
                    "Strip the digits before the dot",
                    checked: form?.isChecked("stripPreDot") ?? pattern?.stripPreDot ?? false,
                    hint: "For trunk routes: 9.1XXX sends 1XXX."
                ),
                WebField(
                    "prefix",
                    "Prefix for the trunk",
                    value: value("prefix", pattern?.prefix),
                    hint: "Digits put in front of the number sent to the trunk."
                ),
                .checkbox(
                    "isBlocked",
                    "Block the pattern",
                    checked: form?.isChecked("isBlocked") ?? pattern?.isBlocked ?? false
                ),
                WebField("description", "Description", value: value("description", pattern?.description)),
                WebField(
                    "sortOrder",
                    "Sort order",
                    value: value("sortOrder", pattern.map { String($0.sortOrder) } ?? "0"),
                    hint: "Breaks ties between equally specific patterns, lower first.",
                    inputmode: "numeric"
                ),
            ]
        )
        if let error = page.error { view.show(error, entity: "routePattern") }
        let actions = path.map { path in
            [
                WebAction(
                    action: path + "/delete",
                    label: "Delete route pattern",
                    confirm: "Delete this route pattern?",
                    style: "danger"
                )
            ]
        }
        return try recordPage(
            RecordView(
                listHref: WebPaths.routePatterns,
                listLabel: "Route patterns",
                crumb: pattern?.pattern ?? "Add",
                heading: pattern.map { "Route pattern \($0.pattern)" } ?? "Add a route pattern",
                form: view,
                actions: actions
            ),
            title: pattern.map { "Route pattern \($0.pattern)" } ?? "Add route pattern",
            section: "routes",
            page
        )
    }

    /// A new pattern from the form, as `POST /api/routes` would read it: the target is what was filled in (a number,
    /// a trunk, or the block box); more than one, or none, is the API's error.
    static func routePattern(from form: WebForm) throws -> AdminAPI.RoutePattern {
        let blocked = form.isChecked("isBlocked")
        let trunk = optional(form, "trunk")
        return AdminAPI.RoutePattern(
            pattern: form.text("pattern"),
            targetNumber: blocked || trunk != nil ? optional(form, "targetNumber") : form.text("targetNumber"),
            isBlocked: blocked,
            trunk: trunk,
            stripPreDot: form.isChecked("stripPreDot"),
            prefix: form.text("prefix"),
            description: form.text("description"),
            sortOrder: try integer(form, "sortOrder", entity: "routePattern") ?? 0
        )
    }

    /// The edit form as a `PATCH /api/routes/{id}`, the target as filled in.
    static func routePatternPatch(from form: WebForm) throws -> AdminAPI.RoutePatternPatch {
        let blocked = form.isChecked("isBlocked")
        let trunk = optional(form, "trunk")
        return AdminAPI.RoutePatternPatch(
            pattern: form.text("pattern"),
            targetNumber: blocked || trunk != nil ? optional(form, "targetNumber") : form.text("targetNumber"),
            isBlocked: blocked,
            trunk: trunk,
            stripPreDot: trunk == nil && !form.isChecked("stripPreDot") ? nil : form.isChecked("stripPreDot"),
            prefix: trunk == nil && form.text("prefix").isEmpty ? nil : form.text("prefix"),
            description: form.text("description"),
            sortOrder: try integer(form, "sortOrder", entity: "routePattern")
        )
    }

    // MARK: - CallManager groups

    /// `/web/cmgroups`: the groups, a group's page (members and devices), add, save, delete.
    func addCallManagerGroupRoutes(to group: RouterGroup<AdminRequestContext>) {
        let pages = self
        group.get { request, context in
            let list = WebListRequest(
                request,
                path: WebPaths.callManagerGroups,
                defaultSort: CallManagerGroupListSort.name
            )
            var groups = try await pages.store.callManagerGroupDetails().map(AdminRoutes.callManagerGroup)
            if list.descending { groups.reverse() }
            let (shown, total) = Self.window(groups, list) { group, needle in
                group.name.lowercased().contains(needle)
                    || group.members.contains { $0.host.lowercased().contains(needle) }
            }
            let rows = shown.map { group in
                WebList.Row(cells: [
                    WebList.Cell(group.name, href: WebPaths.item(WebPaths.callManagerGroups, group.name)),
                    WebList.Cell(group.members.map { "\($0.host):\($0.sccpPort)" }.joined(separator: ", ")),
                    WebList.Cell(String(group.devices.count)),
                ])
            }
            let view = list.list(
                heading: "CallManager groups",
                noun: "CallManager groups",
                searchHint: "Part of a group's name or of a member's host.",
                newHref: WebPaths.callManagerGroups + "/new",
                newLabel: "Add group",
                columns: [("Name", .name), ("Members, primary first", nil), ("Phones", nil)],
                rows: rows,
                total: total
            )
            return try pages.page(
                "list",
                title: "CallManager groups",
                body: view,
                context: context,
                section: "cmgroups",
                request: request
            )
        }
        let store = pages.store
        addRecordRoutes(
            WebRecordTable(
                path: WebPaths.callManagerGroups,
                load: { AdminRoutes.callManagerGroup(try await AdminRoutes.requireCallManagerGroup($0, store)) },
                create: { form in
                    let group = AdminAPI.CallManagerGroup(
                        name: form.text("name"),
                        members: try Self.members(from: form)
                    )
                    return try await AdminRoutes.createCallManagerGroup(group, store).name
                },
                save: { name, form in
                    let patch = AdminAPI.CallManagerGroupPatch(
                        name: form.text("name"),
                        members: try Self.members(from: form)
                    )
                    return try await AdminRoutes.updateCallManagerGroup(named: name, patch, store).name
                },
                delete: { try await AdminRoutes.deleteCallManagerGroup(named: $0, store) },
                page: { try pages.callManagerGroupPage($0) }
            ),
            to: group
        )
    }

    func callManagerGroupPage(_ page: WebRecordPage<AdminAPI.CallManagerGroup>) throws -> Response {
        let group = page.record
        let form = page.form
        func value(_ name: String, _ stored: String?) -> String { form.map { $0.text(name) } ?? stored ?? "" }
        var fields = [
            WebField(
                "name",
                "Name",
                value: value("name", group?.name),
                hint:
                    "Letters, digits, spaces, '.', '_' and '-'. The group named Default serves phones that name none.",
                required: true
            )
        ]
        for index in 0..<3 {
            let member = group.flatMap { $0.members.indices.contains(index) ? $0.members[index] : nil }
            let role = index == 0 ? "Primary node" : "Node \(index + 1)"
            fields.append(
                WebField(
                    "member\(index)Host",
                    "\(role): host",
                    value: value("member\(index)Host", member?.host),
                    hint: index == 0 ? "A host name or IP address phones connect to." : "Empty for none.",
                    required: index == 0,
                    apiFields: index == 0 ? ["members[0]", "members"] : ["members[\(index)]"]
                )
            )
            fields.append(
                WebField(
                    "member\(index)SccpPort",
                    "\(role): SCCP port",
                    value: value("member\(index)SccpPort", member.map { String($0.sccpPort) } ?? "2000"),
                    inputmode: "numeric",
                    apiFields: ["members[\(index)].sccpPort"]
                )
            )
            fields.append(
                WebField(
                    "member\(index)SccpsPort",
                    "\(role): SCCPS port",
                    value: value("member\(index)SccpsPort", member.map { String($0.sccpsPort) } ?? "2443"),
                    inputmode: "numeric",
                    apiFields: ["members[\(index)].sccpsPort"]
                )
            )
        }
        let path = group.map { WebPaths.item(WebPaths.callManagerGroups, $0.name) }
        var view = WebFormView(
            action: path ?? WebPaths.callManagerGroups,
            submitLabel: group == nil ? "Add group" : "Save",
            fields: fields
        )
        if let error = page.error { view.show(error, entity: "callManagerGroup") }
        var facts: [WebFact]?
        var actions: [WebAction]?
        if let group, let path {
            facts = [WebFact("Phones", group.devices.isEmpty ? "None" : group.devices.joined(separator: ", "))]
            actions = [
                WebAction(
                    action: path + "/delete",
                    label: "Delete group",
                    confirm: "Delete CallManager group \(group.name)?",
                    style: "danger"
                )
            ]
        }
        return try recordPage(
            RecordView(
                listHref: WebPaths.callManagerGroups,
                listLabel: "CallManager groups",
                crumb: group?.name ?? "Add",
                heading: group.map { "CallManager group \($0.name)" } ?? "Add a CallManager group",
                intro: "The nodes a phone's cnf.xml tells it to register with, primary first (one to three).",
                facts: facts,
                form: view,
                actions: actions
            ),
            title: group.map { "CallManager group \($0.name)" } ?? "Add CallManager group",
            section: "cmgroups",
            page
        )
    }

    /// The members typed in the form: every row with a host, in order. A port that is not a number is the API's
    /// error for that member's port.
    static func members(from form: WebForm) throws -> [AdminAPI.CallManagerGroupMember] {
        var members: [AdminAPI.CallManagerGroupMember] = []
        for index in 0..<3 {
            let host = form.text("member\(index)Host")
            guard !host.isEmpty else { continue }
            var member = AdminAPI.CallManagerGroupMember(host: host)
            for (suffix, key) in [("SccpPort", "sccpPort"), ("SccpsPort", "sccpsPort")] {
                let text = form.text("member\(index)\(suffix)")
                guard !text.isEmpty else { continue }
                guard let port = Int(text) else {
                    throw AdminAPIError.invalidValue(
                        "callManagerGroup.members[\(members.count)].\(key)",
                        "callManagerGroup members[\(members.count)].\(key) must be a whole number"
                    )
                }
                if key == "sccpPort" { member.sccpPort = port } else { member.sccpsPort = port }
            }
            members.append(member)
        }
        return members
    }
}
