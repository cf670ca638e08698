import NIOCore
import SkinnyWire

/// Hex of `count` zero bytes, for the unused tails of fixed fields.
func zeros(_ count: Int) -> String {
    String(repeating: "00", count: count)
}

/// Hex of an ASCII text in a `char[size]` field: the text's bytes, then zeros up to `size`. Written independently of
/// `SkinnyText` so that tests of the string codec can fail.
func ascii(_ text: String, _ size: Int) -> String {
    let bytes = Array(text.utf8)
    precondition(bytes.count <= size && bytes.allSatisfy { $0 < 0x80 }, "test text must be ASCII and fit its field")
    return bytes.map { byte in
        let digits = Array("0123456789abcdef")
        return String([digits[Int(byte >> 4)], digits[Int(byte & 0x0F)]])
    }.joined() + zeros(size - bytes.count)
}

/// The whole frame, header included, that a phone sends for `message` at `version`.
func stationBytes(_ message: StationMessage, version: SkinnyProtocolVersion) -> [UInt8] {
    var buffer = ByteBuffer()
    buffer.writeSkinnyFrame(message.frame(version: version))
    return Array(buffer.readableBytesView)
}

/// Runs `bytes` through the frame decoder and decodes every frame as a station message at `version`.
func decodeStationStream(_ bytes: [UInt8], version: SkinnyProtocolVersion) throws -> [StationMessage] {
    var decoder = SkinnyFrameDecoder()
    var buffer = ByteBuffer(bytes: bytes)
    var messages: [StationMessage] = []
    while let frame = try decoder.decode(buffer: &buffer) {
        messages.append(try StationMessage(frame: frame, version: version))
    }
    return messages
}

/// Decodes one body with the message id `id` at `version`.
func decodeStationBody(
    _ id: SkinnyMessageID,
    _ body: String,
    version: SkinnyProtocolVersion
) throws
    -> StationMessage
{
    try StationMessage(frame: SkinnyFrame(id: id, body: ByteBuffer(bytes: hex(body))), version: version)
}
