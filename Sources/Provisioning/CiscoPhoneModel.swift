/// The Cisco phones that run SCCP firmware, by model: the device type they register with (which names their
/// `loadInformation<type>` element in `XMLDefault.cnf.xml`) and their family, which decides what they can do with
/// trust lists and TLS (README, "Pointing a real Cisco phone at Strowger").
public struct CiscoPhoneModel: Hashable, Sendable {
    /// A generation of phones that behave alike.
    public enum Family: String, Hashable, Sendable, CaseIterable {
        /// 7940, 7960 (and 7910, 7935, 7936): CTL only, TLS 1.0 with RSA.
        case series79x0 = "79x0"
        /// 7906, 7911, 7931, 7937, 7941, 7942, 7945, 7961, 7962, 7965, 7970, 7971, 7975: CTL and ITL, RSA.
        case series79x1 = "79x1/79x2/79x5/797x"
        /// 6901, 6911, 6921, 6941, 6945, 6961.
        case series69xx = "69xx"
        /// 8941, 8945 with SCCP firmware.
        case series89xx = "89xx"
        /// 7920, 7921, 7925 (wireless).
        case wireless = "7920/7921/7925"
        /// 7902, 7905, 7912 and the ATA 186/188: no TLS at all.
        case basic = "7902/7905/7912/ATA"
    }

    /// The model as Strowger names it (`7942`, `ATA186`).
    public var name: String
    /// The SCCP device type (Register's deviceType).
    public var deviceType: Int
    public var family: Family

    public init(name: String, deviceType: Int, family: Family) {
        self.name = name
        self.deviceType = deviceType
        self.family = family
    }

    /// Every model Strowger knows (device types from the SCCP reference's device type table).
    public static let all: [CiscoPhoneModel] = [
        .init(name: "7910", deviceType: 6, family: .series79x0),
        .init(name: "7960", deviceType: 7, family: .series79x0),
        .init(name: "7940", deviceType: 8, family: .series79x0),
        .init(name: "7935", deviceType: 9, family: .series79x0),
        .init(name: "7936", deviceType: 30019, family: .series79x0),
        .init(name: "ATA186", deviceType: 12, family: .basic),
        .init(name: "ATA188", deviceType: 13, family: .basic),
        .init(name: "7902", deviceType: 30008, family: .basic),
        .init(name: "7905", deviceType: 20000, family: .basic),
        .init(name: "7912", deviceType: 30007, family: .basic),
        .init(name: "7906", deviceType: 369, family: .series79x1),
        .init(name: "7911", deviceType: 307, family: .series79x1),
        .init(name: "7931", deviceType: 348, family: .series79x1),
        .init(name: "7937", deviceType: 431, family: .series79x1),
        .init(name: "7941", deviceType: 115, family: .series79x1),
        .init(name: "7942", deviceType: 434, family: .series79x1),
        .init(name: "7945", deviceType: 435, family: .series79x1),
        .init(name: "7961", deviceType: 30018, family: .series79x1),
        .init(name: "7962", deviceType: 404, family: .series79x1),
        .init(name: "7965", deviceType: 436, family: .series79x1),
        .init(name: "7970", deviceType: 30006, family: .series79x1),
        .init(name: "7971", deviceType: 119, family: .series79x1),
        .init(name: "7975", deviceType: 437, family: .series79x1),
        .init(name: "6901", deviceType: 547, family: .series69xx),
        .init(name: "6911", deviceType: 548, family: .series69xx),
        .init(name: "6921", deviceType: 495, family: .series69xx),
        .init(name: "6941", deviceType: 496, family: .series69xx),
        .init(name: "6945", deviceType: 564, family: .series69xx),
        .init(name: "6961", deviceType: 497, family: .series69xx),
        .init(name: "8941", deviceType: 586, family: .series89xx),
        .init(name: "8945", deviceType: 585, family: .series89xx),
        .init(name: "7920", deviceType: 30002, family: .wireless),
        .init(name: "7921", deviceType: 365, family: .wireless),
        .init(name: "7925", deviceType: 484, family: .wireless),
    ]

    /// The model named `name` (`7942`, `Cisco 7942`, `cisco-7942`, any case); nil for one Strowger does not know.
    public static func named(_ name: String) -> CiscoPhoneModel? {
        var key = Substring(name.uppercased()).drop { $0 == " " }
        if key.hasPrefix("CISCO") { key = key.dropFirst(5).drop { $0 == " " || $0 == "-" } }
        while key.last == " " { key = key.dropLast() }
        return Self.all.first { $0.name == key }
    }
}
