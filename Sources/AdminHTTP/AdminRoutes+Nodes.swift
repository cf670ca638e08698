import Hummingbird
import Store

extension AdminRoutes {
    /// `/api/nodes`: the nodes of the cluster and the addresses of their cluster ports (issue 19). A running node
    /// reads the table again every heartbeat interval.
    func addNodeRoutes(to group: RouterGroup<Context>) {
        let store = self.store
        group.get { _, _ in
            try Self.json(try await store.nodes().map(Self.node))
        }
        group.post { request, _ in
            let body = try await Self.decode(AdminAPI.Node.self, from: request, entity: "node")
            let stored = try await Self.renaming([:]) {
                try await store.add(NodeRecord(name: body.name, address: body.address))
            }
            return try Self.json(Self.node(stored), status: .created)
        }
        group.get(":name") { _, context in
            let name = try Self.parameter("name", context)
            guard let record = try await store.node(named: name) else {
                throw AdminAPIError.notFound("node.name", "no node named \"\(name)\"")
            }
            return try Self.json(Self.node(record))
        }
        group.delete(":name") { _, context in
            let name = try Self.parameter("name", context)
            guard try await store.node(named: name) != nil else {
                throw AdminAPIError.notFound("node.name", "no node named \"\(name)\"")
            }
            try await Self.renaming([:]) { try await store.deleteNode(named: name) }
            return Self.noContent()
        }
    }

    static func node(_ record: NodeRecord) -> AdminAPI.Node {
        AdminAPI.Node(name: record.name, address: record.address)
    }
}
