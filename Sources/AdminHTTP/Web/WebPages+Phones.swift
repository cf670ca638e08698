import Foundation
import HTTPTypes
import Hummingbird
import Store

extension WebPages {
    /// A phone's page (the `phone` template).
    struct PhoneView: Sendable {
        var name: String
        var registration: FactList
        var lines: FactList
        var hasLines: Bool
        var form: WebFormView
        var speedDials: [SpeedDialRow]
        var hasSpeedDials: Bool
        var speedDialForm: WebFormView
        var buttons: ActionList
        var configurationFile: String?
        var configurationFileName: String
    }

    /// `/web/phones`: the list (server-side search, sort and paging), a phone's page, add, save, delete, reset, and
    /// speed dials.
    func addPhoneRoutes(to group: RouterGroup<AdminRequestContext>) {
        let pages = self
        group.get { request, context in
            let list = WebListRequest(request, path: WebPaths.phones, defaultSort: DeviceListSort.name)
            let page = try await pages.store.devicePage(list.storeQuery)
            let registrations =
                (try? await pages.live.registrations(of: page.items.map(\.device.name))) ?? [:]
            let rows = page.items.map { details in
                let registration = registrations[details.device.name.uppercased()]
                return WebList.Row(cells: [
                    WebList.Cell(details.device.name, href: WebPaths.item(WebPaths.phones, details.device.name)),
                    WebList.Cell(details.device.description),
                    WebList.Cell(details.device.model),
                    WebList.Cell(details.owner ?? ""),
                    WebList.Cell(details.lines.joined(separator: ", ")),
                    registration.map { WebList.Cell("Registered \($0.address ?? "")", style: "ok") }
                        ?? WebList.Cell("Not registered", style: "off"),
                ])
            }
            let view = list.list(
                heading: "Phones",
                noun: "phones",
                searchHint: "Part of a name (MAC), description, model or owner, or the start of a directory number.",
                newHref: WebPaths.phones + "/new",
                newLabel: "Add phone",
                columns: [
                    ("Name", .name), ("Description", .description), ("Model", .model), ("Owner", .owner),
                    ("Lines", nil), ("Status", nil),
                ],
                rows: rows,
                total: page.total
            )
            return try pages.page(
                "list",
                title: "Phones",
                body: view,
                context: context,
                section: "phones",
                request: request
            )
        }
        let store = pages.store
        addRecordRoutes(
            WebRecordTable(
                path: WebPaths.phones,
                load: { try await AdminRoutes.requireDevice($0, store).device.name },
                create: { try await AdminRoutes.createDevice(try Self.device(from: $0), store).name },
                save: { try await AdminRoutes.updateDevice(named: $0, try Self.devicePatch(from: $1), store).name },
                delete: { try await AdminRoutes.deleteDevice(named: $0, store) },
                page: { page in
                    guard let name = page.record else { return try await pages.newPhonePage(page) }
                    let edited = page.form.flatMap { form in page.error.map { (form, $0) } }
                    return try await pages.phonePage(name, context: page.context, request: page.request, edited: edited)
                }
            ),
            to: group
        )
        group.post(":key/reset") { _, context in
            let result = try await AdminRoutes.resetDevice(
                named: try AdminRoutes.parameter("key", context),
                pages.store,
                pages.live
            )
            return WebRenderer.redirect(
                to: WebPaths.done(
                    WebPaths.item(WebPaths.phones, result.name),
                    result.wasRegistered ? "reset" : "notRegistered"
                )
            )
        }
        group.post(":key/speeddials") { request, context in
            let name = try AdminRoutes.parameter("key", context)
            let details = try await AdminRoutes.requireDevice(name, pages.store)
            let form = try await pages.form(request)
            do {
                guard let index = try Self.integer(form, "buttonIndex", entity: "speedDial"), (1...1000).contains(index)
                else {
                    throw AdminAPIError.invalidValue(
                        "speedDial.buttonIndex",
                        "speed dial buttonIndex must be a whole number between 1 and 1000, not \"\(form.text("buttonIndex"))\""
                    )
                }
                let body = AdminRoutes.SpeedDialBody(
                    buttonIndex: index,
                    number: form.text("number"),
                    label: form.text("label"),
                    isBusyLampField: form.isChecked("isBusyLampField")
                )
                _ = try await AdminRoutes.setSpeedDial(body, at: index, on: details, pages.store)
                return WebRenderer.redirect(
                    to: WebPaths.done(WebPaths.item(WebPaths.phones, details.device.name), "saved")
                )
            } catch {
                guard let apiError = Self.formError(error) else { throw error }
                return try await pages.phonePage(name, context: context, speedDial: (form, apiError))
            }
        }
        group.post(":key/speeddials/:index/delete") { _, context in
            let details = try await AdminRoutes.requireDevice(try AdminRoutes.parameter("key", context), pages.store)
            try await AdminRoutes.deleteSpeedDial(at: try AdminRoutes.buttonIndex(context), on: details, pages.store)
            return WebRenderer.redirect(to: WebPaths.done(WebPaths.item(WebPaths.phones, details.device.name), "saved"))
        }
    }

