public import Foundation

extension AdminAPI {
    // MARK: - Users

    /// A person who owns devices. `POST /api/users` needs `name`; the rest default.
    public struct User: Codable, Hashable, Sendable {
        /// A login-style name without spaces, unique without regard to case.
        public var name: String
        public var displayName: String
        /// Any of `voice`, `video`, `web` (default `["voice"]`).
        public var capabilities: [String]
        /// The devices this user owns (responses only).
        public var devices: [String]
        /// Who may see the user's presence: `everyone` (default), `nobody`, `allowList`.
        public var presenceVisibility: String
        /// With `allowList`: the user names that may see it.
        public var presenceAllowList: [String]

        public init(
            name: String,
            displayName: String = "",
            capabilities: [String] = ["voice"],
            devices: [String] = [],
            presenceVisibility: String = "everyone",
            presenceAllowList: [String] = []
        ) {
            self.name = name
            self.displayName = displayName
            self.capabilities = capabilities
            self.devices = devices
            self.presenceVisibility = presenceVisibility
            self.presenceAllowList = presenceAllowList
        }

        enum CodingKeys: String, CodingKey {
            case name, displayName, capabilities, devices, presenceVisibility, presenceAllowList
        }

        public init(from decoder: any Decoder) throws {
            let container = try decoder.container(keyedBy: CodingKeys.self)
            self.name = try container.decode(String.self, forKey: .name)
            self.displayName = try container.decodeIfPresent(String.self, forKey: .displayName) ?? ""
            self.capabilities = try container.decodeIfPresent([String].self, forKey: .capabilities) ?? ["voice"]
            self.devices = try container.decodeIfPresent([String].self, forKey: .devices) ?? []
            self.presenceVisibility =
                try container.decodeIfPresent(String.self, forKey: .presenceVisibility) ?? "everyone"
            self.presenceAllowList = try container.decodeIfPresent([String].self, forKey: .presenceAllowList) ?? []
        }
    }

    /// `PATCH /api/users/{name}`: the fields given change.
    public struct UserPatch: Codable, Hashable, Sendable {
        public var name: String?
        public var displayName: String?
        public var capabilities: [String]?
        public var presenceVisibility: String?
        public var presenceAllowList: [String]?

        public init(
            name: String? = nil,
            displayName: String? = nil,
            capabilities: [String]? = nil,
            presenceVisibility: String? = nil,
            presenceAllowList: [String]? = nil
        ) {
            self.name = name
            self.displayName = displayName
            self.capabilities = capabilities
            self.presenceVisibility = presenceVisibility
            self.presenceAllowList = presenceAllowList
        }
    }

    // MARK: - Devices

    /// A speed-dial button on a device.
    public struct SpeedDial: Codable, Hashable, Sendable {
        /// The button the phone asks for, from 1.
        public var buttonIndex: Int
        /// What it dials: 1–32 of `0-9 * + A-D`, optionally ending in `#`.
        public var number: String
        public var label: String
        /// Whether the button also shows the line state of `number` (a busy lamp field, lit by presence).
        public var isBusyLampField: Bool

        public init(buttonIndex: Int, number: String, label: String = "", isBusyLampField: Bool = false) {
            self.buttonIndex = buttonIndex
            self.number = number
            self.label = label
            self.isBusyLampField = isBusyLampField
        }

        enum CodingKeys: String, CodingKey {
            case buttonIndex, number, label, isBusyLampField
        }

        public init(from decoder: any Decoder) throws {
            let container = try decoder.container(keyedBy: CodingKeys.self)
            self.buttonIndex = try container.decode(Int.self, forKey: .buttonIndex)
            self.number = try container.decode(String.self, forKey: .number)
            self.label = try container.decodeIfPresent(String.self, forKey: .label) ?? ""
            self.isBusyLampField = try container.decodeIfPresent(Bool.self, forKey: .isBusyLampField) ?? false
        }
    }

