import CallControl
import SIPWire

/// DTMF across the trunk (docs/sip.md, "DTMF"). In band: the far end's SDP names the telephone-event payload type,
/// which goes to the core (`trunkTelephoneEvents`) so that a phone that can sends RFC 4733 events in its own RTP
/// (media is direct). Out of band: SIP INFO in the dialog, `application/dtmf-relay` (`Signal=` and `Duration=`) out
/// for the core's ``CallControl/TrunkCommand/sendDigit(_:)``; `application/dtmf-relay` and `application/dtmf` in,
/// reported as `trunkDigitStarted` and, after the digit's duration, `trunkDigitEnded`.
extension SIPTrunkCall {
    /// The body types an INFO from the far end may carry (the Accept header of a 415).
    public static let acceptedInfoTypes = "application/dtmf-relay, application/dtmf"

    /// How long a relayed digit lasts (`Duration=`): a key press has no duration on an SCCP phone's KeypadButton;
    /// 160 ms is a common relay default and well above the 40 ms a DTMF receiver needs.
    public static let relayedDigitDuration = 160

    /// The bounds put on a received digit's `Duration=` before its tone stops: at least long enough to hear, at most
    /// a few seconds, so that a hostile or broken peer cannot hold a tone on the phone.
    static let receivedDigitDurations = 50...5_000

    /// The duration assumed for a received digit without a (valid) `Duration=`.
    static let defaultReceivedDigitDuration = 250

    // MARK: - In band

    /// The far end's telephone-event payload type, as the core takes it: nil when it named none or an invalid one.
    var farEndTelephoneEvents: UInt8? {
        guard let value = media.remote?.telephoneEventPayloadType, (0...127).contains(value) else { return nil }
        return UInt8(value)
    }

    /// `trunkTelephoneEvents` for the core when the far end's payload type is not the one it was last told.
    mutating func telephoneEventsReport() -> [Action] {
        guard let reference, !coreDone else { return [] }
        let current = farEndTelephoneEvents
        guard reportedTelephoneEvents != .some(current) else { return [] }
        reportedTelephoneEvents = .some(current)
        return [.report(.trunkTelephoneEvents(trunk, call: reference, payloadType: current))]
    }

    // MARK: - Out of band, sent

    /// The core relays a key pressed on the phone: an INFO in the confirmed dialog. Nothing is sent outside one (the
    /// key is lost, as it would be on a line that is not connected).
    mutating func sendDigit(_ key: Character, generator: inout SIPIdentifierGenerator) -> [Action] {
        guard phase == .confirmed, let signal = Self.relaySignal(key), var dialog else { return [] }
        var request = dialog.makeRequest(.info, localContact: contactURI, branch: generator.branch(), via: via())
        self.dialog = dialog
        request.headers.append(.userAgent, local.userAgent)
        request.headers.append(.contentType, "application/dtmf-relay")
        request.body = Array("Signal=\(signal)\r\nDuration=\(Self.relayedDigitDuration)\r\n".utf8)
        return [.sendRequest(request, .info)]
    }

    /// A key as `Signal=` writes it: the digit, `*`, `#` or `A`–`D`; nil for a key DTMF does not have.
    static func relaySignal(_ key: Character) -> String? {
        let upper = Character(key.uppercased())
        return "0123456789*#ABCD".contains(upper) ? String(upper) : nil
    }

    // MARK: - Out of band, received

    /// An INFO in the dialog: a DTMF body is answered 200 and reported to the core (when the call is up); an empty
    /// one 200 (a keepalive, RFC 6086 §4.2.2); any other body type 415 with Accept; a DTMF body without a valid
    /// digit 400.
    mutating func infoReceived(_ request: SIPRequest, server: SIPServerTransactionID, now: SIPInstant) -> [Action] {
        guard !request.body.isEmpty else {
            return [.respond(server, SIPResponse(replyingTo: request, statusCode: 200))]
        }
        let type = (request.headers[.contentType] ?? "").split(separator: ";").first.map {
            String($0).trimmingWhitespace().lowercased()
        }
        let digit: (key: Character, milliseconds: Int?)?
        switch type {
        case "application/dtmf-relay":
            digit = Self.parseDTMFRelay(request.body)
        case "application/dtmf":
            digit = Self.parseDTMF(request.body).map { ($0, nil) }
        default:
            var response = SIPResponse(replyingTo: request, statusCode: 415)
            response.headers.append(.accept, Self.acceptedInfoTypes)
            return [.respond(server, response)]
        }
        guard let digit else {
            return [.respond(server, SIPResponse(replyingTo: request, statusCode: 400))]
        }
        let actions: [Action] = [.respond(server, SIPResponse(replyingTo: request, statusCode: 200))]
        guard phase == .confirmed, let reference, !coreDone else { return actions }
        let requested = digit.milliseconds ?? Self.defaultReceivedDigitDuration
        let milliseconds = min(
            max(requested, Self.receivedDigitDurations.lowerBound),
            Self.receivedDigitDurations.upperBound
        )
        return actions + [
            .report(.trunkDigitStarted(trunk, call: reference, digit.key)),
            .schedule(.digitEnd, at: now + .milliseconds(milliseconds)),
        ]
    }

    /// The digit's duration is over: its tone stops.
    mutating func digitEnded() -> [Action] {
        guard let reference, !coreDone else { return [] }
        return [.report(.trunkDigitEnded(trunk, call: reference))]
    }

    /// `application/dtmf-relay` (Cisco's, also sent by Asterisk, FreeSWITCH and SIPp users): lines of `Signal=`
    /// and `Duration=` (milliseconds). `Signal=10` and `11` are other spellings of `*` and `#`.
    static func parseDTMFRelay(_ body: [UInt8]) -> (key: Character, milliseconds: Int?)? {
        guard body.count <= 1_024, let text = String(validating: body, as: UTF8.self) else { return nil }
        var key: Character?
        var milliseconds: Int?
        for line in text.split(whereSeparator: \.isNewline) {
            let parts = line.split(separator: "=", maxSplits: 1)
            guard parts.count == 2 else { continue }
            let name = parts[0].trimmingWhitespace().lowercased()
            let value = parts[1].trimmingWhitespace()
            switch name {
            case "signal":
                key = dtmfKey(value)
            case "duration":
                milliseconds = Int(value).flatMap { $0 >= 0 ? $0 : nil }
            default:
                continue
            }
        }
        return key.map { ($0, milliseconds) }
    }

    /// `application/dtmf` (RFC 2976's example): the body is the key alone.
    static func parseDTMF(_ body: [UInt8]) -> Character? {
        guard body.count <= 64, let text = String(validating: body, as: UTF8.self) else { return nil }
        return dtmfKey(text.trimmingWhitespace())
    }

    /// A key as the far end wrote it: one of `0`–`9`, `*`, `#`, `A`–`D` (either case), or the event numbers 10 and
    /// 11 (RFC 4733's `*` and `#`).
    static func dtmfKey(_ text: String) -> Character? {
        switch text {
        case "10": return "*"
        case "11": return "#"
        default:
            guard text.count == 1, let key = text.uppercased().first, "0123456789*#ABCD".contains(key) else {
                return nil
            }
            return key
        }
    }
}

extension StringProtocol {
    /// The text without leading and trailing white space (line ends included).
    fileprivate func trimmingWhitespace() -> String {
        var characters = Substring(self)
        while characters.first?.isWhitespace == true { characters.removeFirst() }
        while characters.last?.isWhitespace == true { characters.removeLast() }
        return String(characters)
    }
}
