import Hummingbird
import Store

extension WebPages {
    /// `/web/lines`: the list, a line's page (its phones and settings), add, save, delete.
    func addLineRoutes(to group: RouterGroup<AdminRequestContext>) {
        let pages = self
        group.get { request, context in
            let list = WebListRequest(request, path: WebPaths.lines, defaultSort: LineListSort.number)
            let page = try await pages.store.linePage(list.storeQuery)
            let rows = page.items.map { details in
                WebList.Row(cells: [
                    WebList.Cell(details.line.number, href: WebPaths.item(WebPaths.lines, details.line.number)),
                    WebList.Cell(details.line.displayName),
                    WebList.Cell(details.devices.joined(separator: ", ")),
                    WebList.Cell(details.line.forwardAll.map { "to \($0)" } ?? ""),
                    WebList.Cell("\(details.line.maxCalls) / \(details.line.busyTrigger)"),
                ])
            }
            let view = list.list(
                heading: "Lines",
                noun: "lines",
                searchHint: "The start of a directory number, or part of a display name or of a phone's name.",
                newHref: WebPaths.lines + "/new",
                newLabel: "Add line",
                columns: [
                    ("Number", .number), ("Display name", .displayName), ("Phones", nil), ("Forward all", nil),
                    ("Calls / busy at", nil),
                ],
                rows: rows,
                total: page.total
            )
            return try pages.page(
                "list",
                title: "Lines",
                body: view,
                context: context,
                section: "lines",
                request: request
            )
        }
        let store = pages.store
        addRecordRoutes(
            WebRecordTable(
                path: WebPaths.lines,
                load: { AdminRoutes.line(try await AdminRoutes.requireLine($0, store)) },
                create: { try await AdminRoutes.createLine(try Self.line(from: $0), store).number },
                save: { try await AdminRoutes.updateLine(number: $0, try Self.linePatch(from: $1), store).number },
                delete: { try await AdminRoutes.deleteLine(number: $0, store) },
                page: { try await pages.linePage($0) }
            ),
            to: group
        )
    }

