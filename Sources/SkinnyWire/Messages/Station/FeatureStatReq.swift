public import NIOCore

extension SkinnyMessage {
    /// FeatureStatReq (0x0034), phone to call manager: asks for a feature or BLF button's label and state;
    /// answered with FeatureStatRes or FeatureStatV2Res (reference §5.1).
    ///
    /// `u32 featureIndex`, then optionally `u32 featureCapabilities` (chan-sccp: 1 from v15+ phones asking about a
    /// BLF speed dial).
    public struct FeatureStatReq: SkinnyMessageBody {
        public static let id = SkinnyMessageID.featureStatReq

        /// The feature-button instance asked about (1-based).
        public var featureIndex: UInt32
        /// `nil` when the body carries only the index.
        public var featureCapabilities: UInt32?

        public init(featureIndex: UInt32, featureCapabilities: UInt32? = nil) {
            self.featureIndex = featureIndex
            self.featureCapabilities = featureCapabilities
        }

        public init(from body: SkinnyBodyReader, version: SkinnyProtocolVersion) {
            self.featureIndex = body.u32(at: 0)
            self.featureCapabilities = body.count > 4 ? body.u32(at: 4) : nil
        }

        public func encode(into buffer: inout ByteBuffer, version: SkinnyProtocolVersion) {
            buffer.writeSkinnyU32(self.featureIndex)
            if let featureCapabilities = self.featureCapabilities {
                buffer.writeSkinnyU32(featureCapabilities)
            }
        }
    }
}
