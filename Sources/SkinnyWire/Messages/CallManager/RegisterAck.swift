public import NIOCore

extension SkinnyMessage {
    /// RegisterAck (0x0081), call manager to phone: registration accepted, with the keepalive interval and the
    /// negotiated protocol version (reference §5.2, §2.2). 20 bytes; CallManager 2.x sent only the first 12.
    public struct RegisterAck: SkinnyMessageBody {
        public static let id = SkinnyMessageID.registerAck

        /// Seconds between the phone's KeepAlives.
        public var keepAliveInterval: UInt32
        /// How the phone shows the date: M, D and Y in order with a separator; `YY` is a 4-digit year and a
        /// trailing `A` a 12-hour clock (reference §5.2).
        public var dateTemplate: String
        /// Seconds between KeepAlives to a standby call manager.
        public var secondaryKeepAliveInterval: UInt32
        /// The negotiated version (body byte 16).
        public var protocolVersion: UInt8
        /// Body byte 17 (chan-sccp sends 0x20 from v4).
        public var featureByte: UInt8
        /// Bytes 18–19 (chan-sccp sends 0xFEF1 for v4–v10, 0xFFF1 from v11).
        public var features: UInt16

        public init(
            keepAliveInterval: UInt32,
            dateTemplate: String = "M/D/YY",
            secondaryKeepAliveInterval: UInt32,
            protocolVersion: SkinnyProtocolVersion
        ) {
            self.keepAliveInterval = keepAliveInterval
            self.dateTemplate = dateTemplate
            self.secondaryKeepAliveInterval = secondaryKeepAliveInterval
            self.protocolVersion = protocolVersion.rawValue
            // The bytes chan-sccp sends, which phones accept (reference §2.4): none at v3, then 20 F1 FE / 20 F1 FF.
            switch protocolVersion.rawValue {
            case ..<4:
                self.featureByte = 0
                self.features = 0
            case 4...10:
                self.featureByte = 0x20
                self.features = 0xFEF1
            default:
                self.featureByte = 0x20
                self.features = 0xFFF1
            }
        }

        public init(from body: SkinnyBodyReader, version: SkinnyProtocolVersion) {
            self.keepAliveInterval = body.u32(at: 0)
            self.dateTemplate = body.string(at: 4, size: 6)
            self.secondaryKeepAliveInterval = body.u32(at: 12)
            self.protocolVersion = body.u8(at: 16)
            self.featureByte = body.u8(at: 17)
            self.features = body.u16(at: 18)
        }

        public func encode(into buffer: inout ByteBuffer, version: SkinnyProtocolVersion) {
            buffer.writeSkinnyU32(self.keepAliveInterval)
            buffer.writeSkinnyString(self.dateTemplate, size: 6)
            buffer.writeSkinnyU16(0)
            buffer.writeSkinnyU32(self.secondaryKeepAliveInterval)
            buffer.writeInteger(self.protocolVersion)
            buffer.writeInteger(self.featureByte)
            buffer.writeSkinnyU16(self.features)
        }
    }
}
