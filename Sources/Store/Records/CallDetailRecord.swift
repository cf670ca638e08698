public import CallControl
public import Foundation

/// One call, as CallControl reported it when the call ended (a CDR). Table `callDetailRecord`.
///
/// Times are stored as integer milliseconds since 1970 (UTC) and indexed, so time-range queries are index scans.
/// Device names and numbers are copied as text rather than referenced: a CDR outlives the device and line it names.
public struct CallDetailRecord: Codable, Hashable, Sendable {
    /// Why the call ended; the text stored in `endCause`.
    public enum EndCause: String, Codable, Hashable, Sendable, CaseIterable {
        case normalClearing, abandoned, busy, invalidNumber, unavailable, blocked, deviceLost, redirected

        public init(_ cause: CallEndCause) {
            switch cause {
            case .normalClearing: self = .normalClearing
            case .abandoned: self = .abandoned
            case .busy: self = .busy
            case .invalidNumber: self = .invalidNumber
            case .unavailable: self = .unavailable
            case .blocked: self = .blocked
            case .deviceLost: self = .deviceLost
            case .redirected: self = .redirected
            }
        }
    }

    /// Which side ended the call; the text stored in `releasedBy`.
    public enum ReleasingParty: String, Codable, Hashable, Sendable, CaseIterable {
        case caller, callee, system

        public init(_ party: CallControl.ReleasingParty) {
            switch party {
            case .caller: self = .caller
            case .callee: self = .callee
            case .system: self = .system
            }
        }
    }

    /// The conversation's codec; the text stored in `codec`.
    public enum Codec: String, Codable, Hashable, Sendable, CaseIterable {
        case g711ulaw, g711alaw, g729, g722

        public init(_ codec: CallControl.Codec) {
            switch codec {
            case .g711ulaw: self = .g711ulaw
            case .g711alaw: self = .g711alaw
            case .g729: self = .g729
            case .g722: self = .g722
            }
        }
    }

    /// How a call was moved to the party a record names (CUCM's "on behalf of"); the text stored in
    /// `redirectReason` (migration `addCallRecordRedirects`).
    public enum RedirectReason: String, Codable, Hashable, Sendable, CaseIterable {
        case forwardAll = "forward-all"
        case forwardBusy = "forward-busy"
        case forwardNoAnswer = "forward-no-answer"
        case hunt, pickup, transfer, park

        public init(_ reason: CallControl.RedirectReason) {
            switch reason {
            case .forwardAll: self = .forwardAll
            case .forwardBusy: self = .forwardBusy
            case .forwardNoAnswer: self = .forwardNoAnswer
            case .hunt: self = .hunt
            case .pickup: self = .pickup
            case .transfer: self = .transfer
            case .park: self = .park
            }
        }
    }

    /// The row id; nil until inserted.
    public var id: Int64?
    public var callingDevice: String
    public var callingNumber: String
    /// The caller's SCCP call reference, to match the CDR with a packet capture.
    public var callingReference: Int64
    /// The number as dialled.
    public var dialedNumber: String
    /// The directory number it routed to, if any.
    public var calledNumber: String?
    public var calledDevice: String?
    public var calledReference: Int64?
    /// When the caller went off-hook.
    public var setupTime: Date
    /// When the callee answered; nil if nobody did.
    public var answerTime: Date?
    public var endTime: Date
    public var endCause: EndCause
    public var releasedBy: ReleasingParty
    public var codec: Codec?
    /// The call this record belongs to: every record of one call (a transfer, a park and its retrieval…) has the
    /// same ID. IDs are reused after a while (and from one server start to the next), so read them with the times.
    public var callID: Int64?
    /// The number first reached, before a forward, hunt, pickup, transfer or park moved the call on; nil when it is
    /// ``calledNumber``.
    public var originalCalledNumber: String?
    /// How the call came to the called party, if not by plain dialling; nil otherwise.
    public var redirectReason: RedirectReason?
    /// The number that moved the call (the forwarding line, the transferring or parking party, the hunt pilot, the
    /// number whose ringing call was picked up); set exactly when ``redirectReason`` is.
    public var redirectingNumber: String?
    /// The SIP trunk the call came in on or went out through (migration `addSIPCalls`).
    public var trunk: String?
    /// The SIP status the far end ended or refused the call with on the trunk (486, 404, 487 …), when it sent one.
    public var sipStatus: Int?
    /// The node whose call core made the record (`strowger serve --node`; "local" for a server on its own). Nodes
    /// sharing a PostgreSQL database write their records into one table (migration `addChangeLog`).
    public var node: String?

