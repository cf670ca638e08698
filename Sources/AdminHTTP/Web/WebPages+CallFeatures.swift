import Hummingbird
import Store

/// The order of the hunt group list.
enum HuntGroupListSort: String, CaseIterable, Hashable, Sendable {
    case pilot
}

/// The order of the pickup group list.
enum PickupGroupListSort: String, CaseIterable, Hashable, Sendable {
    case number
}

extension WebPages {
    // MARK: - Hunt groups

    /// `/web/hunt-groups`: the groups, a group's page (pilot, algorithm, members in order, timer, final
    /// destination), add, save, delete, through `AdminRoutes.createHuntGroup` and its neighbours.
    func addHuntGroupRoutes(to group: RouterGroup<AdminRequestContext>) {
        let pages = self
        group.get { request, context in
            let list = WebListRequest(request, path: WebPaths.huntGroups, defaultSort: HuntGroupListSort.pilot)
            var groups = try await pages.store.huntGroupDetails().map(AdminRoutes.huntGroup)
            if list.descending { groups.reverse() }
            let (shown, total) = Self.window(groups, list) { group, needle in
                group.pilot.hasPrefix(needle) || group.members.contains { $0.hasPrefix(needle) }
            }
            let rows = shown.map { group in
                WebList.Row(cells: [
                    WebList.Cell(group.pilot, href: WebPaths.item(WebPaths.huntGroups, group.pilot)),
                    WebList.Cell(Self.huntAlgorithmLabel(group.algorithm)),
                    WebList.Cell(group.members.joined(separator: ", ")),
                    WebList.Cell("\(group.noAnswerTimeoutSeconds) s"),
                    WebList.Cell(group.finalDestination ?? "Busy"),
                ])
            }
            let view = list.list(
                heading: "Hunt groups",
                noun: "hunt groups",
                searchHint: "The start of a pilot or of a member's directory number.",
                newHref: WebPaths.huntGroups + "/new",
                newLabel: "Add hunt group",
                columns: [
                    ("Pilot", .pilot), ("Algorithm", nil), ("Members, in order", nil), ("Rings each", nil),
                    ("Nobody answers", nil),
                ],
                rows: rows,
                total: total
            )
            return try pages.page(
                "list",
                title: "Hunt groups",
                body: view,
                context: context,
                section: "hunt",
                request: request
            )
        }
        let store = pages.store
        addRecordRoutes(
            WebRecordTable(
                path: WebPaths.huntGroups,
                load: { AdminRoutes.huntGroup(try await AdminRoutes.requireHuntGroup($0, store)) },
                create: { try await AdminRoutes.createHuntGroup(try Self.huntGroup(from: $0), store).pilot },
                save: {
                    try await AdminRoutes.updateHuntGroup(pilot: $0, try Self.huntGroupPatch(from: $1), store).pilot
                },
                delete: { try await AdminRoutes.deleteHuntGroup(pilot: $0, store) },
                page: { try pages.huntGroupPage($0) }
            ),
            to: group
        )
    }

    /// The algorithms as the form offers them: (API spelling, label).
    static let huntAlgorithms = [
        ("top-down", "Top down: always from the first member"),
        ("circular", "Circular: from the member after the last one offered a call"),
        ("longest-idle", "Longest idle: the member idle longest first"),
        ("broadcast", "Broadcast: every free member at once"),
    ]

    static func huntAlgorithmLabel(_ algorithm: String) -> String {
        guard let (_, label) = huntAlgorithms.first(where: { $0.0 == algorithm }) else { return algorithm }
        return String(label.prefix { character in character != ":" })
    }

