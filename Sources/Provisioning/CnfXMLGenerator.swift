/// Writes the configuration files Cisco SCCP phones fetch over TFTP: `SEP<MAC>.cnf.xml` and `XMLDefault.cnf.xml`.
///
/// The element structure follows the files CUCM generates for SCCP phones (and that chan-sccp and Asterisk users
/// write by hand): `<device>` with `<deviceProtocol>SCCP</deviceProtocol>`, a `<devicePool>` holding the
/// `<dateTimeSetting>` and the `<callManagerGroup>` whose `<member priority="N">` entries name each CallManager's
/// `<ports>` and `<processNodeName>`, then `<loadInformation>`, the locales, `<deviceSecurityMode>` and
/// `<transportLayerProtocol>`. Every configured string is escaped; nothing configured can add elements.
///
/// The SCCPS port is written as `<sccpsPort>` next to `<ethernetPhonePort>`. That element is Strowger's own: no
/// Cisco file we found names the TLS port, and Cisco phones that register securely use 2443. Phones should skip the
/// element as they skip the many that newer CUCM versions add (not yet checked on hardware); Strowger's own tools
/// read it. `model` and `description` of a device are informational and not written.
public enum CnfXMLGenerator {
    /// MGCP ports CUCM writes into every `<ports>`; SCCP phones ignore them, and they are kept so that the files
    /// look like CUCM's to any tool that checks.
    public static let mgcpListenPort = 2427
    public static let mgcpKeepAlivePort = 2428

    /// The name a device's file is fetched under: "SEP001122AABBCC" → "SEP001122AABBCC.cnf.xml".
    public static func fileName(forDevice name: String) -> String {
        name + ".cnf.xml"
    }

    /// The file phones without a file of their own fetch (auto-registration).
    public static let defaultFileName = "XMLDefault.cnf.xml"

    /// `SEP<MAC>.cnf.xml` for one device.
    public static func deviceConfiguration(_ device: CnfXML.Device) throws(CnfXMLError) -> String {
        try Self.validate(device.callManagerGroup)
        let body = Self.writeDevice(device, versionStamp: device.versionStamp ?? "")
        guard device.versionStamp == nil else { return body }
        // Derive the stamp from the content written with an empty one, so it changes exactly when the file does.
        return Self.writeDevice(device, versionStamp: Self.stamp(body))
    }

    /// `XMLDefault.cnf.xml`: the CallManager group and firmware loads, nothing device-specific.
    public static func defaultConfiguration(_ defaults: CnfXML.Defaults) throws(CnfXMLError) -> String {
        try Self.validate(defaults.callManagerGroup)
        var xml = XMLWriter()
        xml.start("Default")
        Self.writeCallManagerGroup(defaults.callManagerGroup, to: &xml)
        for load in defaults.loads {
            xml.element("loadInformation\(load.deviceType)", load.load, attributes: ["model": load.model])
        }
        Self.writeURLs(defaults.urls, to: &xml)
        return xml.finish()
    }

    private static func writeDevice(_ device: CnfXML.Device, versionStamp: String) -> String {
        var xml = XMLWriter()
        xml.start("device")
        xml.element("fullConfig", "true")
        xml.element("deviceProtocol", "SCCP")
        xml.start("devicePool")
        xml.element("name", device.devicePoolName)
        Self.writeDateTime(device.dateTime, to: &xml)
        Self.writeCallManagerGroup(device.callManagerGroup, to: &xml)
        xml.end()
        xml.element("versionStamp", versionStamp)
        xml.element("loadInformation", device.loadInformation ?? "")
        if let locale = device.userLocale {
            xml.start("userLocale")
            xml.element("name", locale.name)
            xml.element("langCode", locale.languageCode)
            if let characterSet = locale.windowsCharacterSet {
                xml.element("winCharSet", characterSet)
            }
            xml.end()
        }
        if let networkLocale = device.networkLocale {
            xml.element("networkLocale", networkLocale)
        }
        xml.element("deviceSecurityMode", String(device.securityMode.rawValue))
        xml.element("transportLayerProtocol", String(device.securityMode.transportLayerProtocol))
        xml.element("encrConfig", "false")
        xml.element("idleTimeout", String(max(0, device.urls.idleTimeoutSeconds)))
        Self.writeURLs(device.urls, to: &xml)
        return xml.finish()
    }

