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

    /// Writes `message` as one frame for `version`, its body encoded in place after the 12-byte header (no buffer of
    /// its own), and returns the number of bytes written. The header carries `headerVersion`, or `version`'s
    /// (reference §2.1).
    @inlinable
    @discardableResult
    public mutating func writeSkinnyMessage<Message: SkinnyMessageBody>(
        _ message: Message,
        version: SkinnyProtocolVersion,
        headerVersion: UInt32? = nil
    ) -> Int {
        let start = self.writerIndex
        // The length field is set once the body is written: the message id plus the body.
        self.writeMultipleIntegers(
            UInt32(0),
            headerVersion ?? version.headerVersion,
            Message.id.rawValue,
            endianness: .little
        )
        message.encode(into: &self, version: version)
        let written = self.writerIndex - start
        self.setInteger(UInt32(written - 8), at: start, endianness: .little)
        return written
    }

    /// Writes a frame with no body: the 12-byte header of `id`. Returns the number of bytes written (12).
    @inlinable
    @discardableResult
    public mutating func writeSkinnyEmptyMessage(id: SkinnyMessageID, headerVersion: UInt32) -> Int {
        self.writeMultipleIntegers(UInt32(4), headerVersion, id.rawValue, endianness: .little)
    }
}

extension ByteBuffer {
    /// Whether the readable bytes, whole frames back to back (as the server's sessions write a burst), hold a frame
    /// with `id`. Reads the 12-byte headers only, never the bodies; stops at the first header that does not fit or
    /// whose length is too small to be one.
    public func containsSkinnyFrame(_ id: SkinnyMessageID) -> Bool {
        var offset = self.readerIndex
        let end = self.writerIndex
        while end - offset >= SkinnyLimits.headerSize,
            let (length, _, frameID) = self.getMultipleIntegers(
                at: offset,
                endianness: .little,
                as: (UInt32, UInt32, UInt32).self
            )
        {
            if frameID == id.rawValue { return true }
            // The length field counts the id and the body: the next frame starts 8 bytes plus that further on.
            guard length >= 4, Int(length) <= end - offset - 8 else { return false }
            offset += 8 + Int(length)
        }
        return false
    }
}
