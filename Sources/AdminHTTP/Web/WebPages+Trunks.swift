import Foundation
import Hummingbird
import Store

/// The order of the trunk list.
enum TrunkListSort: String, CaseIterable, Hashable, Sendable {
    case name
}

extension WebPages {
    /// `/web/trunks`: the SIP trunks with their live state (OPTIONS and registration, `GET /api/status/trunks`), a
    /// trunk's page, add, save, delete, through `AdminRoutes.createTrunk` and its neighbours.
    func addTrunkRoutes(to group: RouterGroup<AdminRequestContext>) {
        let pages = self
        group.get { request, context in
            let list = WebListRequest(request, path: WebPaths.trunks, defaultSort: TrunkListSort.name)
            var trunks = try await pages.store.trunks()
            if list.descending { trunks.reverse() }
            let (shown, total) = Self.window(trunks, list) { trunk, needle in
                trunk.name.lowercased().contains(needle) || trunk.host.lowercased().contains(needle)
                    || trunk.description.lowercased().contains(needle)
            }
            let statuses = await pages.trunkStatuses()
            let rows = shown.map { trunk in
                let status = statuses[trunk.name.lowercased()]
                return WebList.Row(cells: [
                    WebList.Cell(trunk.name, href: WebPaths.item(WebPaths.trunks, trunk.name)),
                    WebList.Cell("\(trunk.host):\(trunk.effectivePort) \(trunk.transport.rawValue.uppercased())"),
                    Self.stateCell(status),
                    WebList.Cell(Self.registrationText(trunk, status)),
                    WebList.Cell(trunk.description),
                ])
            }
            let view = list.list(
                heading: "SIP trunks",
                noun: "trunks",
                searchHint: "Part of a trunk's name, host or description.",
                newHref: WebPaths.trunks + "/new",
                newLabel: "Add trunk",
                columns: [("Name", .name), ("Peer", nil), ("State", nil), ("Registration", nil), ("Description", nil)],
                rows: rows,
                total: total
            )
            return try pages.page(
                "list",
                title: "SIP trunks",
                body: view,
                context: context,
                section: "trunks",
                request: request
            )
        }
        let store = pages.store
        addRecordRoutes(
            WebRecordTable(
                path: WebPaths.trunks,
                load: { try await AdminRoutes.requireTrunk(named: $0, store) },
                create: {
                    try await AdminRoutes.createTrunk(try Self.trunk(from: $0, creating: true), store).name ?? ""
                },
                save: { name, form in
                    let trunk = try await AdminRoutes.updateTrunk(
                        named: name,
                        try Self.trunk(from: form, creating: false),
                        store
                    )
                    return trunk.name ?? name
                },
                delete: { try await AdminRoutes.deleteTrunk(named: $0, store) },
                page: { try await pages.trunkPage($0) }
            ),
            to: group
        )
    }

    /// The live states by lower-cased trunk name; empty when the server runs no SIP service.
    func trunkStatuses() async -> [String: AdminAPI.TrunkStatus] {
        let statuses = await routes.trunkStatus?.trunkStatuses() ?? []
        return Dictionary(statuses.map { ($0.name.lowercased(), $0) }, uniquingKeysWith: { first, _ in first })
    }

    static func stateCell(_ status: AdminAPI.TrunkStatus?) -> WebList.Cell {
        switch status?.state {
        case "up"?: WebList.Cell("Up", style: "ok")
        case "down"?: WebList.Cell("Down", style: "warn")
        case nil: WebList.Cell("Not checked", style: "off")
        default: WebList.Cell("Not answered yet", style: "off")
        }
    }

    static func registrationText(_ trunk: TrunkRecord, _ status: AdminAPI.TrunkStatus?) -> String {
        guard let user = trunk.registrationUser else { return "None" }
        switch status?.registration {
        case "registered"?: return "Registered as \(user)"
        case "registering"?: return "Registering as \(user)"
        case "failed"?: return "Failed (\(status?.registrationError ?? "no answer")) as \(user)"
        default: return "As \(user)"
        }
    }

