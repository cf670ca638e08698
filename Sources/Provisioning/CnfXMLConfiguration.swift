/// Plain inputs of `CnfXMLGenerator`: what the Store knows about a device and the cluster, nothing else.
public enum CnfXML {
    /// One Strowger node as a phone sees it: a member of its CallManager group.
    public struct Node: Hashable, Sendable {
        /// A short name (CUCM's `<callManager><name>`), shown in the phone's settings.
        public var name: String
        /// The address the phone connects to (`<processNodeName>`): an IP address or a host name.
        public var address: String
        /// The plain SCCP port (`<ethernetPhonePort>`, TCP 2000 by default).
        public var sccpPort: Int
        /// The SCCP-over-TLS port (TCP 2443 by default).
        public var sccpsPort: Int
        /// Free text (`<description>`).
        public var description: String

        public init(
            name: String,
            address: String,
            sccpPort: Int = 2000,
            sccpsPort: Int = 2443,
            description: String = ""
        ) {
            self.name = name
            self.address = address
            self.sccpPort = sccpPort
            self.sccpsPort = sccpsPort
            self.description = description
        }
    }

    /// The ordered nodes a phone registers with: the first is primary, the next ones are backups.
    public struct CallManagerGroup: Hashable, Sendable {
        /// Cisco phones take at most three CallManagers from the group.
        public static let maximumMembers = 3

        public var name: String
        /// One to three nodes, highest priority first (`<member priority="0">` is the first).
        public var members: [Node]

        public init(name: String = "Default", members: [Node]) {
            self.name = name
            self.members = members
        }
    }

    /// `<deviceSecurityMode>`: 1 non-secure, 2 authenticated, 3 encrypted.
    ///
    /// With 2 or 3 (and a CTL/ITL that trusts the server) a Cisco phone registers over TLS (SCCPS); with 3 it also
    /// encrypts media.
    public enum SecurityMode: Int, Hashable, Sendable, CaseIterable {
        case nonSecure = 1
        case authenticated = 2
        case encrypted = 3

        /// `<transportLayerProtocol>`: 2 (TCP) for plain SCCP, 3 (TLS) for authenticated and encrypted.
        public var transportLayerProtocol: Int {
            switch self {
            case .nonSecure: 2
            case .authenticated, .encrypted: 3
            }
        }
    }

    /// `<dateTimeSetting>`: how the phone shows the date and which time zone it uses.
    public struct DateTimeSettings: Hashable, Sendable {
        /// CUCM's name for the setting; shown nowhere, kept for CUCM-shaped files.
        public var name: String
        /// The date format, e.g. "D.M.Y", "M/D/YA" (A: 12-hour clock).
        public var dateTemplate: String
        /// The Windows-style zone name Cisco firmware knows, e.g. "W. Europe Standard/Daylight Time".
        public var timeZone: String
        /// The IANA zone (`<olsonTimeZone>`), read by newer firmware; optional.
        public var olsonTimeZone: String?
        /// NTP servers (`<ntps>`), unicast.
        public var ntpServers: [String]

        public init(
            name: String = "CMLocal",
            dateTemplate: String = "D.M.Y",
            timeZone: String = "Greenwich Standard/Daylight Time",
            olsonTimeZone: String? = nil,
            ntpServers: [String] = []
        ) {
            self.name = name
            self.dateTemplate = dateTemplate
            self.timeZone = timeZone
            self.olsonTimeZone = olsonTimeZone
            self.ntpServers = ntpServers
        }
    }

    /// `<userLocale>`: the phone's display language.
    public struct UserLocale: Hashable, Sendable {
        /// The locale's folder name on the TFTP server, e.g. "English_United_States" or "German_Germany".
        public var name: String
        /// e.g. "en_US".
        public var languageCode: String
        /// e.g. "iso-8859-1"; optional.
        public var windowsCharacterSet: String?

        public init(name: String, languageCode: String, windowsCharacterSet: String? = nil) {
            self.name = name
            self.languageCode = languageCode
            self.windowsCharacterSet = windowsCharacterSet
        }
    }

