/// Why an audio file cannot be used as a music-on-hold source. The description is the message the user sees
/// (`strowger moh add`): it says what was found and what is accepted.
public struct AudioFileError: Error, Hashable, Sendable, CustomStringConvertible {
    /// What was wrong, as an extensible set of codes.
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        private enum Base: Hashable, Sendable {
            case unknownFormat
            case malformed
            case unsupportedEncoding
            case tooShort
            case tooLong
        }

        private let base: Base

        private init(_ base: Base) {
            self.base = base
        }

        /// Neither a WAV file nor named as raw G.711.
        public static let unknownFormat = Code(.unknownFormat)
        /// A WAV file whose chunks do not add up.
        public static let malformed = Code(.malformed)
        /// A WAV encoding, sample size, channel count or rate the loader does not convert.
        public static let unsupportedEncoding = Code(.unsupportedEncoding)
        /// Less audio than one 20 ms frame.
        public static let tooShort = Code(.tooShort)
        /// More audio, or a bigger file, than a source may hold.
        public static let tooLong = Code(.tooLong)

        public var description: String {
            switch self.base {
            case .unknownFormat: "unknown format"
            case .malformed: "malformed"
            case .unsupportedEncoding: "unsupported encoding"
            case .tooShort: "too short"
            case .tooLong: "too long"
            }
        }
    }

    public let code: Code
    public let message: String

    init(_ code: Code, _ message: String) {
        self.code = code
        self.message = message
    }

    public static func == (lhs: Self, rhs: Self) -> Bool { lhs.code == rhs.code }
    public func hash(into hasher: inout Hasher) { hasher.combine(self.code) }

    public var description: String { self.message }
}
