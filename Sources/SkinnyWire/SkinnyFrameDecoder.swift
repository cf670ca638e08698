public import NIOCore

/// Splits a TCP byte stream into SCCP frames.
///
/// The length field is checked against `4 <= length <= maximumLength` as soon as the 8-byte prefix is readable,
/// **before** any body is awaited, so a peer cannot make the server buffer more than one maximum-sized frame
/// (apple/swift-nio-http2's `maxFrameSize` check is the model). The same value runs in a pipeline
/// (`ByteToMessageHandler`), on an async sequence, or in a fuzzer.
public struct SkinnyFrameDecoder: NIOSingleStepByteToMessageDecoder, Sendable {
    public typealias InboundOut = SkinnyFrame

    /// The largest length field accepted.
    public let maximumLength: UInt32

    public init(maximumLength: UInt32 = SkinnyLimits.defaultMaximumLength) {
        self.maximumLength = max(maximumLength, SkinnyLimits.minimumLength)
    }

    public mutating func decode(buffer: inout ByteBuffer) throws -> SkinnyFrame? {
        guard
            let (length, headerVersion) = buffer.getMultipleIntegers(
                at: buffer.readerIndex,
                endianness: .little,
                as: (UInt32, UInt32).self
            )
        else {
            return nil
        }
        guard length >= SkinnyLimits.minimumLength else {
            throw SkinnyError.frameTooShort(
                length: length,
                header: buffer.getSlice(at: buffer.readerIndex, length: 8) ?? ByteBuffer()
            )
        }
        guard length <= self.maximumLength else {
            throw SkinnyError.frameTooLong(
                length: length,
                maximum: self.maximumLength,
                header: buffer.getSlice(at: buffer.readerIndex, length: 8) ?? ByteBuffer()
            )
        }
        // length <= maximumLength, which fits comfortably in Int on every platform Swift runs on.
        let total = SkinnyLimits.prefixSize + Int(length)
        guard buffer.readableBytes >= total else {
            return nil
        }
        buffer.moveReaderIndex(forwardBy: SkinnyLimits.prefixSize)
        guard let id = buffer.readInteger(endianness: .little, as: UInt32.self),
            let body = buffer.readSlice(length: Int(length) - 4)
        else {
            // Unreachable: the readable byte count was checked above.
            return nil
        }
        return SkinnyFrame(headerVersion: headerVersion, id: SkinnyMessageID(id), body: body)
    }

    public mutating func decodeLast(buffer: inout ByteBuffer, seenEOF: Bool) throws -> SkinnyFrame? {
        if let frame = try self.decode(buffer: &buffer) {
            return frame
        }
        if seenEOF, buffer.readableBytes > 0 {
            let remaining = buffer
            buffer.moveReaderIndex(to: buffer.writerIndex)
            throw SkinnyError.truncatedFrame(remaining: remaining)
        }
        return nil
    }
}

/// Writes SCCP frames to the wire.
public struct SkinnyFrameEncoder: MessageToByteEncoder, Sendable {
    public typealias OutboundIn = SkinnyFrame

    public init() {}

    public func encode(data: SkinnyFrame, out: inout ByteBuffer) {
        out.writeSkinnyFrame(data)
    }
}
