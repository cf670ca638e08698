/// Internal state of ``CallControlCore``: registered devices and call legs. Calls are in `Call.swift`.
extension CallControlCore {
    /// A registered device: its resolved configuration, capabilities, and its call legs in creation order.
    struct RegisteredDevice: Sendable {
        var profile: DeviceProfile
        var capabilities: DeviceCapabilities
        /// Live legs of this device, oldest first. A handful at most (lines × max calls), so scanning is cheap.
        var legs: [CallReference] = []
        /// Do-not-disturb as last reported to the device with ``CallCommand/doNotDisturbChanged(_:isOn:)``.
        var doNotDisturb = false
        /// The lines whose message lamp was last reported lit with ``CallCommand/messageWaiting(_:line:isOn:)``.
        var messageWaiting: Set<LineInstance> = []

        func appearance(_ instance: LineInstance) -> LineAppearance? {
            let index = Int(instance.rawValue) - 1
            guard index >= 0, index < profile.lines.count else { return nil }
            return profile.lines[index]
        }
    }

    /// Where one leg stands. Who the leg talks to, who rings for it and who it rings for are in its ``Call``.
    enum LegState: Hashable, Sendable {
        /// Off-hook, collecting digits (possibly none yet).
        case dialing(String)
        /// The call failed for the caller (busy, reorder, invalid number); waiting for hang-up or the failed-call timer.
        case failed(CallFailure)
        /// The leg placed (or, after a transfer, took over) its call, which is offered to the call's ringing legs, or
        /// is between two offers (a hunt moving on, a park reverting).
        case ringingOut
        /// Offered the call of ``Leg/call``; `callWaiting` while the device has another active call (no ringer).
        case ringingIn(callWaiting: Bool)
        /// In the conversation of its call (possibly held, see ``Leg/isHeld``), or waiting in a park slot.
        case connected
        /// Rang on a shared line and was answered on another device: shown as In Use Remote until the call ends.
        case inUseRemote
    }

    /// What a dialling leg is dialling.
    enum DialPurpose: Hashable, Sendable {
        /// A number to call (the ordinary case).
        case call
        /// A pickup group's number, after GPickUp.
        case groupPickup
    }

    /// Why a call failed for the caller.
    enum CallFailure: Hashable, Sendable {
        case busy
        case invalidNumber
        case unavailable
        case blocked
        case offHookTimeout

        var indication: Indication {
            switch self {
            case .busy: .busy
            case .invalidNumber: .invalidNumber
            case .unavailable: .reorder(.unavailable)
            case .blocked: .reorder(.blocked)
            case .offHookTimeout: .reorder(.offHookTimeout)
            }
        }

        var endCause: CallEndCause {
            switch self {
            case .busy: .busy
            case .invalidNumber: .invalidNumber
            case .unavailable: .unavailable
            case .blocked: .blocked
            case .offHookTimeout: .abandoned
            }
        }
    }

    /// One device's media stream in a call.
    struct MediaStream: Sendable {
        var id: PassThroughPartyID
        var parameters: MediaParameters
        /// Where this device receives, once it acknowledged the receive channel.
        var receiveEndpoint: MediaEndpoint?
        /// The media server's end of the stream (a conference participant's port), once the server answered.
        var resourceEndpoint: MediaEndpoint?
    }

    /// One endpoint's side of a call: a line appearance of a phone, or a call on a trunk. Other nodes and media
    /// resources will be further kinds of endpoint.
    struct Leg: Sendable {
        let reference: CallReference
        /// The call this leg belongs to now; a transfer or a pickup moves a leg to another call.
        var call: CallID
        let endpoint: Endpoint
        /// The phone, for a phone's leg.
        var device: DeviceName? {
            if case .phone(let device, _) = endpoint { return device }
            return nil
        }
        /// The phone's line, for a phone's leg.
        var line: LineInstance? {
            if case .phone(_, let line) = endpoint { return line }
            return nil
        }
        /// The trunk, for a trunk's leg.
        var trunk: TrunkName? {
            if case .trunk(let trunk) = endpoint { return trunk }
            return nil
        }
        /// The codecs the far end of a trunk leg offered or answered (a phone's are its device's capabilities).
        var codecs: [Codec] = []
        /// This leg's line as the other party sees it.
        let party: Party
        var state: LegState
        /// This side pressed Hold. Media runs only while neither side holds.
        var isHeld = false
        var timer: TimerID?
        var stream: MediaStream?
        var dialPurpose: DialPurpose = .call
        /// Set on the consultation leg of a transfer in progress.
        var transfer: TransferStateMachine?
        /// Set on the consultation leg of a conference in progress: the held leg whose call the conference joins.
        var conferenceHeldLeg: CallReference?
        /// The leg's stream is music on hold from the media server (the leg's endpoint only receives): from this source
        /// (nil: the built-in one) once the endpoint's receive address is known.
        var musicOnHold = false
        var musicSource: String?
        /// The conference bridge the leg's stream runs to, once it was added there.
        var onBridge: ConferenceID?
        /// When the leg joined its conference, for its call record.
        var joinedConferenceAt: Timestamp?
        /// A trunk leg the core placed: whether its INVITE offers the calling phone's address (an early offer).
        var earlyOffer: EarlyOffer = .none
        /// A trunk leg the core placed: the far end rings (180/183), so the caller is shown the call ringing out.
        var farEndAlerted = false

        /// The call the user is busy with on this device: at most one leg per device is active.
        var isActive: Bool {
            switch state {
            case .dialing, .failed, .ringingOut: true
            case .connected: !isHeld
            case .ringingIn, .inUseRemote: false
            }
        }

        var isRinging: Bool {
            if case .ringingIn = state { return true }
            return false
        }
    }

    /// Where a call placed on a trunk stands with its early offer (docs/sip.md, "Early offer and early media").
    enum EarlyOffer: Hashable, Sendable {
        /// Placed with a delayed offer (the caller is not a phone, or did not open its receive channel in time), or
        /// not a placed trunk leg: media starts at the answer, as between phones.
        case none
        /// Not placed yet: the calling phone was asked to open its receive channel, whose address the INVITE offers.
        case awaitingPhone
        /// Placed with the phone's address: the leg has its stream, and the far end's answer (early, in a 183, or in
        /// the 200) points the phone at the far end.
        case offered
    }

    /// Why a leg is being released, for the call record.
    enum ReleaseReason: Sendable {
        /// The user hung up or pressed EndCall.
        case hangUp
        /// A device left (unregistered or removed).
        case deviceLost
        /// The failed-call timer expired.
        case timeout
    }
}
