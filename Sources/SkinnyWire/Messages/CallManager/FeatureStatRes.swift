public import NIOCore

extension SkinnyMessage {
    /// FeatureStatRes (0x011F), call manager to phone: one feature button's label and state, answering
    /// FeatureStatReq (reference §5.2). 52 bytes.
    public struct FeatureStatRes: SkinnyMessageBody {
        public static let id = SkinnyMessageID.featureStatRes

        /// The feature instance the phone asked for.
        public var featureIndex: UInt32
        /// The button type (reference §6.4).
        public var featureID: SkinnyStimulus
        /// At most 40 bytes on the wire.
        public var textLabel: String
        /// The button's state, e.g. 0 off and 1 on; for BLF buttons the states of reference §6.8.
        public var featureStatus: UInt32

        public init(featureIndex: UInt32, featureID: SkinnyStimulus, textLabel: String, featureStatus: UInt32) {
            self.featureIndex = featureIndex
            self.featureID = featureID
            self.textLabel = textLabel
            self.featureStatus = featureStatus
        }

        public init(from body: SkinnyBodyReader, version: SkinnyProtocolVersion) {
            self.featureIndex = body.u32(at: 0)
            self.featureID = SkinnyStimulus(rawValue: body.u32(at: 4))
            self.textLabel = body.string(at: 8, size: 40)
            self.featureStatus = body.u32(at: 48)
        }

        public func encode(into buffer: inout ByteBuffer, version: SkinnyProtocolVersion) {
            buffer.writeSkinnyU32(self.featureIndex)
            buffer.writeSkinnyU32(self.featureID.rawValue)
            buffer.writeSkinnyString(self.textLabel, size: 40)
            buffer.writeSkinnyU32(self.featureStatus)
        }
    }
}
