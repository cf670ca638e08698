public import NIOCore

extension SkinnyMessage {
    /// MediaResourceNotification (0x002C), device to call manager: how many media streams a media device (e.g. a
    /// conference bridge) has in and out of service (message-layouts 0x002C). 16 bytes.
    public struct MediaResourceNotification: SkinnyMessageBody {
        public static let id = SkinnyMessageID.mediaResourceNotification

        public var deviceType: SkinnyDeviceType
        public var numberOfInServiceStreams: UInt32
        public var maxStreamsPerConference: UInt32
        public var numberOfOutOfServiceStreams: UInt32

        public init(
            deviceType: SkinnyDeviceType,
            numberOfInServiceStreams: UInt32,
            maxStreamsPerConference: UInt32,
            numberOfOutOfServiceStreams: UInt32
        ) {
            self.deviceType = deviceType
            self.numberOfInServiceStreams = numberOfInServiceStreams
            self.maxStreamsPerConference = maxStreamsPerConference
            self.numberOfOutOfServiceStreams = numberOfOutOfServiceStreams
        }

        public init(from body: SkinnyBodyReader, version: SkinnyProtocolVersion) {
            self.deviceType = SkinnyDeviceType(rawValue: body.u32(at: 0))
            self.numberOfInServiceStreams = body.u32(at: 4)
            self.maxStreamsPerConference = body.u32(at: 8)
            self.numberOfOutOfServiceStreams = body.u32(at: 12)
        }

        public func encode(into buffer: inout ByteBuffer, version: SkinnyProtocolVersion) {
            buffer.writeSkinnyU32(self.deviceType.rawValue)
            buffer.writeSkinnyU32(self.numberOfInServiceStreams)
            buffer.writeSkinnyU32(self.maxStreamsPerConference)
            buffer.writeSkinnyU32(self.numberOfOutOfServiceStreams)
        }
    }
}