    enum CodingKeys: String, CodingKey {
        case id, callingDevice, callingNumber, callingReference, dialedNumber, calledNumber, calledDevice
        case calledReference, setupTime, answerTime, endTime, endCause, releasedBy, codec
        case originalCalledNumber, redirectReason, redirectingNumber, trunk, sipStatus, node
        case callID = "callId"
    }

    public init(
        id: Int64? = nil,
        callingDevice: String,
        callingNumber: String,
        callingReference: Int64,
        dialedNumber: String,
        calledNumber: String?,
        calledDevice: String?,
        calledReference: Int64?,
        setupTime: Date,
        answerTime: Date?,
        endTime: Date,
        endCause: EndCause,
        releasedBy: ReleasingParty,
        codec: Codec?,
        callID: Int64? = nil,
        originalCalledNumber: String? = nil,
        redirectReason: RedirectReason? = nil,
        redirectingNumber: String? = nil,
        trunk: String? = nil,
        sipStatus: Int? = nil,
        node: String? = nil
    ) {
        self.id = id
        self.callingDevice = callingDevice
        self.callingNumber = callingNumber
        self.callingReference = callingReference
        self.dialedNumber = dialedNumber
        self.calledNumber = calledNumber
        self.calledDevice = calledDevice
        self.calledReference = calledReference
        self.setupTime = setupTime
        self.answerTime = answerTime
        self.endTime = endTime
        self.endCause = endCause
        self.releasedBy = releasedBy
        self.codec = codec
        self.callID = callID
        self.originalCalledNumber = originalCalledNumber
        self.redirectReason = redirectReason
        self.redirectingNumber = redirectingNumber
        self.trunk = trunk
        self.sipStatus = sipStatus
        self.node = node
    }

    /// The row for a record CallControl emitted. CallControl's timestamps are taken as time since the Unix epoch,
    /// which is what the host passes (callcontrol.md).
    public init(_ record: CallRecord) {
        self.init(
            callingDevice: record.callingDevice.rawValue,
            callingNumber: record.callingNumber.rawValue,
            callingReference: Int64(record.callingReference.rawValue),
            dialedNumber: record.dialedNumber,
            calledNumber: record.calledNumber?.rawValue,
            calledDevice: record.calledDevice?.rawValue,
            calledReference: record.calledReference.map { Int64($0.rawValue) },
            setupTime: StoreTime.date(record.setupTime),
            answerTime: record.answerTime.map(StoreTime.date),
            endTime: StoreTime.date(record.endTime),
            endCause: EndCause(record.endCause),
            releasedBy: ReleasingParty(record.releasedBy),
            codec: record.codec.map(Codec.init),
            callID: record.callID.map { Int64($0.rawValue) },
            originalCalledNumber: record.originalCalledNumber?.rawValue,
            redirectReason: record.redirect.map { RedirectReason($0.reason) },
            redirectingNumber: record.redirect?.by.rawValue,
            trunk: record.trunk?.rawValue,
            sipStatus: record.sipStatus.flatMap { (100...699).contains($0) ? $0 : nil }
        )
    }
}

extension CallDetailRecord: SQLAutoIncrementedRecord {
    static let tableName = "callDetailRecord"
}
