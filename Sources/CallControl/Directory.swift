/// A speed-dial button: pressing it dials `number` (going off-hook first if needed).
public struct SpeedDial: Hashable, Sendable {
    /// The button's index as the device numbers speed dials (SCCP `SpeedDialStatReq` index, 1...n).
    public var index: UInt32
    public var number: String
    /// The text shown next to the button.
    public var label: String
    /// Whether the button also shows the state of `number` (a busy lamp field, BLF): SCCP v15+ phones get it as a
    /// BLF speed-dial button (type 0x15), older ones as a speed dial whose lamp shows the state.
    public var isBusyLampField: Bool

    public init(index: UInt32, number: String, label: String, isBusyLampField: Bool = false) {
        self.index = index
        self.number = number
        self.label = label
        self.isBusyLampField = isBusyLampField
    }
}

/// A configured device: which lines it shows, in button order, and its speed dials.
public struct DeviceConfiguration: Hashable, Sendable {
    public var name: DeviceName
    /// Directory numbers in button order: the first has line instance 1, the next 2, and so on.
    public var lines: [DirectoryNumber]
    public var speedDials: [SpeedDial]
    /// Do not disturb (CUCM's device DND): set by the DND softkey or the administrator; what a call to the device
    /// then does is ``CallControlSettings/doNotDisturbMode``.
    public var doNotDisturb: Bool
    /// The music-on-hold source parties this device holds hear when the line names none; nil for the built-in one.
    public var musicSource: String?
    /// The softkeys the device shows in each call state; nil for the built-in ``SoftkeyTemplate/standardUser``.
    public var softkeys: SoftkeyTemplate?

    public init(
        name: DeviceName,
        lines: [DirectoryNumber],
        speedDials: [SpeedDial] = [],
        doNotDisturb: Bool = false,
        musicSource: String? = nil,
        softkeys: SoftkeyTemplate? = nil
    ) {
        self.name = name
        self.lines = lines
        self.speedDials = speedDials
        self.doNotDisturb = doNotDisturb
        self.musicSource = musicSource
        self.softkeys = softkeys
    }
}

/// A configured line (directory number).
public struct LineConfiguration: Hashable, Sendable {
    public var number: DirectoryNumber
    /// The name callers and callees see; empty shows the number only.
    public var displayName: String
    /// How many calls the line may have on one device at once, outgoing and incoming (CUCM "maximum number of
    /// calls"). At least 1.
    public var maxCalls: Int
    /// An incoming call finds the line busy once it has this many calls (CUCM "busy trigger"). With the default 2 a
    /// second call rings as call waiting and a third gets busy; with 1 a second call gets busy. At least 1 and at
    /// most `maxCalls`.
    public var busyTrigger: Int
    /// Every call for the line goes here instead (CUCM Call Forward All); nil for none. A dialled string, analysed
    /// like a complete number (route patterns apply).
    public var forwardAll: String?
    /// A call that finds the line busy goes here instead of getting busy tone (Call Forward Busy); nil for none.
    public var forwardBusy: String?
    /// A call not answered within ``noAnswerTimeout`` goes here (Call Forward No Answer); nil for none.
    public var forwardNoAnswer: String?
    /// How long a call rings before ``forwardNoAnswer`` applies (CUCM's default: 12 s).
    public var noAnswerTimeout: Duration
    /// A message is waiting for the line (voicemail): every phone with the line lights its message lamp.
    public var messageWaiting: Bool
    /// The music-on-hold source parties this line holds hear (a name from the media server's library); nil for the
    /// device's choice, else the built-in source.
    public var musicSource: String?

    public init(
        number: DirectoryNumber,
        displayName: String = "",
        maxCalls: Int = 2,
        busyTrigger: Int = 2,
        forwardAll: String? = nil,
        forwardBusy: String? = nil,
        forwardNoAnswer: String? = nil,
        noAnswerTimeout: Duration = .seconds(12),
        messageWaiting: Bool = false,
        musicSource: String? = nil
    ) {
        self.number = number
        self.displayName = displayName
        self.maxCalls = max(1, maxCalls)
        self.busyTrigger = min(max(1, busyTrigger), self.maxCalls)
        self.forwardAll = forwardAll
        self.forwardBusy = forwardBusy
        self.forwardNoAnswer = forwardNoAnswer
        self.noAnswerTimeout = noAnswerTimeout
        self.messageWaiting = messageWaiting
        self.musicSource = musicSource
    }
}

