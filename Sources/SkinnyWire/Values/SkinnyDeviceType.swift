/// A device model (Register.deviceType; reference §6.10).
///
/// An open set: a value Strowger has no name for still decodes and round-trips.
public struct SkinnyDeviceType: RawRepresentable, Hashable, Sendable, ExpressibleByIntegerLiteral {
    public var rawValue: UInt32

    public init(rawValue: UInt32) {
        self.rawValue = rawValue
    }

    public init(integerLiteral value: UInt32) {
        self.rawValue = value
    }

    /// 30 SP+.
    public static let station30SPPlus = SkinnyDeviceType(rawValue: 1)
    /// 7910.
    public static let station7910 = SkinnyDeviceType(rawValue: 6)
    /// 7960.
    public static let station7960 = SkinnyDeviceType(rawValue: 7)
    /// 7940.
    public static let station7940 = SkinnyDeviceType(rawValue: 8)
    /// 7935.
    public static let station7935 = SkinnyDeviceType(rawValue: 9)
    /// ATA 186.
    public static let ata186 = SkinnyDeviceType(rawValue: 12)
    /// ATA 188.
    public static let ata188 = SkinnyDeviceType(rawValue: 13)
    /// CallManager 2.x virtual phone.
    public static let virtual30SPPlus = SkinnyDeviceType(rawValue: 20)
    /// 7941.
    public static let station7941 = SkinnyDeviceType(rawValue: 115)
    /// 7971.
    public static let station7971 = SkinnyDeviceType(rawValue: 119)
    /// 7911.
    public static let station7911 = SkinnyDeviceType(rawValue: 307)
    /// 7961 GE.
    public static let station7961GE = SkinnyDeviceType(rawValue: 308)
    /// 7931.
    public static let station7931 = SkinnyDeviceType(rawValue: 348)
    /// 7921.
    public static let station7921 = SkinnyDeviceType(rawValue: 365)
    /// 7906.
    public static let station7906 = SkinnyDeviceType(rawValue: 369)
    /// 7962.
    public static let station7962 = SkinnyDeviceType(rawValue: 404)
    /// 7942.
    public static let station7942 = SkinnyDeviceType(rawValue: 434)
    /// 7945.
    public static let station7945 = SkinnyDeviceType(rawValue: 435)
    /// 7965.
    public static let station7965 = SkinnyDeviceType(rawValue: 436)
    /// 7975.
    public static let station7975 = SkinnyDeviceType(rawValue: 437)
    /// 7925.
    public static let station7925 = SkinnyDeviceType(rawValue: 484)
    /// 6921.
    public static let station6921 = SkinnyDeviceType(rawValue: 495)
    /// 6941.
    public static let station6941 = SkinnyDeviceType(rawValue: 496)
    /// 6961.
    public static let station6961 = SkinnyDeviceType(rawValue: 497)
    /// 6901.
    public static let station6901 = SkinnyDeviceType(rawValue: 547)
    /// 6911.
    public static let station6911 = SkinnyDeviceType(rawValue: 548)
    /// 6945.
    public static let station6945 = SkinnyDeviceType(rawValue: 564)
    /// 8945.
    public static let station8945 = SkinnyDeviceType(rawValue: 585)
    /// 8941.
    public static let station8941 = SkinnyDeviceType(rawValue: 586)
    /// 7905.
    public static let station7905 = SkinnyDeviceType(rawValue: 20000)
    /// 7920.
    public static let station7920 = SkinnyDeviceType(rawValue: 30002)
    /// 7970.
    public static let station7970 = SkinnyDeviceType(rawValue: 30006)
    /// 7912.
    public static let station7912 = SkinnyDeviceType(rawValue: 30007)
    /// 7902.
    public static let station7902 = SkinnyDeviceType(rawValue: 30008)
    /// IP Communicator.
    public static let ipCommunicator = SkinnyDeviceType(rawValue: 30016)
    /// 7961.
    public static let station7961 = SkinnyDeviceType(rawValue: 30018)
    /// 7936.
    public static let station7936 = SkinnyDeviceType(rawValue: 30019)
}