    // MARK: - Pages

    func newPhonePage(_ page: WebRecordPage<String>) async throws -> Response {
        var view = WebFormView(
            action: WebPaths.phones,
            submitLabel: "Add phone",
            fields: Self.deviceFields(
                form: page.form,
                device: nil,
                groups: try await store.callManagerGroupDetails().map(\.group.name),
                musicSources: try await store.musicSources().map(\.name),
                softkeyTemplates: try await store.softkeyTemplates().map(\.name)
            )
        )
        if let error = page.error { view.show(error, entity: "device") }
        return try recordPage(
            RecordView(
                listHref: WebPaths.phones,
                listLabel: "Phones",
                crumb: "Add",
                heading: "Add a phone",
                intro: "The phone's lines must exist already (Lines › Add line).",
                form: view
            ),
            title: "Add phone",
            section: "phones",
            page
        )
    }

    /// A phone's page; after a failed save, with the submitted values and the error in one of its forms.
    func phonePage(
        _ name: String,
        context: AdminRequestContext,
        request: Request? = nil,
        edited: (WebForm, AdminAPIError)? = nil,
        speedDial: (WebForm, AdminAPIError)? = nil
    ) async throws -> Response {
        let details = try await AdminRoutes.requireDevice(name, store)
        let device = AdminRoutes.device(details)
        let path = WebPaths.item(WebPaths.phones, device.name)
        let registration = (try? await live.registrations(of: [device.name]))?[device.name.uppercased()]

        var facts: [WebFact]
        if let registration {
            facts = [
                WebFact("Status", "Registered", style: "ok"),
                WebFact("Address", registration.address ?? "unknown"),
                WebFact("Model (reported)", registration.model ?? "unknown"),
                WebFact("Protocol version", registration.protocolVersion.map { "SCCP v\($0)" } ?? "unknown"),
            ]
            if let since = registration.registeredAt {
                facts.append(
                    WebFact(
                        "Registered since",
                        "\(AdminAPI.formatDate(since)) (\(DashboardFeed.duration(Date().timeIntervalSince(since))) ago)"
                    )
                )
            }
            facts.append(WebFact("Calls now", String(registration.activeCalls)))
        } else {
            facts = [WebFact("Status", "Not registered", style: "off")]
        }
        if device.isAutoRegistered { facts.append(WebFact("Created by", "auto-registration")) }

        let lineFacts = device.lines.enumerated().map { index, number in
            WebFact("Button \(index + 1)", number, href: WebPaths.item(WebPaths.lines, number))
        }

        var form = WebFormView(
            action: path,
            submitLabel: "Save",
            fields: Self.deviceFields(
                form: edited?.0,
                device: device,
                groups: try await store.callManagerGroupDetails().map(\.group.name),
                musicSources: try await store.musicSources().map(\.name),
                softkeyTemplates: try await store.softkeyTemplates().map(\.name)
            ),
            version: WebFormView.version(stored: device.version, form: edited?.0, error: edited?.1)
        )
        if let (_, error) = edited { form.show(error, entity: "device") }

        var speedDialForm = WebFormView(
            action: path + "/speeddials",
            submitLabel: "Set speed dial",
            fields: [
                WebField(
                    "buttonIndex",
                    "Speed dial number",
                    value: speedDial?.0.text("buttonIndex")
                        ?? String((device.speedDials.map(\.buttonIndex).max() ?? 0) + 1),
                    hint: "1 for the first speed dial; an existing number replaces that speed dial.",
                    required: true,
                    inputmode: "numeric"
                ),
                WebField(
                    "number",
                    "Number to dial",
                    value: speedDial?.0.text("number") ?? "",
                    hint: "0-9, *, +, A-D, optionally ending in #.",
                    required: true,
                    inputmode: "tel"
                ),
                WebField("label", "Label", value: speedDial?.0.text("label") ?? ""),
                .checkbox(
                    "isBusyLampField",
                    "Busy lamp field",
                    checked: speedDial?.0.isChecked("isBusyLampField") ?? false,
                    hint: "The button's lamp shows whether the number is in use."
                ),
            ]
        )
        if let (_, error) = speedDial { speedDialForm.show(error, entity: "speedDial") }

        let file = try? await routes.web.configurationFile?(device.name)
        let view = PhoneView(
            name: device.name,
            registration: FactList(facts: facts),
            lines: FactList(facts: lineFacts),
            hasLines: !lineFacts.isEmpty,
            form: form,
            speedDials: device.speedDials.map { dial in
                SpeedDialRow(
                    index: dial.buttonIndex,
                    number: dial.number,
                    label: dial.label,
                    blf: Self.yesNo(dial.isBusyLampField),
                    deleteAction: path + "/speeddials/\(dial.buttonIndex)/delete"
                )
            },
            hasSpeedDials: !device.speedDials.isEmpty,
            speedDialForm: speedDialForm,
            buttons: ActionList(actions: [
                WebAction(
                    action: path + "/reset",
                    label: "Reset",
                    confirm: "Reset \(device.name)? Its calls end and it registers again.",
                    style: "secondary"
                ),
                WebAction(
                    action: path + "/delete",
                    label: "Delete phone",
                    confirm: "Delete \(device.name)? Its lines stay.",
                    style: "danger"
                ),
            ]),
            configurationFile: file ?? nil,
            configurationFileName: "\(device.name).cnf.xml"
        )
        let failed = edited?.1 ?? speedDial?.1
        return try page(
            "phone",
            title: device.name,
            body: view,
            context: context,
            section: "phones",
            request: request,
            status: failed?.status ?? .ok
        )
    }

