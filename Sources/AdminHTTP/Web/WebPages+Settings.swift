import Hummingbird
import Store

extension WebPages {
    /// `/web/settings`: the server-wide settings, as `PATCH /api/settings` changes them.
    func addSettingsRoutes(to group: RouterGroup<AdminRequestContext>) {
        let pages = self
        group.get { request, context in
            try pages.settingsPage(
                AdminRoutes.settings(try await pages.store.settings()),
                context: context,
                form: nil,
                error: nil,
                request: request
            )
        }
        group.post { request, context in
            let form = try await pages.form(request)
            do {
                _ = try await AdminRoutes.updateSettings(try Self.settings(from: form), pages.store)
                return WebRenderer.redirect(to: WebPaths.done(WebPaths.settings, "saved"))
            } catch {
                guard let apiError = Self.formError(error) else { throw error }
                return try pages.settingsPage(
                    AdminRoutes.settings(try await pages.store.settings()),
                    context: context,
                    form: form,
                    error: apiError
                )
            }
        }
    }

    /// The settings the form edits: (field, label, hint). Booleans and lists are handled apart.
    static var settingNumbers: [(String, String, String?, KeyPath<AdminAPI.Settings, Int?>)] {
        [
            ("autoRegistrationFirstNumber", "Auto-registration: first number", nil, \.autoRegistrationFirstNumber),
            ("autoRegistrationLastNumber", "Auto-registration: last number", nil, \.autoRegistrationLastNumber),
            ("autoRegistrationMaxCalls", "Auto-registration: maximum calls per line", nil, \.autoRegistrationMaxCalls),
            ("autoRegistrationBusyTrigger", "Auto-registration: busy trigger", nil, \.autoRegistrationBusyTrigger),
            ("keepAliveSeconds", "Keepalive (seconds)", "10 to 600; read when the server starts.", \.keepAliveSeconds),
            (
                "offHookTimeoutMilliseconds", "Off-hook timeout (ms)", "Dial tone without a digit ends after this.",
                \.offHookTimeoutMilliseconds
            ),
            ("interdigitTimeoutMilliseconds", "Interdigit timeout (ms)", nil, \.interdigitTimeoutMilliseconds),
            ("failedCallTimeoutMilliseconds", "Failed-call timeout (ms)", nil, \.failedCallTimeoutMilliseconds),
            ("packetMilliseconds", "RTP packet size (ms)", nil, \.packetMilliseconds),
        ]
    }

    static var settingTexts: [(String, String, String?, KeyPath<AdminAPI.Settings, String?>)] {
        [
            (
                "dateTemplate", "Date template", "e.g. D.M.Y, M/D/YA (12-hour clock), YY/M/D (4-digit year).",
                \.dateTemplate
            ),
            ("timeZone", "Time zone (phone firmware name)", "e.g. W. Europe Standard/Daylight Time.", \.timeZone),
            ("olsonTimeZone", "Time zone (IANA)", "e.g. Europe/Berlin; empty for none.", \.olsonTimeZone),
            ("userLocale", "User locale", "e.g. English_United_States; empty for none.", \.userLocale),
            ("networkLocale", "Network locale", "e.g. United_States; empty for none.", \.networkLocale),
        ]
    }

