/// Every message a phone ("station") sends to the call manager (reference §4, ph→CM).
///
/// An id Strowger does not know decodes to `.unknown`, not to an error (reference §8 note 4). The messages between
/// a call manager and its media resources (0x0035–0x0040, 0x0046, 0x0047, 0x004C) are not phone messages and
/// decode to `.unknown` too.
public enum StationMessage: Hashable, Sendable {
    /// KeepAlive (0x0000): no body; answered with KeepAliveAck.
    case keepAlive
    case register(SkinnyMessage.Register)
    case ipPort(SkinnyMessage.IpPort)
    case keypadButton(SkinnyMessage.KeypadButton)
    case enblocCall(SkinnyMessage.EnblocCall)
    case stimulus(SkinnyMessage.Stimulus)
    case offHook(SkinnyMessage.OffHook)
    case onHook(SkinnyMessage.OnHook)
    case hookFlash(SkinnyMessage.HookFlash)
    case forwardStatReq(SkinnyMessage.ForwardStatReq)
    case speedDialStatReq(SkinnyMessage.SpeedDialStatReq)
    case lineStatReq(SkinnyMessage.LineStatReq)
    /// ConfigStatReq (0x000C): no body; answered with ConfigStatRes.
    case configStatReq
    /// TimeDateReq (0x000D): no body; answered with TimeDateRes.
    case timeDateReq
    /// ButtonTemplateReq (0x000E): no body (some clients add a `u32`, which is ignored; reference §5.1);
    /// answered with ButtonTemplateRes.
    case buttonTemplateReq
    /// VersionReq (0x000F): no body; answered with VersionRes.
    case versionReq
    case capabilitiesRes(SkinnyMessage.CapabilitiesRes)
    case mediaPortList(SkinnyMessage.MediaPortList)
    /// ServerReq (0x0012): no body; answered with ServerRes.
    case serverReq
    case alarm(SkinnyMessage.Alarm)
    case multicastMediaReceptionAck(SkinnyMessage.MulticastMediaReceptionAck)
    case openReceiveChannelAck(SkinnyMessage.OpenReceiveChannelAck)
    case connectionStatisticsRes(SkinnyMessage.ConnectionStatisticsRes)
    case offHookWithCallingPartyNumber(SkinnyMessage.OffHookWithCallingPartyNumber)
    /// SoftKeySetReq (0x0025): no body; answered with SoftKeySetRes.
    case softKeySetReq
    case softKeyEvent(SkinnyMessage.SoftKeyEvent)
    case unregister(SkinnyMessage.Unregister)
    /// SoftKeyTemplateReq (0x0028): no body; answered with SoftKeyTemplateRes.
    case softKeyTemplateReq
    case registerTokenReq(SkinnyMessage.RegisterTokenReq)
    case mediaTransmissionFailure(SkinnyMessage.MediaTransmissionFailure)
    case headsetStatus(SkinnyMessage.HeadsetStatus)
    case mediaResourceNotification(SkinnyMessage.MediaResourceNotification)
    case registerAvailableLines(SkinnyMessage.RegisterAvailableLines)
    case deviceToUserData(SkinnyMessage.DeviceToUserData)
    case deviceToUserDataResponse(SkinnyMessage.DeviceToUserDataResponse)
    case updateCapabilities(SkinnyMessage.UpdateCapabilities)
    case openMultiMediaReceiveChannelAck(SkinnyMessage.OpenMultiMediaReceiveChannelAck)
    case clearConference(SkinnyMessage.ClearConference)
    case serviceURLStatReq(SkinnyMessage.ServiceURLStatReq)
    case featureStatReq(SkinnyMessage.FeatureStatReq)
    case deviceToUserDataV1(SkinnyMessage.DeviceToUserDataV1)
    case deviceToUserDataResponseV1(SkinnyMessage.DeviceToUserDataResponseV1)
    case capabilitiesV2Res(SkinnyMessage.CapabilitiesV2Res)
    case capabilitiesV3Res(SkinnyMessage.CapabilitiesV3Res)
    case portRes(SkinnyMessage.PortRes)
    case subscriptionStatReq(SkinnyMessage.SubscriptionStatReq)
    case mediaPathEvent(SkinnyMessage.MediaPathEvent)
    case mediaPathCapability(SkinnyMessage.MediaPathCapability)
    case startMediaTransmissionAck(SkinnyMessage.StartMediaTransmissionAck)
    case startMultiMediaTransmissionAck(SkinnyMessage.StartMultiMediaTransmissionAck)
    case locationInfo(SkinnyMessage.LocationInfo)
    case addOnDeviceCapabilities(SkinnyMessage.AddOnDeviceCapabilities)
    case enhancedAlarm(SkinnyMessage.EnhancedAlarm)
    case spcpRegisterTokenReq(SkinnyMessage.SPCPRegisterTokenReq)
    /// A message whose id Strowger does not know, kept whole for logging and replay.
    case unknown(SkinnyFrame)
}