/// CUCM-style auto-registration: an unknown phone gets the next free number from a range.
public struct AutoRegistrationSettings: Hashable, Sendable {
    /// On by default, so that two new phones can call each other with no setup (design.md).
    public var isEnabled: Bool
    /// The numbers handed out, lowest free first.
    public var numbers: ClosedRange<UInt32>
    /// Line settings for auto-registered lines.
    public var maxCalls: Int
    public var busyTrigger: Int

    public init(
        isEnabled: Bool = true,
        numbers: ClosedRange<UInt32> = 1000...1999,
        maxCalls: Int = 2,
        busyTrigger: Int = 2
    ) {
        self.isEnabled = isEnabled
        self.numbers = numbers
        self.maxCalls = maxCalls
        self.busyTrigger = busyTrigger
    }
}

/// Timeouts and media defaults. All live-changeable; a change applies to timers started after it.
public struct CallControlSettings: Hashable, Sendable {
    /// Off-hook with no digit: then reorder. CUCM's "Offhook To First Digit Timer" default is 15 s.
    public var offHookTimeout: Duration
    /// Time allowed between digits while the number could still grow (default 5 s).
    public var interdigitTimeout: Duration
    /// How long a failed call (busy, reorder, invalid number) plays its tone before the core clears it (chan-sccp
    /// hangs up invalid numbers after 15 s).
    public var failedCallTimeout: Duration
    /// RTP packetisation for every stream (20 ms, what CUCM sends).
    public var packetMilliseconds: UInt32
    public var autoRegistration: AutoRegistrationSettings
    /// Call park slots and reversion; off by default.
    public var park: ParkSettings
    /// Hanging up during a transfer consultation completes the transfer (CUCM's "Transfer On-hook Enabled", off by
    /// default: hanging up then ends the consultation and the first call stays on hold).
    public var transferOnHook: Bool
    /// What a call to a device in do-not-disturb does.
    public var doNotDisturbMode: DoNotDisturbMode

    public init(
        offHookTimeout: Duration = .seconds(15),
        interdigitTimeout: Duration = .seconds(5),
        failedCallTimeout: Duration = .seconds(15),
        packetMilliseconds: UInt32 = 20,
        autoRegistration: AutoRegistrationSettings = AutoRegistrationSettings(),
        park: ParkSettings = .off,
        transferOnHook: Bool = false,
        doNotDisturbMode: DoNotDisturbMode = .ringerOff
    ) {
        self.offHookTimeout = offHookTimeout
        self.interdigitTimeout = interdigitTimeout
        self.failedCallTimeout = failedCallTimeout
        self.packetMilliseconds = packetMilliseconds
        self.autoRegistration = autoRegistration
        self.park = park
        self.transferOnHook = transferOnHook
        self.doNotDisturbMode = doNotDisturbMode
    }
}

/// The configuration the core works from: devices, lines, route patterns and settings, held in memory with the
/// indexes the call path needs.
///
/// The Store owns the real data and feeds changes in with ``CallEvent/directoryChanged(_:)``, so the call path never
/// waits on a database. Lookups by device name or directory number are dictionary lookups; see ``DialPlan`` for the
/// cost of number analysis.
///
/// A directory number on several devices is a shared line: a call to it rings every registered device that carries
/// it. Besides directory numbers, hunt pilots and park slots are dialable numbers too.
public struct Directory: Sendable {
    public private(set) var devices: [DeviceName: DeviceConfiguration] = [:]
    /// Line settings by number. A number on a device without an entry here uses ``LineConfiguration``'s defaults.
    public private(set) var lines: [DirectoryNumber: LineConfiguration] = [:]
    /// Hunt groups by pilot number.
    public private(set) var huntGroups: [DirectoryNumber: HuntGroup] = [:]
    /// Pickup groups by group number.
    public private(set) var pickupGroups: [DirectoryNumber: PickupGroup] = [:]
    /// Meet-me conference numbers.
    public private(set) var meetMeRanges: [MeetMeRange] = []
    public var settings: CallControlSettings {
        didSet {
            if oldValue.park.slots != settings.park.slots {
                indexParkSlots(oldValue.park.slots, by: -1)
                indexParkSlots(settings.park.slots, by: 1)
            }
        }
    }

