public import NIOCore

extension SkinnyMessage {
    /// UserToDeviceDataVersion1 (0x013F), call manager to phone: UserToDeviceData with sequencing and routing
    /// fields, used for XML pushes and conference lists (reference §5.2). Ten `u32` fields, then the data (at most
    /// 2000 bytes). As for UserToDeviceData, only `dataLength` bytes are sent, padded to 4.
    public struct UserToDeviceDataV1: SkinnyMessageBody {
        public static let id = SkinnyMessageID.userToDeviceDataV1
        /// The most data one message carries (`xml[2000]`).
        public static let maximumDataLength = 2000

        public var applicationID: UInt32
        public var lineInstance: UInt32
        public var callReference: UInt32
        public var transactionID: UInt32
        public var sequenceFlag: SkinnySequenceFlag
        public var displayPriority: UInt32
        public var conferenceID: UInt32
        public var appInstanceID: UInt32
        public var routingID: UInt32
        /// The data, at most 2000 bytes; longer data is cut.
        public var data: [UInt8]

        public init(
            applicationID: UInt32,
            lineInstance: UInt32 = 0,
            callReference: UInt32 = 0,
            transactionID: UInt32 = 0,
            sequenceFlag: SkinnySequenceFlag = .first,
            displayPriority: UInt32 = 0,
            conferenceID: UInt32 = 0,
            appInstanceID: UInt32 = 0,
            routingID: UInt32 = 0,
            data: [UInt8]
        ) {
            self.applicationID = applicationID
            self.lineInstance = lineInstance
            self.callReference = callReference
            self.transactionID = transactionID
            self.sequenceFlag = sequenceFlag
            self.displayPriority = displayPriority
            self.conferenceID = conferenceID
            self.appInstanceID = appInstanceID
            self.routingID = routingID
            self.data = data
        }

        public init(from body: SkinnyBodyReader, version: SkinnyProtocolVersion) {
            self.applicationID = body.u32(at: 0)
            self.lineInstance = body.u32(at: 4)
            self.callReference = body.u32(at: 8)
            self.transactionID = body.u32(at: 12)
            self.sequenceFlag = SkinnySequenceFlag(rawValue: body.u32(at: 20))
            self.displayPriority = body.u32(at: 24)
            self.conferenceID = body.u32(at: 28)
            self.appInstanceID = body.u32(at: 32)
            self.routingID = body.u32(at: 36)
            self.data = body.bytes(
                at: 40,
                size: min(Int(min(body.u32(at: 16), UInt32(Self.maximumDataLength))), max(0, body.count - 40))
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
            buffer.writeSkinnyU32(self.sequenceFlag.rawValue)
            buffer.writeSkinnyU32(self.displayPriority)
            buffer.writeSkinnyU32(self.conferenceID)
            buffer.writeSkinnyU32(self.appInstanceID)
            buffer.writeSkinnyU32(self.routingID)
            buffer.writeBytes(kept)
            buffer.padSkinnyBody(from: start)
        }
    }
}
