/// The SCCP protocol version a phone and the call manager agreed on at registration.
///
/// The phone offers its highest version in `Register` (body byte 40); the call manager answers with the highest
/// version it implements that is not above the offer (reference §2.2). Every layout difference between versions is
/// asked of this type, so that message code reads as a rule ("does this version use IPv6 address blocks?") rather
/// than as a magic number.
public struct SkinnyProtocolVersion: RawRepresentable, Hashable, Comparable, Sendable, CustomStringConvertible {
    public var rawValue: UInt8

    public init(rawValue: UInt8) {
        self.rawValue = rawValue
    }

    public init(_ rawValue: UInt8) {
        self.rawValue = rawValue
    }

    public static func < (lhs: Self, rhs: Self) -> Bool { lhs.rawValue < rhs.rawValue }

    public var description: String { "v\(self.rawValue)" }

    /// The versions Strowger negotiates. 12 to 14 are left out on purpose: Wireshark does not dissect those header
    /// values and chan-sccp, field-tested on many models, never negotiates them (reference §2.1).
    public static let implemented: [SkinnyProtocolVersion] = [3, 5, 8, 9, 10, 11, 15, 16, 17, 18, 19, 20, 21, 22]
        .map { SkinnyProtocolVersion($0) }

    public static let v3 = SkinnyProtocolVersion(3)
    public static let v5 = SkinnyProtocolVersion(5)
    public static let v8 = SkinnyProtocolVersion(8)
    public static let v11 = SkinnyProtocolVersion(11)
    public static let v15 = SkinnyProtocolVersion(15)
    public static let v16 = SkinnyProtocolVersion(16)
    public static let v17 = SkinnyProtocolVersion(17)
    public static let v18 = SkinnyProtocolVersion(18)
    public static let v19 = SkinnyProtocolVersion(19)
    public static let v20 = SkinnyProtocolVersion(20)
    public static let v21 = SkinnyProtocolVersion(21)
    public static let v22 = SkinnyProtocolVersion(22)

    /// The newest version Strowger implements.
    public static let newest = SkinnyProtocolVersion.v22

    /// Picks the version to use with a phone that offered `offered`: the highest implemented version that is not
    /// above the offer, and never below 3 (chan-sccp's rule; reference §2.2).
    public static func negotiate(offered: UInt8) -> SkinnyProtocolVersion {
        implemented.last(where: { $0.rawValue <= offered }) ?? .v3
    }

    /// The value to put in the header-version field of a frame sent at this version: the version itself from 10
    /// upwards, 0 ("basic") below (reference §2.1). 12 to 14 are never negotiated and would not be dissected by
    /// Wireshark, so they fall back to 11.
    public var headerVersion: UInt32 {
        switch self.rawValue {
        case ..<10: 0
        case 12...14: 11
        default: UInt32(self.rawValue)
        }
    }

    /// From v8 prompts, notifies and call information go out as dynamic (variable-string) messages (reference §2.3).
    public var usesDynamicDisplay: Bool { self.rawValue >= 8 }

    /// From v11 OpenReceiveChannel carries mixing mode, direction and the source address; StopTone carries a tone.
    public var hasExtendedMediaFields: Bool { self.rawValue >= 11 }

    /// From v15 StartMediaTransmission carries the party direction and BLF speed dials exist.
    public var hasPartyDirectionInStartMedia: Bool { self.rawValue >= 15 }

    /// From v16 OpenReceiveChannel carries the requested IP address type.
    public var hasRequestedAddressType: Bool { self.rawValue >= 16 }

    /// From v17 every IP address is a 20-byte block: `u32 type` then 16 bytes (reference §3).
    public var usesAddressBlocks: Bool { self.rawValue >= 17 }

    /// From v18 directory-number fields are 25 bytes and the integers after them are packed (reference §2.3).
    public var usesLongDirectoryNumbers: Bool { self.rawValue >= 18 }

    /// From v21 OpenReceiveChannel and StartMediaTransmission end with a 36-byte latent-capabilities block.
    public var hasLatentCapabilities: Bool { self.rawValue >= 21 }

    /// The size of a directory-number field at this version: 24 bytes, or 25 from v18.
    public var directoryNumberSize: Int { self.usesLongDirectoryNumbers ? 25 : 24 }
}

extension SkinnyProtocolVersion: ExpressibleByIntegerLiteral {
    public init(integerLiteral value: UInt8) {
        self.rawValue = value
    }
}
