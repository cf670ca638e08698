public import NIOCore

/// Every message a phone ("station") sends to the call manager (reference §4, ph→CM).
///
/// An id Strowger does not know decodes to `.unknown`, not to an error (reference §8 note 4).
public enum StationMessage: Hashable, Sendable {
    /// KeepAlive (0x0000): no body; answered with KeepAliveAck.
    case keepAlive
    case register(SkinnyMessage.Register)
    /// A message whose id Strowger does not know, kept whole for logging and replay.
    case unknown(SkinnyFrame)
}

extension StationMessage {
    /// Decodes `frame`, laid out for `version`.
    public init(frame: SkinnyFrame, version: SkinnyProtocolVersion) throws(SkinnyError) {
        let body = SkinnyBodyReader(frame.body)
        switch frame.id {
        case .keepAlive: self = .keepAlive
        case .register: self = .register(try .init(from: body, version: version))
        default: self = .unknown(frame)
        }
    }

    /// The message id.
    public var id: SkinnyMessageID {
        switch self {
        case .keepAlive: .keepAlive
        case .register: .register
        case .unknown(let frame): frame.id
        }
    }

    /// Encodes this message as a frame for `version`.
    public func frame(version: SkinnyProtocolVersion) -> SkinnyFrame {
        switch self {
        case .keepAlive: SkinnyFrame(headerVersion: version.headerVersion, id: .keepAlive)
        case .register(let message): message.frame(version: version)
        case .unknown(let frame): frame
        }
    }
}
