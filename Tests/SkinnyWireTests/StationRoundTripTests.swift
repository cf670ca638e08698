import NIOCore
import SkinnyWire
import Testing

/// One message of every `StationMessage` case (but `.unknown`), with values every version can carry.
let stationExamples: [StationMessage] = [
    .keepAlive,
    .register(
        .init(
            deviceName: "SEP00AABBCCDDEE",
            stationIPAddress: .ipv4(192, 168, 1, 20),
            deviceType: .station7941,
            protocolVersion: 17,
            features: [.utf8, .dynamicMessages],
            macAddress: [0, 0xAA, 0xBB, 0xCC, 0xDD, 0xEE],
            firmwareLoadName: "SCCP41.8-5-3S"
        )
    ),
    .ipPort(.init(rtpMediaPort: 20480)),
    .keypadButton(.init(.star)),
    .keypadButton(.init(.seven, lineInstance: 2, callReference: 0x0100_0044)),
    .enblocCall(.init(calledParty: "0044 20 7946 0000")),
    .enblocCall(.init(calledParty: "2001", lineInstance: 3)),
    .stimulus(.init(.voiceMail, stimulusInstance: 1, callReference: 0, stimulusStatus: 1)),
    .offHook(.init()),
    .offHook(.init(lineInstance: 2, callReference: 0x0100_0044)),
    .onHook(.init()),
    .onHook(.init(lineInstance: 2, callReference: 0x0100_0044)),
    .hookFlash(.init(lineInstance: 1, callReference: 7)),
    .forwardStatReq(.init(lineNumber: 2)),
    .speedDialStatReq(.init(speedDialNumber: 4)),
    .lineStatReq(.init(lineNumber: 3)),
    .configStatReq,
    .timeDateReq,
    .buttonTemplateReq,
    .versionReq,
    .capabilitiesRes(
        .init(capabilities: [
            SkinnyAudioCapability(codec: .g722At64k, maxFramesPerPacket: 40),
            SkinnyAudioCapability(codec: .g723_1, maxFramesPerPacket: 60, parameters: [2, 0, 0, 0]),
            SkinnyAudioCapability(codec: .ilbc, maxFramesPerPacket: 60, parameters: [3, 98]),
        ])
    ),
    .mediaPortList(.init(ports: [16384, 16386, 16388])),
    .serverReq,
    .alarm(.init(severity: .critical, text: "Load=SCCP41.8-5-3S Last=TCP-timeout", parameter1: 3, parameter2: 4)),
    .multicastMediaReceptionAck(.init(status: .unknown, passThroughPartyID: 9, callReference: 10)),
    .openReceiveChannelAck(
        .init(ipAddress: .ipv4(192, 168, 1, 20), port: 24576, passThroughPartyID: 11, callReference: 12)
    ),
    .connectionStatisticsRes(
        .init(
            directoryNumber: "2001",
            callReference: 13,
            statsProcessingMode: 1,
            packetsSent: 1,
            octetsSent: 2,
            packetsReceived: 3,
            octetsReceived: 4,
            packetsLost: 5,
            jitter: 6,
            latency: 7,
            qualityStatistics: "MLQK=4.5000;MLQKav=4.4000;CCR=0.0000"
        )
    ),
    .offHookWithCallingPartyNumber(
        .init(callingPartyNumber: "2001", callingPartyVoiceMailbox: "8000", lineInstance: 2)
    ),
    .softKeySetReq,
    .softKeyEvent(.init(.answer, lineInstance: 1, callReference: 14)),
    .unregister(.init()),
    .unregister(.init(reason: 1)),
    .softKeyTemplateReq,
    .registerTokenReq(
        .init(deviceName: "SEP00AABBCCDDEE", stationIPAddress: .ipv4(192, 168, 1, 20), deviceType: .station7941)
    ),
    .mediaTransmissionFailure(
        .init(
            conferenceID: 15,
            passThroughPartyID: 16,
            remoteIPAddress: .ipv4(192, 168, 1, 21),
            remotePort: 24578,
            callReference: 17
        )
    ),
    .headsetStatus(.init(mode: 2)),
    .mediaResourceNotification(
        .init(deviceType: 110, numberOfInServiceStreams: 48, maxStreamsPerConference: 0, numberOfOutOfServiceStreams: 2)
    ),
    .registerAvailableLines(.init(maxNumberOfAvailableLines: 6)),
    .deviceToUserData(.init(applicationID: 1, data: Array("<CiscoIPPhoneText/>".utf8))),
    .deviceToUserDataResponse(.init(applicationID: 1, transactionID: 2, data: [0, 1, 2, 0xFF])),
    .updateCapabilities(
        .init(
            capabilities: SkinnyMediaCapabilities(
                rtpPayloadFormat: 1,
                customPictureFormats: [SkinnyCustomPictureFormat(pictureWidth: 176, pictureHeight: 144)],
                conferenceResources: SkinnyConferenceResources(
                    activeStreamsOnRegistration: 1,
                    maxBandwidth: 768,
                    serviceResources: [.init(layouts: [1], serviceNumber: 1, maxStreams: 2, maxConferences: 1)]
                ),
                audio: [SkinnyAudioCapability(codec: .g711ALaw64k, maxFramesPerPacket: 40)],
                video: [
                    SkinnyVideoCapability(
                        codec: 100,
                        direction: 3,
                        levelPreferences: [
                            .init(
                                transmitPreference: 0,
                                format: 1,
                                maxBitRate: 3840,
                                minBitRate: 0,
                                mpi: 1,
                                serviceNumber: 0
                            )
                        ],
                        parameters: [1, 0, 0, 0, 0, 0, 0, 0]
                    )
                ],
                data: [
                    SkinnyDataCapability(
                        payloadCapability: 105,
                        direction: 3,
                        protocolDependentData: 1,
                        maxBitRate: 64000
                    )
                ]
            )
        )
    ),
    .openMultiMediaReceiveChannelAck(
        .init(ipAddress: .ipv4(192, 168, 1, 20), port: 24580, passThroughPartyID: 18, callReference: 19)
    ),
    .clearConference(.init(conferenceID: 20, serviceNumber: 1)),
    .serviceURLStatReq(.init(serviceURLIndex: 2)),
    .featureStatReq(.init(featureIndex: 5)),
    .featureStatReq(.init(featureIndex: 5, featureCapabilities: 1)),
    .deviceToUserDataV1(
        .init(applicationID: 9081, lineInstance: 1, callReference: 21, sequenceFlag: 1, data: Array("<a>".utf8))
    ),
    .deviceToUserDataResponseV1(.init(applicationID: 9081, routingID: 4, data: Array("</a>".utf8))),
    .capabilitiesV2Res(
        .init(
            capabilities: SkinnyMediaCapabilities(
                audio: [
                    SkinnyAudioCapability(codec: .g711ULaw64k, maxFramesPerPacket: 40),
                    SkinnyAudioCapability(codec: .g729, maxFramesPerPacket: 60),
                ],
                video: [
                    SkinnyVideoCapability(
                        codec: 103,
                        direction: 3,
                        levelPreferences: [
                            .init(
                                transmitPreference: 1,
                                format: 2,
                                maxBitRate: 3,
                                minBitRate: 4,
                                mpi: 5,
                                serviceNumber: 6
                            )
                        ],
                        parameters: [0x40, 0, 0, 0, 0x1E, 0, 0, 0, 1, 0, 0, 0, 2, 0, 0, 0, 3, 0, 0, 0, 4, 0, 0, 0]
                    ),
                    SkinnyVideoCapability(codec: 101, direction: 1),
                ]
            )
        )
    ),
    .capabilitiesV3Res(
        .init(
            capabilities: SkinnyMediaCapabilities(
                customPictureFormats: [SkinnyCustomPictureFormat(pictureWidth: 352, pictureHeight: 288)],
                conferenceResources: SkinnyConferenceResources(
                    serviceResources: [.init(layouts: [1, 2, 3], serviceNumber: 1, maxStreams: 4, maxConferences: 1)]),
                audio: [SkinnyAudioCapability(codec: .opus, maxFramesPerPacket: 20, parameters: [0, 114])],
                video: [
                    SkinnyVideoCapability(
                        codec: 103,
                        direction: 3,
                        levelPreferences: [
                            .init(
                                transmitPreference: 1,
                                format: 2,
                                maxBitRate: 3,
                                minBitRate: 4,
                                mpi: 5,
                                serviceNumber: 6
                            ),
                            .init(
                                transmitPreference: 7,
                                format: 8,
                                maxBitRate: 9,
                                minBitRate: 10,
                                mpi: 11,
                                serviceNumber: 12
                            ),
                        ],
                        parameters: [0x42],
                        encryptionCapability: 1,
                        ipAddressingMode: 2
                    )
                ],
                data: [SkinnyDataCapability(payloadCapability: 106, direction: 2, encryptionCapability: 1)]
            )
        )
    ),
    .portRes(
        .init(
            conferenceID: 22,
            callReference: 23,
            passThroughPartyID: 24,
            ipAddress: .ipv4(192, 168, 1, 20),
            port: 24582,
            rtcpPort: 24583
        )
    ),
    .subscriptionStatReq(.init(transactionID: 25, timer: 3600, subscriptionID: "sip:2002@example.com")),
    .mediaPathEvent(.init(mediaPath: .handset, event: 2)),
    .mediaPathCapability(.init(mediaPath: .headset, capability: 1)),
    .startMediaTransmissionAck(
        .init(
            conferenceID: 0,
            passThroughPartyID: 0,
            callReference: 26,
            transmitIPAddress: .ipv4(192, 168, 1, 20),
            port: 24584
        )
    ),
    .startMultiMediaTransmissionAck(
        .init(
            conferenceID: 27,
            passThroughPartyID: 28,
            callReference: 29,
            transmitIPAddress: .ipv4(192, 168, 1, 20),
            port: 24586,
            status: .invalidCodec
        )
    ),
    .locationInfo(.init(text: "<location><bssid>00:11:22:33:44:55</bssid></location>")),
    .addOnDeviceCapabilities(.init(unknown1: 1, unknown2: 0, unknown3: 24, text: "7915")),
    .enhancedAlarm(.init(text: "<x-cisco-alarm><Alarm Name=\"LastOutOfServiceInformation\"/></x-cisco-alarm>")),
    .spcpRegisterTokenReq(
        .init(deviceName: "SEP001122334466", stationIPAddress: .ipv4(192, 168, 1, 30), deviceType: 80005, maxStreams: 2)
    ),
]

