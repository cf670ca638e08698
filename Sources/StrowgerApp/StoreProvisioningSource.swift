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
/// - `CTLSEP<MAC>.tlv`, `ITLSEP<MAC>.tlv`, `CTLFile.tlv`, `ITLFile.tlv`: the trust lists (``trustList(_:forDevice:)``).
///
/// A device's load is its own, else its model's (``PhoneModelRecord``); its phone-service URLs point at this
/// server's `/services/` (docs/phone-services.md).
struct StoreProvisioningSource: ProvisioningSource {
    let store: Store
    /// The fallback group's nodes, in priority order (`--callmanager`, or this server alone); asked on every request
    /// because a port picked at bind time (port 0) is known only once the listeners are up.
    let callManagers: @Sendable () async throws -> [CnfXML.Node]
    /// `ServerCredentials.trustAnchorPEM`.
    let caCertificatePEM: String
    /// `http://host:port` of the phone services (the HTTP provisioning listener); nil writes no service URLs.
    var servicesBaseURL: @Sendable () async throws -> String? = { nil }
    /// `<idleURL>` and `<idleTimeout>` for every phone.
    var idleURL: String?
    var idleTimeoutSeconds = 0
    /// The trust lists; nil serves none.
    var trustLists: TrustListFiles?
    var trustListPolicy = TrustListPolicy.secureDevices

    func device(named name: String) async throws -> CnfXML.Device? {
        guard let record = try await self.store.device(named: name) else { return nil }
        let settings = try await self.store.settings()
        let model = try await self.store.phoneModel(named: record.model)
        var urls = CnfXML.URLs(idle: self.idleURL, idleTimeoutSeconds: self.idleTimeoutSeconds)
        if let base = try await self.servicesBaseURL() {
            let services = PhoneServices.deviceURLs(base: base, device: record.name.uppercased())
            urls.directory = services.directory
            urls.services = services.services
            urls.authentication = services.authentication
            // The Messages button opens the page only where there is a voicemail number to offer; elsewhere it
            // keeps its own behaviour.
            if try await self.store.voicemailNumber(ofDevice: record.name) != nil {
                urls.messages = services.messages
            }
        }
        return CnfXML.Device(
            name: DeviceName.canonicalSpelling(of: record.name),
            model: record.model,
            description: record.description,
            securityMode: Self.securityMode(record.securityMode),
            callManagerGroup: try await self.callManagerGroup(named: record.callManagerGroup),
            dateTime: Self.dateTime(settings),
            loadInformation: record.loadInformation ?? model?.loadInformation,
            userLocale: Self.userLocale(settings),
            networkLocale: settings.networkLocale,
            urls: urls
        )
    }

    /// The trust list for the device named `device` (its group's nodes, its model's digest), or the generic one for
    /// `nil` (the default group, SHA-1). Served per ``trustListPolicy``; during a rollback (`strowger ctl reset`)
    /// an empty list is served for every name, so that every phone that may hold one is reached.
    func trustList(_ kind: TrustList.Kind, forDevice device: String?) async throws -> [UInt8]? {
        guard let files = self.trustLists else { return nil }
        let rollback = files.isRollingBack
        guard let device else {
            guard rollback || self.trustListPolicy == .allPhones else { return nil }
            return try files.list(kind, nodes: try await self.callManagerGroup(named: nil).members, digest: .sha1)
        }
        guard let record = try await self.store.device(named: device) else {
            return rollback ? try files.list(kind, nodes: [], digest: .sha1) : nil
        }
        if !rollback, self.trustListPolicy == .secureDevices, record.securityMode == .nonSecure { return nil }
        let digest: TrustList.DigestAlgorithm =
            switch try await self.store.phoneModel(named: record.model)?.trustListDigest {
            case .sha512?: .sha512
            case .sha1?, nil: .sha1
            }
        let group = try await self.callManagerGroup(named: record.callManagerGroup)
        return try files.list(kind, nodes: group.members, digest: digest)
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
        // One load element per stored model Strowger knows the device type of (the element is named after it).
        let loads = try await self.store.phoneModels().compactMap { record -> CnfXML.ModelLoad? in
            guard let load = record.loadInformation, let model = CiscoPhoneModel.named(record.model) else { return nil }
            return CnfXML.ModelLoad(deviceType: model.deviceType, model: "Cisco " + model.name, load: load)
        }
        var urls = CnfXML.URLs(idle: self.idleURL, idleTimeoutSeconds: self.idleTimeoutSeconds)
        if let base = try await self.servicesBaseURL() {
            let root = base + String(PhoneServices.pathPrefix.dropLast())
            urls.directory = root + "/directory"
            urls.services = root + "/menu"
            urls.authentication = root + "/authenticate"
        }
        return CnfXML.Defaults(
            callManagerGroup: try await self.callManagerGroup(named: nil),
            loads: loads,
            urls: urls
        )
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
