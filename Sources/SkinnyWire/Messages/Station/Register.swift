public import NIOCore

extension SkinnyMessage {
    /// Register (0x0001), phone to call manager: the first message of a session (reference §5.1, call-flows §1).
    ///
    /// Real bodies are 36 to 48 bytes (old phones), 124 bytes (7941 at v17) or 172 bytes; every field after the
    /// first few is optional and reads as zero when absent.
    public struct Register: SkinnyMessageBody {
        public static let id = SkinnyMessageID.register

        /// `SEP` and the MAC address in 12 hex digits for phones.
        public var deviceName: String
        public var userID: UInt32
        public var instance: UInt32
        public var stationIPAddress: SkinnyIPAddress
        public var deviceType: SkinnyDeviceType
        public var maxStreams: UInt32
        public var activeStreams: UInt32
        /// The highest protocol version the phone speaks (body byte 40; reference §2.2). 0 when the body is too
        /// short to carry it.
        public var protocolVersion: UInt8
        /// Body byte 41, meaning unknown (reference §2.4).
        public var unknownFeatureByte: UInt8
        /// Bytes 42–43 as a little-endian u16 (reference §2.4; chan-sccp's reading fits real phones).
        public var features: SkinnyPhoneFeatures
        public var maxConferences: UInt32
        public var activeConferences: UInt32
        /// The 6-byte MAC address (the field is 12 bytes: 6 then padding).
        public var macAddress: [UInt8]
        public var ipv4AddressScope: UInt32
        public var maxNumberOfLines: UInt32
        public var stationIPv6Address: [UInt8]
        public var ipv6AddressScope: UInt32
        /// The firmware load, e.g. "SCCP41.8-5-3S".
        public var firmwareLoadName: String
        public var configVersionStamp: String

        public init(
            deviceName: String,
            userID: UInt32 = 0,
            instance: UInt32 = 1,
            stationIPAddress: SkinnyIPAddress = .unspecified,
            deviceType: SkinnyDeviceType,
            maxStreams: UInt32 = 5,
            activeStreams: UInt32 = 0,
            protocolVersion: UInt8,
            unknownFeatureByte: UInt8 = 0,
            features: SkinnyPhoneFeatures = [],
            maxConferences: UInt32 = 0,
            activeConferences: UInt32 = 0,
            macAddress: [UInt8] = [],
            ipv4AddressScope: UInt32 = 0,
            maxNumberOfLines: UInt32 = 0,
            stationIPv6Address: [UInt8] = [],
            ipv6AddressScope: UInt32 = 0,
            firmwareLoadName: String = "",
            configVersionStamp: String = ""
        ) {
            self.deviceName = deviceName
            self.userID = userID
            self.instance = instance
            self.stationIPAddress = stationIPAddress
            self.deviceType = deviceType
            self.maxStreams = maxStreams
            self.activeStreams = activeStreams
            self.protocolVersion = protocolVersion
            self.unknownFeatureByte = unknownFeatureByte
            self.features = features
            self.maxConferences = maxConferences
            self.activeConferences = activeConferences
            self.macAddress = Array(macAddress.prefix(6)) + Array(repeating: 0, count: max(0, 6 - macAddress.count))
            self.ipv4AddressScope = ipv4AddressScope
            self.maxNumberOfLines = maxNumberOfLines
            self.stationIPv6Address =
                Array(stationIPv6Address.prefix(16)) + Array(repeating: 0, count: max(0, 16 - stationIPv6Address.count))
            self.ipv6AddressScope = ipv6AddressScope
            self.firmwareLoadName = firmwareLoadName
            self.configVersionStamp = configVersionStamp
        }

        public init(from body: SkinnyBodyReader, version: SkinnyProtocolVersion) {
            self.deviceName = body.string(at: 0, size: 16)
            self.userID = body.u32(at: 16)
            self.instance = body.u32(at: 20)
            self.stationIPAddress = body.ipv4(at: 24)
            self.deviceType = SkinnyDeviceType(rawValue: body.u32(at: 28))
            self.maxStreams = body.u32(at: 32)
            self.activeStreams = body.u32(at: 36)
            self.protocolVersion = body.u8(at: 40)
            self.unknownFeatureByte = body.u8(at: 41)
            self.features = SkinnyPhoneFeatures(rawValue: body.u16(at: 42))
            self.maxConferences = body.u32(at: 44)
            self.activeConferences = body.u32(at: 48)
            self.macAddress = body.bytes(at: 52, size: 6)
            self.ipv4AddressScope = body.u32(at: 64)
            self.maxNumberOfLines = body.u32(at: 68)
            self.stationIPv6Address = body.bytes(at: 72, size: 16)
            self.ipv6AddressScope = body.u32(at: 88)
            self.firmwareLoadName = body.string(at: 92, size: 32)
            self.configVersionStamp = body.string(at: 124, size: 48)
        }

        /// Writes the 172-byte form that current phones send.
        public func encode(into buffer: inout ByteBuffer, version: SkinnyProtocolVersion) {
            buffer.writeSkinnyString(self.deviceName, size: 16)
            buffer.writeSkinnyU32(self.userID)
            buffer.writeSkinnyU32(self.instance)
            buffer.writeSkinnyIPv4(self.stationIPAddress)
            buffer.writeSkinnyU32(self.deviceType.rawValue)
            buffer.writeSkinnyU32(self.maxStreams)
            buffer.writeSkinnyU32(self.activeStreams)
            buffer.writeInteger(self.protocolVersion)
            buffer.writeInteger(self.unknownFeatureByte)
            buffer.writeSkinnyU16(self.features.rawValue)
            buffer.writeSkinnyU32(self.maxConferences)
            buffer.writeSkinnyU32(self.activeConferences)
            buffer.writeBytes(self.macAddress.prefix(6))
            buffer.writeRepeatingByte(0, count: 12 - min(6, self.macAddress.count))
            buffer.writeSkinnyU32(self.ipv4AddressScope)
            buffer.writeSkinnyU32(self.maxNumberOfLines)
            buffer.writeBytes(self.stationIPv6Address.prefix(16))
            buffer.writeRepeatingByte(0, count: 16 - min(16, self.stationIPv6Address.count))
            buffer.writeSkinnyU32(self.ipv6AddressScope)
            buffer.writeSkinnyString(self.firmwareLoadName, size: 32)
            buffer.writeSkinnyString(self.configVersionStamp, size: 48)
        }
    }
}

/// The feature bits of Register bytes 42–43 and RegisterAck bytes 18–19, read as a little-endian u16.
///
/// Wireshark and chan-sccp disagree on two bits; real 7941 and 7960 phones send 0x8572 and 0x8560, which fit
/// chan-sccp's reading (reference §2.4, §7 #1), so that is the one used here.
public struct SkinnyPhoneFeatures: OptionSet, Hashable, Sendable {
    public var rawValue: UInt16

    public init(rawValue: UInt16) {
        self.rawValue = rawValue
    }

    /// The phone accepts UTF-8 text.
    public static let utf8 = SkinnyPhoneFeatures(rawValue: 0x0010)
    /// The phone accepts dynamic (variable-string) messages.
    public static let dynamicMessages = SkinnyPhoneFeatures(rawValue: 0x0100)
    /// The phone sends DTMF as RFC 2833 events.
    public static let rfc2833 = SkinnyPhoneFeatures(rawValue: 0x0400)
    /// The phone supports abbreviated dialling.
    public static let abbreviatedDial = SkinnyPhoneFeatures(rawValue: 0x8000)
}
