import NIOCore
import SkinnyWire
import Testing

/// One message, the version it is laid out for, and its body written by hand from the layout tables
/// (docs/sccp/reference.md §5.1 and message-layouts.md).
struct StationGolden: Sendable, CustomTestStringConvertible {
    var name: String
    var version: SkinnyProtocolVersion
    var message: StationMessage
    var body: String
    /// False for the short forms whose optional fields exist only because the body ends where it does; extra bytes
    /// would add those fields.
    var lengthSensitive: Bool

    init(
        _ name: String,
        _ version: SkinnyProtocolVersion,
        _ message: StationMessage,
        _ body: String,
        lengthSensitive: Bool = false
    ) {
        self.name = name
        self.version = version
        self.message = message
        self.body = body
        self.lengthSensitive = lengthSensitive
    }

    var testDescription: String { "\(self.name) \(self.version)" }
}

private let callReference: UInt32 = 0x0100_001F
private let partyID: UInt32 = 0x0100_0101
private let phoneAddress = SkinnyIPAddress.ipv4(10, 102, 172, 11)
private let otherAddress = SkinnyIPAddress.ipv4(10, 1, 2, 3)
private let documentationIPv6 = SkinnyIPAddress.ipv6([0x20, 0x01, 0x0D, 0xB8] + Array(repeating: 0, count: 11) + [1])
private let levelPreference = SkinnyVideoCapability.LevelPreference(
    transmitPreference: 1,
    format: 2,
    maxBitRate: 3,
    minBitRate: 4,
    mpi: 5,
    serviceNumber: 6
)
/// The level preference above as bytes.
private let levelPreferenceHex = "01000000 02000000 03000000 04000000 05000000 06000000"
private let h264Parameters: [UInt8] = [0x40, 0, 0, 0, 0x1E, 0, 0, 0]
private let statistics = SkinnyMessage.ConnectionStatisticsRes(
    directoryNumber: "137",
    callReference: 3,
    statsProcessingMode: 1,
    packetsSent: 153,
    octetsSent: 41055,
    packetsReceived: 145,
    octetsReceived: 41050,
    qualityStatistics: "MOS 4.5"
)
/// The seven counters of `statistics`: 153, 41055 (0xA05F), 145, 41050 (0xA05A), then zero loss, jitter, latency.
private let statisticsCounters = "99000000 5fa00000 91000000 5aa00000 00000000 00000000 00000000"
private let pictureAndServiceCapabilities = SkinnyMediaCapabilities(
    customPictureFormats: [SkinnyCustomPictureFormat(pictureWidth: 352, pictureHeight: 288, pixelAspectRatio: 1)],
    conferenceResources: SkinnyConferenceResources(
        maxBandwidth: 384,
        serviceResources: [.init(layouts: [1, 3], serviceNumber: 5, maxStreams: 4, maxConferences: 1)]
    )
)