    /// A phone. `POST /api/devices` needs `name`; lines must exist already.
    public struct Device: Codable, Hashable, Sendable {
        /// `SEP` followed by the MAC address as 12 hex digits.
        public var name: String
        /// Free text, e.g. `7960`.
        public var model: String
        public var description: String
        /// The owner's user name.
        public var owner: String?
        /// The highest SCCP version to negotiate with this phone; nil for no cap.
        public var maxProtocolVersion: Int?
        /// The CallManager group; nil for the default.
        public var callManagerGroup: String?
        /// Whether auto-registration created it (responses only).
        public var isAutoRegistered: Bool
        /// Directory numbers in button order.
        public var lines: [String]
        public var speedDials: [SpeedDial]
        /// `non-secure` (plain SCCP), `authenticated` or `encrypted` (SCCP over TLS): written into the phone's cnf.xml.
        public var securityMode: String
        /// Whether the phone must present a client certificate from the Strowger CA naming it (mutual TLS).
        public var requiresClientCertificate: Bool
        /// The firmware load for the phone's cnf.xml (`<loadInformation>`), e.g. `SCCP41.9-4-2SR3-1S`; nil keeps the
        /// phone on the load it runs.
        public var loadInformation: String?
        /// The music-on-hold source for parties this phone holds, when the line names none; nil for the built-in
        /// one (`GET /api/music-sources`).
        public var musicSource: String?
        /// Do not disturb, set by the phone's DND softkey or here (default false).
        public var doNotDisturb: Bool
        /// The softkey template the phone shows (`GET /api/softkey-templates`); nil for the built-in Standard User.
        public var softkeyTemplate: String?
        /// When the device last registered, or was last seen registered (responses only; `strowger device prune`).
        public var lastRegisteredAt: Date?
        /// The device's version, raised by one with every change (responses only): give it back in a `PATCH` to make
        /// the change only if nobody changed the device since (else 409).
        public var version: Int64

        public init(
            name: String,
            model: String = "",
            description: String = "",
            owner: String? = nil,
            maxProtocolVersion: Int? = nil,
            callManagerGroup: String? = nil,
            isAutoRegistered: Bool = false,
            lines: [String] = [],
            speedDials: [SpeedDial] = [],
            securityMode: String = "non-secure",
            requiresClientCertificate: Bool = false,
            loadInformation: String? = nil,
            musicSource: String? = nil,
            doNotDisturb: Bool = false,
            softkeyTemplate: String? = nil,
            lastRegisteredAt: Date? = nil,
            version: Int64 = 1
        ) {
            self.name = name
            self.model = model
            self.description = description
            self.owner = owner
            self.maxProtocolVersion = maxProtocolVersion
            self.callManagerGroup = callManagerGroup
            self.isAutoRegistered = isAutoRegistered
            self.lines = lines
            self.speedDials = speedDials
            self.securityMode = securityMode
            self.requiresClientCertificate = requiresClientCertificate
            self.loadInformation = loadInformation
            self.musicSource = musicSource
            self.doNotDisturb = doNotDisturb
            self.softkeyTemplate = softkeyTemplate
            self.lastRegisteredAt = lastRegisteredAt
            self.version = version
        }

        enum CodingKeys: String, CodingKey {
            case name, model, description, owner, maxProtocolVersion, callManagerGroup, isAutoRegistered, lines
            case speedDials, securityMode, requiresClientCertificate, loadInformation, musicSource, doNotDisturb
            case softkeyTemplate, lastRegisteredAt, version
        }

        public init(from decoder: any Decoder) throws {
            let container = try decoder.container(keyedBy: CodingKeys.self)
            self.name = try container.decode(String.self, forKey: .name)
            self.model = try container.decodeIfPresent(String.self, forKey: .model) ?? ""
            self.description = try container.decodeIfPresent(String.self, forKey: .description) ?? ""
            self.owner = try container.decodeIfPresent(String.self, forKey: .owner)
            self.maxProtocolVersion = try container.decodeIfPresent(Int.self, forKey: .maxProtocolVersion)
            self.callManagerGroup = try container.decodeIfPresent(String.self, forKey: .callManagerGroup)
            self.isAutoRegistered = try container.decodeIfPresent(Bool.self, forKey: .isAutoRegistered) ?? false
            self.lines = try container.decodeIfPresent([String].self, forKey: .lines) ?? []
            self.speedDials = try container.decodeIfPresent([SpeedDial].self, forKey: .speedDials) ?? []
            self.securityMode = try container.decodeIfPresent(String.self, forKey: .securityMode) ?? "non-secure"
            self.requiresClientCertificate =
                try container.decodeIfPresent(Bool.self, forKey: .requiresClientCertificate) ?? false
            self.loadInformation = try container.decodeIfPresent(String.self, forKey: .loadInformation)
            self.musicSource = try container.decodeIfPresent(String.self, forKey: .musicSource)
            self.doNotDisturb = try container.decodeIfPresent(Bool.self, forKey: .doNotDisturb) ?? false
            self.softkeyTemplate = try container.decodeIfPresent(String.self, forKey: .softkeyTemplate)
            self.lastRegisteredAt = try container.decodeIfPresent(Date.self, forKey: .lastRegisteredAt)
            self.version = try container.decodeIfPresent(Int64.self, forKey: .version) ?? 1
        }
    }

