import SkinnyWire

/// A sample of every phone-to-call-manager message, for the tshark conformance check.
///
/// Where Wireshark 4.0.17 and real phones (or Strowger) disagree, the sample says so and the field Wireshark gets
/// wrong is left out. Two samples tshark flags as malformed carry a `tsharkDisagreement` (ConformanceSample), which
/// ConformanceTests lists; every other sample must be read cleanly:
/// - MediaPortList (0x0011) is unknown to Wireshark (chan-sccp only), so tshark reads no field of it.
/// - Wireshark shows Unregister's reason and FeatureStatReq's capabilities only when the header length exceeds 12
///   and 16, more than these 4- and 8-byte bodies have, so those fields are not expected.
/// - ConnectionStatisticsRes at v19 to v21 is written in chan-sccp's aligned form, which a v20 phone sends;
///   Wireshark reads every header version from 18 as the packed form and misplaces the counters, and takes part of
///   the latency for `dataSize`, so it runs past the body: a known disagreement.
/// - UpdateCapabilities and CapabilitiesV2Res: Wireshark reads each array as only its `count` entries, packed,
///   but real phones send every array at full size (a 7970's UpdateCapabilities has its audio entries at 312, as
///   message-layouts.md draws them). Only the counts, which both agree on, are expected.
/// - CapabilitiesV3Res: Wireshark 4.0.17's dissector reads all 18 audio entries and 4 more bytes whatever
///   `audioCapCount` says, so it runs past the count-sized body Strowger writes: only the counts are expected, and
///   the sample is a known disagreement at every version.
/// - StartMediaTransmissionAck, StartMultiMediaTransmissionAck, LocationInfo and EnhancedAlarm are labelled call
///   manager to phone by Wireshark but sent by phones (reference §7 #10); Wireshark still dissects their fields.
enum StationSamples {
    static func samples(version: SkinnyProtocolVersion) -> [ConformanceSample] {
        let address = SkinnyIPAddress.ipv4(192, 168, 1, 20)
        let callReference: UInt32 = 16_777_247  // 0x0100001F, as CUCM 4.1 numbered calls
        let partyID: UInt32 = 16_777_473  // 0x01000101
        let statistics = SkinnyMessage.ConnectionStatisticsRes(
            directoryNumber: "2001",
            callReference: callReference,
            statsProcessingMode: 1,
            packetsSent: 153,
            octetsSent: 41055,
            packetsReceived: 145,
            octetsReceived: 41050,
            packetsLost: 2,
            jitter: 3,
            latency: 4,
            qualityStatistics: "MLQK=4.5000"
        )
        var statisticsFields = [
            "skinny.directoryNum": "2001", "skinny.callReference": "16777247", "skinny.statsProcessingMode": "1",
        ]
        // Known disagreement (ConformanceSample.tsharkDisagreement), v19–v21 only.
        //
        // Real-phone evidence: chan-sccp's sccp_protocol.h quotes a ConnectionStatisticsRes from a phone at header
        // version 0x14 (v20) with length 0x2A0, a 668-byte body: number "137" in 28 bytes, callIdentifier 3 at 28,
        // the processing mode as a u32 at 32 and the counters from 36 (153 packets / 41055 octets sent, 145 / 41050
        // received), which is the aligned form; its v22 frame (header 0x16) is the packed one. Wireshark 4.0.17
        // reads every header version from 18 packed (counters from 33, dataSize at 61), so it misreads the counters
        // and takes the latency's top bytes and dataSize's low byte as a dataSize of millions, and runs past the body.
        let statisticsDisagreement: String? =
            (19...21).contains(version.rawValue)
            ? "a v20 phone sends the aligned 668-byte body (counters at 36; frame quoted in chan-sccp's "
                + "sccp_protocol.h), Wireshark reads header versions 18+ as the packed 665-byte form"
            : nil
        if !(19...21).contains(version.rawValue) {
            statisticsFields.merge(
                [
                    "skinny.numberPacketsSent": "153", "skinny.numberOctetsSent": "41055",
                    "skinny.numberPacketsReceived": "145", "skinny.numberOctetsReceived": "41050",
                    "skinny.numberPacketsLost": "2", "skinny.jitter": "3", "skinny.latency": "4",
                    "skinny.dataSize": "11",
                ],
                uniquingKeysWith: { $1 }
            )
        }
        var portResFields = [
            "skinny.conferenceId": "1", "skinny.callReference": "16777247", "skinny.passThroughPartyId": "16777473",
            "skinny.ipAddr.ipv4": "192.168.1.20", "skinny.portNumber": "24576", "skinny.RTCPPortNumber": "24577",
        ]
        if version >= .v19 {
            portResFields["skinny.mediaType"] = "1"
        }
        let capabilities = SkinnyMediaCapabilities(
            audio: [
                SkinnyAudioCapability(codec: .g711ULaw64k, maxFramesPerPacket: 40),
                SkinnyAudioCapability(codec: .g729, maxFramesPerPacket: 60),
            ],
            video: [SkinnyVideoCapability(codec: 103, direction: 3)],
            data: [SkinnyDataCapability(payloadCapability: 105, direction: 3, maxBitRate: 64000)]
        )

        return [
            ConformanceSample("KeepAlive", .keepAlive, version: version),
            ConformanceSample(
                "Register",
                .register(
                    .init(
                        deviceName: "SEP001122334455",
                        stationIPAddress: .ipv4(10, 1, 2, 3),
                        deviceType: .station7960,
                        protocolVersion: version.rawValue,
                        firmwareLoadName: "SCCP41.8-5-3S"
                    )
                ),
                version: version,
                expect: ["skinny.DeviceName": "SEP001122334455", "skinny.deviceType": "7"]
            ),
            ConformanceSample(
                "IpPort",
                .ipPort(.init(rtpMediaPort: 5001)),
                version: version,
                expect: ["skinny.rtpMediaPort": "5001"]
            ),
            ConformanceSample(
                "KeypadButton",
                .keypadButton(.init(.pound, lineInstance: 1, callReference: callReference)),
                version: version,
                expect: ["skinny.kpButton": "15", "skinny.lineInstance": "1", "skinny.callReference": "16777247"]
            ),
            ConformanceSample(
                "EnblocCall",
                .enblocCall(.init(calledParty: "5551234", lineInstance: 2)),
                version: version,
                expect: ["skinny.calledParty": "5551234", "skinny.lineInstance": "2"]
            ),
            ConformanceSample(
                "Stimulus",
                .stimulus(.init(.line, stimulusInstance: 2, callReference: callReference)),
                version: version,
                expect: ["skinny.stimulus": "9", "skinny.lineInstance": "2", "skinny.callReference": "16777247"]
            ),
            ConformanceSample(
                "OffHook",
                .offHook(.init(lineInstance: 1, callReference: callReference)),
                version: version,
                expect: ["skinny.lineInstance": "1", "skinny.callReference": "16777247"]
            ),
            ConformanceSample(
                "OnHook",
                .onHook(.init(lineInstance: 1, callReference: callReference)),
                version: version,
                expect: ["skinny.lineInstance": "1", "skinny.callReference": "16777247"]
            ),
            ConformanceSample(
                "HookFlash",
                .hookFlash(.init(lineInstance: 1, callReference: callReference)),
                version: version,
                expect: ["skinny.lineInstance": "1", "skinny.callReference": "16777247"]
            ),
            ConformanceSample(
                "ForwardStatReq",
                .forwardStatReq(.init(lineNumber: 2)),
                version: version,
                expect: ["skinny.lineNumber": "2"]
            ),
            ConformanceSample(
                "SpeedDialStatReq",
                .speedDialStatReq(.init(speedDialNumber: 3)),
                version: version,
                expect: ["skinny.speedDialNumber": "3"]
            ),
            ConformanceSample(
                "LineStatReq",
                .lineStatReq(.init(lineNumber: 1)),
                version: version,
                expect: ["skinny.lineNumber": "1"]
            ),
            ConformanceSample("ConfigStatReq", .configStatReq, version: version),
            ConformanceSample("TimeDateReq", .timeDateReq, version: version),
            ConformanceSample("ButtonTemplateReq", .buttonTemplateReq, version: version),
            ConformanceSample("VersionReq", .versionReq, version: version),
            ConformanceSample(
                "CapabilitiesRes",
                .capabilitiesRes(.init(capabilities: capabilities.audio)),
                version: version,
                expect: [
                    "skinny.capCount": "2", "skinny.payloadCapability": "4,11", "skinny.maxFramesPerPacket": "40,60",
                ]
            ),
            // Unknown to Wireshark: no field to check.
            ConformanceSample("MediaPortList", .mediaPortList(.init(ports: [16384, 16386])), version: version),
            ConformanceSample("ServerReq", .serverReq, version: version),
            ConformanceSample(
                "Alarm",
                .alarm(.init(severity: .informational, text: "Name=SEP001122334455", parameter1: 1, parameter2: 2)),
                version: version,
                expect: [
                    "skinny.alarmSeverity": "2", "skinny.text": "Name=SEP001122334455", "skinny.parm1": "1",
                    "skinny.parm2": "2",
                ]
            ),
            ConformanceSample(
                "MulticastMediaReceptionAck",
                .multicastMediaReceptionAck(
                    .init(status: .unknown, passThroughPartyID: partyID, callReference: callReference)
                ),
                version: version,
                expect: [
                    "skinny.multicastReceptionStatus": "1", "skinny.passThroughPartyId": "16777473",
                    "skinny.callReference": "16777247",
                ]
            ),
            ConformanceSample(
                "OpenReceiveChannelAck",
                .openReceiveChannelAck(
                    .init(ipAddress: address, port: 24576, passThroughPartyID: partyID, callReference: callReference)
                ),
                version: version,
                expect: [
                    "skinny.mediaReceptionStatus": "0", "skinny.ipAddr.ipv4": "192.168.1.20",
                    "skinny.portNumber": "24576", "skinny.passThroughPartyId": "16777473",
                    "skinny.callReference": "16777247",
                ]
            ),
            // v19–v21: chan-sccp's aligned form; Wireshark misreads the counters there (see above).
            ConformanceSample(
                "ConnectionStatisticsRes",
                .connectionStatisticsRes(statistics),
                version: version,
                expect: statisticsFields,
                tsharkDisagreement: statisticsDisagreement
            ),
            ConformanceSample(
                "OffHookWithCallingPartyNumber",
                .offHookWithCallingPartyNumber(
                    .init(callingPartyNumber: "2001", callingPartyVoiceMailbox: "8000", lineInstance: 2)
                ),
                version: version,
                expect: [
                    "skinny.callingPartyNumber": "2001", "skinny.cgpnVoiceMailbox": "8000", "skinny.lineInstance": "2",
                ]
            ),
            ConformanceSample("SoftKeySetReq", .softKeySetReq, version: version),
            ConformanceSample(
                "SoftKeyEvent",
                .softKeyEvent(.init(.endCall, lineInstance: 1, callReference: callReference)),
                version: version,
                expect: ["skinny.softKeyEvent": "9", "skinny.lineInstance": "1", "skinny.callReference": "16777247"]
            ),
            // Wireshark shows the reason only for a header length above 12; this body is 4 bytes.
            ConformanceSample("Unregister", .unregister(.init(reason: 1)), version: version),
            ConformanceSample("SoftKeyTemplateReq", .softKeyTemplateReq, version: version),
            ConformanceSample(
                "RegisterTokenReq",
                .registerTokenReq(
                    .init(deviceName: "SEP001122334455", stationIPAddress: address, deviceType: .station7941)
                ),
                version: version,
                expect: ["skinny.DeviceName": "SEP001122334455", "skinny.instance": "1", "skinny.deviceType": "115"]
            ),
            ConformanceSample(
                "MediaTransmissionFailure",
                .mediaTransmissionFailure(
                    .init(
                        conferenceID: 7,
                        passThroughPartyID: partyID,
                        remoteIPAddress: address,
                        remotePort: 24578,
                        callReference: callReference
                    )
                ),
                version: version,
                expect: [
                    "skinny.conferenceId": "7", "skinny.passThroughPartyId": "16777473",
                    "skinny.remoteIpAddr.ipv4": "192.168.1.20", "skinny.remotePortNumber": "24578",
                    "skinny.callReference": "16777247",
                ]
            ),
            ConformanceSample(
                "HeadsetStatus",
                .headsetStatus(.init(mode: 2)),
                version: version,
                expect: ["skinny.headsetStatus": "2"]
            ),
            ConformanceSample(
                "MediaResourceNotification",
                .mediaResourceNotification(
                    .init(
                        deviceType: 50,
                        numberOfInServiceStreams: 32,
                        maxStreamsPerConference: 3,
                        numberOfOutOfServiceStreams: 1
                    )
                ),
                version: version,
                expect: [
                    "skinny.deviceType": "50", "skinny.numberOfInServiceStreams": "32",
                    "skinny.maxStreamsPerConf": "3", "skinny.numberOfOutOfServiceStreams": "1",
                ]
            ),
            ConformanceSample(
                "RegisterAvailableLines",
                .registerAvailableLines(.init(maxNumberOfAvailableLines: 6)),
                version: version,
                expect: ["skinny.maxNumOfAvailLines": "6"]
            ),
            ConformanceSample(
                "DeviceToUserData",
                .deviceToUserData(
                    .init(
                        applicationID: 9081,
                        lineInstance: 1,
                        callReference: callReference,
                        transactionID: 5,
                        data: Array("<x/>".utf8)
                    )
                ),
                version: version,
                expect: [
                    "skinny.applicationId": "9081", "skinny.lineInstance": "1", "skinny.callReference": "16777247",
                    "skinny.transactionId": "5", "skinny.dataLength": "4",
                ]
            ),
            ConformanceSample(
                "DeviceToUserDataResponse",
                .deviceToUserDataResponse(.init(applicationID: 9082, transactionID: 6, data: Array("ok".utf8))),
                version: version,
                expect: ["skinny.applicationId": "9082", "skinny.transactionId": "6", "skinny.dataLength": "2"]
            ),
            // Wireshark reads the arrays packed; real phones send them at full size (see above): counts only.
            ConformanceSample(
                "UpdateCapabilities",
                .updateCapabilities(.init(capabilities: capabilities)),
                version: version,
                expect: ["skinny.audioCapCount": "2", "skinny.videoCapCount": "1", "skinny.dataCapCount": "1"]
            ),
            ConformanceSample(
                "OpenMultiMediaReceiveChannelAck",
                .openMultiMediaReceiveChannelAck(
                    .init(
                        status: 1,
                        ipAddress: address,
                        port: 24580,
                        passThroughPartyID: partyID,
                        callReference: callReference
                    )
                ),
                version: version,
                expect: [
                    "skinny.multimediaReceptionStatus": "1", "skinny.ipAddr.ipv4": "192.168.1.20",
                    "skinny.portNumber": "24580", "skinny.passThroughPartyId": "16777473",
                    "skinny.callReference": "16777247",
                ]
            ),
            ConformanceSample(
                "ClearConference",
                .clearConference(.init(conferenceID: 20, serviceNumber: 1)),
                version: version,
                expect: ["skinny.conferenceId": "20", "skinny.serviceNum": "1"]
            ),
            ConformanceSample(
                "ServiceURLStatReq",
                .serviceURLStatReq(.init(serviceURLIndex: 2)),
                version: version,
                expect: ["skinny.serviceURLIndex": "2"]
            ),
            // Wireshark shows featureCapabilities only for a header length above 16; this body is 8 bytes.
            ConformanceSample(
                "FeatureStatReq",
                .featureStatReq(.init(featureIndex: 5, featureCapabilities: 1)),
                version: version,
                expect: ["skinny.featureIndex": "5"]
            ),
            ConformanceSample(
                "DeviceToUserDataV1",
                .deviceToUserDataV1(
                    .init(
                        applicationID: 9081,
                        lineInstance: 1,
                        callReference: callReference,
                        transactionID: 5,
                        sequenceFlag: 2,
                        displayPriority: 1,
                        conferenceID: 8,
                        applicationInstanceID: 7,
                        routingID: 3,
                        data: Array("<x/>".utf8)
                    )
                ),
                version: version,
                expect: [
                    "skinny.applicationId": "9081", "skinny.lineInstance": "1", "skinny.callReference": "16777247",
                    "skinny.transactionId": "5", "skinny.dataLength": "4", "skinny.sequenceFlag": "2",
                    "skinny.displayPriority": "1", "skinny.conferenceId": "8", "skinny.appInstanceID": "7",
                    "skinny.routingID": "3",
                ]
            ),
            ConformanceSample(
                "DeviceToUserDataResponseV1",
                .deviceToUserDataResponseV1(
                    .init(applicationID: 9082, transactionID: 6, sequenceFlag: 1, routingID: 4, data: Array("ok".utf8))
                ),
                version: version,
                expect: [
                    "skinny.applicationId": "9082", "skinny.transactionId": "6", "skinny.dataLength": "2",
                    "skinny.sequenceFlag": "1", "skinny.routingID": "4",
                ]
            ),
            // Wireshark reads the arrays packed; real phones send them at full size (see above): counts only.
            ConformanceSample(
                "CapabilitiesV2Res",
                .capabilitiesV2Res(.init(capabilities: capabilities)),
                version: version,
                expect: ["skinny.audioCapCount": "2", "skinny.videoCapCount": "1", "skinny.dataCapCount": "1"]
            ),
            // Known disagreement (ConformanceSample.tsharkDisagreement), every version.
            //
            // Wireshark's own description of 0x0044 (SkinnyProtocolOptimized.xml, 4.0.17) marks the message dynamic
            // and sizes audiocaps, vidCaps and dataCaps by their counts; reference §3 lists 0x0044 with the dynamic
            // messages and chan-sccp calls it DynamicUpdateCapabilitiesMessage. Strowger writes that count-sized
            // form. The generated 4.0.17 dissector does not follow its description: it shows "audiocaps [3 / 2]" and
            // on, reading 18 audio entries and 4 more bytes whatever audioCapCount says (a body with 2 entries is
            // malformed to it; one padded to 18 entries plus 4 bytes is not). No real phone's 0x0044 frame is in our
            // sources, so the evidence is the XML and chan-sccp, not a capture; the counts, which tshark reads right,
            // are still checked.
            ConformanceSample(
                "CapabilitiesV3Res",
                .capabilitiesV3Res(.init(capabilities: capabilities)),
                version: version,
                expect: ["skinny.audioCapCount": "2", "skinny.videoCapCount": "1", "skinny.dataCapCount": "1"],
                tsharkDisagreement:
                    "tshark 4.0.17 reads 18 audio entries past audioCapCount, against Wireshark's own XML, which "
                    + "(like chan-sccp's DynamicUpdateCapabilities) sizes the arrays by their counts"
            ),
            ConformanceSample(
                "PortRes",
                .portRes(
                    .init(
                        conferenceID: 1,
                        callReference: callReference,
                        passThroughPartyID: partyID,
                        ipAddress: address,
                        port: 24576,
                        rtcpPort: 24577,
                        mediaType: 1
                    )
                ),
                version: version,
                expect: portResFields
            ),
            ConformanceSample(
                "SubscriptionStatReq",
                .subscriptionStatReq(.init(transactionID: 25, featureID: 1, timer: 3600, subscriptionID: "2002")),
                version: version,
                expect: [
                    "skinny.transactionId": "25", "skinny.subscriptionFeatureID": "1", "skinny.timer": "3600",
                    "skinny.subscriptionID": "2002",
                ]
            ),
            ConformanceSample(
                "MediaPathEvent",
                .mediaPathEvent(.init(mediaPath: .handset, event: 2)),
                version: version,
                expect: ["skinny.mediaPathID": "2", "skinny.mediaPathEvent": "2"]
            ),
            ConformanceSample(
                "MediaPathCapability",
                .mediaPathCapability(.init(mediaPath: .speaker, capability: 3)),
                version: version,
                expect: ["skinny.mediaPathID": "3", "skinny.mediaPathCapabilities": "3"]
            ),
            // Sent by phones although Wireshark labels it call manager to phone (reference §7 #10).
            ConformanceSample(
                "StartMediaTransmissionAck",
                .startMediaTransmissionAck(
                    .init(
                        conferenceID: 7,
                        passThroughPartyID: partyID,
                        callReference: callReference,
                        transmitIPAddress: address,
                        port: 24584,
                        status: .ok
                    )
                ),
                version: version,
                expect: [
                    "skinny.conferenceId": "7", "skinny.passThroughPartyId": "16777473",
                    "skinny.callReference": "16777247", "skinny.transmitIpAddr.ipv4": "192.168.1.20",
                    "skinny.portNumber": "24584", "skinny.mediaTransmissionStatus": "0",
                ]
            ),
            // Sent by phones although Wireshark labels it call manager to phone (reference §7 #10).
            ConformanceSample(
                "StartMultiMediaTransmissionAck",
                .startMultiMediaTransmissionAck(
                    .init(
                        conferenceID: 8,
                        passThroughPartyID: partyID,
                        callReference: callReference,
                        transmitIPAddress: address,
                        port: 24586,
                        status: .invalidCodec
                    )
                ),
                version: version,
                expect: [
                    "skinny.conferenceId": "8", "skinny.passThroughPartyId": "16777473",
                    "skinny.callReference": "16777247", "skinny.transmitIpAddr.ipv4": "192.168.1.20",
                    "skinny.portNumber": "24586", "skinny.multimediaTransmissionStatus": "6",
                ]
            ),
            // Sent by 7925/7926 phones although Wireshark labels it call manager to phone (reference §7 #10).
            ConformanceSample(
                "LocationInfo",
                .locationInfo(.init(text: "<location>lab</location>")),
                version: version,
                expect: ["skinny.locationInfo": "<location>lab</location>"]
            ),
            ConformanceSample(
                "AddOnDeviceCapabilities",
                .addOnDeviceCapabilities(.init(unknown1: 1, unknown2: 2, unknown3: 3, text: "7915")),
                version: version,
                expect: [
                    "skinny.unknown1.0159": "1", "skinny.unknown2.0159": "2", "skinny.unknown3.0159": "3",
                    "skinny.unknownString.0159": "7915",
                ]
            ),
            // Sent by phones although Wireshark labels it call manager to phone (reference §7 #10).
            ConformanceSample(
                "EnhancedAlarm",
                .enhancedAlarm(.init(text: "<alarm>restart</alarm>")),
                version: version,
                expect: ["skinny.alarmInfo": "<alarm>restart</alarm>"]
            ),
            ConformanceSample(
                "SPCPRegisterTokenReq",
                .spcpRegisterTokenReq(
                    .init(deviceName: "SEP001122334466", stationIPAddress: address, deviceType: 80005, maxStreams: 2)
                ),
                version: version,
                expect: [
                    "skinny.DeviceName": "SEP001122334466", "skinny.instance": "1", "skinny.deviceType": "80005",
                    "skinny.maxStreams": "2",
                ]
            ),
        ]
    }
}
