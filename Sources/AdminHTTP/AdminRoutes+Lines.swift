import Hummingbird
import Store

extension AdminRoutes {
    /// `/api/lines`: list, create, read, change (forwards included) and delete directory numbers.
    func addLineRoutes(to group: RouterGroup<Context>) {
        let store = self.store
        group.get { _, _ in
            try Self.json(try await store.lineDetails().map(Self.line))
        }
        group.post { request, _ in
            let body = try await Self.decode(AdminAPI.Line.self, from: request, entity: "line")
            return try Self.json(try await Self.createLine(body, store), status: .created)
        }
        group.get(":number") { _, context in
            let line = Self.line(try await Self.requireLine(try Self.parameter("number", context), store))
            return try Self.json(line, version: line.version)
        }
        group.patch(":number") { request, context in
            let number = try Self.parameter("number", context)
            _ = try await Self.requireLine(number, store)
            let patch = try await Self.decode(AdminAPI.LinePatch.self, from: request, entity: "line")
            let line = try await Self.updateLine(number: number, patch, store)
            return try Self.json(line, version: line.version)
        }
        group.delete(":number") { _, context in
            try await Self.deleteLine(number: try Self.parameter("number", context), store)
            return Self.noContent()
        }
    }

    /// Creates a line (`POST /api/lines`, the web's Add line).
    static func createLine(_ body: AdminAPI.Line, _ store: Store) async throws -> AdminAPI.Line {
        let record = LineRecord(
            number: body.number,
            displayName: body.displayName,
            forwardAll: Self.nonEmpty(body.forwardAll),
            forwardBusy: Self.nonEmpty(body.forwardBusy),
            forwardNoAnswer: Self.nonEmpty(body.forwardNoAnswer),
            noAnswerTimeoutSeconds: body.noAnswerTimeoutSeconds,
            maxCalls: body.maxCalls,
            busyTrigger: body.busyTrigger,
            voicemailNumber: Self.nonEmpty(body.voicemailNumber),
            musicSource: try await Self.musicSourceName(body.musicSource, field: "line.musicSource", store),
            messageWaiting: body.messageWaiting
        )
        let stored = try await store.insert(record)
        return Self.line(LineDetails(line: stored, devices: []))
    }

    /// Changes the line numbered `number` (`PATCH /api/lines/{number}`); 404 if there is none.
    static func updateLine(number: String, _ patch: AdminAPI.LinePatch, _ store: Store) async throws -> AdminAPI.Line {
        var record = try await Self.requireLine(number, store).line
        // Without a version, the one just read: a change made meanwhile is refused (409), never overwritten.
        if let version = patch.version { record.version = version }
        if let number = patch.number { record.number = number }
        if let displayName = patch.displayName { record.displayName = displayName }
        if let forward = patch.forwardAll { record.forwardAll = Self.nonEmpty(forward) }
        if let forward = patch.forwardBusy { record.forwardBusy = Self.nonEmpty(forward) }
        if let forward = patch.forwardNoAnswer { record.forwardNoAnswer = Self.nonEmpty(forward) }
        if let seconds = patch.noAnswerTimeoutSeconds { record.noAnswerTimeoutSeconds = seconds }
        if let maxCalls = patch.maxCalls {
            record.maxCalls = maxCalls
            // Lowering the call limit below the busy trigger lowers the trigger with it unless one was given.
            if patch.busyTrigger == nil { record.busyTrigger = min(record.busyTrigger, maxCalls) }
        }
        if let busyTrigger = patch.busyTrigger { record.busyTrigger = busyTrigger }
        if let voicemail = patch.voicemailNumber { record.voicemailNumber = Self.nonEmpty(voicemail) }
        if let music = patch.musicSource {
            record.musicSource = try await Self.musicSourceName(music, field: "line.musicSource", store)
        }
        if let messageWaiting = patch.messageWaiting { record.messageWaiting = messageWaiting }
        let stored = try await store.update(record)
        return Self.line(try await Self.requireLine(stored.number, store))
    }

    /// Deletes the line numbered `number` (off every phone); 404 if there is none.
    static func deleteLine(number: String, _ store: Store) async throws {
        let line = try await Self.requireLine(number, store).line
        try await store.deleteLine(id: try Self.id(of: line.id))
    }

    /// nil for nil or an empty string: an empty forward target means no forward.
    static func nonEmpty(_ value: String?) -> String? {
        guard let value, !value.isEmpty else { return nil }
        return value
    }

    static func requireLine(_ number: String, _ store: Store) async throws -> LineDetails {
        guard let line = try await store.lineDetails(number: number).first else {
            throw AdminAPIError.notFound("line.number", "no line with number \"\(number)\"")
        }
        return line
    }

    static func line(_ details: LineDetails) -> AdminAPI.Line {
        let line = details.line
        return AdminAPI.Line(
            number: line.number,
            displayName: line.displayName,
            forwardAll: line.forwardAll,
            forwardBusy: line.forwardBusy,
            forwardNoAnswer: line.forwardNoAnswer,
            noAnswerTimeoutSeconds: line.noAnswerTimeoutSeconds,
            maxCalls: line.maxCalls,
            busyTrigger: line.busyTrigger,
            voicemailNumber: line.voicemailNumber,
            musicSource: line.musicSource,
            devices: details.devices,
            messageWaiting: line.messageWaiting,
            doNotDisturbDevices: details.doNotDisturbDevices,
            version: line.version
        )
    }
}