    /// `POST /api/devices/prune`: which devices to delete for not having registered for a while.
    public struct PruneRequest: Codable, Hashable, Sendable {
        /// Only devices auto-registration created (required to be true for now: administrators' devices are never
        /// pruned by age).
        public var autoRegistered: Bool
        /// Devices not registered for at least this many seconds (and not registered now) are deleted.
        public var unusedForSeconds: Int
        /// Say what would be deleted, delete nothing.
        public var dryRun: Bool

        public init(autoRegistered: Bool, unusedForSeconds: Int, dryRun: Bool = false) {
            self.autoRegistered = autoRegistered
            self.unusedForSeconds = unusedForSeconds
            self.dryRun = dryRun
        }

        public init(from decoder: any Decoder) throws {
            let container = try decoder.container(keyedBy: CodingKeys.self)
            self.autoRegistered = try container.decode(Bool.self, forKey: .autoRegistered)
            self.unusedForSeconds = try container.decode(Int.self, forKey: .unusedForSeconds)
            self.dryRun = try container.decodeIfPresent(Bool.self, forKey: .dryRun) ?? false
        }

        enum CodingKeys: String, CodingKey {
            case autoRegistered, unusedForSeconds, dryRun
        }
    }

    /// What `POST /api/devices/prune` deleted (or, with `dryRun`, would delete).
    public struct PruneResult: Codable, Hashable, Sendable {
        /// Device names.
        public var devices: [String]
        /// The lines that were on those devices only, now free again, by number.
        public var lines: [String]
        public var dryRun: Bool

        public init(devices: [String], lines: [String], dryRun: Bool) {
            self.devices = devices
            self.lines = lines
            self.dryRun = dryRun
        }
    }

    /// `PATCH /api/devices/{name}`: the fields given change; `null` clears an optional one. `lines` and `speedDials`
    /// replace the device's whole list.
    public struct DevicePatch: Codable, Hashable, Sendable {
        /// A new name: the phone was swapped for another (a new MAC) and keeps its lines.
        public var name: String?
        public var model: String?
        public var description: String?
        public var owner: String??
        public var maxProtocolVersion: Int??
        public var callManagerGroup: String??
        public var lines: [String]?
        public var speedDials: [SpeedDial]?
        public var securityMode: String?
        public var requiresClientCertificate: Bool?
        /// A firmware load; `null` (or `""`) clears it.
        public var loadInformation: String??
        /// A music-on-hold source; `null` (or `""`) goes back to the built-in one.
        public var musicSource: String??
        /// Do not disturb on or off.
        public var doNotDisturb: Bool?
        /// A softkey template; `null` (or `""`) goes back to the built-in Standard User.
        public var softkeyTemplate: String??
        /// The version the change was made from (`GET`'s `version`): the device changes only if it still has it,
        /// else 409. Absent: the server uses the version it reads, so a concurrent change is never silently undone
        /// either.
        public var version: Int64?

        public init(
            name: String? = nil,
            model: String? = nil,
            description: String? = nil,
            owner: String?? = nil,
            maxProtocolVersion: Int?? = nil,
            callManagerGroup: String?? = nil,
            lines: [String]? = nil,
            speedDials: [SpeedDial]? = nil,
            securityMode: String? = nil,
            requiresClientCertificate: Bool? = nil,
            loadInformation: String?? = nil,
            musicSource: String?? = nil,
            doNotDisturb: Bool? = nil,
            softkeyTemplate: String?? = nil,
            version: Int64? = nil
        ) {
            self.name = name
            self.model = model
            self.description = description
            self.owner = owner
            self.maxProtocolVersion = maxProtocolVersion
            self.callManagerGroup = callManagerGroup
            self.lines = lines
            self.speedDials = speedDials
            self.securityMode = securityMode
            self.requiresClientCertificate = requiresClientCertificate
            self.loadInformation = loadInformation
            self.musicSource = musicSource
            self.doNotDisturb = doNotDisturb
            self.softkeyTemplate = softkeyTemplate
            self.version = version
        }