/// The versions every message must round-trip at.
let stationRoundTripVersions: [SkinnyProtocolVersion] = [5, 11, 15, 17, 18, 20, 22]

@Suite struct StationRoundTripTests {
    /// Encode, frame, deframe and decode give back the same message at every version.
    @Test(arguments: stationExamples, stationRoundTripVersions)
    func roundTrips(_ message: StationMessage, version: SkinnyProtocolVersion) throws {
        let bytes = stationBytes(message, version: version)
        #expect(try decodeStationStream(bytes, version: version) == [message])
    }

    /// IPv6 addresses survive from v17, where addresses become 20-byte blocks.
    @Test(arguments: [17, 18, 20, 22] as [SkinnyProtocolVersion])
    func ipv6RoundTripsFromV17(version: SkinnyProtocolVersion) throws {
        let address = SkinnyIPAddress.ipv6([0xFE, 0x80] + Array(repeating: 0, count: 13) + [0x20])
        let messages: [StationMessage] = [
            .openReceiveChannelAck(.init(ipAddress: address, port: 1, passThroughPartyID: 2, callReference: 3)),
            .openMultiMediaReceiveChannelAck(
                .init(ipAddress: address, port: 1, passThroughPartyID: 2, callReference: 3)
            ),
            .mediaTransmissionFailure(
                .init(conferenceID: 1, passThroughPartyID: 2, remoteIPAddress: address, remotePort: 3, callReference: 4)
            ),
            .startMediaTransmissionAck(
                .init(conferenceID: 1, passThroughPartyID: 2, callReference: 3, transmitIPAddress: address, port: 4)
            ),
            .startMultiMediaTransmissionAck(
                .init(conferenceID: 1, passThroughPartyID: 2, callReference: 3, transmitIPAddress: address, port: 4)
            ),
            .portRes(
                .init(
                    conferenceID: 1,
                    callReference: 2,
                    passThroughPartyID: 3,
                    ipAddress: address,
                    port: 4,
                    rtcpPort: 5
                )
            ),
            .registerTokenReq(
                .init(
                    deviceName: "SEP00AABBCCDDEE",
                    stationIPAddress: .ipv4(10, 0, 0, 1),
                    deviceType: .station7941,
                    stationIPv6Address: address
                )
            ),
        ]
        for message in messages {
            #expect(try decodeStationStream(stationBytes(message, version: version), version: version) == [message])
        }
    }

