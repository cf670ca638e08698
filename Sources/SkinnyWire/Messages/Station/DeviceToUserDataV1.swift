public import NIOCore

extension SkinnyMessage {
    /// DeviceToUserDataVersion1 (0x0041), phone to call manager: DeviceToUserData with sequencing, priority and
    /// routing fields (reference §4; message-layouts 0x0041).
    ///
    /// Ten `u32` (applicationId, lineInstance, callReference, transactionId, dataLength, sequenceFlag,
    /// displayPriority, conferenceId, appInstanceId, routingId), then `data[2000]` of which the first
    /// `dataLength` bytes are used: 2040 bytes. A `dataLength` above 2000 throws `countOutOfRange`.
    public typealias DeviceToUserDataV1 = DeviceToUserDataV1Message<DeviceToUserDataV1Kind>

    /// DeviceToUserDataResponseVersion1 (0x0042), phone to call manager: a phone application's answer to
    /// UserToDeviceDataVersion1, laid out as DeviceToUserDataVersion1 (message-layouts 0x0042).
    ///
    /// Ten `u32` (applicationId, lineInstance, callReference, transactionId, dataLength, sequenceFlag,
    /// displayPriority, conferenceId, appInstanceId, routingId), then `data[2000]` of which the first
    /// `dataLength` bytes are used: 2040 bytes. A `dataLength` above 2000 throws `countOutOfRange`.
    public typealias DeviceToUserDataResponseV1 = DeviceToUserDataV1Message<DeviceToUserDataResponseV1Kind>

    /// The layout shared by DeviceToUserDataV1 and DeviceToUserDataResponseV1; see those aliases.
    public struct DeviceToUserDataV1Message<Kind: SkinnyMessageKind>: SkinnyMessageBody {
        public static var id: SkinnyMessageID { Kind.id }

        /// Capacity of the data field (`xml[2000]`).
        public static var maximumDataLength: Int { 2000 }

        public var applicationID: UInt32
        public var lineInstance: UInt32
        public var callReference: UInt32
        public var transactionID: UInt32
        /// 0 first, 1 more, 2 last: how a long document is split over several messages.
        public var sequenceFlag: UInt32
        public var displayPriority: UInt32
        public var conferenceID: UInt32
        public var applicationInstanceID: UInt32
        public var routingID: UInt32
        /// The application's bytes, usually XML; at most 2000, more are cut when encoding.
        public var data: [UInt8]

        public init(
            applicationID: UInt32,
            lineInstance: UInt32 = 0,
            callReference: UInt32 = 0,
            transactionID: UInt32 = 0,
            sequenceFlag: UInt32 = 0,
            displayPriority: UInt32 = 0,
            conferenceID: UInt32 = 0,
            applicationInstanceID: UInt32 = 0,
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
            self.applicationInstanceID = applicationInstanceID
            self.routingID = routingID
            self.data = data
        }

        /// The data as text (see `SkinnyText`).
        public var text: String { SkinnyText.decode(self.data) }

        public init(from body: SkinnyBodyReader, version: SkinnyProtocolVersion) throws(SkinnyError) {
            self.applicationID = body.u32(at: 0)
            self.lineInstance = body.u32(at: 4)
            self.callReference = body.u32(at: 8)
            self.transactionID = body.u32(at: 12)
            let length = body.u32(at: 16)
            guard length <= Self.maximumDataLength else {
                throw .countOutOfRange(
                    "dataLength",
                    count: length,
                    maximum: Self.maximumDataLength,
                    messageID: Self.id,
                    body: body.body
                )
            }
            self.sequenceFlag = body.u32(at: 20)
            self.displayPriority = body.u32(at: 24)
            self.conferenceID = body.u32(at: 28)
            self.applicationInstanceID = body.u32(at: 32)
            self.routingID = body.u32(at: 36)
            self.data = body.bytes(at: 40, size: min(Int(length), max(0, body.count - 40)))
        }

        public func encode(into buffer: inout ByteBuffer, version: SkinnyProtocolVersion) {
            let data = self.data.prefix(Self.maximumDataLength)
            buffer.writeSkinnyU32(self.applicationID)
            buffer.writeSkinnyU32(self.lineInstance)
            buffer.writeSkinnyU32(self.callReference)
            buffer.writeSkinnyU32(self.transactionID)
            buffer.writeSkinnyU32(UInt32(data.count))
            buffer.writeSkinnyU32(self.sequenceFlag)
            buffer.writeSkinnyU32(self.displayPriority)
            buffer.writeSkinnyU32(self.conferenceID)
            buffer.writeSkinnyU32(self.applicationInstanceID)
            buffer.writeSkinnyU32(self.routingID)
            buffer.writeBytes(data)
            buffer.writeRepeatingByte(0, count: Self.maximumDataLength - data.count)
        }
    }
}

/// Selects the id of `SkinnyMessage.DeviceToUserDataV1`.
public enum DeviceToUserDataV1Kind: SkinnyMessageKind {
    public static let id = SkinnyMessageID.deviceToUserDataV1
}

/// Selects the id of `SkinnyMessage.DeviceToUserDataResponseV1`.
public enum DeviceToUserDataResponseV1Kind: SkinnyMessageKind {
    public static let id = SkinnyMessageID.deviceToUserDataResponseV1
}