let stationGoldens: [StationGolden] = [
    StationGolden("KeepAlive", 5, .keepAlive, ""),
    StationGolden(
        "Register",
        17,
        .register(
            .init(
                deviceName: "SEP00AABBCCDDEE",
                stationIPAddress: .ipv4(192, 168, 1, 20),
                deviceType: .station7941,
                maxStreams: 5,
                protocolVersion: 17,
                features: SkinnyPhoneFeatures(rawValue: 0x8572),
                macAddress: [0x00, 0xAA, 0xBB, 0xCC, 0xDD, 0xEE],
                firmwareLoadName: "SCCP41.8-5-3S"
            )
        ),
        ascii("SEP00AABBCCDDEE", 16) + "00000000 01000000 c0a80114 73000000 05000000 00000000" + "11 00 7285"
            + "00000000 00000000" + "00aabbccddee" + zeros(6) + "00000000 00000000" + zeros(16) + "00000000"
            + ascii("SCCP41.8-5-3S", 32) + zeros(48)
    ),
    StationGolden("IpPort", 5, .ipPort(.init(rtpMediaPort: 5001)), "89130000"),
    StationGolden("KeypadButton short", 5, .keypadButton(.init(.five)), "05000000", lengthSensitive: true),
    StationGolden(
        "KeypadButton with line and call",
        17,
        .keypadButton(.init(.pound, lineInstance: 1, callReference: 0x0100_0020)),
        "0f000000 01000000 20000001"
    ),
    StationGolden(
        "EnblocCall without line",
        5,
        .enblocCall(.init(calledParty: "1003")),
        ascii("1003", 24),
        lengthSensitive: true
    ),
    StationGolden(
        "EnblocCall with line",
        17,
        .enblocCall(.init(calledParty: "1003", lineInstance: 2)),
        ascii("1003", 24) + "02000000"
    ),
    StationGolden(
        "EnblocCall packed",
        18,
        .enblocCall(.init(calledParty: "1003", lineInstance: 2)),
        ascii("1003", 25) + "02000000" + "000000"
    ),
    StationGolden(
        "EnblocCall packed without line",
        22,
        .enblocCall(.init(calledParty: "5551234")),
        ascii("5551234", 25) + "000000",
        lengthSensitive: true
    ),
    StationGolden(
        "Stimulus",
        11,
        .stimulus(.init(.line, stimulusInstance: 1, callReference: 0x0100_0021)),
        "09000000 01000000 21000001 00000000"
    ),
    StationGolden("OffHook empty", 5, .offHook(.init()), "", lengthSensitive: true),
    StationGolden("OffHook", 17, .offHook(.init(lineInstance: 1, callReference: 0)), "01000000 00000000"),
    StationGolden("OnHook", 22, .onHook(.init(lineInstance: 1, callReference: 0x1234)), "01000000 34120000"),
    StationGolden("OnHook empty", 15, .onHook(.init()), "", lengthSensitive: true),
    StationGolden(
        "HookFlash",
        11,
        .hookFlash(.init(lineInstance: 1, callReference: callReference)),
        "01000000 1f000001"
    ),
    StationGolden("ForwardStatReq", 5, .forwardStatReq(.init(lineNumber: 1)), "01000000"),
    StationGolden("SpeedDialStatReq", 5, .speedDialStatReq(.init(speedDialNumber: 3)), "03000000"),
    StationGolden("LineStatReq", 5, .lineStatReq(.init(lineNumber: 2)), "02000000"),
    StationGolden("ConfigStatReq", 11, .configStatReq, ""),
    StationGolden("TimeDateReq", 11, .timeDateReq, ""),
    StationGolden("ButtonTemplateReq", 11, .buttonTemplateReq, ""),
    StationGolden("VersionReq", 11, .versionReq, ""),
    StationGolden("ServerReq", 11, .serverReq, ""),
    StationGolden("SoftKeySetReq", 11, .softKeySetReq, ""),
    StationGolden("SoftKeyTemplateReq", 11, .softKeyTemplateReq, ""),
    StationGolden(
        "CapabilitiesRes",
        11,
        .capabilitiesRes(
            .init(capabilities: [
                SkinnyAudioCapability(codec: .g711ULaw64k, maxFramesPerPacket: 40),
                SkinnyAudioCapability(codec: .g729, maxFramesPerPacket: 60),
            ])
        ),
        "02000000" + "04000000 28000000 0000000000000000" + "0b000000 3c000000 0000000000000000" + zeros(16 * 16)
    ),
    StationGolden(
        "MediaPortList",
        11,
        .mediaPortList(.init(ports: [16384, 16386])),
        "02000000 00400000 02400000" + zeros(14 * 4)
    ),
    StationGolden(
        "Alarm",
        11,
        .alarm(.init(severity: .informational, text: "Name=SEP001122334455", parameter2: 10)),
        "02000000" + ascii("Name=SEP001122334455", 80) + "00000000 0a000000"
    ),
    StationGolden(
        "MulticastMediaReceptionAck",
        11,
        .multicastMediaReceptionAck(.init(status: .ok, passThroughPartyID: partyID, callReference: callReference)),
        "00000000 01010001 1f000001"
    ),
    StationGolden(
        "OpenReceiveChannelAck",
        11,
        .openReceiveChannelAck(
            .init(ipAddress: phoneAddress, port: 16384, passThroughPartyID: partyID, callReference: callReference)
        ),
        "00000000 0a66ac0b 00400000 01010001 1f000001"
    ),
    StationGolden(
        "OpenReceiveChannelAck address block",
        17,
        .openReceiveChannelAck(
            .init(ipAddress: phoneAddress, port: 16384, passThroughPartyID: partyID, callReference: callReference)
        ),
        "00000000 00000000 0a66ac0b" + zeros(12) + "00400000 01010001 1f000001"
    ),
    StationGolden(
        "OpenReceiveChannelAck IPv6",
        22,
        .openReceiveChannelAck(
            .init(
                status: .outOfChannels,
                ipAddress: documentationIPv6,
                port: 16384,
                passThroughPartyID: partyID,
                callReference: callReference
            )
        ),
        "02000000 01000000 20010db8000000000000000000000001 00400000 01010001 1f000001"
    ),
    StationGolden(
        "ConnectionStatisticsRes",
        15,
        .connectionStatisticsRes(statistics),
        ascii("137", 24) + "03000000 01000000" + statisticsCounters + "07000000" + ascii("MOS 4.5", 600)
    ),
    StationGolden(
        "ConnectionStatisticsRes packed",
        18,
        .connectionStatisticsRes(statistics),
        ascii("137", 28) + "03000000 01" + statisticsCounters + "07000000" + ascii("MOS 4.5", 600)
    ),
    StationGolden(
        "ConnectionStatisticsRes aligned",
        20,
        .connectionStatisticsRes(statistics),
        ascii("137", 28) + "03000000 01000000" + statisticsCounters + "07000000" + ascii("MOS 4.5", 600)
    ),
    StationGolden(
        "ConnectionStatisticsRes packed",
        22,
        .connectionStatisticsRes(statistics),
        ascii("137", 28) + "03000000 01" + statisticsCounters + "07000000" + ascii("MOS 4.5", 600)
    ),
    StationGolden(
        "OffHookWithCallingPartyNumber",
        17,
        .offHookWithCallingPartyNumber(.init(callingPartyNumber: "1001", lineInstance: 1)),
        ascii("1001", 24) + zeros(24) + "01000000"
    ),
    StationGolden(
        "OffHookWithCallingPartyNumber packed",
        18,
        .offHookWithCallingPartyNumber(
            .init(callingPartyNumber: "1001", callingPartyVoiceMailbox: "8000", lineInstance: 1)
        ),
        ascii("1001", 25) + ascii("8000", 25) + "01000000" + "0000"
    ),
    StationGolden(
        "SoftKeyEvent",
        11,
        .softKeyEvent(.init(.endCall, lineInstance: 1, callReference: callReference)),
        "09000000 01000000 1f000001"
    ),
    StationGolden("Unregister empty", 11, .unregister(.init()), "", lengthSensitive: true),
    StationGolden("Unregister with reason", 22, .unregister(.init(reason: 1)), "01000000"),
    StationGolden(
        "RegisterTokenReq",
        15,
        .registerTokenReq(
            .init(deviceName: "SEP001122334455", stationIPAddress: otherAddress, deviceType: .station7960)
        ),
        ascii("SEP001122334455", 16) + "00000000 01000000 0a010203 07000000 00000000"
    ),
    StationGolden(
        "RegisterTokenReq address block",
        17,
        .registerTokenReq(
            .init(
                deviceName: "SEP001122334455",
                stationIPAddress: otherAddress,
                deviceType: .station7960,
                stationIPv6Address: documentationIPv6
            )
        ),
        ascii("SEP001122334455", 16) + "00000000 01000000 0a010203 07000000"
            + "01000000 20010db8000000000000000000000001"
    ),
    StationGolden(
        "MediaTransmissionFailure",
        11,
        .mediaTransmissionFailure(
            .init(
                conferenceID: callReference,
                passThroughPartyID: partyID,
                remoteIPAddress: otherAddress,
                remotePort: 20000,
                callReference: callReference
            )
        ),
        "1f000001 01010001 0a010203 204e0000 1f000001"
    ),
    StationGolden(
        "MediaTransmissionFailure address block",
        17,
        .mediaTransmissionFailure(
            .init(
                conferenceID: callReference,
                passThroughPartyID: partyID,
                remoteIPAddress: otherAddress,
                remotePort: 20000,
                callReference: callReference
            )
        ),
        "1f000001 01010001 00000000 0a010203" + zeros(12) + "204e0000 1f000001"
    ),
    StationGolden("HeadsetStatus", 11, .headsetStatus(.init(mode: 1)), "01000000"),
    StationGolden(
        "MediaResourceNotification",
        11,
        .mediaResourceNotification(
            .init(
                deviceType: 50,
                numberOfInServiceStreams: 32,
                maxStreamsPerConference: 3,
                numberOfOutOfServiceStreams: 0
            )
        ),
        "32000000 20000000 03000000 00000000"
    ),
    StationGolden(
        "RegisterAvailableLines",
        11,
        .registerAvailableLines(.init(maxNumberOfAvailableLines: 2)),
        "02000000"
    ),
    StationGolden(
        "DeviceToUserData",
        11,
        .deviceToUserData(
            .init(
                applicationID: 9081,
                lineInstance: 1,
                callReference: 0x0100_0020,
                transactionID: 5,
                data: Array("<x/>".utf8)
            )
        ),
        "79230000 01000000 20000001 05000000 04000000 3c782f3e" + zeros(1996)
    ),
    StationGolden(
        "DeviceToUserDataResponse",
        17,
        .deviceToUserDataResponse(.init(applicationID: 9082, transactionID: 6, data: Array("ok".utf8))),
        "7a230000 00000000 00000000 06000000 02000000 6f6b" + zeros(1998)
    ),
    StationGolden(
        "UpdateCapabilities",
        11,
        .updateCapabilities(
            .init(
                capabilities: SkinnyMediaCapabilities(
                    audio: [SkinnyAudioCapability(codec: .g711ULaw64k, maxFramesPerPacket: 40)],
                    video: [
                        SkinnyVideoCapability(
                            codec: 101,
                            direction: 3,
                            levelPreferences: [levelPreference],
                            parameters: [1, 0, 0, 0, 2, 0, 0, 0]
                        )
                    ]
                )
            )
        ),
        "01000000 01000000 00000000 00000000 00000000" + zeros(120) + zeros(172)
            + "04000000 28000000 0000000000000000" + zeros(17 * 16)
            + "65000000 03000000 01000000" + levelPreferenceHex + zeros(72) + "01000000 02000000" + zeros(9 * 116)
            + zeros(80)
    ),
    StationGolden(
        "UpdateCapabilities picture formats and services",
        17,
        .updateCapabilities(.init(capabilities: pictureAndServiceCapabilities)),
        "00000000 00000000 00000000 00000000 01000000" + "60010000 20010000 01000000 00000000 00000000" + zeros(100)
            + "00000000 80010000 01000000"
            + "02000000 01000000 03000000" + zeros(12) + "05000000 04000000 01000000 00000000" + zeros(120)
            + zeros(288) + zeros(1160) + zeros(80)
    ),
    StationGolden(
        "OpenMultiMediaReceiveChannelAck",
        15,
        .openMultiMediaReceiveChannelAck(
            .init(ipAddress: phoneAddress, port: 16386, passThroughPartyID: partyID, callReference: callReference)
        ),
        "00000000 0a66ac0b 02400000 01010001 1f000001"
    ),
    StationGolden(
        "OpenMultiMediaReceiveChannelAck address block",
        17,
        .openMultiMediaReceiveChannelAck(
            .init(
                status: 1,
                ipAddress: phoneAddress,
                port: 16386,
                passThroughPartyID: partyID,
                callReference: callReference
            )
        ),
        "01000000 00000000 0a66ac0b" + zeros(12) + "02400000 01010001 1f000001"
    ),
    StationGolden("ClearConference", 11, .clearConference(.init(conferenceID: partyID)), "01010001 00000000"),
    StationGolden("ServiceURLStatReq", 11, .serviceURLStatReq(.init(serviceURLIndex: 1)), "01000000"),
    StationGolden(
        "FeatureStatReq",
        11,
        .featureStatReq(.init(featureIndex: 2)),
        "02000000",
        lengthSensitive: true
    ),
    StationGolden(
        "FeatureStatReq with capabilities",
        15,
        .featureStatReq(.init(featureIndex: 2, featureCapabilities: 1)),
        "02000000 01000000"
    ),
    StationGolden(
        "DeviceToUserDataV1",
        17,
        .deviceToUserDataV1(
            .init(
                applicationID: 9081,
                lineInstance: 1,
                callReference: 0x0100_0020,
                transactionID: 5,
                sequenceFlag: 2,
                displayPriority: 1,
                applicationInstanceID: 7,
                data: Array("<x/>".utf8)
            )
        ),
        "79230000 01000000 20000001 05000000 04000000 02000000 01000000 00000000 07000000 00000000 3c782f3e"
            + zeros(1996)
    ),
    StationGolden(
        "DeviceToUserDataResponseV1",
        20,
        .deviceToUserDataResponseV1(
            .init(applicationID: 9082, transactionID: 6, conferenceID: 0x0100_0020, routingID: 3, data: [])
        ),
        "7a230000 00000000 00000000 06000000 00000000 00000000 00000000 20000001 00000000 03000000" + zeros(2000)
    ),
    StationGolden(
        "CapabilitiesV2Res",
        17,
        .capabilitiesV2Res(
            .init(
                capabilities: SkinnyMediaCapabilities(
                    audio: [SkinnyAudioCapability(codec: .g722At64k, maxFramesPerPacket: 40)],
                    video: [
                        SkinnyVideoCapability(
                            codec: 103,
                            direction: 3,
                            levelPreferences: [levelPreference],
                            parameters: h264Parameters
                        )
                    ],
                    data: [SkinnyDataCapability(payloadCapability: 105, direction: 3, maxBitRate: 64000)]
                )
            )
        ),
        "01000000 01000000 01000000 00000000 00000000" + zeros(120) + zeros(172)
            + "06000000 28000000 0000000000000000" + zeros(17 * 16)
            + "67000000 03000000 01000000" + levelPreferenceHex + zeros(72) + "40000000 1e000000" + zeros(16)
            + zeros(9 * 132)
            + "69000000 03000000 00000000 00fa0000" + zeros(4 * 16)
    ),
    StationGolden(
        "CapabilitiesV3Res",
        20,
        .capabilitiesV3Res(
            .init(
                capabilities: SkinnyMediaCapabilities(
                    audio: [SkinnyAudioCapability(codec: .g711ALaw64k, maxFramesPerPacket: 40)],
                    video: [
                        SkinnyVideoCapability(
                            codec: 103,
                            direction: 3,
                            levelPreferences: [levelPreference],
                            parameters: h264Parameters,
                            encryptionCapability: 1,
                            ipAddressingMode: 2
                        )
                    ],
                    data: [
                        SkinnyDataCapability(
                            payloadCapability: 105,
                            direction: 3,
                            maxBitRate: 64000,
                            encryptionCapability: 1
                        )
                    ]
                )
            )
        ),
        "01000000 01000000 01000000 00000000 00000000" + "00000000 00000000 00000000"
            + "02000000 28000000 0000000000000000"
            + "67000000 03000000 01000000" + levelPreferenceHex + "01000000" + "40000000 1e000000" + zeros(16)
            + "02000000"
            + "69000000 03000000 00000000 00fa0000 01000000"
    ),
    StationGolden(
        "CapabilitiesV3Res picture formats and services",
        11,
        .capabilitiesV3Res(.init(capabilities: pictureAndServiceCapabilities)),
        "00000000 00000000 00000000 00000000 01000000" + "60010000 20010000 01000000 00000000 00000000"
            + "00000000 80010000 01000000"
            + "02000000 01000000 03000000 05000000 04000000 01000000 00000000"
    ),
    StationGolden(
        "PortRes",
        15,
        .portRes(
            .init(
                conferenceID: callReference,
                callReference: callReference,
                passThroughPartyID: partyID,
                ipAddress: otherAddress,
                port: 16384,
                rtcpPort: 16385
            )
        ),
        "1f000001 1f000001 01010001 0a010203 00400000 01400000"
    ),
    StationGolden(
        "PortRes address block",
        17,
        .portRes(
            .init(
                conferenceID: callReference,
                callReference: callReference,
                passThroughPartyID: partyID,
                ipAddress: otherAddress,
                port: 16384,
                rtcpPort: 16385
            )
        ),
        "1f000001 1f000001 01010001 00000000 0a010203" + zeros(12) + "00400000 01400000"
    ),
    StationGolden(
        "PortRes media type",
        20,
        .portRes(
            .init(
                conferenceID: callReference,
                callReference: callReference,
                passThroughPartyID: partyID,
                ipAddress: otherAddress,
                port: 16384,
                rtcpPort: 16385,
                mediaType: 1
            )
        ),
        "1f000001 1f000001 01010001 00000000 0a010203" + zeros(12) + "00400000 01400000 01000000"
    ),
    StationGolden(
        "SubscriptionStatReq",
        17,
        .subscriptionStatReq(.init(transactionID: 1, subscriptionID: "1002")),
        "01000000 01000000 00000000" + ascii("1002", 256)
    ),
    StationGolden("MediaPathEvent", 17, .mediaPathEvent(.init(mediaPath: .headset, event: 1)), "01000000 01000000"),
    StationGolden(
        "MediaPathCapability",
        17,
        .mediaPathCapability(.init(mediaPath: .speaker, capability: 3)),
        "03000000 03000000"
    ),
    StationGolden(
        "StartMediaTransmissionAck",
        11,
        .startMediaTransmissionAck(
            .init(
                conferenceID: callReference,
                passThroughPartyID: partyID,
                callReference: callReference,
                transmitIPAddress: otherAddress,
                port: 20000
            )
        ),
        "1f000001 01010001 1f000001 0a010203 204e0000 00000000"
    ),
    StationGolden(
        "StartMediaTransmissionAck address block",
        17,
        .startMediaTransmissionAck(
            .init(
                conferenceID: callReference,
                passThroughPartyID: partyID,
                callReference: callReference,
                transmitIPAddress: otherAddress,
                port: 20000,
                status: .deviceOnHook
            )
        ),
        "1f000001 01010001 1f000001 00000000 0a010203" + zeros(12) + "204e0000 ff000000"
    ),
    StationGolden(
        "StartMultiMediaTransmissionAck",
        15,
        .startMultiMediaTransmissionAck(
            .init(
                conferenceID: callReference,
                passThroughPartyID: partyID,
                callReference: callReference,
                transmitIPAddress: otherAddress,
                port: 20002
            )
        ),
        "1f000001 01010001 1f000001 0a010203 224e0000 00000000"
    ),
    StationGolden("LocationInfo", 17, .locationInfo(.init(text: "<loc/>")), ascii("<loc/>", 2401)),
    StationGolden(
        "AddOnDeviceCapabilities",
        17,
        .addOnDeviceCapabilities(.init(unknown1: 1, unknown2: 2, unknown3: 3, text: "KEM")),
        "01000000 02000000 03000000" + ascii("KEM", 152)
    ),
    StationGolden("EnhancedAlarm", 22, .enhancedAlarm(.init(text: "<a/>")), ascii("<a/>", 2048)),
    StationGolden(
        "SPCPRegisterTokenReq",
        11,
        .spcpRegisterTokenReq(
            .init(deviceName: "SEP001122334455", stationIPAddress: otherAddress, deviceType: 80000, maxStreams: 3)
        ),
        ascii("SEP001122334455", 16) + "00000000 01000000 0a010203 80380100 03000000"
    ),
]

