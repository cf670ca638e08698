import NIOCore

/// Every message the call manager sends to a phone that Strowger implements (reference §4, CM→ph).
///
/// An id Strowger does not know decodes to `.unknown`, not to an error (reference §8 note 4).
public enum CallManagerMessage: Hashable, Sendable {
    /// KeepAliveAck (0x0100): no body.
    case keepAliveAck
    /// CapabilitiesReq (0x009B): no body; the phone answers with CapabilitiesRes.
    case capabilitiesReq
    case registerAck(SkinnyMessage.RegisterAck)
    // Registration and device state
    case registerReject(SkinnyMessage.RegisterReject)
    case reset(SkinnyMessage.Reset)
    case unregisterAck(SkinnyMessage.UnregisterAck)
    case buttonTemplateRes(SkinnyMessage.ButtonTemplateRes)
    case softKeyTemplateRes(SkinnyMessage.SoftKeyTemplateRes)
    case softKeySetRes(SkinnyMessage.SoftKeySetRes)
    case configStatRes(SkinnyMessage.ConfigStatRes)
    case configStatV2Res(SkinnyMessage.ConfigStatV2Res)
    case lineStatRes(SkinnyMessage.LineStatRes)
    case lineStatV2Res(SkinnyMessage.LineStatV2Res)
    case forwardStatRes(SkinnyMessage.ForwardStatRes)
    case speedDialStatRes(SkinnyMessage.SpeedDialStatRes)
    case speedDialStatV2Res(SkinnyMessage.SpeedDialStatV2Res)
    case featureStatRes(SkinnyMessage.FeatureStatRes)
    case featureStatV2Res(SkinnyMessage.FeatureStatV2Res)
    case serviceURLStatRes(SkinnyMessage.ServiceURLStatRes)
    case serviceURLStatV2Res(SkinnyMessage.ServiceURLStatV2Res)
    case timeDateRes(SkinnyMessage.TimeDateRes)
    case versionRes(SkinnyMessage.VersionRes)
    case serverRes(SkinnyMessage.ServerRes)
    /// RegisterTokenAck (0x011A): no body; the phone may now send Register.
    case registerTokenAck
    case registerTokenReject(SkinnyMessage.RegisterTokenReject)
    case subscriptionStatRes(SkinnyMessage.SubscriptionStatRes)
    case notification(SkinnyMessage.Notification)
    case portReq(SkinnyMessage.PortReq)
    case portClose(SkinnyMessage.PortClose)
    case subscribeDtmfPayloadReq(SkinnyMessage.SubscribeDtmfPayloadReq)
    case subscribeDtmfPayloadRes(SkinnyMessage.SubscribeDtmfPayloadRes)
    case subscribeDtmfPayloadErr(SkinnyMessage.SubscribeDtmfPayloadErr)
    case unSubscribeDtmfPayloadReq(SkinnyMessage.UnSubscribeDtmfPayloadReq)
    case unSubscribeDtmfPayloadRes(SkinnyMessage.UnSubscribeDtmfPayloadRes)
    case unSubscribeDtmfPayloadErr(SkinnyMessage.UnSubscribeDtmfPayloadErr)
    case recordingStatus(SkinnyMessage.RecordingStatus)
    case spcpRegisterTokenAck(SkinnyMessage.SPCPRegisterTokenAck)
    case spcpRegisterTokenReject(SkinnyMessage.SPCPRegisterTokenReject)
    // End of registration and device state
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
        case .registerAck: self = .registerAck(.init(from: body, version: version))
        // Registration and device state
        case .registerReject: self = .registerReject(.init(from: body, version: version))
        case .reset: self = .reset(.init(from: body, version: version))
        case .unregisterAck: self = .unregisterAck(.init(from: body, version: version))
        case .buttonTemplateRes: self = .buttonTemplateRes(try .init(from: body, version: version))
        case .softKeyTemplateRes: self = .softKeyTemplateRes(try .init(from: body, version: version))
        case .softKeySetRes: self = .softKeySetRes(try .init(from: body, version: version))
        case .configStatRes: self = .configStatRes(.init(from: body, version: version))
        case .configStatV2Res: self = .configStatV2Res(.init(from: body, version: version))
        case .lineStatRes: self = .lineStatRes(.init(from: body, version: version))
        case .lineStatV2Res: self = .lineStatV2Res(.init(from: body, version: version))
        case .forwardStatRes: self = .forwardStatRes(.init(from: body, version: version))
        case .speedDialStatRes: self = .speedDialStatRes(.init(from: body, version: version))
        case .speedDialStatV2Res: self = .speedDialStatV2Res(.init(from: body, version: version))
        case .featureStatRes: self = .featureStatRes(.init(from: body, version: version))
        case .featureStatV2Res: self = .featureStatV2Res(.init(from: body, version: version))
        case .serviceURLStatRes: self = .serviceURLStatRes(.init(from: body, version: version))
        case .serviceURLStatV2Res: self = .serviceURLStatV2Res(.init(from: body, version: version))
        case .timeDateRes: self = .timeDateRes(.init(from: body, version: version))
        case .versionRes: self = .versionRes(.init(from: body, version: version))
        case .serverRes: self = .serverRes(.init(from: body, version: version))
        case .registerTokenAck: self = .registerTokenAck
        case .registerTokenReject: self = .registerTokenReject(.init(from: body, version: version))
        case .subscriptionStatRes: self = .subscriptionStatRes(.init(from: body, version: version))
        case .notification: self = .notification(.init(from: body, version: version))
        case .portReq: self = .portReq(.init(from: body, version: version))
        case .portClose: self = .portClose(.init(from: body, version: version))
        case .subscribeDtmfPayloadReq: self = .subscribeDtmfPayloadReq(.init(from: body, version: version))
        case .subscribeDtmfPayloadRes: self = .subscribeDtmfPayloadRes(.init(from: body, version: version))
        case .subscribeDtmfPayloadErr: self = .subscribeDtmfPayloadErr(.init(from: body, version: version))
        case .unSubscribeDtmfPayloadReq: self = .unSubscribeDtmfPayloadReq(.init(from: body, version: version))
        case .unSubscribeDtmfPayloadRes: self = .unSubscribeDtmfPayloadRes(.init(from: body, version: version))
        case .unSubscribeDtmfPayloadErr: self = .unSubscribeDtmfPayloadErr(.init(from: body, version: version))
        case .recordingStatus: self = .recordingStatus(.init(from: body, version: version))
        case .spcpRegisterTokenAck: self = .spcpRegisterTokenAck(.init(from: body, version: version))
        case .spcpRegisterTokenReject: self = .spcpRegisterTokenReject(.init(from: body, version: version))
        // End of registration and device state
        case .callState: self = .callState(.init(from: body, version: version))
        default: self = .unknown(frame)
        }
    }

    /// The message id.
    public var id: SkinnyMessageID {
        switch self {
        case .keepAliveAck: .keepAliveAck
        case .capabilitiesReq: .capabilitiesReq
        case .registerAck: .registerAck
        // Registration and device state
        case .registerReject: .registerReject
        case .reset: .reset
        case .unregisterAck: .unregisterAck
        case .buttonTemplateRes: .buttonTemplateRes
        case .softKeyTemplateRes: .softKeyTemplateRes
        case .softKeySetRes: .softKeySetRes
        case .configStatRes: .configStatRes
        case .configStatV2Res: .configStatV2Res
        case .lineStatRes: .lineStatRes
        case .lineStatV2Res: .lineStatV2Res
        case .forwardStatRes: .forwardStatRes
        case .speedDialStatRes: .speedDialStatRes
        case .speedDialStatV2Res: .speedDialStatV2Res
        case .featureStatRes: .featureStatRes
        case .featureStatV2Res: .featureStatV2Res
        case .serviceURLStatRes: .serviceURLStatRes
        case .serviceURLStatV2Res: .serviceURLStatV2Res
        case .timeDateRes: .timeDateRes
        case .versionRes: .versionRes
        case .serverRes: .serverRes
        case .registerTokenAck: .registerTokenAck
        case .registerTokenReject: .registerTokenReject
        case .subscriptionStatRes: .subscriptionStatRes
        case .notification: .notification
        case .portReq: .portReq
        case .portClose: .portClose
        case .subscribeDtmfPayloadReq: .subscribeDtmfPayloadReq
        case .subscribeDtmfPayloadRes: .subscribeDtmfPayloadRes
        case .subscribeDtmfPayloadErr: .subscribeDtmfPayloadErr
        case .unSubscribeDtmfPayloadReq: .unSubscribeDtmfPayloadReq
        case .unSubscribeDtmfPayloadRes: .unSubscribeDtmfPayloadRes
        case .unSubscribeDtmfPayloadErr: .unSubscribeDtmfPayloadErr
        case .recordingStatus: .recordingStatus
        case .spcpRegisterTokenAck: .spcpRegisterTokenAck
        case .spcpRegisterTokenReject: .spcpRegisterTokenReject
        // End of registration and device state
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
        // Registration and device state
        case .registerReject(let message): message.frame(version: version)
        case .reset(let message): message.frame(version: version)
        case .unregisterAck(let message): message.frame(version: version, headerVersion: 0)
        case .buttonTemplateRes(let message): message.frame(version: version)
        case .softKeyTemplateRes(let message): message.frame(version: version)
        case .softKeySetRes(let message): message.frame(version: version)
        case .configStatRes(let message): message.frame(version: version)
        case .configStatV2Res(let message): message.frame(version: version)
        case .lineStatRes(let message): message.frame(version: version)
        case .lineStatV2Res(let message): message.frame(version: version)
        case .forwardStatRes(let message): message.frame(version: version)
        case .speedDialStatRes(let message): message.frame(version: version)
        case .speedDialStatV2Res(let message): message.frame(version: version)
        case .featureStatRes(let message): message.frame(version: version)
        case .featureStatV2Res(let message): message.frame(version: version)
        case .serviceURLStatRes(let message): message.frame(version: version)
        case .serviceURLStatV2Res(let message): message.frame(version: version)
        case .timeDateRes(let message): message.frame(version: version)
        case .versionRes(let message): message.frame(version: version)
        case .serverRes(let message): message.frame(version: version)
        case .registerTokenAck: SkinnyFrame(headerVersion: version.headerVersion, id: .registerTokenAck)
        case .registerTokenReject(let message): message.frame(version: version)
        case .subscriptionStatRes(let message): message.frame(version: version)
        case .notification(let message): message.frame(version: version)
        case .portReq(let message): message.frame(version: version)
        case .portClose(let message): message.frame(version: version)
        case .subscribeDtmfPayloadReq(let message): message.frame(version: version)
        case .subscribeDtmfPayloadRes(let message): message.frame(version: version)
        case .subscribeDtmfPayloadErr(let message): message.frame(version: version)
        case .unSubscribeDtmfPayloadReq(let message): message.frame(version: version)
        case .unSubscribeDtmfPayloadRes(let message): message.frame(version: version)
        case .unSubscribeDtmfPayloadErr(let message): message.frame(version: version)
        case .recordingStatus(let message): message.frame(version: version)
        case .spcpRegisterTokenAck(let message): message.frame(version: version)
        case .spcpRegisterTokenReject(let message): message.frame(version: version)
        // End of registration and device state
        case .callState(let message): message.frame(version: version)
        case .unknown(let frame): frame
        }
    }
}
