public import NIOCore

/// Reads the fields of one message body at fixed offsets, the way real phones and call managers need it.
///
/// SCCP bodies change size between protocol versions and firmware releases, so the reader follows the rule of
/// reference §1: *parse fields while they fit inside the body, treat missing trailing fields as 0, ignore extra
/// trailing bytes.* Every read is bounds-checked through `ByteBuffer.get…`, which returns `nil` rather than
/// trapping, so no input can crash a decoder.
///
/// Dynamic messages (variable strings, reference §3) are read with the cursor methods, which start at `cursor`
/// and move it past what they read.
public struct SkinnyBodyReader: Sendable {
    /// The body, with its reader index at the first body byte.
    public let body: ByteBuffer
    /// The next offset the cursor methods read from.
    public var cursor: Int = 0

    public init(_ body: ByteBuffer) {
        self.body = body
    }

    /// Number of body bytes.
    public var count: Int { self.body.readableBytes }

    /// Whether the body reaches at least `offset + size` bytes: used for optional tails.
    public func has(_ size: Int, at offset: Int) -> Bool {
        offset >= 0 && offset + size <= self.count
    }

    /// A little-endian `u32` at `offset`, or 0 when the body is too short.
    public func u32(at offset: Int) -> UInt32 {
        guard offset >= 0 else { return 0 }
        return self.body.getInteger(at: self.body.readerIndex + offset, endianness: .little, as: UInt32.self) ?? 0
    }

    /// A little-endian `i32` at `offset`, or 0 when the body is too short.
    public func i32(at offset: Int) -> Int32 {
        Int32(bitPattern: self.u32(at: offset))
    }

    /// A little-endian `u16` at `offset`, or 0 when the body is too short.
    public func u16(at offset: Int) -> UInt16 {
        guard offset >= 0 else { return 0 }
        return self.body.getInteger(at: self.body.readerIndex + offset, endianness: .little, as: UInt16.self) ?? 0
    }

    /// A byte at `offset`, or 0 when the body is too short.
    public func u8(at offset: Int) -> UInt8 {
        guard offset >= 0 else { return 0 }
        return self.body.getInteger(at: self.body.readerIndex + offset, as: UInt8.self) ?? 0
    }

    /// Up to `size` raw bytes at `offset`, zero-filled to `size` where the body is short.
    public func bytes(at offset: Int, size: Int) -> [UInt8] {
        guard offset >= 0, size > 0 else { return [] }
        let available = max(0, min(size, self.count - offset))
        var result =
            available > 0 ? (self.body.getBytes(at: self.body.readerIndex + offset, length: available) ?? []) : []
        if result.count < size {
            result.append(contentsOf: repeatElement(0, count: size - result.count))
        }
        return result
    }

    /// A fixed-size `char[size]` string at `offset`: it ends at the first NUL within `size` bytes or at the end of
    /// the body. Bytes after the NUL are ignored, as CUCM leaves garbage there (reference §1).
    public func string(at offset: Int, size: Int) -> String {
        guard offset >= 0, size > 0, offset < self.count else { return "" }
        let available = min(size, self.count - offset)
        guard let view = self.body.viewBytes(at: self.body.readerIndex + offset, length: available) else { return "" }
        let end = view.firstIndex(of: 0) ?? view.endIndex
        return SkinnyText.decode(view[view.startIndex..<end])
    }

    /// An IPv4 address stored in network byte order at `offset` (reference §1).
    public func ipv4(at offset: Int) -> SkinnyIPAddress {
        .ipv4(
            self.body.getInteger(at: self.body.readerIndex + offset, endianness: .big, as: UInt32.self).flatMap {
                offset >= 0 ? $0 : nil
            } ?? 0
        )
    }

    /// An address in the layout of `version`: 4 bytes in network order below v17, a 20-byte block (`u32 type`
    /// then 16 bytes) from v17 (reference §3). Returns the address and the number of bytes it occupies.
    public func address(at offset: Int, version: SkinnyProtocolVersion) -> SkinnyIPAddress {
        guard version.usesAddressBlocks else { return self.ipv4(at: offset) }
        let type = self.u32(at: offset)
        let raw = self.bytes(at: offset + 4, size: 16)
        if type == SkinnyIPAddress.typeIPv6 {
            return .ipv6(raw)
        }
        return .ipv4(UInt32(raw[0]) << 24 | UInt32(raw[1]) << 16 | UInt32(raw[2]) << 8 | UInt32(raw[3]))
    }

    // MARK: Cursor reads for dynamic messages

    /// Reads a `u32` at the cursor and moves past it; 0 past the end.
    public mutating func readU32() -> UInt32 {
        defer { self.cursor += 4 }
        return self.u32(at: self.cursor)
    }

    /// Reads a NUL-terminated string at the cursor, at most `maximumLength` bytes before its NUL, and moves past
    /// its NUL. A string that runs to the end of the body without a NUL ends there; a missing string is empty.
    public mutating func readCString(maximumLength: Int) -> String {
        guard self.cursor < self.count,
            let view = self.body.viewBytes(at: self.body.readerIndex + self.cursor, length: self.count - self.cursor)
        else {
            return ""
        }
        let end = view.firstIndex(of: 0) ?? view.endIndex
        let length = view.distance(from: view.startIndex, to: end)
        self.cursor += length + 1
        let kept = view[view.startIndex..<view.index(view.startIndex, offsetBy: min(length, maximumLength))]
        return SkinnyText.decode(kept)
    }
}