@Suite struct StationMessageGoldenTests {
    @Test(arguments: stationGoldens)
    func encodesTheHandWrittenBody(_ golden: StationGolden) {
        let frame = golden.message.frame(version: golden.version)
        #expect(frame.id == golden.message.id)
        #expect(frame.headerVersion == golden.version.headerVersion)
        #expect(Array(frame.body.readableBytesView) == hex(golden.body))
    }

    @Test(arguments: stationGoldens)
    func decodesTheHandWrittenBody(_ golden: StationGolden) throws {
        let decoded = try decodeStationBody(golden.message.id, golden.body, version: golden.version)
        #expect(decoded == golden.message)
    }

    /// Extra trailing bytes are ignored (reference §1): newer firmware appends fields older decoders do not know.
    @Test(arguments: stationGoldens.filter { !$0.lengthSensitive })
    func ignoresTrailingBytes(_ golden: StationGolden) throws {
        let decoded = try decodeStationBody(
            golden.message.id,
            golden.body + "deadbeef 00112233",
            version: golden.version
        )
        #expect(decoded == golden.message)
    }

    /// Every phone-to-call-manager id of reference §4 decodes to its own case, never to `.unknown`.
    @Test(
        arguments: [
            0x0000, 0x0001, 0x0002, 0x0003, 0x0004, 0x0005, 0x0006, 0x0007, 0x0008, 0x0009, 0x000A, 0x000B, 0x000C,
            0x000D,
            0x000E, 0x000F, 0x0010, 0x0011, 0x0012, 0x0020, 0x0021, 0x0022, 0x0023, 0x0024, 0x0025, 0x0026, 0x0027,
            0x0028,
            0x0029, 0x002A, 0x002B, 0x002C, 0x002D, 0x002E, 0x002F, 0x0030, 0x0031, 0x0032, 0x0033, 0x0034, 0x0041,
            0x0042,
            0x0043, 0x0044, 0x0045, 0x0048, 0x0049, 0x004A, 0x0154, 0x0155, 0x0157, 0x0159, 0x015A, 0x8000,
        ] as [UInt32]
    )
    func everyStationIDHasACase(_ rawID: UInt32) throws {
        let decoded = try decodeStationBody(SkinnyMessageID(rawID), "", version: 17)
        if case .unknown = decoded {
            Issue.record("0x\(String(rawID, radix: 16)) decoded to .unknown")
        }
        #expect(decoded.id == SkinnyMessageID(rawID))
        #expect(stationGoldens.contains { $0.message.id.rawValue == rawID }, "no golden body for this id")
    }