    /// The pickup group each member number belongs to.
    private var pickupGroupOfMember: [DirectoryNumber: DirectoryNumber] = [:]

    /// Which devices carry each number, in the order they were added.
    private(set) var appearances: [DirectoryNumber: [DeviceName]] = [:]
    /// For every proper prefix of a number that is on some device, how many such numbers it starts: tells in O(1)
    /// whether a partly dialled number could still become a directory number.
    private var numberPrefixes: [Substring: Int] = [:]
    private var dialPlan: DialPlan

    public init(
        devices: [DeviceConfiguration] = [],
        lines: [LineConfiguration] = [],
        routePatterns: [RoutePattern] = [],
        huntGroups: [HuntGroup] = [],
        pickupGroups: [PickupGroup] = [],
        meetMeRanges: [MeetMeRange] = [],
        settings: CallControlSettings = CallControlSettings()
    ) {
        self.settings = settings
        self.dialPlan = DialPlan(patterns: routePatterns)
        for line in lines { self.lines[line.number] = line }
        for device in devices { upsert(device) }
        for group in huntGroups { upsert(group) }
        for group in pickupGroups { upsert(group) }
        indexParkSlots(settings.park.slots, by: 1)
        replaceMeetMeRanges(meetMeRanges)
    }

    /// Replaces the meet-me numbers (each range is at most ``maximumParkSlots`` numbers long for the dial index).
    public mutating func replaceMeetMeRanges(_ ranges: [MeetMeRange]) {
        for range in meetMeRanges { indexMeetMe(range, by: -1) }
        meetMeRanges = ranges
        for range in meetMeRanges { indexMeetMe(range, by: 1) }
    }

    private mutating func indexMeetMe(_ range: MeetMeRange, by delta: Int) {
        guard let first = UInt32(range.first.rawValue), let last = UInt32(range.last.rawValue), first <= last else {
            return
        }
        let width = range.first.rawValue.count
        let end = min(last, first &+ Self.maximumParkSlots &- 1)
        for value in first...end {
            var text = String(value)
            if text.count < width { text = String(repeating: "0", count: width - text.count) + text }
            adjustPrefixes(of: DirectoryNumber(text), by: delta)
        }
    }

    /// The most park slots the directory indexes for dialling; a larger range is cut to its first this many. The
    /// Store refuses larger ranges; this only bounds the core if it is given one.
    public static let maximumParkSlots: UInt32 = 10_000

    /// The route patterns, in their configured order (which breaks ties between equally specific patterns).
    public var routePatterns: [RoutePattern] { dialPlan.patterns }

    /// The settings for `number`, or the defaults if it has none.
    public func lineConfiguration(for number: DirectoryNumber) -> LineConfiguration {
        lines[number] ?? LineConfiguration(number: number)
    }

    /// Devices that carry `number`, in the order they were configured.
    public func devices(carrying number: DirectoryNumber) -> [DeviceName] {
        appearances[number] ?? []
    }

    /// Whether `number` is taken (on a device, configured as a line, a hunt pilot, a pickup group or a park slot),
    /// so auto-registration must skip it.
    public func isNumberInUse(_ number: DirectoryNumber) -> Bool {
        appearances[number] != nil || lines[number] != nil || huntGroups[number] != nil
            || pickupGroups[number] != nil || settings.park.isSlot(number)
            || meetMeRanges.contains { $0.contains(number) }
    }

    /// What dialling exactly `number` reaches, if it is a number the directory knows: a line on a device, a hunt
    /// pilot or a park slot. A directory number on a device wins over a pilot or slot with the same digits.
    public func dialTarget(_ number: DirectoryNumber) -> DialTarget? {
        if appearances[number] != nil { return .line(number) }
        if let group = huntGroups[number] { return .huntPilot(group) }
        if settings.park.isSlot(number) { return .parkSlot(number) }
        if meetMeRanges.contains(where: { $0.contains(number) }) { return .meetMe(number) }
        return nil
    }

    /// The pickup group `number` is a member of.
    public func pickupGroup(ofMember number: DirectoryNumber) -> PickupGroup? {
        pickupGroupOfMember[number].flatMap { pickupGroups[$0] }
    }

