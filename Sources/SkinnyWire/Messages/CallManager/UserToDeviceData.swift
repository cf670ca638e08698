public import NIOCore

extension SkinnyMessage {
    /// UserToDeviceData (0x011E), call manager to phone: data for an application on the phone, usually XML
    /// (message-layouts). `u32 applicationId`, `u32 lineInstance`, `u32 callReference`, `u32 transactionId`,
    /// `u32 dataLength`, then the data (at most 2000 bytes).
    ///
    /// Wireshark draws the data as a fixed 2000-byte field but reads only `dataLength` bytes of it; Strowger sends
    /// only those bytes, padded to 4, rather than 2 KB of NULs. Decoding takes `dataLength` bytes or as many as the
    /// body holds, whichever is fewer.
    public struct UserToDeviceData: SkinnyMessageBody {
        public static let id = SkinnyMessageID.userToDeviceData
        /// The most data one message carries (`xml[2000]`).
        public static let maximumDataLength = 2000

        public var applicationID: UInt32
        public var lineInstance: UInt32
        public var callReference: UInt32
        public var transactionID: UInt32
        /// The data, at most 2000 bytes; longer data is cut.
        public var data: [UInt8]

        public init(
            applicationID: UInt32,
            lineInstance: UInt32 = 0,
            callReference: UInt32 = 0,
            transactionID: UInt32 = 0,
            data: [UInt8]
        ) {
            self.applicationID = applicationID
            self.lineInstance = lineInstance
            self.callReference = callReference
            self.transactionID = transactionID
            self.data = data
        }

        public init(from body: SkinnyBodyReader, version: SkinnyProtocolVersion) {
            self.applicationID = body.u32(at: 0)
            self.lineInstance = body.u32(at: 4)
            self.callReference = body.u32(at: 8)
            self.transactionID = body.u32(at: 12)
            self.data = body.bytes(
                at: 20,
                size: min(Int(min(body.u32(at: 16), UInt32(Self.maximumDataLength))), max(0, body.count - 20))
            )
        }

        public func encode(into buffer: inout ByteBuffer, version: SkinnyProtocolVersion) {
            let start = buffer.writerIndex
            let kept = self.data.prefix(Self.maximumDataLength)
            buffer.writeSkinnyU32(self.applicationID)
            buffer.writeSkinnyU32(self.lineInstance)
            buffer.writeSkinnyU32(self.callReference)
            buffer.writeSkinnyU32(self.transactionID)
            buffer.writeSkinnyU32(UInt32(kept.count))
            buffer.writeBytes(kept)
            buffer.padSkinnyBody(from: start)
        }
    }
}
