import Hummingbird

extension WebPages {
    struct PresenceView: Sendable {
        var summary: String
        var rows: [PresenceRow]
    }

    struct PresenceRow: Sendable {
        var user: String
        var displayName: String
        var state: String
        var stateLabel: String
        var activity: String
        var status: String
        var note: String
    }

    /// `/web/presence`: everyone's presence as the administrator sees it; the page's script follows the presence
    /// event stream (`/web/api/presence/events`, the API's stream behind the session).
    func addPresenceRoutes(to group: RouterGroup<AdminRequestContext>) {
        let pages = self
        group.get { request, context in
            let everyone = try await AdminRoutes.requirePresence(pages.routes.presence).allPresence(as: nil)
            var counts: [String: Int] = [:]
            for presence in everyone { counts[presence.state, default: 0] += 1 }
            let order = ["available", "onCall", "ringing", "onHold", "busy", "dnd", "away", "offline", "unknown"]
            let parts = order.compactMap { state -> String? in
                guard let count = counts[state] else { return nil }
                return "\(count) \(Self.presenceLabel(state).lowercased())"
            }
            let view = PresenceView(
                summary: everyone.isEmpty
                    ? "Nobody yet: presence lists users and phones without an owner."
                    : "\(everyone.count) in all: " + parts.joined(separator: ", ") + ".",
                rows: everyone.map { presence in
                    PresenceRow(
                        user: presence.user,
                        displayName: presence.displayName ?? "",
                        state: presence.state,
                        stateLabel: Self.presenceLabel(presence.state),
                        activity: presence.activity ?? "",
                        status: presence.status ?? "",
                        note: presence.note ?? ""
                    )
                }
            )
            return try pages.page(
                "presence",
                title: "Presence",
                body: view,
                context: context,
                section: "presence",
                request: request,
                script: "presence"
            )
        }
    }

    /// The words the board uses for a presence state (the script has the same table).
    static func presenceLabel(_ state: String) -> String {
        switch state {
        case "offline": "Offline"
        case "available": "Available"
        case "away": "Away"
        case "busy": "Busy"
        case "dnd": "Do not disturb"
        case "ringing": "Ringing"
        case "onCall": "On the phone"
        case "onHold": "On hold"
        case "unknown": "Hidden"
        default: state
        }
    }
}
