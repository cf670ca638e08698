import Hummingbird
import Store

extension AdminRoutes {
    /// `/api/trunks`: the SIP trunks.
    func addTrunkRoutes(to group: RouterGroup<Context>) {
        let store = self.store
        group.get { _, _ in
            try Self.json(try await store.trunks().map(Self.trunk))
        }
        group.post { request, _ in
            let body = try await Self.decode(AdminAPI.Trunk.self, from: request, entity: "trunk")
            return try Self.json(try await Self.createTrunk(body, store), status: .created)
        }
        group.get(":name") { _, context in
            try Self.json(Self.trunk(try await Self.requireTrunk(context, store)))
        }
        group.patch(":name") { request, context in
            let record = try await Self.requireTrunk(context, store)
            let body = try await Self.decode(AdminAPI.Trunk.self, from: request, entity: "trunk")
            return try Self.json(try await Self.updateTrunk(named: record.name, body, store))
        }
        group.delete(":name") { _, context in
            try await Self.deleteTrunk(named: try Self.parameter("name", context), store)
            return Self.noContent()
        }
    }

    static func requireTrunk(_ context: Context, _ store: Store) async throws -> TrunkRecord {
        try await requireTrunk(named: try parameter("name", context), store)
    }

    static func requireTrunk(named name: String, _ store: Store) async throws -> TrunkRecord {
        guard let record = try await store.trunk(named: name) else {
            throw AdminAPIError.notFound("trunk.name", "no trunk named \"\(name)\"")
        }
        return record
    }

    /// Adds a trunk (`POST /api/trunks`, the web's trunk form).
    static func createTrunk(_ body: AdminAPI.Trunk, _ store: Store) async throws -> AdminAPI.Trunk {
        guard let name = body.name else {
            throw AdminAPIError.invalidValue("trunk.name", "trunk name is required")
        }
        guard let host = body.host else {
            throw AdminAPIError.invalidValue("trunk.host", "trunk host is required")
        }
        var record = TrunkRecord(name: name, host: host)
        try Self.apply(body, to: &record)
        return Self.trunk(try await store.insert(record))
    }

    /// Changes the fields the request gives (`PATCH /api/trunks/{name}`, the web's trunk form); a trunk keeps its
    /// name.
    static func updateTrunk(named name: String, _ body: AdminAPI.Trunk, _ store: Store) async throws -> AdminAPI.Trunk {
        var record = try await Self.requireTrunk(named: name, store)
        if let name = body.name, name.lowercased() != record.name.lowercased() {
            throw AdminAPIError.invalidValue("trunk.name", "a trunk cannot be renamed; add a new one")
        }
        try Self.apply(body, to: &record)
        return Self.trunk(try await store.update(record))
    }

    /// Deletes the trunk (`DELETE /api/trunks/{name}`, the web's delete button).
    static func deleteTrunk(named name: String, _ store: Store) async throws {
        let record = try await Self.requireTrunk(named: name, store)
        try await store.deleteTrunk(named: record.name)
    }

    /// Copies the fields a request gives onto `record`; the Store validates the result.
    static func apply(_ body: AdminAPI.Trunk, to record: inout TrunkRecord) throws {
        if let host = body.host { record.host = host }
        if let port = body.port { record.port = port == 0 ? nil : port }
        if let transport = body.transport {
            guard let value = TrunkRecord.Transport(rawValue: transport.lowercased()) else {
                throw AdminAPIError.invalidValue(
                    "trunk.transport",
                    "trunk transport must be udp, tcp or tls, not \"\(transport)\""
                )
            }
            record.transport = value
        }
        if let user = body.registrationUser {
            if user.isEmpty {
                record.registrationUser = nil
                record.registrationPassword = nil
            } else {
                record.registrationUser = user
            }
        }
        if let password = body.registrationPassword, record.registrationUser != nil {
            record.registrationPassword = password
        }
        if let domain = body.fromDomain { record.fromDomain = domain.isEmpty ? nil : domain }
        if let value = body.acceptsInboundCredentials { record.acceptsInboundCredentials = value }
        if let strip = body.inboundStrip { record.inboundStrip = strip }
        if let prefix = body.inboundPrefix { record.inboundPrefix = prefix }
        if let number = body.defaultNumber { record.defaultNumber = number.isEmpty ? nil : number }
        if let description = body.description { record.description = description }
        if let maxCalls = body.maxCalls { record.maxCalls = maxCalls == 0 ? nil : maxCalls }
    }

    static func trunk(_ record: TrunkRecord) -> AdminAPI.Trunk {
        AdminAPI.Trunk(
            name: record.name,
            host: record.host,
            port: record.effectivePort,
            transport: record.transport.rawValue,
            registrationUser: record.registrationUser,
            hasRegistrationPassword: record.registrationPassword != nil,
            fromDomain: record.fromDomain,
            acceptsInboundCredentials: record.acceptsInboundCredentials,
            inboundStrip: record.inboundStrip,
            inboundPrefix: record.inboundPrefix,
            defaultNumber: record.defaultNumber,
            description: record.description,
            maxCalls: record.maxCalls
        )
    }
}
