import Foundation
import HTTPTypes
import Hummingbird
import NIOCore
import Store

extension WebPages {
    struct CallRecordsView: Sendable {
        var form: WebFormView
        var downloadHref: String
        var chart: CallChart?
        var chartSummary: String
        var summary: String
        var hasRecords: Bool
        var records: [CallRow]
        var pager: WebList.Pager?
    }

    struct CallRow: Sendable {
        var setup: String
        var calling: String
        var dialed: String
        var called: String
        var answered: String
        var duration: String
        var cause: String
        var releasedBy: String
    }

    struct CallChart: Sendable {
        var width: Int
        var height: Int
        var bars: [DashboardSnapshot.Bar]
        var legend: [LegendItem]
    }

    struct LegendItem: Sendable {
        var style: String
        var label: String
    }

    /// The call-record search as the page's query string reads it: `number`, `device`, `cause`, `from`, `to` (UTC),
    /// `page`.
    struct CallRecordQuery: Sendable {
        var filter = CallRecordFilter()
        var page = 1
        var error: AdminAPIError?
        var values: [String: String] = [:]

        static let pageSize = 50

        init(_ request: Request) {
            let query = WebForm(query: request)
            for name in ["number", "device", "cause", "from", "to"] {
                values[name] = query.text(name)
            }
            page = max(1, min(query["page"].flatMap { Int($0) } ?? 1, 100_000))
            filter.number = values["number"].flatMap { $0.isEmpty ? nil : $0 }
            filter.device = values["device"].flatMap { $0.isEmpty ? nil : $0.uppercased() }
            if let cause = values["cause"], !cause.isEmpty {
                if let value = CallDetailRecord.EndCause(rawValue: cause) {
                    filter.cause = value
                } else {
                    error = AdminAPIError.invalidValue(
                        "cause",
                        "cause must be one of the listed causes, not \"\(cause)\""
                    )
                }
            }
            for name in ["from", "to"] {
                guard let text = values[name], !text.isEmpty else { continue }
                guard let date = Self.date(text) else {
                    error = AdminAPIError.invalidValue(
                        name,
                        "\(name) must be a date and time such as 2026-01-31T09:00 (UTC), not \"\(text)\""
                    )
                    continue
                }
                if name == "from" { filter.from = date } else { filter.to = date }
            }
        }

        /// `2026-01-31T09:00` (a `datetime-local` field, read as UTC), or any date the API accepts.
        static func date(_ text: String) -> Date? {
            if let date = AdminAPI.parseDate(text) { return date }
            let seconds = text.count == 16 ? text + ":00Z" : text + "Z"
            return AdminAPI.parseDate(seconds)
        }

        func href(_ path: String, page: Int? = nil) -> String {
            var items: [(String, String?)] = ["number", "device", "cause", "from", "to"].map { name in
                (name, values[name].flatMap { $0.isEmpty ? nil : $0 })
            }
            if let page, page > 1 { items.append(("page", String(page))) }
            return path + AdminClient.query(items)
        }
    }