    /// Ids Strowger does not know, call-manager-to-resource ids and call-manager-to-phone ids stay whole as
    /// `.unknown` (reference §4, §8 note 4).
    @Test(arguments: [0x7777, 0x0035, 0x0040, 0x0046, 0x0047, 0x004C, 0x0081, 0x0111, 0xFFFF_FFFF] as [UInt32])
    func otherIDsDecodeToUnknown(_ rawID: UInt32) throws {
        let frame = SkinnyFrame(headerVersion: 0x11, id: SkinnyMessageID(rawID), body: ByteBuffer(bytes: [1, 2, 3]))
        let decoded = try StationMessage(frame: frame, version: 17)
        #expect(decoded == .unknown(frame))
        #expect(decoded.id == SkinnyMessageID(rawID))
        #expect(decoded.frame(version: 17) == frame)
    }
}

/// Real frames from CallManager-era captures, decoded whole through the frame decoder.
@Suite struct StationCaptureTests {
    /// cm2_register.pcapng frame 4 (pyskinny client registering with a CallManager 2.x): a 64-byte Register.
    @Test func register() throws {
        let bytes = hex(
            "4400000000000000010000007079736b696e6e79303100000000000000000000000000000a66ac0b0e00000005000000"
                + "0100000005006005e05ef8ffffffffff00000000e082180000000000"
        )
        let messages = try decodeStationStream(bytes, version: 5)
        guard case .register(let register) = try #require(messages.first) else {
            Issue.record("not a Register: \(messages)")
            return
        }
        #expect(messages.count == 1)
        #expect(register.deviceName == "pyskinny01")
        #expect(register.stationIPAddress == .ipv4(10, 102, 172, 11))
        #expect(register.deviceType == 14)
        #expect(register.maxStreams == 5)
        #expect(register.protocolVersion == 5)
        #expect(register.firmwareLoadName == "")
    }

    /// cm2_register.pcapng frames 6 (IpPort), 1034 (KeypadButton), 1025 (Stimulus, 8-byte body), 1027 (OffHook,
    /// empty), 1049 (OnHook, empty), 1141 (SoftKeyEvent Hold), 1061 (SoftKeyEvent EndCall), 21 (Unregister, empty),
    /// 16 (TimeDateReq), 23 (KeepAlive).
    @Test(arguments: [
        ("08000000000000000200000089130000", StationMessage.ipPort(.init(rtpMediaPort: 5001))),
        (
            "100000000000000003000000000000000100000000000000",
            .keypadButton(.init(.zero, lineInstance: 1, callReference: 0))
        ),
        ("0c00000000000000050000000900000001000000", .stimulus(.init(.line, stimulusInstance: 1))),
        ("040000000000000006000000", .offHook(.init())),
        ("040000000000000007000000", .onHook(.init())),
        ("100000000000000026000000030000000100000000000000", .softKeyEvent(.init(.hold, lineInstance: 1))),
        ("100000000000000026000000090000000100000000000000", .softKeyEvent(.init(.endCall, lineInstance: 1))),
        ("040000000000000027000000", .unregister(.init())),
        ("04000000000000000d000000", .timeDateReq),
        ("040000000000000000000000", .keepAlive),
    ])
    func singleFrames(bytes: String, expected: StationMessage) throws {
        #expect(try decodeStationStream(hex(bytes), version: 5) == [expected])
    }

    /// cm2_register.pcapng frame 12: seven requests in one TCP segment. ButtonTemplateReq carries a 4-byte body
    /// (chan-sccp: `totalButtonCount`), which is ignored.
    @Test func registrationBurstInOneSegment() throws {
        let bytes = hex(
            "08000000000000000e000000080000000400000000000000280000000400000000000000250000000400000000000000"
                + "0c00000008000000000000000b000000010000000800000000000000090000000100000008000000000000002d000000"
                + "00000000"
        )
        #expect(
            try decodeStationStream(bytes, version: 5) == [
                .buttonTemplateReq, .softKeyTemplateReq, .softKeySetReq, .configStatReq,
                .lineStatReq(.init(lineNumber: 1)), .forwardStatReq(.init(lineNumber: 1)),
                .registerAvailableLines(.init(maxNumberOfAvailableLines: 0)),
            ]
        )
    }

    /// cm2_register.pcapng frame 10: CapabilitiesRes with seven codecs, iLBC last with its dynamic payload 98.
    @Test func capabilitiesRes() throws {
        let bytes = hex(
            "280100000000000010000000070000000400000028000000000000000000000002000000280000000000000000000000"
                + "0b0000003c000000"
                + "00000000000000000c0000003c00000000000000000000000f0000003c0000000000000000000000120000003c000000"
                + "0000000000000000"
                + "560000003c00000003620000000000000000000000000000000000000000000000000000000000000000000000000000"
                + "0000000000000000"
                + "000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000"
                + "0000000000000000"
                + "000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000"
                + "0000000000000000"
                + "000000000000000000000000000000000000000000000000"
        )
        let messages = try decodeStationStream(bytes, version: 5)
        guard case .capabilitiesRes(let response) = try #require(messages.first) else {
            Issue.record("not a CapabilitiesRes: \(messages)")
            return
        }
        #expect(
            response.capabilities.map(\.codec) == [
                .g711ULaw64k, .g711ALaw64k, .g729, .g729AnnexA, .g729AnnexB, 18, .ilbc,
            ]
        )
        #expect(response.capabilities.map(\.maxFramesPerPacket) == [40, 40, 60, 60, 60, 60, 60])
        #expect(response.capabilities.last?.codecMode == 3)
        #expect(response.capabilities.last?.dynamicPayload == 0x62)
    }

    /// cucm_frames.json cm_call_media frame 155: a Cisco 7912's OpenReceiveChannelAck to CUCM 4.1, 16 bytes without
    /// the call reference, which reads as zero.
    @Test func openReceiveChannelAckWithoutCallReference() throws {
        let bytes = hex("140000000000000022000000000000000a660ad10040000001010001")
        #expect(
            try decodeStationStream(bytes, version: 5) == [
                .openReceiveChannelAck(
                    .init(
                        ipAddress: .ipv4(10, 102, 10, 209),
                        port: 16384,
                        passThroughPartyID: 0x0100_0101,
                        callReference: 0
                    )
                )
            ]
        )
    }
}
