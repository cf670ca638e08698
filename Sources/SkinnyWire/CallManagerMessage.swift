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
    // Calls, display and media
    case startTone(SkinnyMessage.StartTone)
    case stopTone(SkinnyMessage.StopTone)
    case setRinger(SkinnyMessage.SetRinger)
    case setLamp(SkinnyMessage.SetLamp)
    /// SetHookFlashDetect (0x0087): no body; the phone should report hook flashes.
    case setHookFlashDetect
    case setSpeakerMode(SkinnyMessage.SetSpeakerMode)
    case setMicroMode(SkinnyMessage.SetMicroMode)
    case startMediaTransmission(SkinnyMessage.StartMediaTransmission)
    case stopMediaTransmission(SkinnyMessage.StopMediaTransmission)
    case stopMediaReception(SkinnyMessage.StopMediaReception)
    case callInfo(SkinnyMessage.CallInfo)
    case displayText(SkinnyMessage.DisplayText)
    /// ClearDisplay (0x009A): no body (Wireshark; chan-sccp sends a zero `u32`, which decodes the same).
    case clearDisplay
    case startMulticastMediaReception(SkinnyMessage.StartMulticastMediaReception)
    case startMulticastMediaTransmission(SkinnyMessage.StartMulticastMediaTransmission)
    case stopMulticastMediaReception(SkinnyMessage.StopMulticastMediaReception)
    case stopMulticastMediaTransmission(SkinnyMessage.StopMulticastMediaTransmission)
    case openReceiveChannel(SkinnyMessage.OpenReceiveChannel)
    case closeReceiveChannel(SkinnyMessage.CloseReceiveChannel)
    case connectionStatisticsReq(SkinnyMessage.ConnectionStatisticsReq)
    case selectSoftKeys(SkinnyMessage.SelectSoftKeys)
    case displayPromptStatus(SkinnyMessage.DisplayPromptStatus)
    case clearPromptStatus(SkinnyMessage.ClearPromptStatus)
    case displayNotify(SkinnyMessage.DisplayNotify)
    /// ClearNotify (0x0115): no body; removes the DisplayNotify text.
    case clearNotify
    case activateCallPlane(SkinnyMessage.ActivateCallPlane)
    /// DeactivateCallPlane (0x0117): no body; hides the active call plane.
    case deactivateCallPlane
    case backSpaceRes(SkinnyMessage.BackSpaceRes)
    case startMediaFailureDetection(SkinnyMessage.StartMediaFailureDetection)
    case dialedNumber(SkinnyMessage.DialedNumber)
    case userToDeviceData(SkinnyMessage.UserToDeviceData)
    case displayPriNotify(SkinnyMessage.DisplayPriNotify)
    case clearPriNotify(SkinnyMessage.ClearPriNotify)
    case notifyDtmfTone(SkinnyMessage.NotifyDtmfTone)
    case sendDtmfTone(SkinnyMessage.SendDtmfTone)
    case callSelectStatRes(SkinnyMessage.CallSelectStatRes)
    case stopMultiMediaTransmission(SkinnyMessage.StopMultiMediaTransmission)
    case flowControlCommand(SkinnyMessage.FlowControlCommand)
    case closeMultiMediaReceiveChannel(SkinnyMessage.CloseMultiMediaReceiveChannel)
    case userToDeviceDataV1(SkinnyMessage.UserToDeviceDataV1)
    case displayNotifyV2(SkinnyMessage.DisplayNotifyV2)
    case displayPriNotifyV2(SkinnyMessage.DisplayPriNotifyV2)
    case displayPromptStatusV2(SkinnyMessage.DisplayPromptStatusV2)
    case callInfoV2(SkinnyMessage.CallInfoV2)
    case callHistoryInfo(SkinnyMessage.CallHistoryInfo)
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
        // Calls, display and media
        case .startTone: self = .startTone(.init(from: body, version: version))
        case .stopTone: self = .stopTone(.init(from: body, version: version))
        case .setRinger: self = .setRinger(.init(from: body, version: version))
        case .setLamp: self = .setLamp(.init(from: body, version: version))
        case .setHookFlashDetect: self = .setHookFlashDetect
        case .setSpeakerMode: self = .setSpeakerMode(.init(from: body, version: version))
        case .setMicroMode: self = .setMicroMode(.init(from: body, version: version))
        case .startMediaTransmission: self = .startMediaTransmission(.init(from: body, version: version))
        case .stopMediaTransmission: self = .stopMediaTransmission(.init(from: body, version: version))
        case .stopMediaReception: self = .stopMediaReception(.init(from: body, version: version))
        case .callInfo: self = .callInfo(.init(from: body, version: version))
        case .displayText: self = .displayText(.init(from: body, version: version))
        case .clearDisplay: self = .clearDisplay
        case .startMulticastMediaReception: self = .startMulticastMediaReception(.init(from: body, version: version))
        case .startMulticastMediaTransmission:
            self = .startMulticastMediaTransmission(.init(from: body, version: version))
        case .stopMulticastMediaReception: self = .stopMulticastMediaReception(.init(from: body, version: version))
        case .stopMulticastMediaTransmission:
            self = .stopMulticastMediaTransmission(.init(from: body, version: version))
        case .openReceiveChannel: self = .openReceiveChannel(.init(from: body, version: version))
        case .closeReceiveChannel: self = .closeReceiveChannel(.init(from: body, version: version))
        case .connectionStatisticsReq: self = .connectionStatisticsReq(.init(from: body, version: version))
        case .selectSoftKeys: self = .selectSoftKeys(.init(from: body, version: version))
        case .displayPromptStatus: self = .displayPromptStatus(.init(from: body, version: version))
        case .clearPromptStatus: self = .clearPromptStatus(.init(from: body, version: version))
        case .displayNotify: self = .displayNotify(.init(from: body, version: version))
        case .clearNotify: self = .clearNotify
        case .activateCallPlane: self = .activateCallPlane(.init(from: body, version: version))
        case .deactivateCallPlane: self = .deactivateCallPlane
        case .backSpaceRes: self = .backSpaceRes(.init(from: body, version: version))
        case .startMediaFailureDetection: self = .startMediaFailureDetection(.init(from: body, version: version))
        case .dialedNumber: self = .dialedNumber(.init(from: body, version: version))
        case .userToDeviceData: self = .userToDeviceData(.init(from: body, version: version))
        case .displayPriNotify: self = .displayPriNotify(.init(from: body, version: version))
        case .clearPriNotify: self = .clearPriNotify(.init(from: body, version: version))
        case .notifyDtmfTone: self = .notifyDtmfTone(.init(from: body, version: version))
        case .sendDtmfTone: self = .sendDtmfTone(.init(from: body, version: version))
        case .callSelectStatRes: self = .callSelectStatRes(.init(from: body, version: version))
        case .stopMultiMediaTransmission: self = .stopMultiMediaTransmission(.init(from: body, version: version))
        case .flowControlCommand: self = .flowControlCommand(.init(from: body, version: version))
        case .closeMultiMediaReceiveChannel: self = .closeMultiMediaReceiveChannel(.init(from: body, version: version))
        case .userToDeviceDataV1: self = .userToDeviceDataV1(.init(from: body, version: version))
        case .displayNotifyV2: self = .displayNotifyV2(.init(from: body, version: version))
        case .displayPriNotifyV2: self = .displayPriNotifyV2(.init(from: body, version: version))
        case .displayPromptStatusV2: self = .displayPromptStatusV2(.init(from: body, version: version))
        case .callInfoV2: self = .callInfoV2(.init(from: body, version: version))
        case .callHistoryInfo: self = .callHistoryInfo(.init(from: body, version: version))
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
        // Calls, display and media
        case .startTone: .startTone
        case .stopTone: .stopTone
        case .setRinger: .setRinger
        case .setLamp: .setLamp
        case .setHookFlashDetect: .setHookFlashDetect
        case .setSpeakerMode: .setSpeakerMode
        case .setMicroMode: .setMicroMode
        case .startMediaTransmission: .startMediaTransmission
        case .stopMediaTransmission: .stopMediaTransmission
        case .stopMediaReception: .stopMediaReception
        case .callInfo: .callInfo
        case .displayText: .displayText
        case .clearDisplay: .clearDisplay
        case .startMulticastMediaReception: .startMulticastMediaReception
        case .startMulticastMediaTransmission: .startMulticastMediaTransmission
        case .stopMulticastMediaReception: .stopMulticastMediaReception
        case .stopMulticastMediaTransmission: .stopMulticastMediaTransmission
        case .openReceiveChannel: .openReceiveChannel
        case .closeReceiveChannel: .closeReceiveChannel
        case .connectionStatisticsReq: .connectionStatisticsReq
        case .selectSoftKeys: .selectSoftKeys
        case .displayPromptStatus: .displayPromptStatus
        case .clearPromptStatus: .clearPromptStatus
        case .displayNotify: .displayNotify
        case .clearNotify: .clearNotify
        case .activateCallPlane: .activateCallPlane
        case .deactivateCallPlane: .deactivateCallPlane
        case .backSpaceRes: .backSpaceRes
        case .startMediaFailureDetection: .startMediaFailureDetection
        case .dialedNumber: .dialedNumber
        case .userToDeviceData: .userToDeviceData
        case .displayPriNotify: .displayPriNotify
        case .clearPriNotify: .clearPriNotify
        case .notifyDtmfTone: .notifyDtmfTone
        case .sendDtmfTone: .sendDtmfTone
        case .callSelectStatRes: .callSelectStatRes
        case .stopMultiMediaTransmission: .stopMultiMediaTransmission
        case .flowControlCommand: .flowControlCommand
        case .closeMultiMediaReceiveChannel: .closeMultiMediaReceiveChannel
        case .userToDeviceDataV1: .userToDeviceDataV1
        case .displayNotifyV2: .displayNotifyV2
        case .displayPriNotifyV2: .displayPriNotifyV2
        case .displayPromptStatusV2: .displayPromptStatusV2
        case .callInfoV2: .callInfoV2
        case .callHistoryInfo: .callHistoryInfo
        case .unknown(let frame): frame.id
        }
    }

    /// Encodes this message as a frame for `version`. KeepAliveAck, RegisterAck and UnregisterAck carry header
    /// version 0, everything else the negotiated version from v10 (chan-sccp's rule; reference §2.1).
    public func frame(version: SkinnyProtocolVersion) -> SkinnyFrame {
        if case .unknown(let frame) = self { return frame }
        var buffer = ByteBuffer()
        self.write(into: &buffer, version: version)
        // The header just written; the body is the rest of the same buffer (a slice, not a copy).
        guard
            let (_, headerVersion, id) = buffer.readMultipleIntegers(
                endianness: .little,
                as: (UInt32, UInt32, UInt32).self
            )
        else {
            preconditionFailure("a frame written without its header")
        }
        return SkinnyFrame(headerVersion: headerVersion, id: SkinnyMessageID(rawValue: id), body: buffer)
    }

    /// Appends this message to `buffer` as one frame for `version`, header and body, exactly as ``frame(version:)``
    /// lays it out: the server's sessions encode a whole burst into one buffer this way, with no buffer per message.
    /// Returns the bytes written.
    @discardableResult
    public func write(into buffer: inout ByteBuffer, version: SkinnyProtocolVersion) -> Int {
        switch self {
        case .keepAliveAck: buffer.writeSkinnyEmptyMessage(id: .keepAliveAck, headerVersion: 0)
        case .capabilitiesReq:
            buffer.writeSkinnyEmptyMessage(id: .capabilitiesReq, headerVersion: version.headerVersion)
        case .registerAck(let message): buffer.writeSkinnyMessage(message, version: version, headerVersion: 0)
        // Registration and device state
        case .registerReject(let message): buffer.writeSkinnyMessage(message, version: version)
        case .reset(let message): buffer.writeSkinnyMessage(message, version: version)
        case .unregisterAck(let message): buffer.writeSkinnyMessage(message, version: version, headerVersion: 0)
        case .buttonTemplateRes(let message): buffer.writeSkinnyMessage(message, version: version)
        case .softKeyTemplateRes(let message): buffer.writeSkinnyMessage(message, version: version)
        case .softKeySetRes(let message): buffer.writeSkinnyMessage(message, version: version)
        case .configStatRes(let message): buffer.writeSkinnyMessage(message, version: version)
        case .configStatV2Res(let message): buffer.writeSkinnyMessage(message, version: version)
        case .lineStatRes(let message): buffer.writeSkinnyMessage(message, version: version)
        case .lineStatV2Res(let message): buffer.writeSkinnyMessage(message, version: version)
        case .forwardStatRes(let message): buffer.writeSkinnyMessage(message, version: version)
        case .speedDialStatRes(let message): buffer.writeSkinnyMessage(message, version: version)
        case .speedDialStatV2Res(let message): buffer.writeSkinnyMessage(message, version: version)
        case .featureStatRes(let message): buffer.writeSkinnyMessage(message, version: version)
        case .featureStatV2Res(let message): buffer.writeSkinnyMessage(message, version: version)
        case .serviceURLStatRes(let message): buffer.writeSkinnyMessage(message, version: version)
        case .serviceURLStatV2Res(let message): buffer.writeSkinnyMessage(message, version: version)
        case .timeDateRes(let message): buffer.writeSkinnyMessage(message, version: version)
        case .versionRes(let message): buffer.writeSkinnyMessage(message, version: version)
        case .serverRes(let message): buffer.writeSkinnyMessage(message, version: version)
        case .registerTokenAck:
            buffer.writeSkinnyEmptyMessage(id: .registerTokenAck, headerVersion: version.headerVersion)
        case .registerTokenReject(let message): buffer.writeSkinnyMessage(message, version: version)
        case .subscriptionStatRes(let message): buffer.writeSkinnyMessage(message, version: version)
        case .notification(let message): buffer.writeSkinnyMessage(message, version: version)
        case .portReq(let message): buffer.writeSkinnyMessage(message, version: version)
        case .portClose(let message): buffer.writeSkinnyMessage(message, version: version)
        case .subscribeDtmfPayloadReq(let message): buffer.writeSkinnyMessage(message, version: version)
        case .subscribeDtmfPayloadRes(let message): buffer.writeSkinnyMessage(message, version: version)
        case .subscribeDtmfPayloadErr(let message): buffer.writeSkinnyMessage(message, version: version)
        case .unSubscribeDtmfPayloadReq(let message): buffer.writeSkinnyMessage(message, version: version)
        case .unSubscribeDtmfPayloadRes(let message): buffer.writeSkinnyMessage(message, version: version)
        case .unSubscribeDtmfPayloadErr(let message): buffer.writeSkinnyMessage(message, version: version)
        case .recordingStatus(let message): buffer.writeSkinnyMessage(message, version: version)
        case .spcpRegisterTokenAck(let message): buffer.writeSkinnyMessage(message, version: version)
        case .spcpRegisterTokenReject(let message): buffer.writeSkinnyMessage(message, version: version)
        // End of registration and device state
        case .callState(let message): buffer.writeSkinnyMessage(message, version: version)
        // Calls, display and media
        case .startTone(let message): buffer.writeSkinnyMessage(message, version: version)
        case .stopTone(let message): buffer.writeSkinnyMessage(message, version: version)
        case .setRinger(let message): buffer.writeSkinnyMessage(message, version: version)
        case .setLamp(let message): buffer.writeSkinnyMessage(message, version: version)
        case .setHookFlashDetect:
            buffer.writeSkinnyEmptyMessage(id: .setHookFlashDetect, headerVersion: version.headerVersion)
        case .setSpeakerMode(let message): buffer.writeSkinnyMessage(message, version: version)
        case .setMicroMode(let message): buffer.writeSkinnyMessage(message, version: version)
        case .startMediaTransmission(let message): buffer.writeSkinnyMessage(message, version: version)
        case .stopMediaTransmission(let message): buffer.writeSkinnyMessage(message, version: version)
        case .stopMediaReception(let message): buffer.writeSkinnyMessage(message, version: version)
        case .callInfo(let message): buffer.writeSkinnyMessage(message, version: version)
        case .displayText(let message): buffer.writeSkinnyMessage(message, version: version)
        case .clearDisplay: buffer.writeSkinnyEmptyMessage(id: .clearDisplay, headerVersion: version.headerVersion)
        case .startMulticastMediaReception(let message): buffer.writeSkinnyMessage(message, version: version)
        case .startMulticastMediaTransmission(let message): buffer.writeSkinnyMessage(message, version: version)
        case .stopMulticastMediaReception(let message): buffer.writeSkinnyMessage(message, version: version)
        case .stopMulticastMediaTransmission(let message): buffer.writeSkinnyMessage(message, version: version)
        case .openReceiveChannel(let message): buffer.writeSkinnyMessage(message, version: version)
        case .closeReceiveChannel(let message): buffer.writeSkinnyMessage(message, version: version)
        case .connectionStatisticsReq(let message): buffer.writeSkinnyMessage(message, version: version)
        case .selectSoftKeys(let message): buffer.writeSkinnyMessage(message, version: version)
        case .displayPromptStatus(let message): buffer.writeSkinnyMessage(message, version: version)
        case .clearPromptStatus(let message): buffer.writeSkinnyMessage(message, version: version)
        case .displayNotify(let message): buffer.writeSkinnyMessage(message, version: version)
        case .clearNotify: buffer.writeSkinnyEmptyMessage(id: .clearNotify, headerVersion: version.headerVersion)
        case .activateCallPlane(let message): buffer.writeSkinnyMessage(message, version: version)
        case .deactivateCallPlane:
            buffer.writeSkinnyEmptyMessage(id: .deactivateCallPlane, headerVersion: version.headerVersion)
        case .backSpaceRes(let message): buffer.writeSkinnyMessage(message, version: version)
        case .startMediaFailureDetection(let message): buffer.writeSkinnyMessage(message, version: version)
        case .dialedNumber(let message): buffer.writeSkinnyMessage(message, version: version)
        case .userToDeviceData(let message): buffer.writeSkinnyMessage(message, version: version)
        case .displayPriNotify(let message): buffer.writeSkinnyMessage(message, version: version)
        case .clearPriNotify(let message): buffer.writeSkinnyMessage(message, version: version)
        case .notifyDtmfTone(let message): buffer.writeSkinnyMessage(message, version: version)
        case .sendDtmfTone(let message): buffer.writeSkinnyMessage(message, version: version)
        case .callSelectStatRes(let message): buffer.writeSkinnyMessage(message, version: version)
        case .stopMultiMediaTransmission(let message): buffer.writeSkinnyMessage(message, version: version)
        case .flowControlCommand(let message): buffer.writeSkinnyMessage(message, version: version)
        case .closeMultiMediaReceiveChannel(let message): buffer.writeSkinnyMessage(message, version: version)
        case .userToDeviceDataV1(let message): buffer.writeSkinnyMessage(message, version: version)
        case .displayNotifyV2(let message): buffer.writeSkinnyMessage(message, version: version)
        case .displayPriNotifyV2(let message): buffer.writeSkinnyMessage(message, version: version)
        case .displayPromptStatusV2(let message): buffer.writeSkinnyMessage(message, version: version)
        case .callInfoV2(let message): buffer.writeSkinnyMessage(message, version: version)
        case .callHistoryInfo(let message): buffer.writeSkinnyMessage(message, version: version)
        case .unknown(let frame): buffer.writeSkinnyFrame(frame)
        }
    }
}
