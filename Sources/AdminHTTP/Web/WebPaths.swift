/// Where the web pages live. Every page is under `/web`, so that it can never shadow an API route (the presence
/// API answers at `/presence` too); `/` redirects to the dashboard.
///
/// A new table's pages add one ``navigation`` entry here and one route file like
/// `WebPages+Lines.swift`.
enum WebPaths {
    static let root = "/web"
    static let dashboard = "/web/"
    static let signInPath = "/web/signin"
    static let signOutPath = "/web/signout"
    static let phones = "/web/phones"
    static let lines = "/web/lines"
    static let users = "/web/users"
    static let routePatterns = "/web/routes"
    static let huntGroups = "/web/hunt-groups"
    static let pickupGroups = "/web/pickup-groups"
    static let trunks = "/web/trunks"
    static let softkeyTemplates = "/web/softkeys"
    static let musicSources = "/web/music"
    static let meetMe = "/web/meetme"
    static let callManagerGroups = "/web/cmgroups"
    static let settings = "/web/settings"
    static let importPage = "/web/import"
    static let export = "/web/export.csv"
    static let callRecords = "/web/calls"
    static let presence = "/web/presence"

    /// One entry of the navigation bar: where, what it says, and the section name pages use to mark it current.
    struct NavigationEntry: Sendable {
        var href: String
        var label: String
        var section: String
    }

    /// The navigation bar, in order.
    static let navigation: [NavigationEntry] = [
        NavigationEntry(href: dashboard, label: "Dashboard", section: "dashboard"),
        NavigationEntry(href: phones, label: "Phones", section: "phones"),
        NavigationEntry(href: lines, label: "Lines", section: "lines"),
        NavigationEntry(href: users, label: "Users", section: "users"),
        NavigationEntry(href: huntGroups, label: "Hunt groups", section: "hunt"),
        NavigationEntry(href: pickupGroups, label: "Pickup groups", section: "pickup"),
        NavigationEntry(href: routePatterns, label: "Route patterns", section: "routes"),
        NavigationEntry(href: trunks, label: "SIP trunks", section: "trunks"),
        NavigationEntry(href: callManagerGroups, label: "CallManager groups", section: "cmgroups"),
        NavigationEntry(href: softkeyTemplates, label: "Softkeys", section: "softkeys"),
        NavigationEntry(href: musicSources, label: "Music on hold", section: "music"),
        NavigationEntry(href: meetMe, label: "Meet-me", section: "meetme"),
        NavigationEntry(href: settings, label: "Settings", section: "settings"),
        NavigationEntry(href: importPage, label: "Import / export", section: "import"),
        NavigationEntry(href: callRecords, label: "Call records", section: "calls"),
        NavigationEntry(href: presence, label: "Presence", section: "presence"),
    ]

    /// `base/segment`, the segment percent-encoded (a user name may hold `/` or `?`).
    static func item(_ base: String, _ segment: String) -> String {
        base + "/" + AdminClient.segment(segment)
    }

    /// The sign-in page, coming back to `next` afterwards when it is one of these pages.
    static func signIn(next: String?) -> String {
        guard let next = safeNext(next), next != dashboard else { return signInPath }
        return signInPath + AdminClient.query([("next", next)])
    }

    /// `next` if it is a path of these pages (not another site, not `//host`), else nil: the sign-in page never
    /// redirects away from the server.
    static func safeNext(_ next: String?) -> String? {
        guard let next, next.hasPrefix(root + "/") || next == root, !next.hasPrefix("//"), !next.contains("\\"),
            next.utf8.count <= 512
        else { return nil }
        return next
    }

    /// A fixed message after a redirect (`?done=saved`): the query names one of these, never free text.
    static func flash(_ code: String?) -> String? {
        switch code {
        case "created": "Created."
        case "saved": "Saved."
        case "deleted": "Deleted."
        case "reset": "The phone was sent Reset; it registers again with its configuration."
        case "notRegistered": "The phone is not registered; it picks up its configuration when it next registers."
        case "signedOut": "You have signed out."
        default: nil
        }
    }

    /// `path?done=code`.
    static func done(_ path: String, _ code: String) -> String {
        path + (path.contains("?") ? "&" : "?") + "done=" + code
    }
}
