public import CallControl
public import Foundation
public import GRDB

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
        codec: Codec?
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
            codec: record.codec.map(Codec.init)
        )
    }
}

extension CallDetailRecord: FetchableRecord, MutablePersistableRecord {
    public static let databaseTableName = "callDetailRecord"

    public enum Columns {
        public static let id = Column(CodingKeys.id)
        public static let callingDevice = Column(CodingKeys.callingDevice)
        public static let callingNumber = Column(CodingKeys.callingNumber)
        public static let callingReference = Column(CodingKeys.callingReference)
        public static let dialedNumber = Column(CodingKeys.dialedNumber)
        public static let calledNumber = Column(CodingKeys.calledNumber)
        public static let calledDevice = Column(CodingKeys.calledDevice)
        public static let calledReference = Column(CodingKeys.calledReference)
        public static let setupTime = Column(CodingKeys.setupTime)
        public static let answerTime = Column(CodingKeys.answerTime)
        public static let endTime = Column(CodingKeys.endTime)
        public static let endCause = Column(CodingKeys.endCause)
        public static let releasedBy = Column(CodingKeys.releasedBy)
        public static let codec = Column(CodingKeys.codec)
    }

    public static func databaseDateEncodingStrategy(for column: String) -> DatabaseDateEncodingStrategy {
        .custom { StoreTime.milliseconds(since1970: $0) }
    }

    public static func databaseDateDecodingStrategy(for column: String) -> DatabaseDateDecodingStrategy {
        .millisecondsSince1970
    }

    public mutating func didInsert(_ inserted: InsertionSuccess) {
        id = inserted.rowID
    }
}
