/// Conversion between Swift strings and the byte strings SCCP carries.
///
/// SCCP text is ASCII or Latin-1 for most phones and UTF-8 for phones that set the UTF-8 feature bit (reference
/// §2.4). Display strings also embed localised labels as a byte 0x80 or 0x1E followed by a label id (reference
/// §3), which is not valid UTF-8. So: bytes that are valid UTF-8 decode as UTF-8; anything else decodes as
/// Latin-1, one scalar per byte, so that no byte is lost.
///
/// Encoding is the inverse on every string decoding can produce, so that decode → encode → decode gives the same
/// text: a string of scalars up to U+00FF goes out one byte per scalar (Latin-1, and the embedded-label bytes)
/// unless those bytes happen to be valid UTF-8, which would decode as something else; such a string, and any
/// string with a scalar above U+00FF, goes out as UTF-8. (Writing "é€" as Latin-1 é then UTF-8 €, as an earlier
/// version did, gives bytes that are not UTF-8 and decode as "éâ\u{82}¬".) An embedded label in a string that
/// also needs UTF-8 therefore goes out as UTF-8 text, not as a label.
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

    /// Encodes a string into wire bytes, without a NUL: ASCII as is; Latin-1, one byte per scalar, when every
    /// scalar fits a byte and the bytes would not read as UTF-8; UTF-8 otherwise.
    public static func encode(_ string: String) -> [UInt8] {
        let utf8 = Array(string.utf8)
        guard !utf8.allSatisfy({ $0 < 0x80 }) else { return utf8 }
        var latin1: [UInt8] = []
        latin1.reserveCapacity(utf8.count)
        for scalar in string.unicodeScalars {
            guard scalar.value <= 0xFF else { return utf8 }
            latin1.append(UInt8(scalar.value))
        }
        // Latin-1 bytes that are also valid UTF-8 (e.g. "Ã©", C3 A9) would decode as other text ("é").
        return String(validating: latin1, as: UTF8.self) == nil ? latin1 : utf8
    }

    /// The text of an embedded localised label from the phone's DisplayLabels_200 table (byte 0x80, then the id;
    /// reference §3 and §6.9). For example `label(32)` shows "Enter number" in the phone's language.
    public static func label(_ id: UInt8) -> String {
        String(String.UnicodeScalarView([Unicode.Scalar(0x80 as UInt8), Unicode.Scalar(id)]))
    }

    /// The text of an embedded label from the phone's second table, DisplayLabels_36 (byte 0x1E, then the id;
    /// reference §6.9). For example `secondaryLabel(57)` shows "Do Not Disturb Is Active".
    public static func secondaryLabel(_ id: UInt8) -> String {
        String(String.UnicodeScalarView([Unicode.Scalar(0x1E as UInt8), Unicode.Scalar(id)]))
    }
}
