public import NIOCore

extension SkinnyMessage {
    /// RegisterAvailableLines (0x002D), phone to call manager: how many lines the phone can show, sent near the
    /// end of registration (reference §5.1). 4 bytes.
    public struct RegisterAvailableLines: SkinnyMessageBody {
        public static let id = SkinnyMessageID.registerAvailableLines

        /// `maxNumOfAvailLines`.
        public var maxNumberOfAvailableLines: UInt32

        public init(maxNumberOfAvailableLines: UInt32) {
            self.maxNumberOfAvailableLines = maxNumberOfAvailableLines
        }

        public init(from body: SkinnyBodyReader, version: SkinnyProtocolVersion) {
            self.maxNumberOfAvailableLines = body.u32(at: 0)
        }

        public func encode(into buffer: inout ByteBuffer, version: SkinnyProtocolVersion) {
            buffer.writeSkinnyU32(self.maxNumberOfAvailableLines)
        }
    }
}
