public import CallControl

/// A line: a directory number and what happens to calls for it. Table `line`.
///
/// The forward targets and the no-answer timeout reach CallControl, which forwards calls (Forward All, Busy, No
/// Answer); the voicemail number is stored for the Messages button, which nothing uses yet.
public struct LineRecord: Codable, Hashable, Sendable {
    /// The row id; nil until inserted.
    public var id: Int64?
    /// The directory number, unique: 1–24 of `0-9 * + A-D`.
    public var number: String
    /// The name callers and callees see; empty shows the number only. At most 40 characters (SCCP's field).
    public var displayName: String
    /// Forward every call to this number (CUCM "Forward All"); nil for none.
    public var forwardAll: String?
    /// Forward calls that find the line busy; nil for none.
    public var forwardBusy: String?
    /// Forward calls not answered within ``noAnswerTimeoutSeconds``; nil for none.
    public var forwardNoAnswer: String?
    /// How long an incoming call rings before ``forwardNoAnswer`` applies (CUCM's default is 12 s).
    public var noAnswerTimeoutSeconds: Int
    /// Calls the line may have on one device at once (CUCM "maximum number of calls"), 1–200.
    public var maxCalls: Int
    /// An incoming call finds the line busy once it has this many calls, 1–``maxCalls``.
    public var busyTrigger: Int
    /// The number the Messages button dials; nil for none.
    public var voicemailNumber: String?
    /// The music-on-hold source parties held by this line hear (a ``MusicSourceRecord`` name); nil for the device's
    /// choice, else the built-in source. Stored now; played from phase 2 of issue 14.
    public var musicSource: String?
    /// A message is waiting (voicemail): every phone with the line lights its message lamp (migration
    /// `addCallFeatures`).
    public var messageWaiting: Bool

    public init(
        id: Int64? = nil,
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
        messageWaiting: Bool = false
    ) {
        self.id = id
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
    }

    /// Checks every field; throws a ``StoreError`` naming the first bad one.
    public func validate() throws(StoreError) {
        try Validation.directoryNumber(number, field: "line.number")
        try Validation.text(
            displayName,
            field: "line.displayName",
            maximumLength: Validation.maximumDisplayNameLength,
            allowsEmpty: true
        )
        try Validation.optionalDialString(forwardAll, field: "line.forwardAll")
        try Validation.optionalDialString(forwardBusy, field: "line.forwardBusy")
        try Validation.optionalDialString(forwardNoAnswer, field: "line.forwardNoAnswer")
        try Validation.range(noAnswerTimeoutSeconds, 1...300, field: "line.noAnswerTimeoutSeconds", unit: "seconds")
        try Validation.range(maxCalls, 1...200, field: "line.maxCalls")
        try Validation.range(busyTrigger, 1...maxCalls, field: "line.busyTrigger")
        try Validation.optionalDialString(voicemailNumber, field: "line.voicemailNumber")
        if let musicSource { try MusicSourceRecord.validateName(musicSource, field: "line.musicSource") }
    }

    /// What CallControl needs of the line.
    public var lineConfiguration: LineConfiguration {
        LineConfiguration(
            number: DirectoryNumber(number),
            displayName: displayName,
            maxCalls: maxCalls,
            busyTrigger: busyTrigger,
            forwardAll: forwardAll,
            forwardBusy: forwardBusy,
            forwardNoAnswer: forwardNoAnswer,
            noAnswerTimeout: .seconds(noAnswerTimeoutSeconds),
            messageWaiting: messageWaiting,
            musicSource: musicSource
        )
    }
}

extension LineRecord: SQLAutoIncrementedRecord {
    static let tableName = "line"
}
