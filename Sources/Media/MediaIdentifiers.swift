/// A conference bridge instance, named by whoever creates it (the call core picks the value).
public struct ConferenceID: Hashable, Sendable, Comparable, CustomStringConvertible {
    public var rawValue: UInt64

    public init(_ rawValue: UInt64) {
        self.rawValue = rawValue
    }

    public static func < (lhs: Self, rhs: Self) -> Bool { lhs.rawValue < rhs.rawValue }
    public var description: String { "conference \(self.rawValue)" }
}

/// One media stream between the engine and an endpoint: a conference participant, a music-on-hold listener or a
/// tone listener. Named by whoever creates it (the call core picks the value, e.g. one per call leg).
public struct MediaLegID: Hashable, Sendable, Comparable, CustomStringConvertible {
    public var rawValue: UInt64

    public init(_ rawValue: UInt64) {
        self.rawValue = rawValue
    }

    public static func < (lhs: Self, rhs: Self) -> Bool { lhs.rawValue < rhs.rawValue }
    public var description: String { "media leg \(self.rawValue)" }
}
