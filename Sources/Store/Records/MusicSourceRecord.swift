/// A music-on-hold source. Table `musicSource` (migration `addMediaServices`), keyed by name without regard to
/// case.
///
/// The audio itself is not in the database: `strowger moh add` converts the user's file once to 8 kHz µ-law and the
/// server keeps it in the data directory as `music/<name>.ulaw` (mode 0600), loading it into the media engine at
/// start and when it is added. The built-in source (``builtInName``) has a row of its own, so that lines and
/// devices can name it like any other, but no file: the engine generates it.
public struct MusicSourceRecord: Codable, Hashable, Sendable {
    /// The name of the source the media engine generates, chosen when a line or device names none.
    public static let builtInName = "default"
    /// The longest name; names go into file names and URLs.
    public static let maximumNameLength = 64

    /// 1–64 of letters, digits, `.`, `_` and `-`, not starting with `.`.
    public var name: String
    /// The name of the file it was converted from (for `moh list`); empty for the built-in source.
    public var fileName: String
    /// 8 kHz samples of converted audio.
    public var sampleCount: Int
    /// When it was added, milliseconds since 1970 (UTC).
    public var createdAt: Int64
    /// The generated source; it cannot be removed or replaced.
    public var isBuiltIn: Bool

    public init(name: String, fileName: String, sampleCount: Int, createdAt: Int64, isBuiltIn: Bool = false) {
        self.name = name
        self.fileName = fileName
        self.sampleCount = sampleCount
        self.createdAt = createdAt
        self.isBuiltIn = isBuiltIn
    }

    /// The length in seconds.
    public var seconds: Double { Double(self.sampleCount) / 8_000 }

    /// Checks every field; throws a ``StoreError`` naming the first bad one.
    public func validate() throws(StoreError) {
        try Self.validateName(self.name, field: "musicSource.name")
        try Validation.text(self.fileName, field: "musicSource.fileName", maximumLength: 255, allowsEmpty: true)
        try Validation.range(self.sampleCount, 0...(30 * 60 * 8_000), field: "musicSource.sampleCount")
    }

    /// 1–64 of letters, digits, `.`, `_`, `-`, not starting with `.`: the name becomes a file name in the data
    /// directory, so nothing that could walk out of it (`/`, `..`) is accepted.
    public static func validateName(_ value: String, field: String) throws(StoreError) {
        let valid =
            !value.isEmpty && value.utf8.count <= Self.maximumNameLength && !value.hasPrefix(".")
            && value.utf8.allSatisfy { byte in
                switch byte {
                case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"),
                    UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "."), UInt8(ascii: "_"), UInt8(ascii: "-"):
                    true
                default:
                    false
                }
            }
        guard valid else {
            throw .invalidValue(
                field,
                "\(Validation.label(field)) must be 1 to \(Self.maximumNameLength) of letters, digits, ., _ and -,"
                    + " not starting with ., not \(Validation.quoted(value))"
            )
        }
    }
}

extension MusicSourceRecord: SQLRecord {
    static let tableName = "musicSource"
    static let primaryKey = "name"
}
