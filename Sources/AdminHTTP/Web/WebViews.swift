import Foundation

// The values the templates (WebTemplates.swift) render. Mustache reads stored properties by name, so these are
// plain structs: a nil optional or `false` hides a section, an array repeats it.

/// Everything around a page's content: title, navigation, the signed-in account, assets.
struct WebChrome: Sendable {
    var title: String
    /// The page's name for the script (`dashboard`, `presence`, `import`); nil for none.
    var page: String?
    var stylesheet: String
    var script: String
    /// nil on the sign-in page and on error pages shown without a session.
    var session: SessionView?
    /// A one-line confirmation after a redirect ("Phone SEP… saved.").
    var flash: String?

    struct SessionView: Sendable {
        var account: String
        var navigation: [NavigationItem]
    }

    struct NavigationItem: Sendable {
        var href: String
        var label: String
        var current: Bool
    }
}

/// The root object of every page: the chrome, the page's own values, and the CSRF token every form repeats.
struct PageContext<Body: Sendable>: Sendable {
    var chrome: WebChrome
    var body: Body
    /// The session's CSRF token; found by `{{csrf}}` from inside any section.
    var csrf: String?
}

/// One input with its label, hint and error (the `field` partial). Its `id` is `f-` + the name; the hint and the
/// error are tied to the input with `aria-describedby`.
struct WebField: Sendable {
    enum Kind: Sendable {
        case input(type: String)
        case checkbox
        case select([Option])
        case textarea
    }

    struct Option: Sendable {
        var value: String
        var label: String
        var selected: Bool
    }

    var name: String
    var label: String
    var value: String
    var hint: String?
    /// The API's message for this field, after a failed save.
    var error: String?
    var required: Bool
    var checked: Bool
    /// `inputmode` (numeric keypads on phones), `autocomplete`.
    var inputmode: String?
    var autocomplete: String?
    /// The API field names whose errors belong here: `lines` takes `lines` and `lines[2]`.
    var apiFields: [String]

    // Flags and derived values the template reads.
    var isInput: Bool
    var isCheckbox: Bool
    var isSelect: Bool
    var isTextarea: Bool
    var type: String
    var options: [Option]
    var fieldID: String
    var hintID: String?
    var errorID: String?
    var describedBy: String?

    init(
        _ name: String,
        _ label: String,
        value: String = "",
        kind: Kind = .input(type: "text"),
        hint: String? = nil,
        required: Bool = false,
        checked: Bool = false,
        inputmode: String? = nil,
        autocomplete: String? = "off",
        apiFields: [String]? = nil
    ) {
        self.name = name
        self.label = label
        self.value = value
        self.hint = hint
        self.error = nil
        self.required = required
        self.checked = checked
        self.inputmode = inputmode
        self.autocomplete = autocomplete
        self.apiFields = apiFields ?? [name]
        self.isInput = false
        self.isCheckbox = false
        self.isSelect = false
        self.isTextarea = false
        self.type = "text"
        self.options = []
        switch kind {
        case .input(let type):
            self.isInput = true
            self.type = type
        case .checkbox:
            self.isCheckbox = true
        case .select(let options):
            self.isSelect = true
            self.options = options
        case .textarea:
            self.isTextarea = true
        }
        self.fieldID = "f-" + name
        self.updateDescription()
    }

    /// A ticked or unticked checkbox.
    static func checkbox(_ name: String, _ label: String, checked: Bool, hint: String? = nil) -> WebField {
        WebField(name, label, value: "true", kind: .checkbox, hint: hint, checked: checked, autocomplete: nil)
    }

    /// A drop-down of `choices` (value, label) with `selected` chosen.
    static func select(
        _ name: String,
        _ label: String,
        _ choices: [(String, String)],
        selected: String,
        hint: String? = nil
    ) -> WebField {
        WebField(
            name,
            label,
            kind: .select(choices.map { Option(value: $0.0, label: $0.1, selected: $0.0 == selected) }),
            hint: hint,
            autocomplete: nil
        )
    }

    /// A whole number.
    static func number(_ name: String, _ label: String, value: Int?, hint: String? = nil) -> WebField {
        WebField(name, label, value: value.map(String.init) ?? "", hint: hint, inputmode: "numeric")
    }

    mutating func setError(_ message: String) {
        self.error = message
        self.updateDescription()
    }

    private mutating func updateDescription() {
        hintID = hint == nil ? nil : fieldID + "-hint"
        errorID = error == nil ? nil : fieldID + "-error"
        let ids = [hintID, errorID].compactMap { $0 }
        describedBy = ids.isEmpty ? nil : ids.joined(separator: " ")
    }
}

/// A form of fields with a submit button (the `form` partial), and the errors of its last submission.
struct WebFormView: Sendable {
    var action: String
    var submitLabel: String
    var fields: [WebField]
    /// An error that is not about one field, or the summary of the field errors.
    var formError: String?
    /// The version of the record the form edits, sent back in a hidden field so that a save made after someone else
    /// changed the record is refused (409) instead of undoing their change; nil for a new record.
    var version: String?

