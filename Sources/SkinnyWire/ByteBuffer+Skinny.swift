public import NIOCore

extension ByteBuffer {
    /// Writes `value` as a little-endian `u32`, the size of nearly every SCCP integer (reference §1).
    @inlinable
    public mutating func writeSkinnyU32(_ value: UInt32) {
        self.writeInteger(value, endianness: .little)
    }

    /// Writes `value` as a little-endian `u16`.
    @inlinable
    public mutating func writeSkinnyU16(_ value: UInt16) {
        self.writeInteger(value, endianness: .little)
    }

    /// Writes a fixed-size `char[size]` field: the text, cut to `size` bytes, then NULs. A string that fills the
    /// field exactly has no NUL, as on the wire (reference §1).
    public mutating func writeSkinnyString(_ string: String, size: Int) {
        let bytes = SkinnyText.encode(string)
        let kept = min(bytes.count, size)
        self.writeBytes(bytes[0..<kept])
        if kept < size {
            self.writeRepeatingByte(0, count: size - kept)
        }
    }

    /// Writes a NUL-terminated string for a dynamic message, cut to `maximumLength` bytes before the NUL.
    public mutating func writeSkinnyCString(_ string: String, maximumLength: Int) {
        let bytes = SkinnyText.encode(string)
        self.writeBytes(bytes.prefix(maximumLength))
        self.writeInteger(UInt8(0))
    }

    /// Pads the body written since `start` with NULs to a multiple of 4 bytes, as dynamic messages are padded
    /// (reference §3).
    public mutating func padSkinnyBody(from start: Int) {
        let written = self.writerIndex - start
        let padding = (4 - written % 4) % 4
        self.writeRepeatingByte(0, count: padding)
    }

    /// Writes an IPv4 address in network byte order (reference §1).
    public mutating func writeSkinnyIPv4(_ address: SkinnyIPAddress) {
        self.writeInteger(address.ipv4Value, endianness: .big)
    }

    /// Writes an address in the layout of `version`: 4 bytes in network order below v17; from v17 a `u32` type and
    /// 16 bytes, IPv4 in the first four (reference §3).
    public mutating func writeSkinnyAddress(_ address: SkinnyIPAddress, version: SkinnyProtocolVersion) {
        guard version.usesAddressBlocks else {
            self.writeSkinnyIPv4(address)
            return
        }
        switch address {
        case .ipv4(let value):
            self.writeSkinnyU32(SkinnyIPAddress.typeIPv4)
            self.writeInteger(value, endianness: .big)
            self.writeRepeatingByte(0, count: 12)
        case .ipv6(let bytes):
            self.writeSkinnyU32(SkinnyIPAddress.typeIPv6)
            let kept = bytes.prefix(16)
            self.writeBytes(kept)
            self.writeRepeatingByte(0, count: 16 - kept.count)
        }
    }
}