extension StationMessage {
    /// Decodes `frame`, laid out for `version`.
    public init(frame: SkinnyFrame, version: SkinnyProtocolVersion) throws(SkinnyError) {
        let body = SkinnyBodyReader(frame.body)
        switch frame.id {
        case .keepAlive: self = .keepAlive
        case .register: self = .register(.init(from: body, version: version))
        case .ipPort: self = .ipPort(.init(from: body, version: version))
        case .keypadButton: self = .keypadButton(.init(from: body, version: version))
        case .enblocCall: self = .enblocCall(.init(from: body, version: version))
        case .stimulus: self = .stimulus(.init(from: body, version: version))
        case .offHook: self = .offHook(.init(from: body, version: version))
        case .onHook: self = .onHook(.init(from: body, version: version))
        case .hookFlash: self = .hookFlash(.init(from: body, version: version))
        case .forwardStatReq: self = .forwardStatReq(.init(from: body, version: version))
        case .speedDialStatReq: self = .speedDialStatReq(.init(from: body, version: version))
        case .lineStatReq: self = .lineStatReq(.init(from: body, version: version))
        case .configStatReq: self = .configStatReq
        case .timeDateReq: self = .timeDateReq
        case .buttonTemplateReq: self = .buttonTemplateReq
        case .versionReq: self = .versionReq
        case .capabilitiesRes: self = .capabilitiesRes(try .init(from: body, version: version))
        case .mediaPortList: self = .mediaPortList(try .init(from: body, version: version))
        case .serverReq: self = .serverReq
        case .alarm: self = .alarm(.init(from: body, version: version))
        case .multicastMediaReceptionAck: self = .multicastMediaReceptionAck(.init(from: body, version: version))
        case .openReceiveChannelAck: self = .openReceiveChannelAck(.init(from: body, version: version))
        case .connectionStatisticsRes: self = .connectionStatisticsRes(try .init(from: body, version: version))
        case .offHookWithCallingPartyNumber: self = .offHookWithCallingPartyNumber(.init(from: body, version: version))
        case .softKeySetReq: self = .softKeySetReq
        case .softKeyEvent: self = .softKeyEvent(.init(from: body, version: version))
        case .unregister: self = .unregister(.init(from: body, version: version))
        case .softKeyTemplateReq: self = .softKeyTemplateReq
        case .registerTokenReq: self = .registerTokenReq(.init(from: body, version: version))
        case .mediaTransmissionFailure: self = .mediaTransmissionFailure(.init(from: body, version: version))
        case .headsetStatus: self = .headsetStatus(.init(from: body, version: version))
        case .mediaResourceNotification: self = .mediaResourceNotification(.init(from: body, version: version))
        case .registerAvailableLines: self = .registerAvailableLines(.init(from: body, version: version))
        case .deviceToUserData: self = .deviceToUserData(try .init(from: body, version: version))
        case .deviceToUserDataResponse: self = .deviceToUserDataResponse(try .init(from: body, version: version))
        case .updateCapabilities: self = .updateCapabilities(try .init(from: body, version: version))
        case .openMultiMediaReceiveChannelAck:
            self = .openMultiMediaReceiveChannelAck(.init(from: body, version: version))
        case .clearConference: self = .clearConference(.init(from: body, version: version))
        case .serviceURLStatReq: self = .serviceURLStatReq(.init(from: body, version: version))
        case .featureStatReq: self = .featureStatReq(.init(from: body, version: version))
        case .deviceToUserDataV1: self = .deviceToUserDataV1(try .init(from: body, version: version))
        case .deviceToUserDataResponseV1: self = .deviceToUserDataResponseV1(try .init(from: body, version: version))
        case .capabilitiesV2Res: self = .capabilitiesV2Res(try .init(from: body, version: version))
        case .capabilitiesV3Res: self = .capabilitiesV3Res(try .init(from: body, version: version))
        case .portRes: self = .portRes(.init(from: body, version: version))
        case .subscriptionStatReq: self = .subscriptionStatReq(.init(from: body, version: version))
        case .mediaPathEvent: self = .mediaPathEvent(.init(from: body, version: version))
        case .mediaPathCapability: self = .mediaPathCapability(.init(from: body, version: version))
        case .startMediaTransmissionAck: self = .startMediaTransmissionAck(.init(from: body, version: version))
        case .startMultiMediaTransmissionAck:
            self = .startMultiMediaTransmissionAck(.init(from: body, version: version))
        case .locationInfo: self = .locationInfo(.init(from: body, version: version))
        case .addOnDeviceCapabilities: self = .addOnDeviceCapabilities(.init(from: body, version: version))
        case .enhancedAlarm: self = .enhancedAlarm(.init(from: body, version: version))
        case .spcpRegisterTokenReq: self = .spcpRegisterTokenReq(.init(from: body, version: version))
        default: self = .unknown(frame)
        }
    }

