import GRDB

extension Store {
    /// Every node of the cluster, by name.
    public func nodes() async throws -> [NodeRecord] {
        try await read { db in try NodeRecord.order(NodeRecord.Columns.name).fetchAll(db) }
    }

    /// The node named `name` (without regard to case), if any.
    public func node(named name: String) async throws -> NodeRecord? {
        try await read { db in try NodeRecord.fetchOne(db, key: name) }
    }

    /// Adds `record`. Throws ``StoreError/Code/conflict`` if a node of that name (in any case), or another node at
    /// that address, exists: two nodes at one address could not tell their datagrams apart.
    @discardableResult
    public func add(_ record: NodeRecord) async throws -> NodeRecord {
        try record.validate()
        return try await write { db, _ in
            if try NodeRecord.fetchOne(db, key: record.name) != nil {
                throw StoreError.conflict("node.name", "a node named \(Validation.quoted(record.name)) exists")
            }
            if let other = try NodeRecord.filter(NodeRecord.Columns.address == record.address).fetchOne(db) {
                throw StoreError.conflict(
                    "node.address",
                    "node \(Validation.quoted(other.name)) already has address \(Validation.quoted(record.address))"
                )
            }
            try record.insert(db)
            return record
        }
    }

    /// Removes the node named `name`. Throws ``StoreError/Code/notFound`` (`node.name`) if there is none.
    public func deleteNode(named name: String) async throws {
        try await write { db, _ in
            guard try NodeRecord.deleteOne(db, key: name) else {
                throw StoreError.notFound("node.name", "no node named \(Validation.quoted(name))")
            }
        }
    }
}