    init(action: String, submitLabel: String, fields: [WebField], version: String? = nil) {
        self.action = action
        self.submitLabel = submitLabel
        self.fields = fields
        self.formError = nil
        self.version = version
    }

    /// The version an edit form carries: after a save refused because the record changed meanwhile, the stored one
    /// (the form keeps what was typed, and saving again replaces the other change knowingly); after another refused
    /// save, the one the form was read at, so that a change made since is still caught; else the stored one.
    static func version(stored: Int64?, form: WebForm?, error: AdminAPIError?) -> String? {
        let submitted = form.map { $0.text("version") } ?? ""
        if submitted.isEmpty || error?.field?.hasSuffix(".version") == true { return stored.map(String.init) }
        return submitted
    }

    /// Puts the API's error next to the field it names (`device.lines` → the field whose API name is `lines`), or at
    /// the top of the form when it names none of them.
    mutating func show(_ error: AdminAPIError, entity: String) {
        let key = Self.key(of: error.field, entity: entity)
        // The field named exactly wins over one that names a part of it (`members[0].sccpPort` over `members[0]`).
        let exact = key.flatMap { key in fields.firstIndex { $0.apiFields.contains(key) } }
        let partial = key.flatMap { key in fields.firstIndex { $0.apiFields.contains { Self.matches(key, $0) } } }
        if let index = exact ?? partial {
            fields[index].setError(error.message)
            formError = "The form was not saved: see the field marked below."
        } else if key == "version" {
            formError =
                error.message + ". What you typed is kept below: save again to replace their change with it, or open "
                + "the page again to see their change."
        } else {
            formError = error.message
        }
    }

    /// `device.speedDials[0].number` → `speedDials[0].number`; a field of another entity is kept whole.
    static func key(of field: String?, entity: String) -> String? {
        guard let field else { return nil }
        let prefix = entity + "."
        return field.hasPrefix(prefix) ? String(field.dropFirst(prefix.count)) : field
    }

    /// Whether the error key names the field `name` or a part of it (`lines[1]`, `members[0].host`).
    static func matches(_ key: String, _ name: String) -> Bool {
        key == name || key.hasPrefix(name + ".") || key.hasPrefix(name + "[")
    }
}

/// A term and its value (a phone's registration, a line's devices).
struct WebFact: Sendable {
    var term: String
    var text: String
    var href: String?
    /// A CSS class for the value (`ok`, `warn`).
    var style: String?

    init(_ term: String, _ text: String, href: String? = nil, style: String? = nil) {
        self.term = term
        self.text = text
        self.href = href
        self.style = style
    }
}

/// A button that posts to `action` with the CSRF token (delete, reset), with an optional confirmation question.
struct WebAction: Sendable {
    var action: String
    var label: String
    var confirm: String?
    /// `danger` for destructive ones.
    var style: String?
}

/// A sortable, searchable, paged table (the `list` template).
struct WebList: Sendable {
    var heading: String
    var path: String
    var search: String
    var searchLabel: String
    var searchHint: String
    var newHref: String?
    var newLabel: String?
    /// "Showing 1–50 of 20,000 phones".
    var summary: String
    var columns: [Column]
    var rows: [Row]
    var empty: String?
    var pager: Pager?
    /// The current order, kept by the search form (nil: the default).
    var sort: String?
    var direction: String?
    var extraLinks: [WebFact]?

    struct Column: Sendable {
        var label: String
        var sortHref: String?
        /// `ascending` or `descending` on the sorted column (`aria-sort`).
        var ariaSort: String?
        var arrow: String?
    }

    struct Row: Sendable {
        var cells: [Cell]
    }

    struct Cell: Sendable {
        var text: String
        var href: String?
        var style: String?

        init(_ text: String, href: String? = nil, style: String? = nil) {
            self.text = text
            self.href = href
            self.style = style
        }
    }

    struct Pager: Sendable {
        var first: String?
        var previous: String?
        var next: String?
        var last: String?
        var text: String
    }
}

/// What the `facts` partial reads.
struct FactList: Sendable {
    var facts: [WebFact]
}

/// What the `actions` partial reads.
struct ActionList: Sendable {
    var actions: [WebAction]
}

struct SpeedDialRow: Sendable {
    var index: Int
    var number: String
    var label: String
    var blf: String
    var deleteAction: String
}

/// A record page (the `record` template): a new record's form, or a simple record with facts and actions.
struct RecordView: Sendable {
    var listHref: String
    var listLabel: String
    var crumb: String
    var heading: String
    var intro: String?
    var details: FactList?
    var form: WebFormView?
    var buttons: ActionList?

    init(
        listHref: String,
        listLabel: String,
        crumb: String,
        heading: String,
        intro: String? = nil,
        facts: [WebFact]? = nil,
        form: WebFormView? = nil,
        actions: [WebAction]? = nil
    ) {
        self.listHref = listHref
        self.listLabel = listLabel
        self.crumb = crumb
        self.heading = heading
        self.intro = intro
        self.details = facts.map(FactList.init(facts:))
        self.form = form
        self.buttons = actions.map(ActionList.init(actions:))
    }
}
