public import NIOCore

extension SkinnyMessage {
    /// SPCPRegisterTokenReq (0x8000), phone to call manager: the token request of Cisco SPA5xx phones speaking
    /// the SPCP dialect, sent before Register; answered with SPCPRegisterTokenAck or Reject (reference §4). 36 bytes.
    public struct SPCPRegisterTokenReq: SkinnyMessageBody {
        public static let id = SkinnyMessageID.spcpRegisterTokenReq

        public var deviceName: String
        public var userID: UInt32
        public var instance: UInt32
        /// The IPv4 address at 24, in network order as in Register.
        public var stationIPAddress: SkinnyIPAddress
        /// An SPA model (80000…80013; reference §6.10).
        public var deviceType: SkinnyDeviceType
        public var maxStreams: UInt32

        public init(
            deviceName: String,
            userID: UInt32 = 0,
            instance: UInt32 = 1,
            stationIPAddress: SkinnyIPAddress,
            deviceType: SkinnyDeviceType,
            maxStreams: UInt32 = 0
        ) {
            self.deviceName = deviceName
            self.userID = userID
            self.instance = instance
            self.stationIPAddress = stationIPAddress
            self.deviceType = deviceType
            self.maxStreams = maxStreams
        }

        public init(from body: SkinnyBodyReader, version: SkinnyProtocolVersion) {
            self.deviceName = body.string(at: 0, size: 16)
            self.userID = body.u32(at: 16)
            self.instance = body.u32(at: 20)
            self.stationIPAddress = body.ipv4(at: 24)
            self.deviceType = SkinnyDeviceType(rawValue: body.u32(at: 28))
            self.maxStreams = body.u32(at: 32)
        }

        public func encode(into buffer: inout ByteBuffer, version: SkinnyProtocolVersion) {
            buffer.writeSkinnyString(self.deviceName, size: 16)
            buffer.writeSkinnyU32(self.userID)
            buffer.writeSkinnyU32(self.instance)
            buffer.writeSkinnyIPv4(self.stationIPAddress)
            buffer.writeSkinnyU32(self.deviceType.rawValue)
            buffer.writeSkinnyU32(self.maxStreams)
        }
    }
}
