import Foundation
import HTTPTypes
import Hummingbird
import NIOConcurrencyHelpers
import NIOCore
import Store

/// What `POST /web/import/check` answers: every problem of the file by CSV line and column, or what importing it
/// would change.
struct ImportCheckReport: Codable, Sendable {
    struct Problem: Codable, Hashable, Sendable {
        var line: Int
        var column: String?
        var message: String
    }

    var ok: Bool
    /// Data rows in the file.
    var rows: Int
    var message: String
    var errors: [Problem]
    /// What importing would write, when every row is good.
    var summary: DirectoryBatchSummary?
}

/// One import check at a time: a check holds the database's writer for as long as the import would.
final class ImportCheckGate: Sendable {
    private let running = NIOLockedValueBox(false)

    func enter() -> Bool {
        running.withLockedValue { running in
            guard !running else { return false }
            running = true
            return true
        }
    }

    func leave() {
        running.withLockedValue { $0 = false }
    }
}

extension WebPages {
    struct ImportView: Sendable {
        var maximumRows: String
    }

    /// `/web/import`: the page; `POST /web/import/check`: the row-by-row check (the page's script sends the file,
    /// the import itself goes to the API's `POST /api/import`, mounted at `/web/api/import`); `/web/export.csv`.
    func addImportRoutes(to group: RouterGroup<AdminRequestContext>) {
        let pages = self
        group.get("import") { request, context in
            try pages.page(
                "import",
                title: "Import and export",
                body: ImportView(maximumRows: WebListRequest<DeviceListSort>.grouped(DirectoryCSV.maximumRows)),
                context: context,
                section: "import",
                request: request,
                script: "import"
            )
        }
        group.post("import/check") { request, _ in
            guard pages.routes.importChecks.enter() else {
                throw AdminAPIError.conflict(nil, "another import check is running; try again when it has finished")
            }
            defer { pages.routes.importChecks.leave() }
            let buffer = try await AdminRoutes.body(of: request, limit: AdminRoutes.maximumImportBody)
            guard let text = String(validating: buffer.readableBytesView, as: UTF8.self) else {
                throw AdminAPIError.invalidValue(nil, "the CSV file is not UTF-8 text")
            }
            let report = try await Self.check(text, store: pages.store)
            return try AdminRoutes.json(report)
        }
        group.get("export.csv") { _, _ in
            try await Self.exportResponse(pages.store)
        }
    }

    /// The configuration as a CSV download.
    static func exportResponse(_ store: Store) async throws -> Response {
        let text = DirectoryCSV.export(devices: try await store.deviceDetails(), lines: try await store.lineDetails())
        return Response(
            status: .ok,
            headers: [
                .contentType: "text/csv; charset=utf-8",
                .contentDisposition: "attachment; filename=\"strowger-configuration.csv\"",
                .cacheControl: "no-store",
            ],
            body: .init(byteBuffer: ByteBuffer(string: text))
        )
    }

    /// Problems reported before the check stops.
    static let maximumProblems = 50
    /// Dry runs against the database before the check stops: each holds the database's writer as long as the import
    /// would (seconds for 100,000 rows), so a file with many rows the database refuses is not tried fifty times.
    static let maximumDryRuns = 5