    /// `/web/calls`: search call records, a chart of calls per hour by end cause, the table newest first, and
    /// `/web/calls.csv`: the same records as a download.
    func addCallRecordRoutes(to group: RouterGroup<AdminRequestContext>) {
        let pages = self
        group.get("calls") { request, context in
            let query = CallRecordQuery(request)
            var records: [CallDetailRecord] = []
            var hasMore = false
            var chart: CallChart?
            var chartSummary = ""
            if query.error == nil {
                (records, hasMore) = try await pages.store.callDetailRecordPage(
                    query.filter,
                    offset: (query.page - 1) * CallRecordQuery.pageSize,
                    limit: CallRecordQuery.pageSize
                )
                (chart, chartSummary) = try await pages.callChart(query.filter)
            }
            let first = (query.page - 1) * CallRecordQuery.pageSize + 1
            let summary =
                records.isEmpty
                ? "No call records match."
                : "Records \(first)–\(first + records.count - 1)\(hasMore ? "; more follow" : ""), newest first."
            var form = WebFormView(
                action: WebPaths.callRecords,
                submitLabel: "Search",
                fields: [
                    WebField(
                        "number",
                        "Number",
                        value: query.values["number"] ?? "",
                        hint: "Calling or called.",
                        inputmode: "tel"
                    ),
                    WebField("device", "Phone", value: query.values["device"] ?? "", hint: "Calling or called, SEP…"),
                    .select(
                        "cause",
                        "Ended by",
                        [("", "Any cause")] + CallDetailRecord.EndCause.allCases.map { ($0.rawValue, Self.cause($0)) },
                        selected: query.values["cause"] ?? ""
                    ),
                    WebField(
                        "from",
                        "From (UTC)",
                        value: query.values["from"] ?? "",
                        kind: .input(type: "datetime-local"),
                        hint: "Set up at or after."
                    ),
                    WebField(
                        "to",
                        "To (UTC)",
                        value: query.values["to"] ?? "",
                        kind: .input(type: "datetime-local"),
                        hint: "Set up before."
                    ),
                ]
            )
            if let error = query.error { form.show(error, entity: "") }
            let pager: WebList.Pager? =
                query.page > 1 || hasMore
                ? WebList.Pager(
                    first: query.page > 1 ? query.href(WebPaths.callRecords) : nil,
                    previous: query.page > 1 ? query.href(WebPaths.callRecords, page: query.page - 1) : nil,
                    next: hasMore ? query.href(WebPaths.callRecords, page: query.page + 1) : nil,
                    last: nil,
                    text: "Page \(query.page)"
                ) : nil
            let view = CallRecordsView(
                form: form,
                downloadHref: query.href(WebPaths.callRecords + ".csv"),
                chart: chart,
                chartSummary: chartSummary,
                summary: query.error == nil ? summary : "Fix the search to see records.",
                hasRecords: !records.isEmpty,
                records: records.map(Self.callRow),
                pager: pager
            )
            return try pages.page(
                "calls",
                title: "Call records",
                body: view,
                context: context,
                section: "calls",
                request: request,
                status: query.error?.status ?? .ok
            )
        }
        group.get("calls.csv") { request, _ in
            let query = CallRecordQuery(request)
            if let error = query.error { throw error }
            let store = pages.store
            return Response(
                status: .ok,
                headers: [
                    .contentType: "text/csv; charset=utf-8",
                    .contentDisposition: "attachment; filename=\"strowger-call-records.csv\"",
                    .cacheControl: "no-store",
                ],
                body: ResponseBody { writer in
                    try await writer.write(ByteBuffer(string: DirectoryCSV.row(Self.csvHeader)))
                    var cursor: (setupTime: Date, id: Int64)?
                    var written = 0
                    // Keyset pages of 1,000, so that a long download costs the same per row at the end as at the
                    // start, up to the API's own ceiling of 1,000,000 rows.
                    while written < Self.maximumDownloadRows {
                        let batch = try await store.callDetailRecords(query.filter, after: cursor, limit: 1000)
                        guard let last = batch.last, let id = last.id else { break }
                        var buffer = ByteBuffer()
                        for record in batch { buffer.writeString(DirectoryCSV.row(Self.csvCells(record))) }
                        try await writer.write(buffer)
                        written += batch.count
                        cursor = (last.setupTime, id)
                        if batch.count < 1000 { break }
                    }
                    try await writer.finish(nil)
                }
            )
        }
    }

    /// The most rows one download holds.
    static let maximumDownloadRows = 1_000_000

    static let csvHeader = [
        "id", "setupTime", "answerTime", "endTime", "durationSeconds", "callingDevice", "callingNumber", "dialedNumber",
        "calledNumber", "calledDevice", "endCause", "releasedBy", "codec",
    ]

    /// A record as the API's JSON has it, one field per column.
    static func csvCells(_ record: CallDetailRecord) -> [String] {
        let api = AdminRoutes.callRecord(record)
        return [
            String(api.id), AdminAPI.formatDate(api.setupTime), api.answerTime.map(AdminAPI.formatDate) ?? "",
            AdminAPI.formatDate(api.endTime), String(format: "%.3f", api.durationSeconds), api.callingDevice,
            api.callingNumber, api.dialedNumber, api.calledNumber ?? "", api.calledDevice ?? "", api.endCause,
            api.releasedBy, api.codec ?? "",
        ]
    }

