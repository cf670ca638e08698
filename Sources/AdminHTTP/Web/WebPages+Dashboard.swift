import Foundation
import HTTPTypes
import Hummingbird
import NIOConcurrencyHelpers
import NIOCore
import ServiceLifecycle

extension WebPages {
    struct DashboardView: Sendable {
        var snapshot: DashboardSnapshot
    }

    /// `/web/`: the dashboard; `/web/events`: its Server-Sent Events stream (`event: status` with a
    /// ``DashboardSnapshot`` whenever it changed, checked every ``WebOptions/dashboardInterval``; a comment every
    /// 15 s of quiet keeps proxies from closing it).
    func addDashboardRoutes(to group: RouterGroup<AdminRequestContext>) {
        let pages = self
        group.get("/") { request, context in
            let snapshot = await pages.routes.dashboardFeed.snapshot(pages.routes)
            return try pages.page(
                "dashboard",
                title: "Dashboard",
                body: DashboardView(snapshot: snapshot),
                context: context,
                section: "dashboard",
                request: request,
                script: "dashboard"
            )
        }
        group.get("events") { _, _ in
            let routes = pages.routes
            guard routes.liveStreams.acquire(limit: routes.web.maximumLiveStreams) else {
                throw AdminAPIError.unavailable(
                    "too many live pages are open (\(routes.web.maximumLiveStreams)); close one and reload"
                )
            }
            let slot = LiveStreamSlot(routes.liveStreams)
            let interval = routes.web.dashboardInterval
            return Response(
                status: .ok,
                headers: [.contentType: "text/event-stream; charset=utf-8", .cacheControl: "no-cache"],
                body: ResponseBody { writer in
                    defer { withExtendedLifetime(slot) {} }
                    let stopped = NIOLockedValueBox(false)
                    try await writer.write(ByteBuffer(string: "retry: 2000\n\n"))
                    try await withGracefulShutdownHandler {
                        var last: DashboardSnapshot?
                        var quiet = Duration.zero
                        let encoder = JSONEncoder()
                        while !Task.isCancelled, !stopped.withLockedValue({ $0 }) {
                            let snapshot = await routes.dashboardFeed.snapshot(routes)
                            if snapshot != last {
                                var buffer = ByteBuffer(string: "event: status\ndata: ")
                                buffer.writeBytes(try encoder.encode(snapshot))
                                buffer.writeString("\n\n")
                                try await writer.write(buffer)
                                last = snapshot
                                quiet = .zero
                            } else if quiet >= .seconds(15) {
                                try await writer.write(ByteBuffer(string: ": heartbeat\n\n"))
                                quiet = .zero
                            }
                            try await Task.sleep(for: interval)
                            quiet += interval
                        }
                    } onGracefulShutdown: {
                        stopped.withLockedValue { $0 = true }
                    }
                    try await writer.finish(nil)
                }
            )
        }
    }
}
