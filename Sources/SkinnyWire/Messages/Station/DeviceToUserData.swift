public import NIOCore

extension SkinnyMessage {
    /// DeviceToUserData (0x002E), phone to call manager: data from a phone application (e.g. an XML service) to
    /// the call manager's application `applicationID` (reference §4; message-layouts 0x002E).
    ///
    /// `u32 applicationId`, `u32 lineInstance`, `u32 callReference`, `u32 transactionId`, `u32 dataLength`,
    /// then `data[2000]` of which the first `dataLength` bytes are used: 2020 bytes. A `dataLength` above 2000
    /// throws `countOutOfRange`.
    public typealias DeviceToUserData = DeviceToUserDataMessage<DeviceToUserDataKind>

    /// DeviceToUserDataResponse (0x002F), phone to call manager: a phone application's answer to
    /// UserToDeviceData, laid out as DeviceToUserData (message-layouts 0x002F).
    ///
    /// `u32 applicationId`, `u32 lineInstance`, `u32 callReference`, `u32 transactionId`, `u32 dataLength`,
    /// then `data[2000]` of which the first `dataLength` bytes are used: 2020 bytes. A `dataLength` above 2000
    /// throws `countOutOfRange`.
    public typealias DeviceToUserDataResponse = DeviceToUserDataMessage<DeviceToUserDataResponseKind>

    /// The layout shared by DeviceToUserData and DeviceToUserDataResponse; see those aliases.
    public struct DeviceToUserDataMessage<Kind: SkinnyMessageKind>: SkinnyMessageBody {
        public static var id: SkinnyMessageID { Kind.id }

        /// Capacity of the data field (`xml[2000]`).
        public static var maximumDataLength: Int { 2000 }

        public var applicationID: UInt32
        public var lineInstance: UInt32
        public var callReference: UInt32
        public var transactionID: UInt32
        /// The application's bytes, usually XML; at most 2000, more are cut when encoding.
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
            self.data = body.bytes(at: 20, size: min(Int(length), max(0, body.count - 20)))
        }

        public func encode(into buffer: inout ByteBuffer, version: SkinnyProtocolVersion) {
            let data = self.data.prefix(Self.maximumDataLength)
            buffer.writeSkinnyU32(self.applicationID)
            buffer.writeSkinnyU32(self.lineInstance)
            buffer.writeSkinnyU32(self.callReference)
            buffer.writeSkinnyU32(self.transactionID)
            buffer.writeSkinnyU32(UInt32(data.count))
            buffer.writeBytes(data)
            buffer.writeRepeatingByte(0, count: Self.maximumDataLength - data.count)
        }
    }
}

/// Selects the id of `SkinnyMessage.DeviceToUserData`.
public enum DeviceToUserDataKind: SkinnyMessageKind {
    public static let id = SkinnyMessageID.deviceToUserData
}

/// Selects the id of `SkinnyMessage.DeviceToUserDataResponse`.
public enum DeviceToUserDataResponseKind: SkinnyMessageKind {
    public static let id = SkinnyMessageID.deviceToUserDataResponse
}
