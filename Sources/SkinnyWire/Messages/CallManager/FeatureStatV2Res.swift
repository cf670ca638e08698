public import NIOCore

extension SkinnyMessage {
    /// FeatureStatV2Res (0x0146), call manager to phone: FeatureStatRes with a variable-length label, used for BLF
    /// speed dials (featureID 0x15, status per reference §6.8) and multi-state feature buttons (reference §5.2):
    /// `u32 featureIndex`, `u32 featureID`, `u32 featureStatus`, `cstr textLabel`, padded to 4 bytes.
    ///
    /// chan-sccp sends the label as a fixed 121-byte field; that reads the same because the label is last.
    public struct FeatureStatV2Res: SkinnyMessageBody {
        public static let id = SkinnyMessageID.featureStatV2Res

        public var featureIndex: UInt32
        public var featureID: SkinnyStimulus
        public var featureStatus: UInt32
        /// At most 121 bytes.
        public var textLabel: String

        public init(featureIndex: UInt32, featureID: SkinnyStimulus, featureStatus: UInt32, textLabel: String) {
            self.featureIndex = featureIndex
            self.featureID = featureID
            self.featureStatus = featureStatus
            self.textLabel = textLabel
        }

        public init(from body: SkinnyBodyReader, version: SkinnyProtocolVersion) {
            var reader = body
            self.featureIndex = reader.readU32()
            self.featureID = SkinnyStimulus(rawValue: reader.readU32())
            self.featureStatus = reader.readU32()
            self.textLabel = reader.readCString(maximumLength: SkinnyLimits.dynamicNameLength)
        }

        public func encode(into buffer: inout ByteBuffer, version: SkinnyProtocolVersion) {
            let start = buffer.writerIndex
            buffer.writeSkinnyU32(self.featureIndex)
            buffer.writeSkinnyU32(self.featureID.rawValue)
            buffer.writeSkinnyU32(self.featureStatus)
            buffer.writeSkinnyCString(self.textLabel, maximumLength: SkinnyLimits.dynamicNameLength)
            buffer.padSkinnyBody(from: start)
        }
    }
}
