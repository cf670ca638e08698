/// An SCCP message id (header offset 8). A struct rather than an enum: an id Strowger does not know is still a
/// valid id, and decodes to `unknown` rather than failing (reference §8 note 4).
public struct SkinnyMessageID: RawRepresentable, Hashable, Sendable, CustomStringConvertible {
    public var rawValue: UInt32

    public init(rawValue: UInt32) {
        self.rawValue = rawValue
    }

    public init(_ rawValue: UInt32) {
        self.rawValue = rawValue
    }

    public static let keepAlive = SkinnyMessageID(0x0000)
    public static let register = SkinnyMessageID(0x0001)
    public static let ipPort = SkinnyMessageID(0x0002)
    public static let keypadButton = SkinnyMessageID(0x0003)
    public static let enblocCall = SkinnyMessageID(0x0004)
    public static let stimulus = SkinnyMessageID(0x0005)
    public static let offHook = SkinnyMessageID(0x0006)
    public static let onHook = SkinnyMessageID(0x0007)
    public static let hookFlash = SkinnyMessageID(0x0008)
    public static let forwardStatReq = SkinnyMessageID(0x0009)
    public static let speedDialStatReq = SkinnyMessageID(0x000A)
    public static let lineStatReq = SkinnyMessageID(0x000B)
    public static let configStatReq = SkinnyMessageID(0x000C)
    public static let timeDateReq = SkinnyMessageID(0x000D)
    public static let buttonTemplateReq = SkinnyMessageID(0x000E)
    public static let versionReq = SkinnyMessageID(0x000F)
    public static let capabilitiesRes = SkinnyMessageID(0x0010)
    public static let mediaPortList = SkinnyMessageID(0x0011)
    public static let serverReq = SkinnyMessageID(0x0012)
    public static let alarm = SkinnyMessageID(0x0020)
    public static let multicastMediaReceptionAck = SkinnyMessageID(0x0021)
    public static let openReceiveChannelAck = SkinnyMessageID(0x0022)
    public static let connectionStatisticsRes = SkinnyMessageID(0x0023)
    public static let offHookWithCallingPartyNumber = SkinnyMessageID(0x0024)
    public static let softKeySetReq = SkinnyMessageID(0x0025)
    public static let softKeyEvent = SkinnyMessageID(0x0026)
    public static let unregister = SkinnyMessageID(0x0027)
    public static let softKeyTemplateReq = SkinnyMessageID(0x0028)
    public static let registerTokenReq = SkinnyMessageID(0x0029)
    public static let mediaTransmissionFailure = SkinnyMessageID(0x002A)
    public static let headsetStatus = SkinnyMessageID(0x002B)
    public static let mediaResourceNotification = SkinnyMessageID(0x002C)
    public static let registerAvailableLines = SkinnyMessageID(0x002D)
    public static let deviceToUserData = SkinnyMessageID(0x002E)
    public static let deviceToUserDataResponse = SkinnyMessageID(0x002F)
    public static let updateCapabilities = SkinnyMessageID(0x0030)
    public static let openMultiMediaReceiveChannelAck = SkinnyMessageID(0x0031)
    public static let clearConference = SkinnyMessageID(0x0032)
    public static let serviceURLStatReq = SkinnyMessageID(0x0033)
    public static let featureStatReq = SkinnyMessageID(0x0034)
    public static let createConferenceRes = SkinnyMessageID(0x0035)
    public static let deleteConferenceRes = SkinnyMessageID(0x0036)
    public static let modifyConferenceRes = SkinnyMessageID(0x0037)
    public static let addParticipantRes = SkinnyMessageID(0x0038)
    public static let auditConferenceRes = SkinnyMessageID(0x0039)
    public static let auditParticipantRes = SkinnyMessageID(0x0040)
    public static let deviceToUserDataV1 = SkinnyMessageID(0x0041)
    public static let deviceToUserDataResponseV1 = SkinnyMessageID(0x0042)
    public static let capabilitiesV2Res = SkinnyMessageID(0x0043)
    public static let capabilitiesV3Res = SkinnyMessageID(0x0044)
    public static let portRes = SkinnyMessageID(0x0045)
    public static let qosResvNotify = SkinnyMessageID(0x0046)
    public static let qosErrorNotify = SkinnyMessageID(0x0047)
    public static let subscriptionStatReq = SkinnyMessageID(0x0048)
    public static let mediaPathEvent = SkinnyMessageID(0x0049)
    public static let mediaPathCapability = SkinnyMessageID(0x004A)
    public static let mwiNotification = SkinnyMessageID(0x004C)
    public static let registerAck = SkinnyMessageID(0x0081)
    public static let startTone = SkinnyMessageID(0x0082)
    public static let stopTone = SkinnyMessageID(0x0083)
    public static let setRinger = SkinnyMessageID(0x0085)
    public static let setLamp = SkinnyMessageID(0x0086)
    public static let setHookFlashDetect = SkinnyMessageID(0x0087)
    public static let setSpeakerMode = SkinnyMessageID(0x0088)
    public static let setMicroMode = SkinnyMessageID(0x0089)
    public static let startMediaTransmission = SkinnyMessageID(0x008A)
    public static let stopMediaTransmission = SkinnyMessageID(0x008B)
    public static let startMediaReception = SkinnyMessageID(0x008C)
    public static let stopMediaReception = SkinnyMessageID(0x008D)
    public static let callInfo = SkinnyMessageID(0x008F)
    public static let forwardStatRes = SkinnyMessageID(0x0090)
    public static let speedDialStatRes = SkinnyMessageID(0x0091)
    public static let lineStatRes = SkinnyMessageID(0x0092)
    public static let configStatRes = SkinnyMessageID(0x0093)
    public static let timeDateRes = SkinnyMessageID(0x0094)
    public static let startSessionTransmission = SkinnyMessageID(0x0095)
    public static let stopSessionTransmission = SkinnyMessageID(0x0096)
    public static let buttonTemplateRes = SkinnyMessageID(0x0097)
    public static let versionRes = SkinnyMessageID(0x0098)
    public static let displayText = SkinnyMessageID(0x0099)
    public static let clearDisplay = SkinnyMessageID(0x009A)
    public static let capabilitiesReq = SkinnyMessageID(0x009B)
    public static let enunciatorCommand = SkinnyMessageID(0x009C)
    public static let registerReject = SkinnyMessageID(0x009D)
    public static let serverRes = SkinnyMessageID(0x009E)
    public static let reset = SkinnyMessageID(0x009F)
    public static let keepAliveAck = SkinnyMessageID(0x0100)
    public static let startMulticastMediaReception = SkinnyMessageID(0x0101)
    public static let startMulticastMediaTransmission = SkinnyMessageID(0x0102)
    public static let stopMulticastMediaReception = SkinnyMessageID(0x0103)
    public static let stopMulticastMediaTransmission = SkinnyMessageID(0x0104)
    public static let openReceiveChannel = SkinnyMessageID(0x0105)
    public static let closeReceiveChannel = SkinnyMessageID(0x0106)
    public static let connectionStatisticsReq = SkinnyMessageID(0x0107)
    public static let softKeyTemplateRes = SkinnyMessageID(0x0108)
    public static let softKeySetRes = SkinnyMessageID(0x0109)
    public static let selectSoftKeys = SkinnyMessageID(0x0110)
    public static let callState = SkinnyMessageID(0x0111)
    public static let displayPromptStatus = SkinnyMessageID(0x0112)
    public static let clearPromptStatus = SkinnyMessageID(0x0113)
    public static let displayNotify = SkinnyMessageID(0x0114)
    public static let clearNotify = SkinnyMessageID(0x0115)
    public static let activateCallPlane = SkinnyMessageID(0x0116)
    public static let deactivateCallPlane = SkinnyMessageID(0x0117)
    public static let unregisterAck = SkinnyMessageID(0x0118)
    public static let backSpaceRes = SkinnyMessageID(0x0119)
    public static let registerTokenAck = SkinnyMessageID(0x011A)
    public static let registerTokenReject = SkinnyMessageID(0x011B)
    public static let startMediaFailureDetection = SkinnyMessageID(0x011C)
    public static let dialedNumber = SkinnyMessageID(0x011D)
    public static let userToDeviceData = SkinnyMessageID(0x011E)
    public static let featureStatRes = SkinnyMessageID(0x011F)
    public static let displayPriNotify = SkinnyMessageID(0x0120)
    public static let clearPriNotify = SkinnyMessageID(0x0121)
    public static let startAnnouncement = SkinnyMessageID(0x0122)
    public static let stopAnnouncement = SkinnyMessageID(0x0123)
    public static let announcementFinish = SkinnyMessageID(0x0124)
    public static let notifyDtmfTone = SkinnyMessageID(0x0127)
    public static let sendDtmfTone = SkinnyMessageID(0x0128)
    public static let subscribeDtmfPayloadReq = SkinnyMessageID(0x0129)
    public static let subscribeDtmfPayloadRes = SkinnyMessageID(0x012A)
    public static let subscribeDtmfPayloadErr = SkinnyMessageID(0x012B)
    public static let unSubscribeDtmfPayloadReq = SkinnyMessageID(0x012C)
    public static let unSubscribeDtmfPayloadRes = SkinnyMessageID(0x012D)
    public static let unSubscribeDtmfPayloadErr = SkinnyMessageID(0x012E)
    public static let serviceURLStatRes = SkinnyMessageID(0x012F)
    public static let callSelectStatRes = SkinnyMessageID(0x0130)
    public static let openMultiMediaReceiveChannel = SkinnyMessageID(0x0131)
    public static let startMultiMediaTransmission = SkinnyMessageID(0x0132)
    public static let stopMultiMediaTransmission = SkinnyMessageID(0x0133)
    public static let miscellaneousCommand = SkinnyMessageID(0x0134)
    public static let flowControlCommand = SkinnyMessageID(0x0135)
    public static let closeMultiMediaReceiveChannel = SkinnyMessageID(0x0136)
    public static let createConferenceReq = SkinnyMessageID(0x0137)
    public static let deleteConferenceReq = SkinnyMessageID(0x0138)
    public static let modifyConferenceReq = SkinnyMessageID(0x0139)
    public static let addParticipantReq = SkinnyMessageID(0x013A)
    public static let dropParticipantReq = SkinnyMessageID(0x013B)
    public static let auditConferenceReq = SkinnyMessageID(0x013C)
    public static let auditParticipantReq = SkinnyMessageID(0x013D)
    public static let changeParticipantReq = SkinnyMessageID(0x013E)
    public static let userToDeviceDataV1 = SkinnyMessageID(0x013F)
    public static let videoDisplayCommand = SkinnyMessageID(0x0140)
    public static let flowControlNotify = SkinnyMessageID(0x0141)
    public static let configStatV2Res = SkinnyMessageID(0x0142)
    public static let displayNotifyV2 = SkinnyMessageID(0x0143)
    public static let displayPriNotifyV2 = SkinnyMessageID(0x0144)
    public static let displayPromptStatusV2 = SkinnyMessageID(0x0145)
    public static let featureStatV2Res = SkinnyMessageID(0x0146)
    public static let lineStatV2Res = SkinnyMessageID(0x0147)
    public static let serviceURLStatV2Res = SkinnyMessageID(0x0148)
    public static let speedDialStatV2Res = SkinnyMessageID(0x0149)
    public static let callInfoV2 = SkinnyMessageID(0x014A)
    public static let portReq = SkinnyMessageID(0x014B)
    public static let portClose = SkinnyMessageID(0x014C)
    public static let qosListen = SkinnyMessageID(0x014D)
    public static let qosPath = SkinnyMessageID(0x014E)
    public static let qosTeardown = SkinnyMessageID(0x014F)
    public static let updateDscp = SkinnyMessageID(0x0150)
    public static let qosModify = SkinnyMessageID(0x0151)
    public static let subscriptionStatRes = SkinnyMessageID(0x0152)
    public static let notification = SkinnyMessageID(0x0153)
    public static let startMediaTransmissionAck = SkinnyMessageID(0x0154)
    public static let startMultiMediaTransmissionAck = SkinnyMessageID(0x0155)
    public static let callHistoryInfo = SkinnyMessageID(0x0156)
    public static let locationInfo = SkinnyMessageID(0x0157)
    public static let mwiRes = SkinnyMessageID(0x0158)
    public static let addOnDeviceCapabilities = SkinnyMessageID(0x0159)
    public static let enhancedAlarm = SkinnyMessageID(0x015A)
    public static let callCountReq = SkinnyMessageID(0x015E)
    public static let callCountResp = SkinnyMessageID(0x015F)
    public static let recordingStatus = SkinnyMessageID(0x0160)
    public static let spcpRegisterTokenReq = SkinnyMessageID(0x8000)
    public static let spcpRegisterTokenAck = SkinnyMessageID(0x8100)
    public static let spcpRegisterTokenReject = SkinnyMessageID(0x8101)

