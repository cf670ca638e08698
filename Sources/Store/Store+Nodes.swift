extension Store {
    /// Every node of the cluster, by name.
    public func nodes() async throws -> [NodeRecord] {
        try await read { db in try db.fetchAll(NodeRecord.self, orderBy: "name") }
    }

    /// The node named `name` (without regard to case), if any.
    public func node(named name: String) async throws -> NodeRecord? {
        try await read { db in try db.find(NodeRecord.self, key: name) }
    }

    /// Adds `record`. Throws ``StoreError/Code/conflict`` if a node of that name (in any case), or another node at
    /// that address, exists: two nodes at one address could not tell their datagrams apart.
    @discardableResult
    public func add(_ record: NodeRecord) async throws -> NodeRecord {
        try record.validate()
        return try await write { db, _ in
            if try db.exists(NodeRecord.self, where: "name = ?", record.name) {
                throw StoreError.conflict("node.name", "a node named \(Validation.quoted(record.name)) exists")
            }
            if let other = try db.fetchOne(NodeRecord.self, "SELECT * FROM node WHERE address = ?", record.address) {
                throw StoreError.conflict(
                    "node.address",
                    "node \(Validation.quoted(other.name)) already has address \(Validation.quoted(record.address))"
                )
            }
            try db.insert(record)
            return record
        }
    }

    /// Removes the node named `name`. Throws ``StoreError/Code/notFound`` (`node.name`) if there is none.
    public func deleteNode(named name: String) async throws {
        try await write { db, _ in
            guard try db.delete(NodeRecord.self, key: name) else {
                throw StoreError.notFound("node.name", "no node named \(Validation.quoted(name))")
            }
        }
    }
}
