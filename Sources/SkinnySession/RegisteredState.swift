import CallControl
import SkinnyWire

/// The session of a registered phone: its profile, the calls the core told it about, and the codecs it offered.
///
/// Everything here is per connection and small: a phone has a handful of calls at most.
struct RegisteredState: Sendable {
    /// One call leg on this phone, as far as the session needs to know it to render the core's indications.
    struct TrackedCall: Sendable {
        /// Where the leg stands, from the indications sent so far; decides which burst an indication needs (e.g.
        /// `connected` after ringing in is an answer, after hold a resume).
        enum Phase: Hashable, Sendable {
            /// Off-hook with dial tone, no digit yet.
            case offHook
            /// Digits are being dialled.
            case dialing
            /// The number is complete and being routed.
            case proceeding
            /// The far end rings.
            case ringingOut
            /// This phone rings; `waiting` while it rings as call waiting (no ringer).
            case ringingIn(waiting: Bool)
            /// In conversation.
            case connected
            /// Held by this phone.
            case held
            /// Held by the other side.
            case remoteHeld
            /// Busy, reorder or invalid number: a tone plays until the user hangs up.
            case failed
            /// A shared-line call answered on another phone: In Use Remote.
            case remoteInUse

            /// Whether the user is busy with this call (it owns the speaker): every phase but ringing in, held and
            /// in use remotely.
            var isActive: Bool {
                switch self {
                case .offHook, .dialing, .proceeding, .ringingOut, .connected, .remoteHeld, .failed: true
                case .ringingIn, .held, .remoteInUse: false
                }
            }
        }

        let reference: CallReference
        let line: LineInstance
        /// The call's 1-based position among the calls on its line (CallInfo's `callInstance`).
        let callInstance: UInt32
        /// Whether this phone placed the call (CallInfo's call type and which party is "calling"). A blind transfer
        /// makes the transferred party the caller of the call it is handed.
        var isOutbound: Bool
        /// This call consults for a transfer: Transfer completes it (softkey sets 9, 5 and Transfer on Ring Out).
        var isConsultation = false
        /// This call consults for a conference: Confrn completes it once answered (softkey sets 9 and 7).
        var isConferenceConsultation = false
        /// This call is a conference: the other party shows as "Conference" (softkey set 7 with ConfList, RmLstC).
        var isConference = false
        var phase: Phase
        /// The other party, once the core named it.
        var remote: Party?
        /// The number this phone dialled (outbound calls).
        var dialed: String = ""
    }

    let name: DeviceName
    let version: SkinnyProtocolVersion
    let configuration: SessionConfiguration
    let register: SkinnyMessage.Register
    var profile: DeviceProfile
    /// The payload capabilities of the phone's last capabilities message, in its order: used to pick the exact
    /// compression type (e.g. G.729 Annex A) when media opens.
    var offeredCodecs: [SkinnyCodec] = []
    /// The calls on this phone, oldest first.
    var calls: [TrackedCall] = []
    /// The last busy-lamp state presence reported for each BLF speed dial, by index; absent means unknown.
    var busyLamps: [UInt32: BusyLampState] = [:]
    /// Whether the phone was sent its button template on this connection: before that it has no buttons to update.
    var buttonTemplateSent = false
    /// Do-not-disturb, as the core last reported it: an incoming call then rings silently (ringer-off mode).
    var doNotDisturb = false
    /// Line instances with a message waiting, as the core last reported them.
    var messageWaitingLines: Set<UInt32> = []
    /// The profile changed while a call was up: the phone is reset once its last call ends, rather than cut off.
    var resetPending = false

    init(
        name: DeviceName,
        version: SkinnyProtocolVersion,
        configuration: SessionConfiguration,
        register: SkinnyMessage.Register,
        profile: DeviceProfile
    ) {
        self.name = name
        self.version = version
        self.configuration = configuration
        self.register = register
        self.profile = profile
    }

    // MARK: - Commands from the core

