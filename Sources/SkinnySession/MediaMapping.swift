import CallControl
import SkinnyWire

/// Translation between CallControl's protocol-neutral media types and SCCP's (reference §6.12, §3).
enum MediaMapping {
    /// The CallControl codec an SCCP payload capability stands for, or nil for one the core does not use (video,
    /// iLBC, wideband L16, RFC 2833 …). The 56k G.711 variants and G.729's annexes are the same codec to the core.
    static func codec(for skinny: SkinnyCodec) -> Codec? {
        switch skinny.rawValue {
        case 2, 3: .g711alaw
        case 4, 5: .g711ulaw
        case 6, 7, 8: .g722
        case 11, 12, 15, 16: .g729
        default: nil
        }
    }

    /// The codecs a capability list offers, each once, in the phone's order.
    static func codecs(of skinny: [SkinnyCodec]) -> [Codec] {
        var codecs: [Codec] = []
        for entry in skinny {
            if let codec = codec(for: entry), !codecs.contains(codec) { codecs.append(codec) }
        }
        return codecs
    }

    /// The compression type to put in OpenReceiveChannel/StartMediaTransmission for `codec`: the first variant the
    /// phone offered (a 7960 offers G.729 as Annex A, 12), else the plain 64k variant (µ-law 4, A-law 2, G.722 6,
    /// G.729 11).
    static func compressionType(for codec: Codec, offered: [SkinnyCodec]) -> SkinnyCodec {
        if let match = offered.first(where: { Self.codec(for: $0) == codec }) { return match }
        switch codec {
        case .g711ulaw: return .g711ULaw64k
        case .g711alaw: return .g711ALaw64k
        case .g722: return .g722At64k
        case .g729: return .g729
        }
    }

    /// A CallControl media address as SCCP carries it. An IPv6 address sent to a phone below v17 goes out as
    /// 0.0.0.0 (the wire layer's rule); the core only ever relays addresses the phones reported.
    static func skinnyAddress(_ address: MediaAddress) -> SkinnyIPAddress {
        switch address {
        case .ipv4(let value):
            return .ipv4(value)
        case .ipv6(let high, let low):
            var bytes: [UInt8] = []
            bytes.reserveCapacity(16)
            for half in [high, low] {
                for shift in stride(from: 56, through: 0, by: -8) {
                    bytes.append(UInt8(truncatingIfNeeded: half >> UInt64(shift)))
                }
            }
            return .ipv6(bytes)
        }
    }

    /// An address a phone reported, as CallControl's type. A malformed IPv6 value (not 16 bytes) gives nil.
    static func mediaAddress(_ address: SkinnyIPAddress) -> MediaAddress? {
        switch address {
        case .ipv4(let value):
            return .ipv4(value)
        case .ipv6(let bytes):
            guard bytes.count == 16 else { return nil }
            var high: UInt64 = 0
            var low: UInt64 = 0
            for byte in bytes.prefix(8) { high = high << 8 | UInt64(byte) }
            for byte in bytes.dropFirst(8) { low = low << 8 | UInt64(byte) }
            return .ipv6(high: high, low: low)
        }
    }
}