    // MARK: - Form <-> API

    /// The configuration fields of a phone: from a submitted form, a stored device, or empty.
    static func deviceFields(
        form: WebForm?,
        device: AdminAPI.Device?,
        groups: [String],
        musicSources: [String],
        softkeyTemplates: [String]
    ) -> [WebField] {
        func value(_ name: String, _ stored: String?) -> String {
            form.map { $0.text(name) } ?? stored ?? ""
        }
        let group = value("callManagerGroup", device?.callManagerGroup)
        var groupChoices = [("", "Default")] + groups.filter { $0.lowercased() != "default" }.map { ($0, $0) }
        if !group.isEmpty, !groupChoices.contains(where: { $0.0.lowercased() == group.lowercased() }) {
            groupChoices.append((group, group))
        }
        let mode = value("securityMode", device?.securityMode ?? "non-secure")
        return [
            WebField(
                "name",
                "Device name",
                value: value("name", device?.name),
                hint: "SEP followed by the phone's MAC address (12 hex digits). A new name on a saved phone replaces"
                    + " the hardware and keeps the lines.",
                required: true
            ),
            WebField("description", "Description", value: value("description", device?.description)),
            WebField("model", "Model", value: value("model", device?.model), hint: "Free text, e.g. 7960."),
            WebField(
                "owner",
                "Owner",
                value: value("owner", device?.owner),
                hint: "A user name; empty for none."
            ),
            WebField(
                "lines",
                "Lines",
                value: value("lines", device?.lines.joined(separator: ", ")),
                hint: "Directory numbers in button order, separated by commas.",
                inputmode: "tel"
            ),
            .select("callManagerGroup", "CallManager group", groupChoices, selected: group),
            .select(
                "securityMode",
                "Security mode",
                [
                    ("non-secure", "Non-secure (SCCP)"), ("authenticated", "Authenticated (SCCP over TLS)"),
                    ("encrypted", "Encrypted (SCCP over TLS)"),
                ],
                selected: mode
            ),
            .checkbox(
                "requiresClientCertificate",
                "Require a client certificate",
                checked: form?.isChecked("requiresClientCertificate") ?? device?.requiresClientCertificate ?? false,
                hint: "The phone must present a Strowger CA certificate naming it (needs a secure mode)."
            ),
            .number(
                "maxProtocolVersion",
                "Highest SCCP version",
                value: form == nil ? device?.maxProtocolVersion : nil,
                hint: "Empty for no cap."
            ).with(value: form?.text("maxProtocolVersion")),
            WebField(
                "loadInformation",
                "Firmware load",
                value: value("loadInformation", device?.loadInformation),
                hint: "e.g. SCCP41.9-4-2SR3-1S; empty keeps the phone's own."
            ),
            musicSourceField(
                value("musicSource", device?.musicSource),
                sources: musicSources,
                none: "Built in",
                hint: "What parties this phone holds hear, when the line names no source of its own."
            ),
            softkeyTemplateField(value("softkeyTemplate", device?.softkeyTemplate), templates: softkeyTemplates),
        ]
    }