        enum CodingKeys: String, CodingKey {
            case name, model, description, owner, maxProtocolVersion, callManagerGroup, lines, speedDials
            case securityMode, requiresClientCertificate, loadInformation, musicSource, doNotDisturb, softkeyTemplate
            case version
        }

        public init(from decoder: any Decoder) throws {
            let container = try decoder.container(keyedBy: CodingKeys.self)
            self.name = try container.decodeIfPresent(String.self, forKey: .name)
            self.model = try container.decodeIfPresent(String.self, forKey: .model)
            self.description = try container.decodeIfPresent(String.self, forKey: .description)
            self.owner = try container.decodePatch(String.self, forKey: .owner)
            self.maxProtocolVersion = try container.decodePatch(Int.self, forKey: .maxProtocolVersion)
            self.callManagerGroup = try container.decodePatch(String.self, forKey: .callManagerGroup)
            self.lines = try container.decodeIfPresent([String].self, forKey: .lines)
            self.speedDials = try container.decodeIfPresent([SpeedDial].self, forKey: .speedDials)
            self.securityMode = try container.decodeIfPresent(String.self, forKey: .securityMode)
            self.requiresClientCertificate = try container.decodeIfPresent(
                Bool.self,
                forKey: .requiresClientCertificate
            )
            self.loadInformation = try container.decodePatch(String.self, forKey: .loadInformation)
            self.musicSource = try container.decodePatch(String.self, forKey: .musicSource)
            self.doNotDisturb = try container.decodeIfPresent(Bool.self, forKey: .doNotDisturb)
            self.softkeyTemplate = try container.decodePatch(String.self, forKey: .softkeyTemplate)
            self.version = try container.decodeIfPresent(Int64.self, forKey: .version)
        }