    /// A line's page, or the form of a new one.
    func linePage(_ page: WebRecordPage<AdminAPI.Line>) async throws -> Response {
        let line = page.record
        let form = page.form
        func value(_ name: String, _ stored: String?) -> String { form.map { $0.text(name) } ?? stored ?? "" }
        func number(_ name: String, _ stored: Int?) -> String {
            form.map { $0.text(name) } ?? stored.map(String.init) ?? ""
        }
        let defaults = AdminAPI.Line(number: "")
        let path = line.map { WebPaths.item(WebPaths.lines, $0.number) }
        var view = WebFormView(
            action: path ?? WebPaths.lines,
            submitLabel: line == nil ? "Add line" : "Save",
            fields: [
                WebField(
                    "number",
                    "Directory number",
                    value: value("number", line?.number),
                    hint: "1 to 24 of 0-9, *, +, A-D. A new number moves the line; its phones keep it.",
                    required: true,
                    inputmode: "tel"
                ),
                WebField(
                    "displayName",
                    "Display name",
                    value: value("displayName", line?.displayName),
                    hint: "What callers see; at most 40 characters."
                ),
                WebField(
                    "forwardAll",
                    "Forward all calls to",
                    value: value("forwardAll", line?.forwardAll),
                    inputmode: "tel"
                ),
                WebField(
                    "forwardBusy",
                    "Forward when busy to",
                    value: value("forwardBusy", line?.forwardBusy),
                    inputmode: "tel"
                ),
                WebField(
                    "forwardNoAnswer",
                    "Forward when not answered to",
                    value: value("forwardNoAnswer", line?.forwardNoAnswer),
                    inputmode: "tel"
                ),
                WebField(
                    "noAnswerTimeoutSeconds",
                    "Seconds before no-answer forward",
                    value: number(
                        "noAnswerTimeoutSeconds",
                        line?.noAnswerTimeoutSeconds ?? defaults.noAnswerTimeoutSeconds
                    ),
                    inputmode: "numeric"
                ),
                WebField(
                    "maxCalls",
                    "Maximum calls",
                    value: number("maxCalls", line?.maxCalls ?? defaults.maxCalls),
                    hint: "Calls the line may have on one phone at once.",
                    inputmode: "numeric"
                ),
                WebField(
                    "busyTrigger",
                    "Busy trigger",
                    value: number("busyTrigger", line?.busyTrigger ?? defaults.busyTrigger),
                    hint: "A new call finds the line busy once it has this many.",
                    inputmode: "numeric"
                ),
                WebField(
                    "voicemailNumber",
                    "Voicemail number",
                    value: value("voicemailNumber", line?.voicemailNumber),
                    inputmode: "tel"
                ),
                Self.musicSourceField(
                    value("musicSource", line?.musicSource),
                    sources: try await store.musicSources().map(\.name),
                    none: "The phone's",
                    hint: "What parties this line holds hear; the phone's choice (or the built-in source) when none."
                ),
            ],
            version: line == nil ? nil : WebFormView.version(stored: line?.version, form: form, error: page.error)
        )
        if let error = page.error { view.show(error, entity: "line") }
        var facts: [WebFact]?
        var actions: [WebAction]?
        if let line, let path {
            facts = [
                WebFact(
                    "Phones",
                    line.devices.isEmpty
                        ? "None: add the line to a phone on the phone's page." : line.devices.joined(separator: ", ")
                )
            ]
            actions = [
                WebAction(
                    action: path + "/delete",
                    label: "Delete line",
                    confirm: "Delete line \(line.number)? It is taken off every phone.",
                    style: "danger"
                )
            ]
        }
        return try recordPage(
            RecordView(
                listHref: WebPaths.lines,
                listLabel: "Lines",
                crumb: line?.number ?? "Add",
                heading: line.map { "Line \($0.number)" } ?? "Add a line",
                facts: facts,
                form: view,
                actions: actions
            ),
            title: line.map { "Line \($0.number)" } ?? "Add line",
            section: "lines",
            page
        )
    }

    /// A new line from the form, as `POST /api/lines` would read it (empty numbers take the defaults).
    static func line(from form: WebForm) throws -> AdminAPI.Line {
        let defaults = AdminAPI.Line(number: "")
        return AdminAPI.Line(
            number: form.text("number"),
            displayName: form.text("displayName"),
            forwardAll: optional(form, "forwardAll"),
            forwardBusy: optional(form, "forwardBusy"),
            forwardNoAnswer: optional(form, "forwardNoAnswer"),
            noAnswerTimeoutSeconds: try integer(form, "noAnswerTimeoutSeconds", entity: "line")
                ?? defaults.noAnswerTimeoutSeconds,
            maxCalls: try integer(form, "maxCalls", entity: "line") ?? defaults.maxCalls,
            busyTrigger: try integer(form, "busyTrigger", entity: "line") ?? defaults.busyTrigger,
            voicemailNumber: optional(form, "voicemailNumber"),
            musicSource: optional(form, "musicSource")
        )
    }

    /// The edit form as a `PATCH /api/lines/{number}`: an empty forward or voicemail clears it.
    static func linePatch(from form: WebForm) throws -> AdminAPI.LinePatch {
        AdminAPI.LinePatch(
            number: form.text("number"),
            displayName: form.text("displayName"),
            forwardAll: .some(optional(form, "forwardAll")),
            forwardBusy: .some(optional(form, "forwardBusy")),
            forwardNoAnswer: .some(optional(form, "forwardNoAnswer")),
            noAnswerTimeoutSeconds: try integer(form, "noAnswerTimeoutSeconds", entity: "line"),
            maxCalls: try integer(form, "maxCalls", entity: "line"),
            busyTrigger: try integer(form, "busyTrigger", entity: "line"),
            voicemailNumber: .some(optional(form, "voicemailNumber")),
            musicSource: .some(optional(form, "musicSource")),
            version: try version(form, entity: "line")
        )
    }
}