    /// PortRes carries a media type from v19.
    @Test(arguments: [20, 22] as [SkinnyProtocolVersion])
    func portResMediaTypeFromV19(version: SkinnyProtocolVersion) throws {
        let message = StationMessage.portRes(
            .init(
                conferenceID: 1,
                callReference: 2,
                passThroughPartyID: 3,
                ipAddress: .ipv4(10, 0, 0, 2),
                port: 4,
                rtcpPort: 5,
                mediaType: 2
            )
        )
        #expect(try decodeStationStream(stationBytes(message, version: version), version: version) == [message])
    }

    /// Fields and arrays larger than their wire fields are cut, never written past them.
    @Test func oversizedValuesAreCut() throws {
        let longNumber = String(repeating: "1", count: 40)
        let enbloc = StationMessage.enblocCall(.init(calledParty: longNumber, lineInstance: 1))
        #expect(
            try decodeStationStream(stationBytes(enbloc, version: 17), version: 17)
                == [.enblocCall(.init(calledParty: String(repeating: "1", count: 24), lineInstance: 1))]
        )
        #expect(
            try decodeStationStream(stationBytes(enbloc, version: 18), version: 18)
                == [.enblocCall(.init(calledParty: String(repeating: "1", count: 25), lineInstance: 1))]
        )
        let capabilities = Array(
            repeating: SkinnyAudioCapability(codec: .g711ULaw64k, maxFramesPerPacket: 20),
            count: 25
        )
        let response = StationMessage.capabilitiesRes(.init(capabilities: capabilities))
        #expect(response.frame(version: 11).body.readableBytes == 292)
        #expect(
            try decodeStationStream(stationBytes(response, version: 11), version: 11)
                == [.capabilitiesRes(.init(capabilities: Array(capabilities.prefix(18))))]
        )
        let ports = StationMessage.mediaPortList(.init(ports: Array(0..<20)))
        #expect(
            try decodeStationStream(stationBytes(ports, version: 11), version: 11)
                == [.mediaPortList(.init(ports: Array(0..<16)))]
        )
        let data = StationMessage.deviceToUserData(.init(applicationID: 1, data: Array(repeating: 0x41, count: 2500)))
        #expect(data.frame(version: 11).body.readableBytes == 2020)
    }

    /// The fixed capability layouts have the sizes the tables give whatever the content: UpdateCapabilities 1840,
    /// CapabilitiesV2Res 2000 bytes.
    @Test func fixedCapabilityLayoutSizes() {
        let capabilities = SkinnyMediaCapabilities(
            audio: [SkinnyAudioCapability(codec: .g729, maxFramesPerPacket: 20)],
            video: [SkinnyVideoCapability(codec: 103, direction: 3)]
        )
        #expect(
            StationMessage.updateCapabilities(.init(capabilities: capabilities)).frame(version: 17).body.readableBytes
                == 1840
        )
        #expect(
            StationMessage.capabilitiesV2Res(.init(capabilities: capabilities)).frame(version: 17).body.readableBytes
                == 2000
        )
    }

    /// A station message's frame carries the negotiated version in its header from v10, 0 below (reference §2.1).
    @Test(arguments: [(5, 0), (11, 11), (17, 17), (22, 22)] as [(SkinnyProtocolVersion, UInt32)])
    func headerVersion(version: SkinnyProtocolVersion, header: UInt32) {
        #expect(StationMessage.keepAlive.frame(version: version).headerVersion == header)
        #expect(StationMessage.ipPort(.init(rtpMediaPort: 1)).frame(version: version).headerVersion == header)
    }
}