    /// Checks every row of `text` with the import's own parser and the Store's dry run: a bad row is reported and
    /// blanked (its line numbers kept), and the rest checked again, until the file passes, ``maximumProblems`` are
    /// found, or ``maximumDryRuns`` dry runs were made. Each pass reads the whole file, so a file with k bad rows
    /// costs k + 1 parses.
    static func check(_ text: String, store: Store) async throws -> ImportCheckReport {
        var text = text
        var problems: [ImportCheckReport.Problem] = []
        var stopped = false
        var rows = 0
        // Rows blanked after a problem: still rows of the file.
        var blankedRows = 0
        var dryRuns = 0
        while true {
            let parsed: (batch: DirectoryBatch, rows: Int)
            do throws(DirectoryCSV.ParseError) {
                parsed = try DirectoryCSV.parse(text)
            } catch {
                problems.append(.init(line: error.line, column: error.column, message: error.description))
                // A problem with the header or the file as a whole stops the check: no row can be read past it.
                guard error.line > headerLine(of: text), !error.reason.hasPrefix("more than"),
                    problems.count < maximumProblems, let blanked = blank(recordAt: error.line, in: text)
                else {
                    stopped = problems.count >= maximumProblems
                    break
                }
                text = blanked
                blankedRows += 1
                continue
            }
            rows = max(rows, parsed.rows + blankedRows)
            guard dryRuns < maximumDryRuns else {
                stopped = true
                break
            }
            dryRuns += 1
            do {
                let summary = try await store.check(parsed.batch)
                guard problems.isEmpty else { break }
                return ImportCheckReport(
                    ok: true,
                    rows: parsed.rows,
                    message: "All \(parsed.rows) rows are good. Importing would create \(summary.linesCreated) and"
                        + " update \(summary.linesUpdated) lines, create \(summary.devicesCreated) and update"
                        + " \(summary.devicesUpdated) phones, and set \(summary.speedDials) speed dials.",
                    errors: [],
                    summary: summary
                )
            } catch let error as DirectoryBatchError {
                problems.append(
                    .init(
                        line: error.row,
                        column: csvColumn(error.error.field),
                        message: "CSV line \(error.row): \(error.error.message)"
                    )
                )
                guard problems.count < maximumProblems, let blanked = blank(recordAt: error.row, in: text) else {
                    stopped = problems.count >= maximumProblems
                    break
                }
                text = blanked
                blankedRows += 1
            }
        }
        problems.sort { $0.line < $1.line }
        let count = problems.count
        return ImportCheckReport(
            ok: false,
            rows: rows,
            message: (count == 1 ? "1 problem" : "\(count) problems")
                + (stopped ? " (the check stopped there)" : "")
                + ": nothing was imported. Fix the file and check it again.",
            errors: problems,
            summary: nil
        )
    }

    /// The CSV column a Store field comes from, for the report.
    static func csvColumn(_ field: String?) -> String? {
        switch field {
        case "device.name": "DEVICE NAME"
        case "device.model": "MODEL"
        case "device.description": "DESCRIPTION"
        case "device.owner", "device.ownerId": "OWNER USER ID"
        case "device.lines", "line.number", "lineAppearance.lineId": "DIRECTORY NUMBER"
        case "line.displayName": "DISPLAY"
        case "line.forwardAll": "FORWARD ALL DESTINATION"
        case "line.forwardBusy": "FORWARD BUSY DESTINATION"
        case "line.forwardNoAnswer": "FORWARD NO ANSWER DESTINATION"
        case "line.maxCalls": "MAXIMUM NUMBER OF CALLS"
        case "line.busyTrigger": "BUSY TRIGGER"
        case let field?: field.hasPrefix("speedDial.") ? "SPEED DIAL NUMBER" : field
        case nil: nil
        }
    }

    /// The line number of the header: the first line that is not blank.
    static func headerLine(of text: String) -> Int {
        var number = 1
        for line in text.split(separator: "\n", omittingEmptySubsequences: false) {
            if !line.allSatisfy({ $0 == " " || $0 == "\t" || $0 == "\r" || $0 == "," || $0 == "\u{FEFF}" }) {
                return number
            }
            number += 1
        }
        return number
    }

    /// `text` with the record that starts on `line` replaced by empty lines (a quoted field may run over several
    /// lines: the record ends at the first line break outside quotes). nil if there is no such line.
    static func blank(recordAt line: Int, in text: String) -> String? {
        var lines = text.split(separator: "\n", omittingEmptySubsequences: false)
        guard line >= 1, line <= lines.count else { return nil }
        var index = line - 1
        var quotes = 0
        repeat {
            quotes += lines[index].reduce(0) { $1 == "\"" ? $0 + 1 : $0 }
            lines[index] = ""
            index += 1
        } while quotes % 2 == 1 && index < lines.count
        return lines.joined(separator: "\n")
    }
}

extension AdminRoutes {
    /// `GET /api/export`: the configuration as the import's CSV (``DirectoryCSV/export(devices:lines:)``).
    func addExportRoutes(to group: RouterGroup<Context>) {
        let store = self.store
        group.get { _, _ in try await WebPages.exportResponse(store) }
    }
}