    /// The message id.
    public var id: SkinnyMessageID {
        switch self {
        case .keepAlive: .keepAlive
        case .register: .register
        case .ipPort: .ipPort
        case .keypadButton: .keypadButton
        case .enblocCall: .enblocCall
        case .stimulus: .stimulus
        case .offHook: .offHook
        case .onHook: .onHook
        case .hookFlash: .hookFlash
        case .forwardStatReq: .forwardStatReq
        case .speedDialStatReq: .speedDialStatReq
        case .lineStatReq: .lineStatReq
        case .configStatReq: .configStatReq
        case .timeDateReq: .timeDateReq
        case .buttonTemplateReq: .buttonTemplateReq
        case .versionReq: .versionReq
        case .capabilitiesRes: .capabilitiesRes
        case .mediaPortList: .mediaPortList
        case .serverReq: .serverReq
        case .alarm: .alarm
        case .multicastMediaReceptionAck: .multicastMediaReceptionAck
        case .openReceiveChannelAck: .openReceiveChannelAck
        case .connectionStatisticsRes: .connectionStatisticsRes
        case .offHookWithCallingPartyNumber: .offHookWithCallingPartyNumber
        case .softKeySetReq: .softKeySetReq
        case .softKeyEvent: .softKeyEvent
        case .unregister: .unregister
        case .softKeyTemplateReq: .softKeyTemplateReq
        case .registerTokenReq: .registerTokenReq
        case .mediaTransmissionFailure: .mediaTransmissionFailure
        case .headsetStatus: .headsetStatus
        case .mediaResourceNotification: .mediaResourceNotification
        case .registerAvailableLines: .registerAvailableLines
        case .deviceToUserData: .deviceToUserData
        case .deviceToUserDataResponse: .deviceToUserDataResponse
        case .updateCapabilities: .updateCapabilities
        case .openMultiMediaReceiveChannelAck: .openMultiMediaReceiveChannelAck
        case .clearConference: .clearConference
        case .serviceURLStatReq: .serviceURLStatReq
        case .featureStatReq: .featureStatReq
        case .deviceToUserDataV1: .deviceToUserDataV1
        case .deviceToUserDataResponseV1: .deviceToUserDataResponseV1
        case .capabilitiesV2Res: .capabilitiesV2Res
        case .capabilitiesV3Res: .capabilitiesV3Res
        case .portRes: .portRes
        case .subscriptionStatReq: .subscriptionStatReq
        case .mediaPathEvent: .mediaPathEvent
        case .mediaPathCapability: .mediaPathCapability
        case .startMediaTransmissionAck: .startMediaTransmissionAck
        case .startMultiMediaTransmissionAck: .startMultiMediaTransmissionAck
        case .locationInfo: .locationInfo
        case .addOnDeviceCapabilities: .addOnDeviceCapabilities
        case .enhancedAlarm: .enhancedAlarm
        case .spcpRegisterTokenReq: .spcpRegisterTokenReq
        case .unknown(let frame): frame.id
        }
    }