    /// Adds a hunt group or replaces the one with the same pilot.
    public mutating func upsert(_ group: HuntGroup) {
        if huntGroups[group.pilot] == nil { adjustPrefixes(of: group.pilot, by: 1) }
        huntGroups[group.pilot] = group
    }

    /// Removes the hunt group with `pilot`.
    @discardableResult
    public mutating func removeHuntGroup(pilot: DirectoryNumber) -> HuntGroup? {
        guard let old = huntGroups.removeValue(forKey: pilot) else { return nil }
        adjustPrefixes(of: pilot, by: -1)
        return old
    }

    /// Adds a pickup group or replaces the one with the same number.
    public mutating func upsert(_ group: PickupGroup) {
        removePickupGroup(number: group.number)
        pickupGroups[group.number] = group
        for member in group.members where pickupGroupOfMember[member] == nil {
            pickupGroupOfMember[member] = group.number
        }
    }

    /// Removes the pickup group `number`; its members may then fall to another group listing them.
    @discardableResult
    public mutating func removePickupGroup(number: DirectoryNumber) -> PickupGroup? {
        guard let old = pickupGroups.removeValue(forKey: number) else { return nil }
        for member in old.members where pickupGroupOfMember[member] == number {
            pickupGroupOfMember[member] = nil
            // Another group may list the member too: it takes over, lowest group number first (deterministic).
            if let next = pickupGroups.values.filter({ $0.members.contains(member) }).map(\.number).min() {
                pickupGroupOfMember[member] = next
            }
        }
        return old
    }

    private mutating func indexParkSlots(_ slots: ClosedRange<UInt32>?, by delta: Int) {
        guard let slots else { return }
        let last = min(slots.upperBound, slots.lowerBound &+ Self.maximumParkSlots &- 1)
        guard last >= slots.lowerBound else { return }
        for slot in slots.lowerBound...last {
            adjustPrefixes(of: DirectoryNumber(String(slot)), by: delta)
        }
    }

    /// Adds a device or replaces the one with the same name.
    public mutating func upsert(_ device: DeviceConfiguration) {
        if let old = devices[device.name] { removeAppearances(of: old) }
        devices[device.name] = device
        addAppearances(of: device)
    }

    /// Removes a device; its numbers stay configured as lines if they were.
    @discardableResult
    public mutating func removeDevice(named name: DeviceName) -> DeviceConfiguration? {
        guard let old = devices.removeValue(forKey: name) else { return nil }
        removeAppearances(of: old)
        return old
    }

    /// Adds line settings or replaces those for the same number.
    public mutating func upsert(_ line: LineConfiguration) {
        lines[line.number] = line
    }

    /// Removes line settings; devices that carry the number keep it, with default settings.
    @discardableResult
    public mutating func removeLine(_ number: DirectoryNumber) -> LineConfiguration? {
        lines.removeValue(forKey: number)
    }

    /// Replaces the route patterns (recompiles the trie: O(total pattern length)).
    public mutating func replaceRoutePatterns(_ patterns: [RoutePattern]) {
        dialPlan = DialPlan(patterns: patterns)
    }

    private mutating func addAppearances(of device: DeviceConfiguration) {
        var seen = Set<DirectoryNumber>()
        for number in device.lines where seen.insert(number).inserted {
            if appearances[number] == nil {
                appearances[number] = [device.name]
                adjustPrefixes(of: number, by: 1)
            } else {
                appearances[number]?.append(device.name)
            }
        }
    }

    private mutating func removeAppearances(of device: DeviceConfiguration) {
        var seen = Set<DirectoryNumber>()
        for number in device.lines where seen.insert(number).inserted {
            guard var names = appearances[number] else { continue }
            names.removeAll { $0 == device.name }
            if names.isEmpty {
                appearances[number] = nil
                adjustPrefixes(of: number, by: -1)
            } else {
                appearances[number] = names
            }
        }
    }

    private mutating func adjustPrefixes(of number: DirectoryNumber, by delta: Int) {
        let text = number.rawValue
        var end = text.startIndex
        while end < text.endIndex {
            let prefix = text[..<end]
            let count = numberPrefixes[prefix, default: 0] + delta
            numberPrefixes[prefix] = count > 0 ? count : nil
            end = text.index(after: end)
        }
    }