    func huntGroupPage(_ page: WebRecordPage<AdminAPI.HuntGroup>) throws -> Response {
        let group = page.record
        let form = page.form
        func value(_ name: String, _ stored: String?) -> String { form.map { $0.text(name) } ?? stored ?? "" }
        let defaults = AdminAPI.HuntGroup(pilot: "", members: [])
        let path = group.map { WebPaths.item(WebPaths.huntGroups, $0.pilot) }
        var view = WebFormView(
            action: path ?? WebPaths.huntGroups,
            submitLabel: group == nil ? "Add hunt group" : "Save",
            fields: [
                WebField(
                    "pilot",
                    "Pilot number",
                    value: value("pilot", group?.pilot),
                    hint: "The number callers dial: 1 to 24 of 0-9, *, +, A-D; not a line, a pickup group or a park"
                        + " slot.",
                    required: true,
                    inputmode: "tel"
                ),
                WebField(
                    "members",
                    "Members",
                    value: value("members", group?.members.joined(separator: ", ")),
                    hint: "Directory numbers of existing lines in hunt order, separated by commas (1 to"
                        + " \(HuntGroupRecord.maximumMembers)).",
                    required: true,
                    inputmode: "tel"
                ),
                .select(
                    "algorithm",
                    "Algorithm",
                    Self.huntAlgorithms,
                    selected: value("algorithm", group?.algorithm ?? defaults.algorithm)
                ),
                WebField(
                    "noAnswerTimeoutSeconds",
                    "Seconds each member rings",
                    value: value(
                        "noAnswerTimeoutSeconds",
                        String(group?.noAnswerTimeoutSeconds ?? defaults.noAnswerTimeoutSeconds)
                    ),
                    hint: "1 to 300 before the next member is tried (broadcast: how long all ring).",
                    inputmode: "numeric"
                ),
                WebField(
                    "finalDestination",
                    "When nobody answers, send the call to",
                    value: value("finalDestination", group?.finalDestination),
                    hint: "A number to dial (route patterns apply), e.g. voicemail; empty: the caller hears busy.",
                    inputmode: "tel"
                ),
            ]
        )
        if let error = page.error { view.show(error, entity: "huntGroup") }
        let actions = group.map { group in
            [
                WebAction(
                    action: WebPaths.item(WebPaths.huntGroups, group.pilot) + "/delete",
                    label: "Delete hunt group",
                    confirm: "Delete hunt group \(group.pilot)? Its member lines stay.",
                    style: "danger"
                )
            ]
        }
        return try recordPage(
            RecordView(
                listHref: WebPaths.huntGroups,
                listLabel: "Hunt groups",
                crumb: group?.pilot ?? "Add",
                heading: group.map { "Hunt group \($0.pilot)" } ?? "Add a hunt group",
                intro: "A call to the pilot is offered to the member lines in turn, or to all at once, until one"
                    + " answers.",
                form: view,
                actions: actions
            ),
            title: group.map { "Hunt group \($0.pilot)" } ?? "Add hunt group",
            section: "hunt",
            page
        )
    }

    /// A new group from the form, as `POST /api/hunt-groups` would read it (empty fields take the defaults).
    static func huntGroup(from form: WebForm) throws -> AdminAPI.HuntGroup {
        let defaults = AdminAPI.HuntGroup(pilot: "", members: [])
        return AdminAPI.HuntGroup(
            pilot: form.text("pilot"),
            members: list(form, "members"),
            algorithm: optional(form, "algorithm") ?? defaults.algorithm,
            noAnswerTimeoutSeconds: try integer(form, "noAnswerTimeoutSeconds", entity: "huntGroup")
                ?? defaults.noAnswerTimeoutSeconds,
            finalDestination: optional(form, "finalDestination")
        )
    }

    /// The edit form as a `PATCH /api/hunt-groups/{pilot}`: the members replace the list, an empty final
    /// destination clears it, an empty timer keeps it.
    static func huntGroupPatch(from form: WebForm) throws -> AdminAPI.HuntGroupPatch {
        AdminAPI.HuntGroupPatch(
            pilot: form.text("pilot"),
            members: list(form, "members"),
            algorithm: optional(form, "algorithm"),
            noAnswerTimeoutSeconds: try integer(form, "noAnswerTimeoutSeconds", entity: "huntGroup"),
            finalDestination: .some(optional(form, "finalDestination"))
        )
    }

    // MARK: - Pickup groups