    /// The message's name as the SCCP reference gives it, or its id in hex.
    public var name: String {
        switch self.rawValue {
        case 0x0000: "KeepAliveReq"
        case 0x0001: "RegisterReq"
        case 0x0002: "IpPort"
        case 0x0003: "KeypadButton"
        case 0x0004: "EnblocCall"
        case 0x0005: "Stimulus"
        case 0x0006: "OffHook"
        case 0x0007: "OnHook"
        case 0x0008: "HookFlash"
        case 0x0009: "ForwardStatReq"
        case 0x000A: "SpeedDialStatReq"
        case 0x000B: "LineStatReq"
        case 0x000C: "ConfigStatReq"
        case 0x000D: "TimeDateReq"
        case 0x000E: "ButtonTemplateReq"
        case 0x000F: "VersionReq"
        case 0x0010: "CapabilitiesRes"
        case 0x0011: "MediaPortList"
        case 0x0012: "ServerReq"
        case 0x0020: "Alarm"
        case 0x0021: "MulticastMediaReceptionAck"
        case 0x0022: "OpenReceiveChannelAck"
        case 0x0023: "ConnectionStatisticsRes"
        case 0x0024: "OffHookWithCallingPartyNumber"
        case 0x0025: "SoftKeySetReq"
        case 0x0026: "SoftKeyEvent"
        case 0x0027: "UnregisterReq"
        case 0x0028: "SoftKeyTemplateReq"
        case 0x0029: "RegisterTokenReq"
        case 0x002A: "MediaTransmissionFailure"
        case 0x002B: "HeadsetStatus"
        case 0x002C: "MediaResourceNotification"
        case 0x002D: "RegisterAvailableLines"
        case 0x002E: "DeviceToUserData"
        case 0x002F: "DeviceToUserDataResponse"
        case 0x0030: "UpdateCapabilities"
        case 0x0031: "OpenMultiMediaReceiveChannelAck"
        case 0x0032: "ClearConference"
        case 0x0033: "ServiceURLStatReq"
        case 0x0034: "FeatureStatReq"
        case 0x0035: "CreateConferenceRes"
        case 0x0036: "DeleteConferenceRes"
        case 0x0037: "ModifyConferenceRes"
        case 0x0038: "AddParticipantRes"
        case 0x0039: "AuditConferenceRes"
        case 0x0040: "AuditParticipantRes"
        case 0x0041: "DeviceToUserDataMessageVersion1"
        case 0x0042: "DeviceToUserDataResponseMessageVersion1"
        case 0x0043: "CapabilitiesV2Res"
        case 0x0044: "CapabilitiesV3Res"
        case 0x0045: "PortRes"
        case 0x0046: "QoSResvNotify"
        case 0x0047: "QoSErrorNotify"
        case 0x0048: "SubscriptionStatReq"
        case 0x0049: "MediaPathEvent"
        case 0x004A: "MediaPathCapability"
        case 0x004C: "MwiNotification"
        case 0x0081: "RegisterAck"
        case 0x0082: "StartTone"
        case 0x0083: "StopTone"
        case 0x0085: "SetRinger"
        case 0x0086: "SetLamp"
        case 0x0087: "SetHookFlashDetect"
        case 0x0088: "SetSpeakerMode"
        case 0x0089: "SetMicroMode"
        case 0x008A: "StartMediaTransmission"
        case 0x008B: "StopMediaTransmission"
        case 0x008C: "StartMediaReception"
        case 0x008D: "StopMediaReception"
        case 0x008F: "CallInfo"
        case 0x0090: "ForwardStatRes"
        case 0x0091: "SpeedDialStatRes"
        case 0x0092: "LineStatRes"
        case 0x0093: "ConfigStatRes"
        case 0x0094: "TimeDateRes"
        case 0x0095: "StartSessionTransmission"
        case 0x0096: "StopSessionTransmission"
        case 0x0097: "ButtonTemplateRes"
        case 0x0098: "VersionRes"
        case 0x0099: "DisplayText"
        case 0x009A: "ClearDisplay"
        case 0x009B: "CapabilitiesReq"
        case 0x009C: "EnunciatorCommand"
        case 0x009D: "RegisterReject"
        case 0x009E: "ServerRes"
        case 0x009F: "Reset"
        case 0x0100: "KeepAliveAck"
        case 0x0101: "StartMulticastMediaReception"
        case 0x0102: "StartMulticastMediaTransmission"
        case 0x0103: "StopMulticastMediaReception"
        case 0x0104: "StopMulticastMediaTransmission"
        case 0x0105: "OpenReceiveChannel"
        case 0x0106: "CloseReceiveChannel"
        case 0x0107: "ConnectionStatisticsReq"
        case 0x0108: "SoftKeyTemplateRes"
        case 0x0109: "SoftKeySetRes"
        case 0x0110: "SelectSoftKeys"
        case 0x0111: "CallState"
        case 0x0112: "DisplayPromptStatus"
        case 0x0113: "ClearPromptStatus"
        case 0x0114: "DisplayNotify"
        case 0x0115: "ClearNotify"
        case 0x0116: "ActivateCallPlane"
        case 0x0117: "DeactivateCallPlane"
        case 0x0118: "UnregisterAck"
        case 0x0119: "BackSpaceRes"
        case 0x011A: "RegisterTokenAck"
        case 0x011B: "RegisterTokenReject"
        case 0x011C: "StartMediaFailureDetection"
        case 0x011D: "DialedNumber"
        case 0x011E: "UserToDeviceData"
        case 0x011F: "FeatureStatRes"
        case 0x0120: "DisplayPriNotify"
        case 0x0121: "ClearPriNotify"
        case 0x0122: "StartAnnouncement"
        case 0x0123: "StopAnnouncement"
        case 0x0124: "AnnouncementFinish"
        case 0x0127: "NotifyDtmfTone"
        case 0x0128: "SendDtmfTone"
        case 0x0129: "SubscribeDtmfPayloadReq"
        case 0x012A: "SubscribeDtmfPayloadRes"
        case 0x012B: "SubscribeDtmfPayloadErr"
        case 0x012C: "UnSubscribeDtmfPayloadReq"
        case 0x012D: "UnSubscribeDtmfPayloadRes"
        case 0x012E: "UnSubscribeDtmfPayloadErr"
        case 0x012F: "ServiceURLStatRes"
        case 0x0130: "CallSelectStatRes"
        case 0x0131: "OpenMultiMediaReceiveChannel"
        case 0x0132: "StartMultiMediaTransmission"
        case 0x0133: "StopMultiMediaTransmission"
        case 0x0134: "MiscellaneousCommand"
        case 0x0135: "FlowControlCommand"
        case 0x0136: "CloseMultiMediaReceiveChannel"
        case 0x0137: "CreateConferenceReq"
        case 0x0138: "DeleteConferenceReq"
        case 0x0139: "ModifyConferenceReq"
        case 0x013A: "AddParticipantReq"
        case 0x013B: "DropParticipantReq"
        case 0x013C: "AuditConferenceReq"
        case 0x013D: "AuditParticipantReq"
        case 0x013E: "ChangeParticipantReq"
        case 0x013F: "UserToDeviceDataMessageVersion1"
        case 0x0140: "VideoDisplayCommand"
        case 0x0141: "FlowControlNotify"
        case 0x0142: "ConfigStatV2Res"
        case 0x0143: "DisplayNotifyV2"
        case 0x0144: "DisplayPriNotifyV2"
        case 0x0145: "DisplayPromptStatusV2"
        case 0x0146: "FeatureStatV2Res"
        case 0x0147: "LineStatV2Res"
        case 0x0148: "ServiceURLStatV2Res"
        case 0x0149: "SpeedDialStatV2Res"
        case 0x014A: "CallInfoV2"
        case 0x014B: "PortReq"
        case 0x014C: "PortClose"
        case 0x014D: "QoSListen"
        case 0x014E: "QoSPath"
        case 0x014F: "QoSTeardown"
        case 0x0150: "UpdateDSCP"
        case 0x0151: "QoSModify"
        case 0x0152: "SubscriptionStatRes"
        case 0x0153: "Notification"
        case 0x0154: "StartMediaTransmissionAck"
        case 0x0155: "StartMultiMediaTransmissionAck"
        case 0x0156: "CallHistoryInfo"
        case 0x0157: "LocationInfo"
        case 0x0158: "MwiRes"
        case 0x0159: "AddOnDeviceCapabilities"
        case 0x015A: "EnhancedAlarm"
        case 0x015E: "CallCountReq"
        case 0x015F: "CallCountResp"
        case 0x0160: "RecordingStatus"
        case 0x8000: "SPCPRegisterTokenReq"
        case 0x8100: "SPCPRegisterTokenAck"
        case 0x8101: "SPCPRegisterTokenReject"
        default: "Unknown"
        }
    }

    public var description: String {
        let hex = String(self.rawValue, radix: 16, uppercase: true)
        return "\(self.name)(0x\(String(repeating: "0", count: max(0, 4 - hex.count)))\(hex))"
    }
}
