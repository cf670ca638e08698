public import NIOCore

/// One SCCP PDU as it crosses the wire: the header's version field, the message id and the body bytes.
///
/// Framing is separate from message decoding because the layout of a body depends on the protocol version that
/// the session negotiated, which the framer does not know (reference §2.1: choose layouts from the negotiated
/// version, not from the header field).
public struct SkinnyFrame: Hashable, Sendable {
    /// The header-version field (offset 4). Real phones put 0 or their protocol version there (reference §2.1).
    public var headerVersion: UInt32
    /// The message id (offset 8).
    public var id: SkinnyMessageID
    /// The body: every byte after the 12-byte header, exactly `length - 4` of them.
    public var body: ByteBuffer

    public init(headerVersion: UInt32 = 0, id: SkinnyMessageID, body: ByteBuffer = ByteBuffer()) {
        self.headerVersion = headerVersion
        self.id = id
        self.body = body
    }

    /// The value of the length field for this frame: the message id plus the body.
    public var lengthField: UInt32 { UInt32(4 + self.body.readableBytes) }
}

extension ByteBuffer {
    /// Writes `frame` with its 12-byte header and returns the number of bytes written.
    @discardableResult
    public mutating func writeSkinnyFrame(_ frame: SkinnyFrame) -> Int {
        var written = self.writeMultipleIntegers(
            frame.lengthField,
            frame.headerVersion,
            frame.id.rawValue,
            endianness: .little
        )
        written += self.writeImmutableBuffer(frame.body)
        return written
    }
}
