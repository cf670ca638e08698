import Provisioning
import Store

/// The provisioning files' content, read from the Store on every request, so a phone always gets the configuration
/// committed last (a changed security mode or CallManager group is in the very next file a phone fetches).
///
/// - `SEP<MAC>.cnf.xml`: every device in the Store (configured or auto-registered), with its security mode and the
///   CallManager group of `callManagers`; the device's `callManagerGroup` names the group.
/// - `XMLDefault.cnf.xml`: while auto-registration is on (the stored setting).
/// - `strowger-ca.pem`: the CA certificate phones and tools trust for the SCCPS server certificate.
struct StoreProvisioningSource: ProvisioningSource {
    let store: Store
    /// The CallManager group's nodes, in priority order; asked on every request because a port picked at bind
    /// time (port 0) is known only once the listeners are up.
    let callManagers: @Sendable () async throws -> [CnfXML.Node]
    /// `ServerCredentials.trustAnchorPEM`.
    let caCertificatePEM: String

    func device(named name: String) async throws -> CnfXML.Device? {
        guard let record = try await self.store.device(named: name) else { return nil }
        return CnfXML.Device(
            name: record.name.uppercased(),
            model: record.model,
            description: record.description,
            securityMode: Self.securityMode(record.securityMode),
            callManagerGroup: CnfXML.CallManagerGroup(
                name: record.callManagerGroup ?? "Default", members: try await self.callManagers())
        )
    }

    func defaults() async throws -> CnfXML.Defaults? {
        guard try await self.store.settings().autoRegistrationEnabled else { return nil }
        return CnfXML.Defaults(callManagerGroup: CnfXML.CallManagerGroup(members: try await self.callManagers()))
    }

    func caCertificate() async throws -> [UInt8]? {
        Array(self.caCertificatePEM.utf8)
    }

    static func securityMode(_ mode: DeviceSecurityMode) -> CnfXML.SecurityMode {
        switch mode {
        case .nonSecure: .nonSecure
        case .authenticated: .authenticated
        case .encrypted: .encrypted
        }
    }
}
