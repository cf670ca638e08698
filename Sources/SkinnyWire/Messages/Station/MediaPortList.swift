public import NIOCore

extension SkinnyMessage {
    /// MediaPortList (0x0011), phone to call manager: the RTP ports of a multi-port device such as a media bridge
    /// (reference §4; chan-sccp only, Wireshark does not know it).
    ///
    /// `u32 portCount` then `u32 port[16]`: 68 bytes. A count above 16 throws `countOutOfRange`.
    public struct MediaPortList: SkinnyMessageBody {
        public static let id = SkinnyMessageID.mediaPortList

        /// Capacity of `port[]`.
        public static let maximumPorts = 16

        /// At most 16; more are cut when encoding.
        public var ports: [UInt32]

        public init(ports: [UInt32]) {
            self.ports = ports
        }

        public init(from body: SkinnyBodyReader, version: SkinnyProtocolVersion) throws(SkinnyError) {
            let count = body.u32(at: 0)
            guard count <= Self.maximumPorts else {
                throw .countOutOfRange(
                    "portCount",
                    count: count,
                    maximum: Self.maximumPorts,
                    messageID: Self.id,
                    body: body.body
                )
            }
            self.ports = (0..<Int(count)).map { 4 + $0 * 4 }.filter { body.has(1, at: $0) }.map { body.u32(at: $0) }
        }

        public func encode(into buffer: inout ByteBuffer, version: SkinnyProtocolVersion) {
            let ports = self.ports.prefix(Self.maximumPorts)
            buffer.writeSkinnyU32(UInt32(ports.count))
            for port in ports {
                buffer.writeSkinnyU32(port)
            }
            buffer.writeRepeatingByte(0, count: (Self.maximumPorts - ports.count) * 4)
        }
    }
}
