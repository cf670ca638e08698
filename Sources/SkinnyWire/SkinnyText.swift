/// Conversion between Swift strings and the byte strings SCCP carries.
///
/// SCCP text is ASCII or Latin-1 for most phones and UTF-8 for phones that set the UTF-8 feature bit (reference
/// §2.4). Display strings also embed localised labels as a byte 0x80 or 0x1E followed by a label id (reference
/// §3), which is not valid UTF-8. So: bytes that are valid UTF-8 decode as UTF-8; anything else decodes as
/// Latin-1, one scalar per byte, so that no byte is lost. Encoding writes scalars up to U+00FF as one byte
/// (Latin-1, and the embedded-label bytes) and anything above as UTF-8.
public enum SkinnyText {
    /// Decodes wire bytes (without their NUL) into a string, losing no byte.
    public static func decode<Bytes: Collection<UInt8>>(_ bytes: Bytes) -> String {
        if bytes.allSatisfy({ $0 < 0x80 }) {
            return String(decoding: bytes, as: UTF8.self)
        }
        if let utf8 = String(validating: bytes, as: UTF8.self) {
            return utf8
        }
        var scalars = String.UnicodeScalarView()
        for byte in bytes {
            scalars.append(Unicode.Scalar(byte))
        }
        return String(scalars)
    }

    /// Encodes a string into wire bytes, without a NUL.
    public static func encode(_ string: String) -> [UInt8] {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(string.utf8.count)
        for scalar in string.unicodeScalars {
            if scalar.value <= 0xFF {
                bytes.append(UInt8(scalar.value))
            } else {
                bytes.append(contentsOf: String(scalar).utf8)
            }
        }
        return bytes
    }

    /// The text of an embedded localised label from the phone's DisplayLabels_200 table (byte 0x80, then the id;
    /// reference §3 and §6.9). For example `label(32)` shows "Enter number" in the phone's language.
    public static func label(_ id: UInt8) -> String {
        String(String.UnicodeScalarView([Unicode.Scalar(0x80 as UInt8), Unicode.Scalar(id)]))
    }
}
