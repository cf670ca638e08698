import CallControl
import Provisioning
import Store

/// The provisioning files' content, read from the Store on every request, so a phone always gets the configuration
/// committed last (a changed security mode or CallManager group is in the very next file a phone fetches).
///
/// - `SEP<MAC>.cnf.xml`: every device in the Store (configured or auto-registered), with its security mode, its
///   CallManager group (``callManagerGroup(named:)``), its load if set, and the stored date/time group and locales.
/// - `XMLDefault.cnf.xml`: while auto-registration is on (the stored setting), with the default group (its format
///   has no date/time or locale elements).
/// - `strowger-ca.pem`: the CA certificate phones and tools trust for the SCCPS server certificate.
struct StoreProvisioningSource: ProvisioningSource {
    let store: Store
    /// The fallback group's nodes, in priority order (`--callmanager`, or this server alone); asked on every request
    /// because a port picked at bind time (port 0) is known only once the listeners are up.
    let callManagers: @Sendable () async throws -> [CnfXML.Node]
    /// `ServerCredentials.trustAnchorPEM`.
    let caCertificatePEM: String

    func device(named name: String) async throws -> CnfXML.Device? {
        guard let record = try await self.store.device(named: name) else { return nil }
        let settings = try await self.store.settings()
        return CnfXML.Device(
            name: DeviceName.canonicalSpelling(of: record.name),
            model: record.model,
            description: record.description,
            securityMode: Self.securityMode(record.securityMode),
            callManagerGroup: try await self.callManagerGroup(named: record.callManagerGroup),
            dateTime: Self.dateTime(settings),
            loadInformation: record.loadInformation,
            userLocale: Self.userLocale(settings),
            networkLocale: settings.networkLocale
        )
    }

    /// The stored date/time group (`<dateTimeSetting>`), under CUCM's default group name.
    static func dateTime(_ settings: SettingsRecord) -> CnfXML.DateTimeSettings {
        CnfXML.DateTimeSettings(
            dateTemplate: settings.dateTemplate,
            timeZone: settings.timeZone,
            olsonTimeZone: settings.olsonTimeZone,
            ntpServers: settings.ntpServers
        )
    }

    /// `<userLocale>` with its language code; nil when none is stored.
    static func userLocale(_ settings: SettingsRecord) -> CnfXML.UserLocale? {
        guard let name = settings.userLocale, let code = settings.userLocaleLanguageCode else { return nil }
        return CnfXML.UserLocale(name: name, languageCode: code)
    }

    func defaults() async throws -> CnfXML.Defaults? {
        guard try await self.store.settings().autoRegistrationEnabled else { return nil }
        return CnfXML.Defaults(callManagerGroup: try await self.callManagerGroup(named: nil))
    }

    func caCertificate() async throws -> [UInt8]? {
        Array(self.caCertificatePEM.utf8)
    }

    /// The group a device naming `name` gets (docs/provisioning.md, "How the nodes are chosen"):
    /// 1. the stored group `name`;
    /// 2. else (no name, or one stored before groups existed) the stored group named `Default`;
    /// 3. else the server's own list: `--callmanager`, or this server alone, under the device's group name.
    func callManagerGroup(named name: String?) async throws -> CnfXML.CallManagerGroup {
        if let name, let group = try await self.store.callManagerGroup(named: name) {
            return Self.callManagerGroup(group)
        }
        if let group = try await self.store.callManagerGroup(named: CallManagerGroupRecord.defaultName) {
            return Self.callManagerGroup(group)
        }
        return CnfXML.CallManagerGroup(
            name: name ?? CallManagerGroupRecord.defaultName,
            members: try await self.callManagers()
        )
    }

    static func callManagerGroup(_ group: CallManagerGroupRecord) -> CnfXML.CallManagerGroup {
        CnfXML.CallManagerGroup(
            name: group.name,
            members: group.members.map { member in
                CnfXML.Node(
                    name: member.host,
                    address: member.host,
                    sccpPort: member.sccpPort,
                    sccpsPort: member.sccpsPort
                )
            }
        )
    }

    static func securityMode(_ mode: DeviceSecurityMode) -> CnfXML.SecurityMode {
        switch mode {
        case .nonSecure: .nonSecure
        case .authenticated: .authenticated
        case .encrypted: .encrypted
        }
    }
}
