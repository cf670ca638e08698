import Hummingbird

/// The record pages of one table: what a new table (hunt groups, trunks, …) declares to get its add, view, save and
/// delete pages. Every change goes through the JSON routes' own functions, so the table's closures are thin.
struct WebRecordTable<Record: Sendable>: Sendable {
    /// The list's path (`/web/lines`); a record is at `path/KEY`.
    var path: String
    /// The record named by the path's key; throws the API's 404 if there is none.
    var load: @Sendable (_ key: String) async throws -> Record
    /// Creates a record from the submitted form; returns its key.
    var create: @Sendable (WebForm) async throws -> String
    /// Saves the submitted form over the record with `key`; returns its key (a rename changes it). nil for a table
    /// whose records are added and removed but never changed (meet-me numbers).
    var save: (@Sendable (_ key: String, WebForm) async throws -> String)?
    var delete: @Sendable (_ key: String) async throws -> Void
    /// The record's page, or the new record's form.
    var page: @Sendable (WebRecordPage<Record>) async throws -> Response
}

/// What a record page shows: the stored record (nil for a new one) and, after a failed save, the submitted form and
/// the API's error.
struct WebRecordPage<Record: Sendable>: Sendable {
    var record: Record?
    var context: AdminRequestContext
    var form: WebForm?
    var error: AdminAPIError?
    var request: Request?
}

extension WebPages {
    /// `new` (the empty form), POST (create), `KEY` (the record's page), POST `KEY` (save) and POST `KEY/delete`.
    /// A failed create or save shows the form again with what was typed and the API's error next to its field, with
    /// the API's status; a success redirects (303) to the record's page with a confirmation.
    func addRecordRoutes<Record>(_ table: WebRecordTable<Record>, to group: RouterGroup<AdminRequestContext>) {
        let pages = self
        group.get("new") { request, context in
            try await table.page(WebRecordPage(record: nil, context: context, request: request))
        }
        group.post { request, context in
            let form = try await pages.form(request)
            do {
                let key = try await table.create(form)
                return WebRenderer.redirect(to: WebPaths.done(WebPaths.item(table.path, key), "created"))
            } catch {
                guard let apiError = Self.formError(error) else { throw error }
                return try await table.page(WebRecordPage(record: nil, context: context, form: form, error: apiError))
            }
        }
        group.get(":key") { request, context in
            let record = try await table.load(try AdminRoutes.parameter("key", context))
            return try await table.page(WebRecordPage(record: record, context: context, request: request))
        }
        if let save = table.save {
            addSaveRoute(table, save, to: group)
        }
        group.post(":key/delete") { _, context in
            try await table.delete(try AdminRoutes.parameter("key", context))
            return WebRenderer.redirect(to: WebPaths.done(table.path, "deleted"))
        }
    }

    private func addSaveRoute<Record>(
        _ table: WebRecordTable<Record>,
        _ save: @escaping @Sendable (_ key: String, WebForm) async throws -> String,
        to group: RouterGroup<AdminRequestContext>
    ) {
        let pages = self
        group.post(":key") { request, context in
            let key = try AdminRoutes.parameter("key", context)
            let record = try await table.load(key)
            let form = try await pages.form(request)
            do {
                let saved = try await save(key, form)
                return WebRenderer.redirect(to: WebPaths.done(WebPaths.item(table.path, saved), "saved"))
            } catch {
                guard let apiError = Self.formError(error) else { throw error }
                return try await table.page(
                    WebRecordPage(record: record, context: context, form: form, error: apiError)
                )
            }
        }
    }

    /// A record page in the shared `record` template, answered with the error's status after a failed save.
    func recordPage(
        _ view: RecordView,
        title: String,
        section: String,
        _ page: WebRecordPage<some Sendable>
    ) throws
        -> Response
    {
        try self.page(
            "record",
            title: title,
            body: view,
            context: page.context,
            section: section,
            request: page.request,
            status: page.error?.status ?? .ok
        )
    }
}
