import SkinnyWire

/// The phone's side of the registration sequence (call-flows §1), without I/O: messages in, messages to send
/// and the outcome out.
///
/// After RegisterAck the phone pipelines ButtonTemplateReq, SoftKeyTemplateReq, SoftKeySetReq and ConfigStatReq.
/// Once the whole button template is in (it may come in pages), it asks for each line's status, each speed dial,
/// each line's forwarding, registers its available lines and asks for the time. The registration is complete when
/// the TimeDateRes and every asked-for LineStatRes have arrived, whatever their order.
struct RegistrationMachine {
    enum Phase: Equatable {
        /// Register not sent yet.
        case idle
        /// Register sent; RegisterAck or RegisterReject expected.
        case awaitingAck
        /// The requests after RegisterAck are out; waiting for the (whole) button template.
        case awaitingButtons
        /// The per-button requests and TimeDateReq are out; waiting for their answers.
        case awaitingStatus
        /// Done.
        case registered
        /// RegisterReject arrived.
        case rejected
    }

    /// What a message changed.
    struct Step: Equatable {
        /// Messages to send now, in order.
        var send: [StationMessage] = []
        /// The version RegisterAck negotiated, when this step handled it.
        var negotiated: SkinnyProtocolVersion?
        /// The complete button template, when this step completed it.
        var buttons: [SkinnyMessage.ButtonTemplateRes.Button]?
        /// True when this step completed the registration.
        var completed = false
        /// The RegisterReject text, when this step handled one.
        var rejected: String?
    }

    private(set) var phase: Phase = .idle
    /// The version offered in Register.
    let offeredVersion: UInt8
    /// The RegisterAvailableLines value; 0 for "as many as the template has".
    let maxLines: UInt32
    private(set) var negotiated: SkinnyProtocolVersion?
    private var buttons: [SkinnyMessage.ButtonTemplateRes.Button] = []
    private var pendingLines: Set<UInt32> = []
    private var timeDateReceived = false

    init(offeredVersion: UInt8, maxLines: UInt32) {
        self.offeredVersion = offeredVersion
        self.maxLines = maxLines
    }

    /// The Register is being sent.
    mutating func registerSent() {
        self.phase = .awaitingAck
        self.buttons = []
        self.pendingLines = []
        self.timeDateReceived = false
    }

    /// The version a phone uses after `ack`: the acknowledged version, never above what it offered, and at least 3
    /// (CM 2.x sent a 12-byte RegisterAck without a version byte; reference §5.2).
    static func version(acknowledged: UInt8, offered: UInt8) -> SkinnyProtocolVersion {
        SkinnyProtocolVersion(max(3, min(acknowledged == 0 ? 3 : acknowledged, max(offered, 3))))
    }

    mutating func received(_ message: CallManagerMessage) -> Step {
        var step = Step()
        switch (self.phase, message) {
        case (.awaitingAck, .registerAck(let ack)):
            let version = Self.version(acknowledged: ack.protocolVersion, offered: self.offeredVersion)
            self.negotiated = version
            self.phase = .awaitingButtons
            step.negotiated = version
            step.send = [.buttonTemplateReq, .softKeyTemplateReq, .softKeySetReq, .configStatReq]
        case (.awaitingAck, .registerReject(let reject)),
            (.awaitingButtons, .registerReject(let reject)),
            (.awaitingStatus, .registerReject(let reject)):
            self.phase = .rejected
            step.rejected = reject.text
        case (.awaitingButtons, .buttonTemplateRes(let template)):
            if template.buttonOffset == 0 {
                self.buttons = []
            }
            self.buttons.append(contentsOf: template.buttons)
            // A template may come in pages of 42 (reference §5.2); an empty page or reaching the total ends it.
            guard template.buttons.isEmpty || self.buttons.count >= Int(template.totalButtonCount) else {
                return step
            }
            self.phase = .awaitingStatus
            step.buttons = self.buttons
            step.send = self.statusRequests()
        case (.awaitingStatus, .lineStatRes(let line)):
            self.pendingLines.remove(line.lineNumber)
            step.completed = self.completeIfDone()
        case (.awaitingStatus, .lineStatV2Res(let line)):
            self.pendingLines.remove(line.lineNumber)
            step.completed = self.completeIfDone()
        case (.awaitingStatus, .timeDateRes):
            self.timeDateReceived = true
            step.completed = self.completeIfDone()
        default:
            break
        }
        return step
    }

    private mutating func completeIfDone() -> Bool {
        guard self.timeDateReceived, self.pendingLines.isEmpty else { return false }
        self.phase = .registered
        return true
    }

    /// LineStatReq per line, SpeedDialStatReq per speed dial (and FeatureStatReq per BLF speed dial from v15,
    /// call-flows §14), ForwardStatReq per line, RegisterAvailableLines, TimeDateReq.
    private mutating func statusRequests() -> [StationMessage] {
        let lines = self.buttons.filter { $0.buttonType == .line }.map { UInt32($0.instanceNumber) }
        let speedDials = self.buttons.filter { $0.buttonType == .speedDial || $0.buttonType == .blfSpeedDial }
        self.pendingLines = Set(lines)
        var messages: [StationMessage] = lines.map { .lineStatReq(.init(lineNumber: $0)) }
        for speedDial in speedDials {
            let instance = UInt32(speedDial.instanceNumber)
            messages.append(.speedDialStatReq(.init(speedDialNumber: instance)))
            if speedDial.buttonType == .blfSpeedDial, let negotiated = self.negotiated, negotiated >= .v15 {
                messages.append(.featureStatReq(.init(featureIndex: instance, featureCapabilities: 1)))
            }
        }
        messages.append(contentsOf: lines.map { .forwardStatReq(.init(lineNumber: $0)) })
        let available = self.maxLines != 0 ? self.maxLines : UInt32(lines.count)
        messages.append(.registerAvailableLines(.init(maxNumberOfAvailableLines: available)))
        messages.append(.timeDateReq)
        return messages
    }
}
