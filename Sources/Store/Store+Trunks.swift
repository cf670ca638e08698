extension Store {
    // MARK: - SIP trunks

    /// Every trunk, by name.
    public func trunks() async throws -> [TrunkRecord] {
        try await read { db in try db.fetchAll(TrunkRecord.self, orderBy: "name") }
    }

    /// The trunk with this name (compared without regard to case); nil if there is none.
    public func trunk(named name: String) async throws -> TrunkRecord? {
        try await read { db in try db.find(TrunkRecord.self, key: name) }
    }

    /// The trunks now and, after each committed change to them, the whole list again, with nothing missed in
    /// between (read and subscribed on the writer's queue). The SIP service runs from it.
    public func trunksAndChanges() async throws -> (trunks: [TrunkRecord], changes: AsyncStream<[TrunkRecord]>) {
        let broadcaster = self.trunkBroadcaster
        return try await transaction { db in
            (try Self.fetchTrunks(db), broadcaster.subscribe())
        }
    }

    /// Adds a trunk. Throws ``StoreError/Code/conflict`` (`trunk.name`) if one with that name exists.
    @discardableResult
    public func insert(_ trunk: TrunkRecord) async throws -> TrunkRecord {
        try trunk.validate()
        return try await writeTrunks { db in
            if try db.find(TrunkRecord.self, key: trunk.name) != nil {
                throw StoreError.conflict("trunk.name", "trunk \(Validation.quoted(trunk.name)) already exists")
            }
            try db.insert(trunk)
            return trunk
        }
    }

    /// Replaces the trunk with the same name.
    @discardableResult
    public func update(_ trunk: TrunkRecord) async throws -> TrunkRecord {
        try trunk.validate()
        return try await writeTrunks { db in
            guard try db.find(TrunkRecord.self, key: trunk.name) != nil else {
                throw StoreError.notFound("trunk.name", "no trunk named \(Validation.quoted(trunk.name))")
            }
            try db.update(trunk)
            return trunk
        }
    }

    /// Removes a trunk. Throws ``StoreError/Code/conflict`` while route patterns send calls to it.
    public func deleteTrunk(named name: String) async throws {
        try await writeTrunks { db in
            guard let trunk = try db.find(TrunkRecord.self, key: name) else {
                throw StoreError.notFound("trunk.name", "no trunk named \(Validation.quoted(name))")
            }
            // Route patterns name a trunk in any case: compared as lower case, the same on both databases.
            let patterns = try db.fetchColumn(
                String.self,
                "SELECT pattern FROM routePattern WHERE lower(trunkName) = lower(?) ORDER BY pattern",
                trunk.name
            )
            guard patterns.isEmpty else {
                throw StoreError.conflict(
                    "trunk.name",
                    "trunk \(Validation.quoted(trunk.name)) is the target of route pattern"
                        + "\(patterns.count == 1 ? "" : "s") \(patterns.joined(separator: ", ")); remove "
                        + "\(patterns.count == 1 ? "it" : "them") first"
                )
            }
            try db.delete(TrunkRecord.self, key: name)
        }
    }

    /// Throws ``StoreError/Code/notFound`` (`routePattern.trunk`) when a route pattern names a trunk that does not
    /// exist; the foreign key would refuse it too, with a less helpful message.
    static func ensureTrunkExists(_ db: any SQLConnection, for pattern: RoutePatternRecord) throws {
        guard case .trunk(let name, _, _) = pattern.target else { return }
        guard try db.exists(TrunkRecord.self, where: "name = ?", name) else {
            throw StoreError.notFound("routePattern.trunk", "no trunk named \(Validation.quoted(name))")
        }
    }

    /// A write to the trunk table; the whole list is published to ``trunksAndChanges()`` subscribers once it
    /// commits, in commit order.
    private func writeTrunks<T: Sendable>(_ body: @escaping @Sendable (any SQLConnection) throws -> T) async throws -> T
    {
        let broadcaster = self.trunkBroadcaster
        let node = self.node
        return try await transaction { db in
            let result = try body(db)
            try Self.appendToChangeLog(db, node: node)
            let trunks = try Self.fetchTrunks(db)
            db.afterCommit { broadcaster.publish([trunks]) }
            return result
        }
    }

    /// Every trunk, by name.
    static func fetchTrunks(_ db: any SQLConnection) throws -> [TrunkRecord] {
        try db.fetchAll(TrunkRecord.self, orderBy: "name")
    }
}
