public import NIOCore

/// Every message the call manager sends to a phone that Strowger implements (reference §4, CM→ph).
///
/// An id Strowger does not know decodes to `.unknown`, not to an error (reference §8 note 4).
public enum CallManagerMessage: Hashable, Sendable {
    /// KeepAliveAck (0x0100): no body.
    case keepAliveAck
    /// CapabilitiesReq (0x009B): no body; the phone answers with CapabilitiesRes.
    case capabilitiesReq
    case registerAck(SkinnyMessage.RegisterAck)
    case callState(SkinnyMessage.CallState)
    /// A message whose id Strowger does not know, kept whole.
    case unknown(SkinnyFrame)
}

extension CallManagerMessage {
    /// Decodes `frame`, laid out for `version`.
    public init(frame: SkinnyFrame, version: SkinnyProtocolVersion) throws(SkinnyError) {
        let body = SkinnyBodyReader(frame.body)
        switch frame.id {
        case .keepAliveAck: self = .keepAliveAck
        case .capabilitiesReq: self = .capabilitiesReq
        case .registerAck: self = .registerAck(try .init(from: body, version: version))
        case .callState: self = .callState(try .init(from: body, version: version))
        default: self = .unknown(frame)
        }
    }

    /// The message id.
    public var id: SkinnyMessageID {
        switch self {
        case .keepAliveAck: .keepAliveAck
        case .capabilitiesReq: .capabilitiesReq
        case .registerAck: .registerAck
        case .callState: .callState
        case .unknown(let frame): frame.id
        }
    }

    /// Encodes this message as a frame for `version`. KeepAliveAck, RegisterAck and UnregisterAck carry header
    /// version 0, everything else the negotiated version from v10 (chan-sccp's rule; reference §2.1).
    public func frame(version: SkinnyProtocolVersion) -> SkinnyFrame {
        switch self {
        case .keepAliveAck: SkinnyFrame(headerVersion: 0, id: .keepAliveAck)
        case .capabilitiesReq: SkinnyFrame(headerVersion: version.headerVersion, id: .capabilitiesReq)
        case .registerAck(let message): message.frame(version: version, headerVersion: 0)
        case .callState(let message): message.frame(version: version)
        case .unknown(let frame): frame
        }
    }
}
