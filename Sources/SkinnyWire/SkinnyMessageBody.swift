public import NIOCore

/// One SCCP message body: a struct per message, nested in the `SkinnyMessage` namespace.
///
/// Decoding follows reference §1: fields that the body does not reach read as zero, extra trailing bytes are
/// ignored, strings end at their first NUL. It throws only for a value no real device sends and that would
/// otherwise overrun an array, such as a capability count above 18.
public protocol SkinnyMessageBody: Hashable, Sendable {
    /// The message id.
    static var id: SkinnyMessageID { get }

    /// Decodes a body laid out as `version` lays it out.
    init(from body: SkinnyBodyReader, version: SkinnyProtocolVersion) throws(SkinnyError)

    /// Appends the body, laid out for `version`, to `buffer`.
    func encode(into buffer: inout ByteBuffer, version: SkinnyProtocolVersion)
}

/// The namespace of every SCCP message struct: `SkinnyMessage.Register`, `SkinnyMessage.CallState`, …
///
/// Messages are grouped by direction into `StationMessage` (what a phone sends) and `CallManagerMessage` (what the
/// call manager sends), so that the server can only ever send a call-manager message and the simulated phone only
/// a station message.
public enum SkinnyMessage {}

extension SkinnyMessageBody {
    /// Encodes this message as a frame for `version`.
    public func frame(version: SkinnyProtocolVersion, headerVersion: UInt32? = nil) -> SkinnyFrame {
        var body = ByteBuffer()
        self.encode(into: &body, version: version)
        return SkinnyFrame(headerVersion: headerVersion ?? version.headerVersion, id: Self.id, body: body)
    }

    /// Decodes this message from `frame`'s body.
    public static func decode(_ frame: SkinnyFrame, version: SkinnyProtocolVersion) throws(SkinnyError) -> Self {
        try Self(from: SkinnyBodyReader(frame.body), version: version)
    }
}