    /// The phone-facing URLs a device may have; empty ones are written as empty elements.
    public struct URLs: Hashable, Sendable {
        /// `<authenticationURL>`: checks a user's PIN for services (sign-in).
        public var authentication: String?
        /// `<servicesURL>`: the Services button.
        public var services: String?
        /// `<directoryURL>`: the Directories button.
        public var directory: String?
        /// `<informationURL>`: the help (i) button.
        public var information: String?
        /// `<idleURL>`: shown when the phone is idle.
        public var idle: String?
        /// `<messagesURL>`: the Messages button (CUCM's "URL Messages"); empty keeps the phone's own behaviour.
        public var messages: String?
        /// `<idleTimeout>`: seconds of idleness before the phone shows `idle`; 0 never.
        public var idleTimeoutSeconds: Int

        public init(
            authentication: String? = nil,
            services: String? = nil,
            directory: String? = nil,
            information: String? = nil,
            idle: String? = nil,
            messages: String? = nil,
            idleTimeoutSeconds: Int = 0
        ) {
            self.authentication = authentication
            self.services = services
            self.directory = directory
            self.information = information
            self.idle = idle
            self.messages = messages
            self.idleTimeoutSeconds = idleTimeoutSeconds
        }
    }

    /// Everything in one device's `SEP<MAC>.cnf.xml`.
    public struct Device: Hashable, Sendable {
        /// "SEP" and the MAC address in upper-case hex, e.g. "SEP001122AABBCC".
        public var name: String
        /// The model, e.g. "Cisco 7942"; informational (the phone knows what it is).
        public var model: String
        /// Free text; informational.
        public var description: String
        public var securityMode: SecurityMode
        /// The device pool's name (`<devicePool><name>`).
        public var devicePoolName: String
        public var callManagerGroup: CallManagerGroup
        public var dateTime: DateTimeSettings
        /// The firmware load the phone should run (`<loadInformation>`), e.g. "SCCP42.9-4-2SR3-1S"; nil keeps the
        /// phone on what it has.
        public var loadInformation: String?
        public var userLocale: UserLocale?
        /// `<networkLocale>`: tones and cadences, e.g. "United_States", "Germany".
        public var networkLocale: String?
        public var urls: URLs
        /// `<versionStamp>`; nil derives one from the file's content, so it changes exactly when the file does.
        public var versionStamp: String?

        public init(
            name: String,
            model: String = "",
            description: String = "",
            securityMode: SecurityMode = .nonSecure,
            devicePoolName: String = "Default",
            callManagerGroup: CallManagerGroup,
            dateTime: DateTimeSettings = DateTimeSettings(),
            loadInformation: String? = nil,
            userLocale: UserLocale? = nil,
            networkLocale: String? = nil,
            urls: URLs = URLs(),
            versionStamp: String? = nil
        ) {
            self.name = name
            self.model = model
            self.description = description
            self.securityMode = securityMode
            self.devicePoolName = devicePoolName
            self.callManagerGroup = callManagerGroup
            self.dateTime = dateTime
            self.loadInformation = loadInformation
            self.userLocale = userLocale
            self.networkLocale = networkLocale
            self.urls = urls
            self.versionStamp = versionStamp
        }
    }

    /// A firmware load for one model, for `XMLDefault.cnf.xml` (`<loadInformation434 model="Cisco 7942">`).
    public struct ModelLoad: Hashable, Sendable {
        /// The SCCP device type number the phone reports (e.g. 434 for a 7942), part of the element name.
        public var deviceType: Int
        /// The model's name, e.g. "Cisco 7942".
        public var model: String
        /// The load name, e.g. "SCCP42.9-4-2SR3-1S".
        public var load: String

        public init(deviceType: Int, model: String, load: String) {
            self.deviceType = deviceType
            self.model = model
            self.load = load
        }
    }

    /// Everything in `XMLDefault.cnf.xml`, read by phones that have no file of their own (auto-registration).
    public struct Defaults: Hashable, Sendable {
        public var callManagerGroup: CallManagerGroup
        public var loads: [ModelLoad]
        public var urls: URLs

        public init(callManagerGroup: CallManagerGroup, loads: [ModelLoad] = [], urls: URLs = URLs()) {
            self.callManagerGroup = callManagerGroup
            self.loads = loads
            self.urls = urls
        }
    }
}