    func settingsPage(
        _ settings: AdminAPI.Settings,
        context: AdminRequestContext,
        form: WebForm?,
        error: AdminAPIError?,
        request: Request? = nil
    ) throws -> Response {
        var fields: [WebField] = [
            .checkbox(
                "autoRegistrationEnabled",
                "Auto-registration",
                checked: form?.isChecked("autoRegistrationEnabled") ?? settings.autoRegistrationEnabled ?? false,
                hint: "An unknown SEP<MAC> phone gets the next free number of the range below."
            )
        ]
        for (name, label, hint, path) in Self.settingNumbers {
            fields.append(
                WebField(
                    name,
                    label,
                    value: form.map { $0.text(name) } ?? settings[keyPath: path].map(String.init) ?? "",
                    hint: hint,
                    inputmode: "numeric"
                )
            )
        }
        for (name, label, hint, path) in Self.settingTexts {
            fields.append(
                WebField(name, label, value: form.map { $0.text(name) } ?? settings[keyPath: path] ?? "", hint: hint)
            )
        }
        fields.append(
            WebField(
                "ntpServers",
                "NTP servers",
                value: form.map { $0.text("ntpServers") } ?? (settings.ntpServers ?? []).joined(separator: ", "),
                hint: "Up to 4 host names or addresses, separated by commas.",
                apiFields: ["ntpServers"]
            )
        )
        let callFeatures: [WebField] = [
            WebField(
                "parkSlots",
                "Call park slots",
                value: form.map { $0.text("parkSlots") } ?? settings.parkSlots ?? "",
                hint: "FIRST-LAST like 7000-7019, or one number; empty turns call park off. No slot may be a line,"
                    + " a hunt pilot or a pickup group.",
                inputmode: "tel"
            ),
            WebField(
                "parkReversionSeconds",
                "Park reversion (seconds)",
                value: form.map { $0.text("parkReversionSeconds") } ?? settings.parkReversionSeconds.map(String.init)
                    ?? "",
                hint: "1 to 3600: a parked call nobody retrieves rings the phone that parked it again.",
                inputmode: "numeric"
            ),
            .checkbox(
                "transferOnHook",
                "Hanging up completes a transfer",
                checked: form?.isChecked("transferOnHook") ?? settings.transferOnHook ?? false,
                hint: "During a transfer's consultation call, going on hook transfers the call (CUCM's \"Transfer On"
                    + " Hook Enabled\")."
            ),
            .select(
                "doNotDisturbMode",
                "Do not disturb",
                [
                    ("ringer-off", "Ringer off: the call is offered silently"),
                    ("reject", "Reject: the caller hears busy"),
                ],
                selected: form.map { $0.text("doNotDisturbMode") } ?? settings.doNotDisturbMode ?? "ringer-off"
            ),
        ]
        fields += callFeatures
        var view = WebFormView(action: WebPaths.settings, submitLabel: "Save settings", fields: fields)
        if let error { view.show(error, entity: "settings") }
        return try page(
            "record",
            title: "Settings",
            body: RecordView(
                listHref: WebPaths.dashboard,
                listLabel: "Dashboard",
                crumb: "Settings",
                heading: "Settings",
                intro: "Server-wide settings. Call control applies them at once; the date, time and locales reach"
                    + " each phone with the next configuration file it fetches. Hunt and pickup groups and meet-me"
                    + " numbers have pages of their own.",
                form: view
            ),
            context: context,
            section: "settings",
            request: request,
            status: error?.status ?? .ok
        )
    }

    /// Every field of the form as a `PATCH /api/settings` (empty numbers are left as they are).
    static func settings(from form: WebForm) throws -> AdminAPI.Settings {
        var settings = AdminAPI.Settings()
        settings.autoRegistrationEnabled = form.isChecked("autoRegistrationEnabled")
        settings.autoRegistrationFirstNumber = try integer(form, "autoRegistrationFirstNumber", entity: "settings")
        settings.autoRegistrationLastNumber = try integer(form, "autoRegistrationLastNumber", entity: "settings")
        settings.autoRegistrationMaxCalls = try integer(form, "autoRegistrationMaxCalls", entity: "settings")
        settings.autoRegistrationBusyTrigger = try integer(form, "autoRegistrationBusyTrigger", entity: "settings")
        settings.keepAliveSeconds = try integer(form, "keepAliveSeconds", entity: "settings")
        settings.offHookTimeoutMilliseconds = try integer(form, "offHookTimeoutMilliseconds", entity: "settings")
        settings.interdigitTimeoutMilliseconds = try integer(form, "interdigitTimeoutMilliseconds", entity: "settings")
        settings.failedCallTimeoutMilliseconds = try integer(form, "failedCallTimeoutMilliseconds", entity: "settings")
        settings.packetMilliseconds = try integer(form, "packetMilliseconds", entity: "settings")
        // A text field the form does not carry is left as it is (an empty one clears it).
        func text(_ name: String) -> String? { form[name] == nil ? nil : form.text(name) }
        settings.dateTemplate = text("dateTemplate")
        settings.timeZone = text("timeZone")
        settings.olsonTimeZone = text("olsonTimeZone")
        settings.userLocale = text("userLocale")
        settings.networkLocale = text("networkLocale")
        settings.ntpServers = form["ntpServers"] == nil ? nil : list(form, "ntpServers")
        settings.parkSlots = text("parkSlots")
        settings.parkReversionSeconds = try integer(form, "parkReversionSeconds", entity: "settings")
        settings.transferOnHook = form.isChecked("transferOnHook")
        settings.doNotDisturbMode = text("doNotDisturbMode").flatMap { $0.isEmpty ? nil : $0 }
        return settings
    }
}