    /// A new phone from the form, as `POST /api/devices` would read it.
    static func device(from form: WebForm) throws -> AdminAPI.Device {
        AdminAPI.Device(
            name: form.text("name"),
            model: form.text("model"),
            description: form.text("description"),
            owner: optional(form, "owner"),
            maxProtocolVersion: try integer(form, "maxProtocolVersion", entity: "device"),
            callManagerGroup: optional(form, "callManagerGroup"),
            lines: list(form, "lines"),
            securityMode: form.text("securityMode").isEmpty ? "non-secure" : form.text("securityMode"),
            requiresClientCertificate: form.isChecked("requiresClientCertificate"),
            loadInformation: optional(form, "loadInformation"),
            musicSource: optional(form, "musicSource"),
            softkeyTemplate: optional(form, "softkeyTemplate")
        )
    }

    /// Every field of the edit form as a `PATCH /api/devices/{name}`: empty optional fields clear.
    static func devicePatch(from form: WebForm) throws -> AdminAPI.DevicePatch {
        AdminAPI.DevicePatch(
            name: form.text("name"),
            model: form.text("model"),
            description: form.text("description"),
            owner: .some(optional(form, "owner")),
            maxProtocolVersion: .some(try integer(form, "maxProtocolVersion", entity: "device")),
            callManagerGroup: .some(optional(form, "callManagerGroup")),
            lines: list(form, "lines"),
            securityMode: form.text("securityMode").isEmpty ? nil : form.text("securityMode"),
            requiresClientCertificate: form.isChecked("requiresClientCertificate"),
            loadInformation: .some(optional(form, "loadInformation")),
            musicSource: .some(optional(form, "musicSource")),
            softkeyTemplate: .some(optional(form, "softkeyTemplate")),
            version: try version(form, entity: "device")
        )
    }
}

extension WebPages {
    /// A drop-down of the music-on-hold sources with `value` chosen; the empty choice (`none`) names no source.
    static func musicSourceField(_ value: String, sources: [String], none: String, hint: String) -> WebField {
        var choices = [("", none)] + sources.map { ($0, $0) }
        if !value.isEmpty, !sources.contains(where: { $0.lowercased() == value.lowercased() }) {
            choices.append((value, value))
        }
        let selected = sources.first { $0.lowercased() == value.lowercased() } ?? value
        return .select("musicSource", "Music on hold", choices, selected: selected, hint: hint)
    }
}

extension WebPages {
    /// A drop-down of the stored softkey templates with `value` chosen; the empty choice is the built-in Standard User.
    static func softkeyTemplateField(_ value: String, templates: [String]) -> WebField {
        var choices = [("", "Standard User (built in)")] + templates.map { ($0, $0) }
        if !value.isEmpty, !templates.contains(where: { $0.lowercased() == value.lowercased() }) {
            choices.append((value, value))
        }
        let selected = templates.first { $0.lowercased() == value.lowercased() } ?? value
        return .select(
            "softkeyTemplate",
            "Softkey template",
            choices,
            selected: selected,
            hint: "The softkeys the phone shows in each call state (Softkeys in the menu)."
        )
    }
}

extension WebField {
    /// The same field showing `value` instead, when one is given (a submitted value over a stored one).
    func with(value: String?) -> WebField {
        guard let value else { return self }
        var field = self
        field.value = value
        return field
    }
}