    /// Analyses a dialled number (keys only, no `#`) the way the core does while a user dials: a directory number
    /// dialled exactly wins, otherwise the most specific route pattern. Also useful on its own, like CUCM's Dialed
    /// Number Analyzer.
    ///
    /// While still dialling, the result is ``DialAnalysis/wait`` as long as a longer number could match something;
    /// once dialling has ended it is the best match, or ``DialAnalysis/noMatch``.
    public func analyze(_ digits: String, end: DialingEnd) -> DialAnalysis {
        analyzeWithPattern(digits, end: end).analysis
    }

    /// As ``analyze(_:end:)``, with the route pattern that won (nil for a directory number, no match or a wait): a
    /// trunk route needs it to rewrite the digits (``RoutePattern/outboundNumber(for:)``).
    public func analyzeWithPattern(
        _ digits: String,
        end: DialingEnd
    ) -> (analysis: DialAnalysis, pattern: RoutePattern?) {
        let keys = digits.compactMap(DialAlphabet.index(of:))
        let isDirectoryNumber = dialTarget(DirectoryNumber(digits)) != nil
        let match = dialPlan.match(keys)

        var candidates = match.complete
        if end == .endOfDialing { candidates += match.completeAtEndOfDialing }
        let best: RouteTarget?
        var pattern: RoutePattern?
        if isDirectoryNumber {
            best = .directoryNumber(DirectoryNumber(digits))
        } else {
            // Fewest strings matched wins; equal counts go to the earlier pattern.
            let patterns = dialPlan.patterns
            pattern =
                candidates
                .min { lhs, rhs in
                    let left = patterns[lhs].matchCount(length: keys.count)
                    let right = patterns[rhs].matchCount(length: keys.count)
                    return left != right ? left < right : lhs < rhs
                }
                .map { patterns[$0] }
            best = pattern?.target
        }

        switch end {
        case .stillDialing:
            let canGrow = match.canGrow || numberPrefixes[Substring(digits)] != nil
            if canGrow { return (.wait, nil) }
            return (best.map(DialAnalysis.route) ?? .noMatch, pattern)
        case .interdigitTimeout, .endOfDialing:
            return (best.map(DialAnalysis.route) ?? .noMatch, pattern)
        }
    }
}

/// A change to the directory, as the Store reports it. Each touches only the devices it names, so a change applies
/// live without disturbing other phones.
public enum DirectoryChange: Hashable, Sendable {
    /// Replace everything (start-up, or a bulk import). Every registered device is re-checked.
    case replace(Directory)
    /// Add or update one device. If it is registered and its lines or speed dials changed, the core emits
    /// ``CallCommand/configurationChanged(_:_:)``.
    case upsertDevice(DeviceConfiguration)
    /// Remove one device. If it is registered, its calls are cleared and the core emits
    /// ``CallCommand/unregister(_:reason:)``.
    case removeDevice(DeviceName)
    /// Add or update one line's settings; registered devices carrying it get ``CallCommand/configurationChanged(_:_:)``
    /// if what they show changed.
    case upsertLine(LineConfiguration)
    /// Remove one line's settings (the number falls back to defaults).
    case removeLine(DirectoryNumber)
    /// Replace the route patterns.
    case replaceRoutePatterns([RoutePattern])
    /// Replace the settings (timeouts, auto-registration, park, transfer and DND behaviour).
    case replaceSettings(CallControlSettings)
    /// Add or update one hunt group.
    case upsertHuntGroup(HuntGroup)
    /// Remove the hunt group with this pilot.
    case removeHuntGroup(DirectoryNumber)
    /// Add or update one pickup group.
    case upsertPickupGroup(PickupGroup)
    /// Remove the pickup group with this number.
    case removePickupGroup(DirectoryNumber)
    /// Replace the meet-me numbers.
    case replaceMeetMeRanges([MeetMeRange])
}

/// What a dialled number reaches in the directory (``Directory/dialTarget(_:)``).
public enum DialTarget: Hashable, Sendable {
    /// A directory number on one or more devices.
    case line(DirectoryNumber)
    /// A hunt group's pilot.
    case huntPilot(HuntGroup)
    /// A park slot.
    case parkSlot(DirectoryNumber)
    /// A meet-me conference number.
    case meetMe(DirectoryNumber)
}