    /// `/web/pickup-groups`: the groups, a group's page (number, members), add, save, delete.
    func addPickupGroupRoutes(to group: RouterGroup<AdminRequestContext>) {
        let pages = self
        group.get { request, context in
            let list = WebListRequest(request, path: WebPaths.pickupGroups, defaultSort: PickupGroupListSort.number)
            var groups = try await pages.store.pickupGroupDetails().map(AdminRoutes.pickupGroup)
            if list.descending { groups.reverse() }
            let (shown, total) = Self.window(groups, list) { group, needle in
                group.number.hasPrefix(needle) || group.members.contains { $0.hasPrefix(needle) }
            }
            let rows = shown.map { group in
                WebList.Row(cells: [
                    WebList.Cell(group.number, href: WebPaths.item(WebPaths.pickupGroups, group.number)),
                    WebList.Cell(group.members.joined(separator: ", ")),
                ])
            }
            let view = list.list(
                heading: "Pickup groups",
                noun: "pickup groups",
                searchHint: "The start of a group's number or of a member's directory number.",
                newHref: WebPaths.pickupGroups + "/new",
                newLabel: "Add pickup group",
                columns: [("Number", .number), ("Members", nil)],
                rows: rows,
                total: total
            )
            return try pages.page(
                "list",
                title: "Pickup groups",
                body: view,
                context: context,
                section: "pickup",
                request: request
            )
        }
        let store = pages.store
        addRecordRoutes(
            WebRecordTable(
                path: WebPaths.pickupGroups,
                load: { AdminRoutes.pickupGroup(try await AdminRoutes.requirePickupGroup($0, store)) },
                create: { form in
                    let group = AdminAPI.PickupGroup(number: form.text("number"), members: Self.list(form, "members"))
                    return try await AdminRoutes.createPickupGroup(group, store).number
                },
                save: { number, form in
                    let patch = AdminAPI.PickupGroupPatch(
                        number: form.text("number"),
                        members: Self.list(form, "members")
                    )
                    return try await AdminRoutes.updatePickupGroup(number: number, patch, store).number
                },
                delete: { try await AdminRoutes.deletePickupGroup(number: $0, store) },
                page: { try pages.pickupGroupPage($0) }
            ),
            to: group
        )
    }

    func pickupGroupPage(_ page: WebRecordPage<AdminAPI.PickupGroup>) throws -> Response {
        let group = page.record
        let form = page.form
        func value(_ name: String, _ stored: String?) -> String { form.map { $0.text(name) } ?? stored ?? "" }
        let path = group.map { WebPaths.item(WebPaths.pickupGroups, $0.number) }
        var view = WebFormView(
            action: path ?? WebPaths.pickupGroups,
            submitLabel: group == nil ? "Add pickup group" : "Save",
            fields: [
                WebField(
                    "number",
                    "Group number",
                    value: value("number", group?.number),
                    hint: "Dialled after GPickUp to answer a call ringing in this group: 1 to 24 of 0-9, *, +, A-D; not"
                        + " a line, a hunt pilot or a park slot.",
                    required: true,
                    inputmode: "tel"
                ),
                WebField(
                    "members",
                    "Members",
                    value: value("members", group?.members.joined(separator: ", ")),
                    hint: "Directory numbers of existing lines in no other pickup group, separated by commas. A member"
                        + " picks up a call ringing another member with PickUp.",
                    required: true,
                    inputmode: "tel"
                ),
            ]
        )
        if let error = page.error { view.show(error, entity: "pickupGroup") }
        let actions = group.map { group in
            [
                WebAction(
                    action: WebPaths.item(WebPaths.pickupGroups, group.number) + "/delete",
                    label: "Delete pickup group",
                    confirm: "Delete pickup group \(group.number)? Its member lines stay.",
                    style: "danger"
                )
            ]
        }
        return try recordPage(
            RecordView(
                listHref: WebPaths.pickupGroups,
                listLabel: "Pickup groups",
                crumb: group?.number ?? "Add",
                heading: group.map { "Pickup group \($0.number)" } ?? "Add a pickup group",
                form: view,
                actions: actions
            ),
            title: group.map { "Pickup group \($0.number)" } ?? "Add pickup group",
            section: "pickup",
            page
        )
    }
}
