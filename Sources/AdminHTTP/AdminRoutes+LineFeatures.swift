import Hummingbird
import Store

extension AdminRoutes {
    /// `/api/lines/{number}/mwi` and `/api/lines/{number}/dnd`: message waiting for a number, and do not disturb on
    /// every device that shows it. Both answer with the line; `PUT` and `POST` do the same.
    func addLineFeatureRoutes(to group: RouterGroup<Context>) {
        let store = self.store
        let messageWaiting: @Sendable (Request, Context) async throws -> Response = { request, context in
            let line = try await Self.requireLine(try Self.parameter("number", context), store).line
            let body = try await Self.decode(AdminAPI.MessageWaiting.self, from: request, entity: "line")
            try await store.setMessageWaiting(body.messageWaiting, lineNumber: line.number)
            return try Self.json(Self.line(try await Self.requireLine(line.number, store)))
        }
        group.put(":number/mwi", use: messageWaiting)
        group.post(":number/mwi", use: messageWaiting)

        let doNotDisturb: @Sendable (Request, Context) async throws -> Response = { request, context in
            let line = try await Self.requireLine(try Self.parameter("number", context), store).line
            let body = try await Self.decode(AdminAPI.DoNotDisturb.self, from: request, entity: "line")
            try await store.setDoNotDisturb(body.doNotDisturb, forDevicesWithLine: line.number)
            return try Self.json(Self.line(try await Self.requireLine(line.number, store)))
        }
        group.put(":number/dnd", use: doNotDisturb)
        group.post(":number/dnd", use: doNotDisturb)
    }
}