    static func callRow(_ record: CallDetailRecord) -> CallRow {
        let api = AdminRoutes.callRecord(record)
        return CallRow(
            setup: AdminAPI.formatDate(api.setupTime).replacingOccurrences(of: "T", with: " "),
            calling: "\(api.callingNumber) (\(api.callingDevice))",
            dialed: api.dialedNumber,
            called: api.calledNumber.map { number in api.calledDevice.map { "\(number) (\($0))" } ?? number } ?? "",
            answered: record.answerTime == nil ? "No" : "Yes",
            duration: String(format: "%.0f s", api.durationSeconds),
            cause: cause(record.endCause),
            releasedBy: api.releasedBy
        )
    }

    static func cause(_ cause: CallDetailRecord.EndCause) -> String {
        switch cause {
        case .normalClearing: "Normal clearing"
        case .abandoned: "Abandoned"
        case .busy: "Busy"
        case .invalidNumber: "Invalid number"
        case .unavailable: "Unavailable"
        case .blocked: "Blocked"
        case .deviceLost: "Phone lost"
        case .redirected: "Transferred, parked or picked up"
        }
    }

    /// Calls per hour by end cause, stacked; over the search's time range, or the last 24 hours without one (at most
    /// 7 days of hours are drawn).
    func callChart(_ filter: CallRecordFilter) async throws -> (CallChart?, String) {
        let now = Date()
        var range = filter
        let hour: TimeInterval = 3600
        let end = (filter.to ?? now).timeIntervalSince1970
        let start = max(filter.from?.timeIntervalSince1970 ?? (end - 24 * hour), end - 7 * 24 * hour)
        range.from = Date(timeIntervalSince1970: (start / hour).rounded(.down) * hour)
        range.to = Date(timeIntervalSince1970: end)
        let buckets = try await store.callDetailRecordBuckets(range, bucket: .seconds(3600))
        let firstHour = Int((start / hour).rounded(.down))
        let hours = max(1, Int((end / hour).rounded(.up)) - firstHour)
        var stacks = [[CallRecordBucket]](repeating: [], count: hours)
        for bucket in buckets {
            let index = Int(bucket.start.timeIntervalSince1970 / hour) - firstHour
            if stacks.indices.contains(index) { stacks[index].append(bucket) }
        }
        let total = buckets.reduce(0) { $0 + $1.count }
        guard total > 0 else { return (nil, "No calls in the chart's range (\(hours) hours).") }
        let peak = stacks.map { $0.reduce(0) { $0 + $1.count } }.max() ?? 1
        let width = 720
        let height = 160
        let slot = max(2, width / hours)
        var bars: [DashboardSnapshot.Bar] = []
        for (index, stack) in stacks.enumerated() {
            var top = height
            for bucket in stack.sorted(by: { $0.cause.rawValue < $1.cause.rawValue }) {
                let barHeight = max(1, bucket.count * (height - 4) / max(1, peak))
                top -= barHeight
                bars.append(
                    DashboardSnapshot.Bar(
                        x: index * slot,
                        y: top,
                        width: max(1, slot - 1),
                        height: barHeight,
                        label: "\(AdminAPI.formatDate(bucket.start).prefix(13)):00 UTC, \(Self.cause(bucket.cause)):"
                            + " \(bucket.count)",
                        style: bucket.cause.rawValue
                    )
                )
            }
        }
        let causes = Set(buckets.map(\.cause))
        let legend = CallDetailRecord.EndCause.allCases.filter(causes.contains).map {
            LegendItem(style: $0.rawValue, label: Self.cause($0))
        }
        let byCause = CallDetailRecord.EndCause.allCases.compactMap { cause -> String? in
            let count = buckets.filter { $0.cause == cause }.reduce(0) { $0 + $1.count }
            return count == 0 ? nil : "\(Self.cause(cause).lowercased()) \(count)"
        }
        return (
            CallChart(width: hours * slot, height: height, bars: bars, legend: legend),
            "\(total) call\(total == 1 ? "" : "s") over \(hours) hours, at most \(peak) in one hour: "
                + byCause.joined(separator: ", ") + "."
        )
    }
}
