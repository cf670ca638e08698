public import NIOCore

extension SkinnyMessage {
    /// ServerRes (0x009E), call manager to phone: the call managers the phone may use, in order of preference,
    /// answering ServerReq (reference §5.2).
    ///
    /// Five server names (`char[48]`, 0–239), five TCP ports (`u32`, 240–259), then five addresses from offset 260:
    /// 4-byte IPv4 addresses up to v16 (280 bytes), 20-byte address blocks from v17 (360 bytes). Wireshark's
    /// description draws the two address blocks at different offsets, but both start at 260 (reference §5.2).
    public struct ServerRes: SkinnyMessageBody {
        public static let id = SkinnyMessageID.serverRes

        /// Servers in one message.
        public static let capacity = 5

        /// One call manager.
        public struct Server: Hashable, Sendable {
            /// At most 48 bytes on the wire.
            public var name: String
            /// The SCCP listening port, e.g. 2000.
            public var port: UInt32
            /// IPv6 addresses reach only phones at v17 or later; older ones get 0.0.0.0.
            public var address: SkinnyIPAddress

            public init(name: String, port: UInt32 = 2000, address: SkinnyIPAddress) {
                self.name = name
                self.port = port
                self.address = address
            }

            /// An unused slot: what the rest of the five are sent as.
            static let empty = Server(name: "", port: 0, address: .unspecified)
        }

        /// The servers, at most five; unused slots go out empty and trailing empty slots are dropped on decode.
        public var servers: [Server]

        public init(servers: [Server]) {
            self.servers = servers
        }

        public init(from body: SkinnyBodyReader, version: SkinnyProtocolVersion) {
            let addressSize = version.usesAddressBlocks ? 20 : 4
            var servers = (0..<Self.capacity).map { index in
                Server(
                    name: body.string(at: 48 * index, size: 48),
                    port: body.u32(at: 240 + 4 * index),
                    address: body.address(at: 260 + addressSize * index, version: version)
                )
            }
            while servers.last == Server.empty {
                servers.removeLast()
            }
            self.servers = servers
        }

        public func encode(into buffer: inout ByteBuffer, version: SkinnyProtocolVersion) {
            let sent =
                Array(self.servers.prefix(Self.capacity))
                + Array(repeating: Server.empty, count: max(0, Self.capacity - self.servers.count))
            for server in sent {
                buffer.writeSkinnyString(server.name, size: 48)
            }
            for server in sent {
                buffer.writeSkinnyU32(server.port)
            }
            for server in sent {
                buffer.writeSkinnyAddress(server.address, version: version)
            }
        }
    }
}
