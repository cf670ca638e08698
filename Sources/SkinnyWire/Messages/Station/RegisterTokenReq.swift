public import NIOCore

extension SkinnyMessage {
    /// RegisterTokenReq (0x0029), phone to call manager: asks for permission to register, e.g. when falling back
    /// from SRST; answered with RegisterTokenAck or RegisterTokenReject (reference §5.1). Some phones (6911, 7985)
    /// send it before Register.
    ///
    /// `char[16] deviceName`, `u32 userId`, `u32 instance`, the IPv4 address at 24 (network order, as in Register),
    /// `u32 deviceType` at 28, then a second address at 32: 4 bytes below v17 (36-byte body), a 20-byte block from
    /// v17 (52-byte body).
    public struct RegisterTokenReq: SkinnyMessageBody {
        public static let id = SkinnyMessageID.registerTokenReq

        public var deviceName: String
        public var userID: UInt32
        public var instance: UInt32
        public var stationIPAddress: SkinnyIPAddress
        public var deviceType: SkinnyDeviceType
        /// The station's IPv6 address (`stationIpV6Addr`); an IPv4 address in its first four bytes below v17.
        public var stationIPv6Address: SkinnyIPAddress

        public init(
            deviceName: String,
            userID: UInt32 = 0,
            instance: UInt32 = 1,
            stationIPAddress: SkinnyIPAddress,
            deviceType: SkinnyDeviceType,
            stationIPv6Address: SkinnyIPAddress = .unspecified
        ) {
            self.deviceName = deviceName
            self.userID = userID
            self.instance = instance
            self.stationIPAddress = stationIPAddress
            self.deviceType = deviceType
            self.stationIPv6Address = stationIPv6Address
        }

        public init(from body: SkinnyBodyReader, version: SkinnyProtocolVersion) {
            self.deviceName = body.string(at: 0, size: 16)
            self.userID = body.u32(at: 16)
            self.instance = body.u32(at: 20)
            self.stationIPAddress = body.ipv4(at: 24)
            self.deviceType = SkinnyDeviceType(rawValue: body.u32(at: 28))
            self.stationIPv6Address = body.address(at: 32, version: version)
        }

        public func encode(into buffer: inout ByteBuffer, version: SkinnyProtocolVersion) {
            buffer.writeSkinnyString(self.deviceName, size: 16)
            buffer.writeSkinnyU32(self.userID)
            buffer.writeSkinnyU32(self.instance)
            buffer.writeSkinnyIPv4(self.stationIPAddress)
            buffer.writeSkinnyU32(self.deviceType.rawValue)
            buffer.writeSkinnyAddress(self.stationIPv6Address, version: version)
        }
    }
}