    func trunkPage(_ page: WebRecordPage<TrunkRecord>) async throws -> Response {
        let trunk = page.record
        let form = page.form
        func value(_ name: String, _ stored: String?) -> String { form.map { $0.text(name) } ?? stored ?? "" }
        var fields: [WebField] = []
        if trunk == nil {
            fields.append(
                WebField(
                    "name",
                    "Name",
                    value: value("name", nil),
                    hint: "1 to 64 of letters, digits, '.', '_' and '-'; route patterns name the trunk by it. It cannot"
                        + " be changed later.",
                    required: true
                )
            )
        }
        let peer: [WebField] = [
            WebField(
                "host",
                "Host",
                value: value("host", trunk?.host),
                hint: "The peer's host name or IP address.",
                required: true
            ),
            WebField(
                "port",
                "Port",
                value: value("port", trunk?.port.map(String.init)),
                hint: "Empty for the transport's default: 5060, or 5061 for TLS.",
                inputmode: "numeric"
            ),
            .select(
                "transport",
                "Transport",
                [("udp", "UDP"), ("tcp", "TCP"), ("tls", "TLS")],
                selected: value("transport", trunk?.transport.rawValue ?? "udp")
            ),
            WebField(
                "registrationUser",
                "Register as user",
                value: value("registrationUser", trunk?.registrationUser),
                hint: "Empty: Strowger does not register with the peer (and any stored password is removed)."
            ),
            WebField(
                "registrationPassword",
                "Registration password",
                kind: .input(type: "password"),
                hint: trunk?.registrationPassword == nil
                    ? "Needed with a user." : "A password is set; leave this empty to keep it.",
                autocomplete: "new-password"
            ),
            WebField(
                "fromDomain",
                "From domain",
                value: value("fromDomain", trunk?.fromDomain),
                hint: "The domain of From, To and REGISTER; empty for the host."
            ),
            .checkbox(
                "acceptsInboundCredentials",
                "Accept calls from other addresses that authenticate with these credentials",
                checked: form?.isChecked("acceptsInboundCredentials") ?? trunk?.acceptsInboundCredentials ?? false
            ),
            WebField(
                "inboundStrip",
                "Inbound: digits to strip",
                value: value("inboundStrip", String(trunk?.inboundStrip ?? 0)),
                hint: "Leading digits dropped from a called number that arrives on this trunk (0 to 32).",
                inputmode: "numeric"
            ),
            WebField(
                "inboundPrefix",
                "Inbound: prefix",
                value: value("inboundPrefix", trunk?.inboundPrefix),
                hint: "Digits put in front after stripping.",
                inputmode: "tel"
            ),
            WebField(
                "defaultNumber",
                "Inbound: default number",
                value: value("defaultNumber", trunk?.defaultNumber),
                hint: "Where a call goes whose called number is no directory number; empty: it is refused.",
                inputmode: "tel"
            ),
            WebField("description", "Description", value: value("description", trunk?.description)),
        ]
        fields += peer
        let path = trunk.map { WebPaths.item(WebPaths.trunks, $0.name) }
        var view = WebFormView(
            action: path ?? WebPaths.trunks,
            submitLabel: trunk == nil ? "Add trunk" : "Save",
            fields: fields
        )
        if let error = page.error { view.show(error, entity: "trunk") }
        var facts: [WebFact]?
        var actions: [WebAction]?
        if let trunk, let path {
            let status = await trunkStatuses()[trunk.name.lowercased()]
            let state = Self.stateCell(status)
            var list = [
                WebFact("Name", trunk.name),
                WebFact("State", state.text, style: state.style),
            ]
            if let status {
                if let code = status.lastResponseCode {
                    list.append(WebFact("Last OPTIONS answer", "\(code) \(status.lastResponseReason ?? "")"))
                }
                if let since = status.since { list.append(WebFact("Since", AdminAPI.formatDate(since))) }
                if let check = status.lastCheck { list.append(WebFact("Last checked", AdminAPI.formatDate(check))) }
            }
            list.append(WebFact("Registration", Self.registrationText(trunk, status)))
            facts = list
            actions = [
                WebAction(
                    action: path + "/delete",
                    label: "Delete trunk",
                    confirm: "Delete trunk \(trunk.name)? Route patterns that name it must be changed first.",
                    style: "danger"
                )
            ]
        }
        return try recordPage(
            RecordView(
                listHref: WebPaths.trunks,
                listLabel: "SIP trunks",
                crumb: trunk?.name ?? "Add",
                heading: trunk.map { "SIP trunk \($0.name)" } ?? "Add a SIP trunk",
                intro: "A gateway, carrier or PBX that Strowger exchanges calls with over SIP. Route patterns send"
                    + " calls to it.",
                facts: facts,
                form: view,
                actions: actions
            ),
            title: trunk.map { "SIP trunk \($0.name)" } ?? "Add SIP trunk",
            section: "trunks",
            page
        )
    }

    /// The form as `POST /api/trunks` (new) or `PATCH /api/trunks/{name}` (every field but the name) would read it:
    /// an empty port is the transport's default, an empty user removes the registration, an empty password keeps
    /// the stored one, an empty from-domain or default number clears it.
    static func trunk(from form: WebForm, creating: Bool) throws -> AdminAPI.Trunk {
        AdminAPI.Trunk(
            name: creating ? form.text("name") : nil,
            host: form.text("host"),
            port: try integer(form, "port", entity: "trunk") ?? 0,
            transport: optional(form, "transport"),
            registrationUser: form.text("registrationUser"),
            registrationPassword: optional(form, "registrationPassword"),
            fromDomain: form.text("fromDomain"),
            acceptsInboundCredentials: form.isChecked("acceptsInboundCredentials"),
            inboundStrip: try integer(form, "inboundStrip", entity: "trunk"),
            inboundPrefix: form.text("inboundPrefix"),
            defaultNumber: form.text("defaultNumber"),
            description: form.text("description")
        )
    }
}