    mutating func commandReceived(_ command: CallCommand, now: Timestamp) -> [SessionAction] {
        switch command {
        case .configurationChanged(_, let profile):
            // The phone must fetch its buttons and lines again: restart it (it re-registers, call-flows §1 Reset).
            // Keep the new profile in case it asks on this connection first. A phone in a call is not cut off: the
            // reset waits until its last call ends (names and numbers in calls already come from the new
            // configuration, which the core uses for the next call).
            let old = self.profile
            self.profile = profile
            // Only forwards changed: the phone is sent its new forwards; no reset (call-flows §10).
            if Self.differOnlyInForwards(old, profile) {
                return self.forwardChanges(from: old, to: profile).map(SessionAction.send)
            }
            guard self.calls.isEmpty else {
                self.resetPending = true
                return []
            }
            return [.send(.reset(SkinnyMessage.Reset(.restart)))]
        case .indicate(_, let line, let call, let indication):
            if case .connected = indication, let index = self.callIndex(call) {
                // A conference down to two parties is a direct call again (the core's fall-back): the other party
                // and the ordinary Connected softkeys come back instead of "Conference", ConfList and RmLstC.
                self.calls[index].isConference = false
            }
            return self.indicate(indication, line: line, call: call).map(SessionAction.send)
        case .openReceiveChannel(_, let call, let passThroughPartyID, let media):
            return [.send(self.openReceiveChannel(call: call, passThroughPartyID: passThroughPartyID, media: media))]
        case .startMediaTransmission(_, let call, let passThroughPartyID, let remote, let media):
            return [
                .send(
                    self.startMediaTransmission(
                        call: call,
                        passThroughPartyID: passThroughPartyID,
                        remote: remote,
                        media: media
                    )
                )
            ]
        case .closeMedia(_, let call, let passThroughPartyID):
            return self.closeMedia(call: call, passThroughPartyID: passThroughPartyID).map(SessionAction.send)
        case .doNotDisturbChanged(_, let isOn):
            return self.doNotDisturbChanged(isOn).map(SessionAction.send)
        case .messageWaiting(_, let line, let isOn):
            return self.messageWaitingChanged(line: line.rawValue, isOn: isOn).map(SessionAction.send)
        case .notify(_, let notice):
            return [.send(self.notify(notice))]
        case .registrationAccepted, .registrationRejected, .unregister, .autoRegistered, .startTimer, .cancelTimer,
            .callRecord, .lineStateChanged, .deviceStatusChanged, .trunk, .trunkAttachRefused, .media,
            .mediaServerAttachRefused:
            // Handled by the machine (registration) or not for sessions at all (host-only commands).
            return []
        }
    }

    /// Whether two profiles are the same but for their lines' forwards.
    static func differOnlyInForwards(_ old: DeviceProfile, _ new: DeviceProfile) -> Bool {
        func withoutForwards(_ profile: DeviceProfile) -> DeviceProfile {
            var copy = profile
            copy.lines = copy.lines.map { line in
                LineAppearance(instance: line.instance, number: line.number, displayName: line.displayName)
            }
            return copy
        }
        return old != new && withoutForwards(old) == withoutForwards(new)
    }

    /// ForwardStatRes for every line whose forwards changed.
    func forwardChanges(from old: DeviceProfile, to new: DeviceProfile) -> [CallManagerMessage] {
        new.lines.compactMap { line in
            guard old.lines.first(where: { $0.instance == line.instance }) != line else { return nil }
            return .forwardStatRes(self.forwardStat(line.instance.rawValue))
        }
    }

    /// A line's forwards as ForwardStatRes (empty for a line the device does not have).
    func forwardStat(_ number: UInt32) -> SkinnyMessage.ForwardStatRes {
        let line = self.profile.lines.first { $0.instance.rawValue == number }
        return SkinnyMessage.ForwardStatRes(
            lineNumber: number,
            forwardAll: line?.forwardAll,
            forwardBusy: line?.forwardBusy,
            forwardNoAnswer: line?.forwardNoAnswer,
            version: self.version
        )
    }

    // MARK: - Lookups

    /// The line the phone names, if it is one of this device's lines; nil otherwise (0, a button index from an old
    /// phone, or garbage), so that the core picks the sensible line itself.
    func knownLine(_ raw: UInt32?) -> LineInstance? {
        guard let raw, raw != 0, self.profile.lines.contains(where: { $0.instance.rawValue == raw }) else {
            return nil
        }
        return LineInstance(raw)
    }

    /// The call the phone names, if the core told this session about it; nil otherwise, so that the core applies
    /// the key to the obvious call.
    func knownCall(_ raw: UInt32?) -> CallReference? {
        guard let raw, raw != 0, self.calls.contains(where: { $0.reference.rawValue == raw }) else { return nil }
        return CallReference(raw)
    }

    /// This phone's own party on `line`: its number and display name (empty if the line is unknown).
    func ownParty(on line: LineInstance) -> Party {
        guard let appearance = self.profile.lines.first(where: { $0.instance == line }) else {
            return Party(name: "", number: DirectoryNumber(""))
        }
        return Party(name: appearance.displayName, number: appearance.number)
    }

    func callIndex(_ reference: CallReference) -> Int? {
        self.calls.firstIndex { $0.reference == reference }
    }
}