    /// Encodes this message as a frame for `version`.
    public func frame(version: SkinnyProtocolVersion) -> SkinnyFrame {
        switch self {
        case .keepAlive: SkinnyFrame(headerVersion: version.headerVersion, id: .keepAlive)
        case .register(let message): message.frame(version: version)
        case .ipPort(let message): message.frame(version: version)
        case .keypadButton(let message): message.frame(version: version)
        case .enblocCall(let message): message.frame(version: version)
        case .stimulus(let message): message.frame(version: version)
        case .offHook(let message): message.frame(version: version)
        case .onHook(let message): message.frame(version: version)
        case .hookFlash(let message): message.frame(version: version)
        case .forwardStatReq(let message): message.frame(version: version)
        case .speedDialStatReq(let message): message.frame(version: version)
        case .lineStatReq(let message): message.frame(version: version)
        case .configStatReq: SkinnyFrame(headerVersion: version.headerVersion, id: .configStatReq)
        case .timeDateReq: SkinnyFrame(headerVersion: version.headerVersion, id: .timeDateReq)
        case .buttonTemplateReq: SkinnyFrame(headerVersion: version.headerVersion, id: .buttonTemplateReq)
        case .versionReq: SkinnyFrame(headerVersion: version.headerVersion, id: .versionReq)
        case .capabilitiesRes(let message): message.frame(version: version)
        case .mediaPortList(let message): message.frame(version: version)
        case .serverReq: SkinnyFrame(headerVersion: version.headerVersion, id: .serverReq)
        case .alarm(let message): message.frame(version: version)
        case .multicastMediaReceptionAck(let message): message.frame(version: version)
        case .openReceiveChannelAck(let message): message.frame(version: version)
        case .connectionStatisticsRes(let message): message.frame(version: version)
        case .offHookWithCallingPartyNumber(let message): message.frame(version: version)
        case .softKeySetReq: SkinnyFrame(headerVersion: version.headerVersion, id: .softKeySetReq)
        case .softKeyEvent(let message): message.frame(version: version)
        case .unregister(let message): message.frame(version: version)
        case .softKeyTemplateReq: SkinnyFrame(headerVersion: version.headerVersion, id: .softKeyTemplateReq)
        case .registerTokenReq(let message): message.frame(version: version)
        case .mediaTransmissionFailure(let message): message.frame(version: version)
        case .headsetStatus(let message): message.frame(version: version)
        case .mediaResourceNotification(let message): message.frame(version: version)
        case .registerAvailableLines(let message): message.frame(version: version)
        case .deviceToUserData(let message): message.frame(version: version)
        case .deviceToUserDataResponse(let message): message.frame(version: version)
        case .updateCapabilities(let message): message.frame(version: version)
        case .openMultiMediaReceiveChannelAck(let message): message.frame(version: version)
        case .clearConference(let message): message.frame(version: version)
        case .serviceURLStatReq(let message): message.frame(version: version)
        case .featureStatReq(let message): message.frame(version: version)
        case .deviceToUserDataV1(let message): message.frame(version: version)
        case .deviceToUserDataResponseV1(let message): message.frame(version: version)
        case .capabilitiesV2Res(let message): message.frame(version: version)
        case .capabilitiesV3Res(let message): message.frame(version: version)
        case .portRes(let message): message.frame(version: version)
        case .subscriptionStatReq(let message): message.frame(version: version)
        case .mediaPathEvent(let message): message.frame(version: version)
        case .mediaPathCapability(let message): message.frame(version: version)
        case .startMediaTransmissionAck(let message): message.frame(version: version)
        case .startMultiMediaTransmissionAck(let message): message.frame(version: version)
        case .locationInfo(let message): message.frame(version: version)
        case .addOnDeviceCapabilities(let message): message.frame(version: version)
        case .enhancedAlarm(let message): message.frame(version: version)
        case .spcpRegisterTokenReq(let message): message.frame(version: version)
        case .unknown(let frame): frame
        }
    }
}