    private static func writeDateTime(_ settings: CnfXML.DateTimeSettings, to xml: inout XMLWriter) {
        xml.start("dateTimeSetting")
        xml.element("name", settings.name)
        xml.element("dateTemplate", settings.dateTemplate)
        xml.element("timeZone", settings.timeZone)
        if let olson = settings.olsonTimeZone {
            xml.element("olsonTimeZone", olson)
        }
        if !settings.ntpServers.isEmpty {
            xml.start("ntps")
            for server in settings.ntpServers {
                xml.start("ntp")
                xml.element("name", server)
                xml.element("ntpMode", "Unicast")
                xml.end()
            }
            xml.end()
        }
        xml.end()
    }

    private static func writeCallManagerGroup(_ group: CnfXML.CallManagerGroup, to xml: inout XMLWriter) {
        xml.start("callManagerGroup")
        xml.element("name", group.name)
        xml.element("tftpDefault", "true")
        xml.start("members")
        for (priority, node) in group.members.enumerated() {
            xml.start("member", attributes: ["priority": String(priority)])
            xml.start("callManager")
            xml.element("name", node.name)
            xml.element("description", node.description)
            xml.start("ports")
            xml.element("ethernetPhonePort", String(node.sccpPort))
            xml.element("sccpsPort", String(node.sccpsPort))
            xml.start("mgcpPorts")
            xml.element("listen", String(Self.mgcpListenPort))
            xml.element("keepAlive", String(Self.mgcpKeepAlivePort))
            xml.end()
            xml.end()
            xml.element("processNodeName", node.address)
            xml.end()
            xml.end()
        }
        xml.end()
        xml.end()
    }

    private static func writeURLs(_ urls: CnfXML.URLs, to xml: inout XMLWriter) {
        xml.element("authenticationURL", urls.authentication ?? "")
        xml.element("directoryURL", urls.directory ?? "")
        xml.element("idleURL", urls.idle ?? "")
        xml.element("informationURL", urls.information ?? "")
        xml.element("messagesURL", urls.messages ?? "")
        xml.element("servicesURL", urls.services ?? "")
    }

    private static func validate(_ group: CnfXML.CallManagerGroup) throws(CnfXMLError) {
        guard !group.members.isEmpty else {
            throw CnfXMLError(code: .invalidCallManagerGroup, detail: "the CallManager group has no member")
        }
        guard group.members.count <= CnfXML.CallManagerGroup.maximumMembers else {
            throw CnfXMLError(
                code: .invalidCallManagerGroup,
                detail: "\(group.members.count) members, at most \(CnfXML.CallManagerGroup.maximumMembers)"
            )
        }
        for node in group.members {
            guard !node.address.isEmpty else {
                throw CnfXMLError(code: .invalidCallManagerGroup, detail: "node \"\(node.name)\" has no address")
            }
            for port in [node.sccpPort, node.sccpsPort] where !(1...65535).contains(port) {
                throw CnfXMLError(code: .portOutOfRange, detail: "port \(port) of node \"\(node.name)\"")
            }
        }
    }

    /// A 64-bit FNV-1a hash of the file, as 16 hex digits.
    private static func stamp(_ text: String) -> String {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in text.utf8 {
            hash ^= UInt64(byte)
            hash &*= 0x0000_0100_0000_01B3
        }
        let digits = String(hash, radix: 16, uppercase: true)
        return String(repeating: "0", count: 16 - digits.count) + digits
    }
}

/// A configuration that cannot be written as a cnf.xml a phone would accept.
public struct CnfXMLError: Error, Hashable, Sendable, CustomStringConvertible {
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        private enum Base: Hashable, Sendable {
            case invalidCallManagerGroup
            case portOutOfRange
        }

        private let base: Base

        private init(_ base: Base) {
            self.base = base
        }

        /// No member, more than three, or a member without an address.
        public static let invalidCallManagerGroup = Code(.invalidCallManagerGroup)
        /// A port outside 1...65535.
        public static let portOutOfRange = Code(.portOutOfRange)

        public var description: String {
            switch self.base {
            case .invalidCallManagerGroup: "invalid CallManager group"
            case .portOutOfRange: "port out of range"
            }
        }
    }

    public let code: Code
    public let detail: String

    init(code: Code, detail: String) {
        self.code = code
        self.detail = detail
    }

    public static func == (lhs: Self, rhs: Self) -> Bool { lhs.code == rhs.code }
    public func hash(into hasher: inout Hasher) { hasher.combine(self.code) }

    public var description: String { "cnf.xml \(self.code): \(self.detail)" }
}
