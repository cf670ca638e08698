import Foundation
import Hummingbird
import Store

/// A list page's query string: `q` (search), `sort`, `dir` (`asc`/`desc`), `page` (from 1) and `size`; and the links
/// that change one of them while keeping the others.
struct WebListRequest<Sort: RawRepresentable & CaseIterable & Hashable & Sendable>: Sendable
where Sort.RawValue == String {
    /// The page sizes offered; anything else is the default.
    static var pageSizes: [Int] { [25, 50, 100, 200] }
    static var defaultPageSize: Int { 50 }
    /// The longest search kept: a search box is not a place for a document.
    static var maximumSearchLength: Int { 100 }

    let path: String
    let defaultSort: Sort
    var search: String
    var sort: Sort
    var descending: Bool
    var page: Int
    var pageSize: Int

    init(_ request: Request, path: String, defaultSort: Sort) {
        let query = WebForm(query: request)
        self.path = path
        self.defaultSort = defaultSort
        self.search = String(query.text("q").prefix(Self.maximumSearchLength))
        self.sort = query["sort"].flatMap(Sort.init(rawValue:)) ?? defaultSort
        self.descending = query["dir"] == "desc"
        self.page = max(1, min(query["page"].flatMap { Int($0) } ?? 1, 1_000_000))
        let size = query["size"].flatMap { Int($0) } ?? Self.defaultPageSize
        self.pageSize = Self.pageSizes.contains(size) ? size : Self.defaultPageSize
    }

    /// The Store's query for this page.
    var storeQuery: ListQuery<Sort> {
        ListQuery(search: search, sort: sort, descending: descending, offset: (page - 1) * pageSize, limit: pageSize)
    }

    /// This list with some of its parameters changed; defaults are left out of the URL.
    func href(sort: Sort? = nil, descending: Bool? = nil, page: Int? = nil) -> String {
        var items: [(String, String?)] = []
        if !search.isEmpty { items.append(("q", search)) }
        let sort = sort ?? self.sort
        if sort != defaultSort { items.append(("sort", sort.rawValue)) }
        if descending ?? self.descending { items.append(("dir", "desc")) }
        if pageSize != Self.defaultPageSize { items.append(("size", String(pageSize))) }
        let page = page ?? self.page
        if page > 1 { items.append(("page", String(page))) }
        return path + AdminClient.query(items)
    }

    /// Column headers; a sortable one links to its order (ascending, or descending when it is the order now).
    func columns(_ definitions: [(String, Sort?)]) -> [WebList.Column] {
        definitions.map { label, key in
            guard let key else { return WebList.Column(label: label) }
            let isCurrent = key == sort
            return WebList.Column(
                label: label,
                sortHref: href(sort: key, descending: isCurrent ? !descending : false, page: 1),
                ariaSort: isCurrent ? (descending ? "descending" : "ascending") : nil,
                arrow: isCurrent ? (descending ? "▼" : "▲") : nil
            )
        }
    }

    /// First, previous, next and last page links, or nil when everything fits on one page.
    func pager(total: Int) -> WebList.Pager? {
        let pages = max(1, (total + pageSize - 1) / pageSize)
        guard pages > 1 || page > 1 else { return nil }
        return WebList.Pager(
            first: page > 1 ? href(page: 1) : nil,
            previous: page > 1 ? href(page: min(page - 1, pages)) : nil,
            next: page < pages ? href(page: page + 1) : nil,
            last: page < pages ? href(page: pages) : nil,
            text: "Page \(Self.grouped(page)) of \(Self.grouped(pages))"
        )
    }

    /// "Showing 51–100 of 20,000 phones", "No phones match "x"."
    func summary(total: Int, shown: Int, noun: String) -> String {
        guard shown > 0 else {
            if total > 0 { return "No \(noun) on this page: \(Self.grouped(total)) in all." }
            return search.isEmpty ? "No \(noun) yet." : "No \(noun) match “\(search)”."
        }
        let first = (page - 1) * pageSize + 1
        let matching = search.isEmpty ? "" : " matching “\(search)”"
        return "Showing \(Self.grouped(first))–\(Self.grouped(first + shown - 1)) of \(Self.grouped(total)) \(noun)"
            + matching + "."
    }

    /// 20000 → "20,000".
    static func grouped(_ value: Int) -> String {
        let digits = String(value.magnitude)
        var result = ""
        for (index, digit) in digits.enumerated() {
            if index > 0, (digits.count - index) % 3 == 0 { result.append(",") }
            result.append(digit)
        }
        return (value < 0 ? "-" : "") + result
    }

    /// A list page's table around `rows`.
    func list(
        heading: String,
        noun: String,
        searchHint: String,
        newHref: String?,
        newLabel: String?,
        columns: [(String, Sort?)],
        rows: [WebList.Row],
        total: Int
    ) -> WebList {
        WebList(
            heading: heading,
            path: path,
            search: search,
            searchLabel: "Search \(noun)",
            searchHint: searchHint,
            newHref: newHref,
            newLabel: newLabel,
            summary: summary(total: total, shown: rows.count, noun: noun),
            columns: self.columns(columns),
            rows: rows,
            empty: rows.isEmpty ? summary(total: total, shown: 0, noun: noun) : nil,
            pager: pager(total: total),
            sort: sort == defaultSort ? nil : sort.rawValue,
            direction: descending ? "desc" : nil,
            extraLinks: nil
        )
    }
}
