import Foundation
import Hummingbird
import NIOCore

/// A submitted HTML form (`application/x-www-form-urlencoded`), as the browser encodes it: `name=value` pairs joined
/// by `&`, `+` for a space, `%XX` escapes (the WHATWG URL standard's `application/x-www-form-urlencoded` parser).
struct WebForm: Sendable {
    /// More fields than any form of these pages has many times over; a body with more is refused.
    static let maximumFields = 1000

    private var values: [String: [String]] = [:]

    /// A form with no fields.
    init() {}

    /// nil for a body that is not UTF-8 or has more than ``maximumFields`` fields.
    init?(_ buffer: ByteBuffer) {
        guard let text = String(validating: buffer.readableBytesView, as: UTF8.self) else { return nil }
        self.init(text)
    }

    init?(_ text: String) {
        var count = 0
        for pair in text.split(separator: "&", omittingEmptySubsequences: true) {
            count += 1
            guard count <= Self.maximumFields else { return nil }
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            let name = Self.decode(parts[0])
            let value = parts.count > 1 ? Self.decode(parts[1]) : ""
            values[name, default: []].append(value)
        }
    }

    /// A page's query string, read the way a browser writes a GET form (`+` is a space, `%2B` a plus), which
    /// Hummingbird's `queryParameters` does not do.
    init(query request: Request) {
        self = WebForm(request.uri.query ?? "") ?? WebForm()
    }

    /// The first value of `name`, or nil if the form has none.
    subscript(name: String) -> String? {
        values[name]?.first
    }

    /// The first value of `name` without spaces at either end; "" if absent.
    func text(_ name: String) -> String {
        (values[name]?.first ?? "").trimmingCharacters(in: .whitespaces)
    }

    /// Every value of `name` (checkboxes of one group).
    func all(_ name: String) -> [String] {
        values[name] ?? []
    }

    /// Whether a checkbox named `name` was ticked.
    func isChecked(_ name: String) -> Bool {
        values[name] != nil
    }

    private static func decode(_ part: Substring) -> String {
        let spaced = part.replacingOccurrences(of: "+", with: " ")
        return spaced.removingPercentEncoding ?? spaced
    }
}