        public func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encodeIfPresent(name, forKey: .name)
            try container.encodeIfPresent(model, forKey: .model)
            try container.encodeIfPresent(description, forKey: .description)
            try container.encodePatch(owner, forKey: .owner)
            try container.encodePatch(maxProtocolVersion, forKey: .maxProtocolVersion)
            try container.encodePatch(callManagerGroup, forKey: .callManagerGroup)
            try container.encodeIfPresent(lines, forKey: .lines)
            try container.encodeIfPresent(speedDials, forKey: .speedDials)
            try container.encodeIfPresent(securityMode, forKey: .securityMode)
            try container.encodeIfPresent(requiresClientCertificate, forKey: .requiresClientCertificate)
            try container.encodePatch(loadInformation, forKey: .loadInformation)
            try container.encodePatch(musicSource, forKey: .musicSource)
            try container.encodeIfPresent(doNotDisturb, forKey: .doNotDisturb)
            try container.encodePatch(softkeyTemplate, forKey: .softkeyTemplate)
            try container.encodeIfPresent(version, forKey: .version)
        }
    }

    /// `POST /api/devices/{name}/reset`'s answer.
    public struct ResetResult: Codable, Hashable, Sendable {
        public var name: String
        /// Whether the phone was registered and was told to restart; an unregistered phone picks up its
        /// configuration when it next registers.
        public var wasRegistered: Bool

        public init(name: String, wasRegistered: Bool) {
            self.name = name
            self.wasRegistered = wasRegistered
        }
    }

    // MARK: - Lines

    /// A directory number. `POST /api/lines` needs `number`; the rest default.
    public struct Line: Codable, Hashable, Sendable {
        public var number: String
        public var displayName: String
        /// Forward every call here (CUCM "Forward All").
        public var forwardAll: String?
        /// Forward calls that find the line busy.
        public var forwardBusy: String?
        /// Forward calls not answered within `noAnswerTimeoutSeconds`.
        public var forwardNoAnswer: String?
        public var noAnswerTimeoutSeconds: Int
        public var maxCalls: Int
        public var busyTrigger: Int
        public var voicemailNumber: String?
        /// The music-on-hold source for parties this line holds; nil for the device's, else the built-in one.
        public var musicSource: String?
        /// The devices that show this line (responses only).
        public var devices: [String]
        /// A message is waiting: the phones with the line light their message lamp (default false).
        public var messageWaiting: Bool
        /// Those of `devices` in do-not-disturb (responses only).
        public var doNotDisturbDevices: [String]
        /// The line's version, raised by one with every change (responses only): give it back in a `PATCH` to make
        /// the change only if nobody changed the line since (else 409).
        public var version: Int64

        public init(
            number: String,
            displayName: String = "",
            forwardAll: String? = nil,
            forwardBusy: String? = nil,
            forwardNoAnswer: String? = nil,
            noAnswerTimeoutSeconds: Int = 12,
            maxCalls: Int = 2,
            busyTrigger: Int = 2,
            voicemailNumber: String? = nil,
            musicSource: String? = nil,
            devices: [String] = [],
            messageWaiting: Bool = false,
            doNotDisturbDevices: [String] = [],
            version: Int64 = 1
        ) {
            self.number = number
            self.displayName = displayName
            self.forwardAll = forwardAll
            self.forwardBusy = forwardBusy
            self.forwardNoAnswer = forwardNoAnswer
            self.noAnswerTimeoutSeconds = noAnswerTimeoutSeconds
            self.maxCalls = maxCalls
            self.busyTrigger = busyTrigger
            self.voicemailNumber = voicemailNumber
            self.musicSource = musicSource
            self.devices = devices
            self.messageWaiting = messageWaiting
            self.doNotDisturbDevices = doNotDisturbDevices
            self.version = version
        }

        enum CodingKeys: String, CodingKey {
            case number, displayName, forwardAll, forwardBusy, forwardNoAnswer, noAnswerTimeoutSeconds, maxCalls
            case busyTrigger, voicemailNumber, musicSource, devices, messageWaiting, doNotDisturbDevices, version
        }

        public init(from decoder: any Decoder) throws {
            let container = try decoder.container(keyedBy: CodingKeys.self)
            let defaults = Line(number: "")
            self.number = try container.decode(String.self, forKey: .number)
            self.displayName = try container.decodeIfPresent(String.self, forKey: .displayName) ?? ""
            self.forwardAll = try container.decodeIfPresent(String.self, forKey: .forwardAll)
            self.forwardBusy = try container.decodeIfPresent(String.self, forKey: .forwardBusy)
            self.forwardNoAnswer = try container.decodeIfPresent(String.self, forKey: .forwardNoAnswer)
            self.noAnswerTimeoutSeconds =
                try container.decodeIfPresent(Int.self, forKey: .noAnswerTimeoutSeconds)
                ?? defaults.noAnswerTimeoutSeconds
            self.maxCalls = try container.decodeIfPresent(Int.self, forKey: .maxCalls) ?? defaults.maxCalls
            self.busyTrigger = try container.decodeIfPresent(Int.self, forKey: .busyTrigger) ?? defaults.busyTrigger
            self.voicemailNumber = try container.decodeIfPresent(String.self, forKey: .voicemailNumber)
            self.musicSource = try container.decodeIfPresent(String.self, forKey: .musicSource)
            self.devices = try container.decodeIfPresent([String].self, forKey: .devices) ?? []
            self.messageWaiting = try container.decodeIfPresent(Bool.self, forKey: .messageWaiting) ?? false
            self.doNotDisturbDevices =
                try container.decodeIfPresent([String].self, forKey: .doNotDisturbDevices) ?? []
            self.version = try container.decodeIfPresent(Int64.self, forKey: .version) ?? 1
        }
    }

    /// `PATCH /api/lines/{number}`: the fields given change; `null` clears a forward or the voicemail number. A new
    /// `number` moves the line (its devices keep it on the same button).
    public struct LinePatch: Codable, Hashable, Sendable {
        public var number: String?
        public var displayName: String?
        public var forwardAll: String??
        public var forwardBusy: String??
        public var forwardNoAnswer: String??
        public var noAnswerTimeoutSeconds: Int?
        public var maxCalls: Int?
        public var busyTrigger: Int?
        public var voicemailNumber: String??
        /// A music-on-hold source; `null` (or `""`) clears it.
        public var musicSource: String??
        public var messageWaiting: Bool?
        /// The version the change was made from (`GET`'s `version`): the line changes only if it still has it, else
        /// 409. Absent: the server uses the version it reads, so a concurrent change is never silently undone either.
        public var version: Int64?

        public init(
            number: String? = nil,
            displayName: String? = nil,
            forwardAll: String?? = nil,
            forwardBusy: String?? = nil,
            forwardNoAnswer: String?? = nil,
            noAnswerTimeoutSeconds: Int? = nil,
            maxCalls: Int? = nil,
            busyTrigger: Int? = nil,
            voicemailNumber: String?? = nil,
            musicSource: String?? = nil,
            messageWaiting: Bool? = nil,
            version: Int64? = nil
        ) {
            self.number = number
            self.displayName = displayName
            self.forwardAll = forwardAll
            self.forwardBusy = forwardBusy
            self.forwardNoAnswer = forwardNoAnswer
            self.noAnswerTimeoutSeconds = noAnswerTimeoutSeconds
            self.maxCalls = maxCalls
            self.busyTrigger = busyTrigger
            self.voicemailNumber = voicemailNumber
            self.musicSource = musicSource
            self.messageWaiting = messageWaiting
            self.version = version
        }

        enum CodingKeys: String, CodingKey {
            case number, displayName, forwardAll, forwardBusy, forwardNoAnswer, noAnswerTimeoutSeconds, maxCalls
            case busyTrigger, voicemailNumber, musicSource, messageWaiting, version
        }

        public init(from decoder: any Decoder) throws {
            let container = try decoder.container(keyedBy: CodingKeys.self)
            self.number = try container.decodeIfPresent(String.self, forKey: .number)
            self.displayName = try container.decodeIfPresent(String.self, forKey: .displayName)
            self.forwardAll = try container.decodePatch(String.self, forKey: .forwardAll)
            self.forwardBusy = try container.decodePatch(String.self, forKey: .forwardBusy)
            self.forwardNoAnswer = try container.decodePatch(String.self, forKey: .forwardNoAnswer)
            self.noAnswerTimeoutSeconds = try container.decodeIfPresent(Int.self, forKey: .noAnswerTimeoutSeconds)
            self.maxCalls = try container.decodeIfPresent(Int.self, forKey: .maxCalls)
            self.busyTrigger = try container.decodeIfPresent(Int.self, forKey: .busyTrigger)
            self.voicemailNumber = try container.decodePatch(String.self, forKey: .voicemailNumber)
            self.musicSource = try container.decodePatch(String.self, forKey: .musicSource)
            self.messageWaiting = try container.decodeIfPresent(Bool.self, forKey: .messageWaiting)
            self.version = try container.decodeIfPresent(Int64.self, forKey: .version)
        }

        public func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encodeIfPresent(number, forKey: .number)
            try container.encodeIfPresent(displayName, forKey: .displayName)
            try container.encodePatch(forwardAll, forKey: .forwardAll)
            try container.encodePatch(forwardBusy, forKey: .forwardBusy)
            try container.encodePatch(forwardNoAnswer, forKey: .forwardNoAnswer)
            try container.encodeIfPresent(noAnswerTimeoutSeconds, forKey: .noAnswerTimeoutSeconds)
            try container.encodeIfPresent(maxCalls, forKey: .maxCalls)
            try container.encodeIfPresent(busyTrigger, forKey: .busyTrigger)
            try container.encodePatch(voicemailNumber, forKey: .voicemailNumber)
            try container.encodePatch(musicSource, forKey: .musicSource)
            try container.encodeIfPresent(messageWaiting, forKey: .messageWaiting)
            try container.encodeIfPresent(version, forKey: .version)
        }
    }

    // MARK: - Route patterns

    /// One dial-plan entry. `POST /api/routes` needs `pattern` and either `targetNumber` or `"isBlocked": true`.
    public struct RoutePattern: Codable, Hashable, Sendable {
        /// Assigned by the server (responses only).
        public var id: Int64?
        /// CUCM-style: `9.1XXX`, `[2-5]XX`, `0!`, `00!#`.
        public var pattern: String
        /// The directory number a match routes to; nil when blocked or sent to a trunk.
        public var targetNumber: String?
        public var isBlocked: Bool
        /// The SIP trunk a match goes out on (issue 15); nil otherwise.
        public var trunk: String?
        /// With ``trunk``: drop the digits matched before the pattern's `.`.
        public var stripPreDot: Bool
        /// With ``trunk``: put these digits in front (`+49`).
        public var prefix: String
        public var description: String
        /// Breaks ties between equally specific patterns, lower first.
        public var sortOrder: Int

        public init(
            id: Int64? = nil,
            pattern: String,
            targetNumber: String?,
            isBlocked: Bool = false,
            trunk: String? = nil,
            stripPreDot: Bool = false,
            prefix: String = "",
            description: String = "",
            sortOrder: Int = 0
        ) {
            self.id = id
            self.pattern = pattern
            self.targetNumber = targetNumber
            self.isBlocked = isBlocked
            self.trunk = trunk
            self.stripPreDot = stripPreDot
            self.prefix = prefix
            self.description = description
            self.sortOrder = sortOrder
        }

        enum CodingKeys: String, CodingKey {
            case id, pattern, targetNumber, isBlocked, trunk, stripPreDot, prefix, description, sortOrder
        }

        public init(from decoder: any Decoder) throws {
            let container = try decoder.container(keyedBy: CodingKeys.self)
            self.id = try container.decodeIfPresent(Int64.self, forKey: .id)
            self.pattern = try container.decode(String.self, forKey: .pattern)
            self.targetNumber = try container.decodeIfPresent(String.self, forKey: .targetNumber)
            self.isBlocked = try container.decodeIfPresent(Bool.self, forKey: .isBlocked) ?? false
            self.trunk = try container.decodeIfPresent(String.self, forKey: .trunk)
            self.stripPreDot = try container.decodeIfPresent(Bool.self, forKey: .stripPreDot) ?? false
            self.prefix = try container.decodeIfPresent(String.self, forKey: .prefix) ?? ""
            self.description = try container.decodeIfPresent(String.self, forKey: .description) ?? ""
            self.sortOrder = try container.decodeIfPresent(Int.self, forKey: .sortOrder) ?? 0
        }
    }

    /// `PATCH /api/routes/{id}`: the fields given change. Setting `targetNumber` unblocks the pattern; setting
    /// `"isBlocked": true` clears the target.
    public struct RoutePatternPatch: Codable, Hashable, Sendable {
        public var pattern: String?
        public var targetNumber: String?
        public var isBlocked: Bool?
        /// Sends matches to this trunk (with ``stripPreDot`` and ``prefix``, which keep their values unless given).
        public var trunk: String?
        public var stripPreDot: Bool?
        public var prefix: String?
        public var description: String?
        public var sortOrder: Int?

        public init(
            pattern: String? = nil,
            targetNumber: String? = nil,
            isBlocked: Bool? = nil,
            trunk: String? = nil,
            stripPreDot: Bool? = nil,
            prefix: String? = nil,
            description: String? = nil,
            sortOrder: Int? = nil
        ) {
            self.pattern = pattern
            self.targetNumber = targetNumber
            self.isBlocked = isBlocked
            self.trunk = trunk
            self.stripPreDot = stripPreDot
            self.prefix = prefix
            self.description = description
            self.sortOrder = sortOrder
        }
    }

    // MARK: - Settings

    /// Server-wide settings (`GET`/`PATCH /api/settings`). In a PATCH every field is optional.
    ///
    /// The date/time group and locales go into every phone's cnf.xml. `olsonTimeZone`, `userLocale` and
    /// `networkLocale` are optional in the Store: a GET answers `""` for one that is not set, and a PATCH with `""`
    /// clears it.
    public struct Settings: Codable, Hashable, Sendable {
        public var autoRegistrationEnabled: Bool?
        public var autoRegistrationFirstNumber: Int?
        public var autoRegistrationLastNumber: Int?
        public var autoRegistrationMaxCalls: Int?
        public var autoRegistrationBusyTrigger: Int?
        public var keepAliveSeconds: Int?
        public var offHookTimeoutMilliseconds: Int?
        public var interdigitTimeoutMilliseconds: Int?
        public var failedCallTimeoutMilliseconds: Int?
        public var packetMilliseconds: Int?
        /// How phones show the date, e.g. `D.M.Y`, `M/D/YA` (A: 12-hour clock), `YY/M/D` (4-digit year).
        public var dateTemplate: String?
        /// The Cisco firmware's time zone name, e.g. `W. Europe Standard/Daylight Time`.
        public var timeZone: String?
        /// The IANA zone, e.g. `Europe/Berlin`; `""` for none.
        public var olsonTimeZone: String?
        /// NTP servers (host names or addresses), in order; `[]` for none.
        public var ntpServers: [String]?
        /// CUCM's user locale name, e.g. `English_United_States`; `""` for none.
        public var userLocale: String?
        /// CUCM's network locale name, e.g. `United_States`; `""` for none.
        public var networkLocale: String?
        /// The call park slots as `FIRST-LAST` (`7000-7019`), or one number; `""` turns park off (the default).
        public var parkSlots: String?
        /// Seconds a parked call waits before it rings the parker again, 1–3600 (60).
        public var parkReversionSeconds: Int?
        /// Hanging up during a transfer consultation completes the transfer (default false).
        public var transferOnHook: Bool?
        /// What a call to a phone in do not disturb does: `ringer-off` (default) or `reject`.
        public var doNotDisturbMode: String?

        public init(
            autoRegistrationEnabled: Bool? = nil,
            autoRegistrationFirstNumber: Int? = nil,
            autoRegistrationLastNumber: Int? = nil,
            autoRegistrationMaxCalls: Int? = nil,
            autoRegistrationBusyTrigger: Int? = nil,
            keepAliveSeconds: Int? = nil,
            offHookTimeoutMilliseconds: Int? = nil,
            interdigitTimeoutMilliseconds: Int? = nil,
            failedCallTimeoutMilliseconds: Int? = nil,
            packetMilliseconds: Int? = nil,
            dateTemplate: String? = nil,
            timeZone: String? = nil,
            olsonTimeZone: String? = nil,
            ntpServers: [String]? = nil,
            userLocale: String? = nil,
            networkLocale: String? = nil,
            parkSlots: String? = nil,
            parkReversionSeconds: Int? = nil,
            transferOnHook: Bool? = nil,
            doNotDisturbMode: String? = nil
        ) {
            self.autoRegistrationEnabled = autoRegistrationEnabled
            self.autoRegistrationFirstNumber = autoRegistrationFirstNumber
            self.autoRegistrationLastNumber = autoRegistrationLastNumber
            self.autoRegistrationMaxCalls = autoRegistrationMaxCalls
            self.autoRegistrationBusyTrigger = autoRegistrationBusyTrigger
            self.keepAliveSeconds = keepAliveSeconds
            self.offHookTimeoutMilliseconds = offHookTimeoutMilliseconds
            self.interdigitTimeoutMilliseconds = interdigitTimeoutMilliseconds
            self.failedCallTimeoutMilliseconds = failedCallTimeoutMilliseconds
            self.packetMilliseconds = packetMilliseconds
            self.dateTemplate = dateTemplate
            self.timeZone = timeZone
            self.olsonTimeZone = olsonTimeZone
            self.ntpServers = ntpServers
            self.userLocale = userLocale
            self.networkLocale = networkLocale
            self.parkSlots = parkSlots
            self.parkReversionSeconds = parkReversionSeconds
            self.transferOnHook = transferOnHook
            self.doNotDisturbMode = doNotDisturbMode
        }
    }

    // MARK: - Import

    /// `POST /api/import`'s answer: what the CSV changed.
    public struct ImportResult: Codable, Hashable, Sendable {
        /// Data rows read (the header and blank lines not counted).
        public var rows: Int
        public var linesCreated: Int
        public var linesUpdated: Int
        public var devicesCreated: Int
        public var devicesUpdated: Int
        public var speedDials: Int

        public init(
            rows: Int,
            linesCreated: Int,
            linesUpdated: Int,
            devicesCreated: Int,
            devicesUpdated: Int,
            speedDials: Int
        ) {
            self.rows = rows
            self.linesCreated = linesCreated
            self.linesUpdated = linesUpdated
            self.devicesCreated = devicesCreated
            self.devicesUpdated = devicesUpdated
            self.speedDials = speedDials
        }
    }
}
