public import NIOCore

extension SkinnyMessage {
    /// VersionRes (0x0098), call manager to phone: the firmware load the phone should run, answering VersionReq
    /// (reference §5.2). 16 bytes.
    public struct VersionRes: SkinnyMessageBody {
        public static let id = SkinnyMessageID.versionRes

        /// The load name, e.g. "P00308000500"; at most 16 bytes on the wire.
        public var version: String

        public init(version: String) {
            self.version = version
        }

        public init(from body: SkinnyBodyReader, version: SkinnyProtocolVersion) {
            self.version = body.string(at: 0, size: 16)
        }

        public func encode(into buffer: inout ByteBuffer, version: SkinnyProtocolVersion) {
            buffer.writeSkinnyString(self.version, size: 16)
        }
    }
}
