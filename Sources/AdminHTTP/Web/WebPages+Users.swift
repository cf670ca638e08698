import Hummingbird
import Store

extension WebPages {
    /// `/web/users`: the list, a user's page (their phones, capabilities and presence privacy), add, save, delete.
    func addUserRoutes(to group: RouterGroup<AdminRequestContext>) {
        let pages = self
        group.get { request, context in
            let list = WebListRequest(request, path: WebPaths.users, defaultSort: UserListSort.name)
            let page = try await pages.store.userPage(list.storeQuery)
            let rows = page.items.map { details in
                let user = AdminRoutes.user(details)
                return WebList.Row(cells: [
                    WebList.Cell(user.name, href: WebPaths.item(WebPaths.users, user.name)),
                    WebList.Cell(user.displayName),
                    WebList.Cell(user.devices.joined(separator: ", ")),
                    WebList.Cell(user.capabilities.joined(separator: ", ")),
                    WebList.Cell(user.presenceVisibility),
                ])
            }
            let view = list.list(
                heading: "Users",
                noun: "users",
                searchHint: "Part of a user name or display name.",
                newHref: WebPaths.users + "/new",
                newLabel: "Add user",
                columns: [
                    ("User name", .name), ("Display name", .displayName), ("Phones", nil), ("Capabilities", nil),
                    ("Presence shown to", nil),
                ],
                rows: rows,
                total: page.total
            )
            return try pages.page(
                "list",
                title: "Users",
                body: view,
                context: context,
                section: "users",
                request: request
            )
        }
        let store = pages.store
        addRecordRoutes(
            WebRecordTable(
                path: WebPaths.users,
                load: { AdminRoutes.user(try await AdminRoutes.requireUser($0, store)) },
                create: { try await AdminRoutes.createUser(Self.user(from: $0), store).name },
                save: { try await AdminRoutes.updateUser(named: $0, Self.userPatch(from: $1), store).name },
                delete: { try await AdminRoutes.deleteUser(named: $0, store) },
                page: { try pages.userPage($0) }
            ),
            to: group
        )
    }

    /// A user's page, or the form of a new one.
    func userPage(_ page: WebRecordPage<AdminAPI.User>) throws -> Response {
        let user = page.record
        let form = page.form
        func value(_ name: String, _ stored: String?) -> String { form.map { $0.text(name) } ?? stored ?? "" }
        let capabilities = form.map(Self.capabilities(from:)) ?? user?.capabilities ?? ["voice"]
        let path = user.map { WebPaths.item(WebPaths.users, $0.name) }
        var view = WebFormView(
            action: path ?? WebPaths.users,
            submitLabel: user == nil ? "Add user" : "Save",
            fields: [
                WebField(
                    "name",
                    "User name",
                    value: value("name", user?.name),
                    hint: "No spaces; unique without regard to case.",
                    required: true,
                    autocomplete: "off"
                ),
                WebField("displayName", "Display name", value: value("displayName", user?.displayName)),
                WebField(
                    "capabilityVoice",
                    "Voice",
                    value: "true",
                    kind: .checkbox,
                    checked: capabilities.contains("voice"),
                    autocomplete: nil,
                    apiFields: ["capabilities"]
                ),
                .checkbox("capabilityVideo", "Video", checked: capabilities.contains("video")),
                .checkbox("capabilityWeb", "Web", checked: capabilities.contains("web")),
                .select(
                    "presenceVisibility",
                    "Who sees the user's presence",
                    [("everyone", "Everyone"), ("nobody", "Nobody"), ("allowList", "Only the users listed below")],
                    selected: value("presenceVisibility", user?.presenceVisibility ?? "everyone")
                ),
                WebField(
                    "presenceAllowList",
                    "Users who may see it",
                    value: value("presenceAllowList", user?.presenceAllowList.joined(separator: ", ")),
                    hint: "User names separated by commas (with “Only the users listed below”)."
                ),
            ]
        )
        if let error = page.error { view.show(error, entity: "user") }
        var facts: [WebFact]?
        var actions: [WebAction]?
        if let user, let path {
            facts = [WebFact("Phones", user.devices.isEmpty ? "None" : user.devices.joined(separator: ", "))]
            actions = [
                WebAction(
                    action: path + "/delete",
                    label: "Delete user",
                    confirm: "Delete user \(user.name)? Their phones stay, without an owner.",
                    style: "danger"
                )
            ]
        }
        return try recordPage(
            RecordView(
                listHref: WebPaths.users,
                listLabel: "Users",
                crumb: user?.name ?? "Add",
                heading: user.map { "User \($0.name)" } ?? "Add a user",
                facts: facts,
                form: view,
                actions: actions
            ),
            title: user.map { "User \($0.name)" } ?? "Add user",
            section: "users",
            page
        )
    }

    static func capabilities(from form: WebForm) -> [String] {
        [("capabilityVoice", "voice"), ("capabilityVideo", "video"), ("capabilityWeb", "web")]
            .filter { form.isChecked($0.0) }.map(\.1)
    }

    static func user(from form: WebForm) -> AdminAPI.User {
        AdminAPI.User(
            name: form.text("name"),
            displayName: form.text("displayName"),
            capabilities: capabilities(from: form),
            presenceVisibility: form.text("presenceVisibility").isEmpty ? "everyone" : form.text("presenceVisibility"),
            presenceAllowList: list(form, "presenceAllowList")
        )
    }

    static func userPatch(from form: WebForm) -> AdminAPI.UserPatch {
        AdminAPI.UserPatch(
            name: form.text("name"),
            displayName: form.text("displayName"),
            capabilities: capabilities(from: form),
            presenceVisibility: optional(form, "presenceVisibility"),
            presenceAllowList: list(form, "presenceAllowList")
        )
    }
}
