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
            guard let name = body.name else {
                throw AdminAPIError.invalidValue("trunk.name", "trunk name is required")
            }
            guard let host = body.host else {
                throw AdminAPIError.invalidValue("trunk.host", "trunk host is required")
            }
            var record = TrunkRecord(name: name, host: host)
            try Self.apply(body, to: &record)
            return try Self.json(Self.trunk(try await store.insert(record)), status: .created)
        }
        group.get(":name") { _, context in
            try Self.json(Self.trunk(try await Self.requireTrunk(context, store)))
        }
        group.patch(":name") { request, context in
            var record = try await Self.requireTrunk(context, store)
            let body = try await Self.decode(AdminAPI.Trunk.self, from: request, entity: "trunk")
            if let name = body.name, name.lowercased() != record.name.lowercased() {
                throw AdminAPIError.invalidValue("trunk.name", "a trunk cannot be renamed; add a new one")
            }
            try Self.apply(body, to: &record)
            return try Self.json(Self.trunk(try await store.update(record)))
        }
        group.delete(":name") { _, context in
            let record = try await Self.requireTrunk(context, store)
            try await store.deleteTrunk(named: record.name)
            return Self.noContent()
        }
    }

    static func requireTrunk(_ context: Context, _ store: Store) async throws -> TrunkRecord {
        let name = try parameter("name", context)
        guard let record = try await store.trunk(named: name) else {
            throw AdminAPIError.notFound("trunk.name", "no trunk named \"\(name)\"")
        }
        return record
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
            description: record.description
        )
    }
}
