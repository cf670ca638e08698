/// The severity of an Alarm from a phone (Alarm.alarmSeverity; reference §6.14).
///
/// An open set: a value Strowger has no name for still decodes and round-trips.
public struct SkinnyAlarmSeverity: RawRepresentable, Hashable, Sendable, ExpressibleByIntegerLiteral {
    public var rawValue: UInt32

    public init(rawValue: UInt32) {
        self.rawValue = rawValue
    }

    public init(integerLiteral value: UInt32) {
        self.rawValue = value
    }

    /// Critical.
    public static let critical = SkinnyAlarmSeverity(rawValue: 0)
    /// Warning.
    public static let warning = SkinnyAlarmSeverity(rawValue: 1)
    /// Informational: what phones send with their "Name=… Load=… Last=…" line after a restart.
    public static let informational = SkinnyAlarmSeverity(rawValue: 2)
    /// Unknown.
    public static let unknown = SkinnyAlarmSeverity(rawValue: 4)
    /// Major.
    public static let major = SkinnyAlarmSeverity(rawValue: 7)
    /// Minor.
    public static let minor = SkinnyAlarmSeverity(rawValue: 8)
    /// Marginal.
    public static let marginal = SkinnyAlarmSeverity(rawValue: 10)
    /// Trace information.
    public static let traceInfo = SkinnyAlarmSeverity(rawValue: 20)
}
