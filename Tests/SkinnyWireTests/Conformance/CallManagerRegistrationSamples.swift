import SkinnyWire

/// A sample of every call-manager-to-phone message of registration and device state, for the tshark check.
enum CallManagerRegistrationSamples {
    static func samples(version: SkinnyProtocolVersion) -> [ConformanceSample] {
        [
            ConformanceSample("KeepAliveAck", .keepAliveAck, version: version),
            ConformanceSample("CapabilitiesReq", .capabilitiesReq, version: version),
            ConformanceSample(
                "RegisterAck",
                .registerAck(.init(keepAliveInterval: 30, secondaryKeepAliveInterval: 60, protocolVersion: version)),
                version: version,
                expect: ["skinny.keepAliveInterval": "30", "skinny.maxProtocolVer": "\(version.rawValue)"]
            ),
        ] + self.registrationAndDeviceState(version: version)
    }

    /// The messages of registration and device state added after the first three.
    static func registrationAndDeviceState(version: SkinnyProtocolVersion) -> [ConformanceSample] {
        [
            ConformanceSample(
                "RegisterReject",
                .registerReject(.init(text: "Unknown device")),
                version: version,
                expect: ["skinny.text": "Unknown device"]
            ),
            ConformanceSample(
                "Reset",
                .reset(.init(.restart)),
                version: version,
                expect: ["skinny.resetType": "2"]
            ),
            // Header version 0 at every version (reference §2.1); the check compares it with the frame's.
            ConformanceSample(
                "UnregisterAck",
                .unregisterAck(.init(.notAcknowledged)),
                version: version,
                expect: ["skinny.status": "2"]
            ),
            // Wireshark walks `totalButtonCount` entries, so the sample sends the whole template in one message.
            ConformanceSample(
                "ButtonTemplateRes",
                .buttonTemplateRes(.init([(1, .line), (2, .line), (1, .blfSpeedDial)])),
                version: version,
                expect: [
                    "skinny.buttonOffset": "0", "skinny.buttonCount": "3", "skinny.totalButtonCount": "3",
                    "skinny.instanceNumber": "1,2,1", "skinny.buttonDefinition": "9,9,21",
                ]
            ),
            ConformanceSample(
                "SoftKeyTemplateRes",
                .softKeyTemplateRes(
                    .init(softKeys: [
                        .init(label: "Redial", event: .redial), .init(label: "NewCall", event: .newCall),
                        .init(label: "CFwdAll", event: .forwardAll),
                    ])
                ),
                version: version,
                expect: [
                    "skinny.softKeyCount": "3", "skinny.totalSoftKeyCount": "3",
                    "skinny.softKeyLabel": "Redial,NewCall,CFwdAll", "skinny.softKeyEvent": "1,2,5",
                ]
            ),
            // Wireshark walks `totalSoftKeySetCount` sets and shows all 16 slots of each.
            ConformanceSample(
                "SoftKeySetRes",
                .softKeySetRes(
                    .init(softKeySets: [
                        .init(keys: [
                            .init(templateIndex: 1, infoIndex: 301), .init(templateIndex: 2, infoIndex: 302),
                            .init(templateIndex: 5, infoIndex: 305),
                        ])
                    ])
                ),
                version: version,
                expect: [
                    "skinny.softKeySetCount": "1", "skinny.totalSoftKeySetCount": "1",
                    "skinny.softKeyTemplateIndex": slots(["1", "2", "5"]),
                    "skinny.softKeyInfoIndex": slots(["301", "302", "305"]),
                ]
            ),
            ConformanceSample(
                "ConfigStatRes",
                .configStatRes(
                    .init(
                        deviceName: "SEP001122334455",
                        instance: 1,
                        userName: "Alice",
                        serverName: "Strowger",
                        numberOfLines: 2,
                        numberOfSpeedDials: 4
                    )
                ),
                version: version,
                expect: [
                    "skinny.DeviceName": "SEP001122334455", "skinny.instance": "1", "skinny.userName": "Alice",
                    "skinny.serverName": "Strowger", "skinny.numberOfLines": "2", "skinny.numberOfSpeedDials": "4",
                ]
            ),
            // Sent in Wireshark's field order; chan-sccp defines another (reference §7 #5), and no capture of a
            // real phone settles it, so the session sends ConfigStatRes instead.
            ConformanceSample(
                "ConfigStatV2Res",
                .configStatV2Res(
                    .init(
                        deviceName: "SEP001122334455",
                        instance: 1,
                        userName: "Alice",
                        serverName: "Strowger",
                        numberOfLines: 2,
                        numberOfSpeedDials: 4
                    )
                ),
                version: version,
                expect: [
                    "skinny.DeviceName": "SEP001122334455", "skinny.instance": "1", "skinny.userName": "Alice",
                    "skinny.serverName": "Strowger", "skinny.numberOfLines": "2", "skinny.numberOfSpeedDials": "4",
                ]
            ),
            ConformanceSample(
                "LineStatRes",
                .lineStatRes(
                    .init(
                        lineNumber: 1,
                        directoryNumber: "1003",
                        fullyQualifiedDisplayName: "Alice Smith",
                        textLabel: "Line 1"
                    )
                ),
                version: version,
                expect: [
                    "skinny.lineNumber": "1", "skinny.lineDirNumber": "1003",
                    "skinny.lineFullyQualifiedDisplayName": "Alice Smith", "skinny.lineTextLabel": "Line 1",
                    "skinny.lineDisplayOptions": "15",
                ]
            ),
            ConformanceSample(
                "LineStatV2Res",
                .lineStatV2Res(
                    .init(
                        lineNumber: 2,
                        directoryNumber: "1004",
                        fullyQualifiedDisplayName: "Alice Smith",
                        textLabel: "Line 2"
                    )
                ),
                version: version,
                expect: [
                    "skinny.lineNumber": "2", "skinny.lineDirNumber": "1004",
                    "skinny.lineFullyQualifiedDisplayName": "Alice Smith", "skinny.lineTextLabel": "Line 2",
                ]
            ),
            // From v18 the numbers are 25 bytes and the flags unaligned; the active flag is 2 there (chan-sccp).
            ConformanceSample(
                "ForwardStatRes",
                .forwardStatRes(
                    .init(
                        lineNumber: 1,
                        forwardAll: "2000",
                        forwardBusy: "3000",
                        forwardNoAnswer: "4000",
                        version: version
                    )
                ),
                version: version,
                expect: [
                    "skinny.activeForward": "1", "skinny.lineNumber": "1",
                    "skinny.forwardAllActive": "\(SkinnyMessage.ForwardStatRes.activeFlag(for: version))",
                    "skinny.forwardAllDirnum": "2000",
                    "skinny.forwardBusyActive": "\(SkinnyMessage.ForwardStatRes.activeFlag(for: version))",
                    "skinny.forwardBusyDirnum": "3000",
                    "skinny.forwardNoAnswerActive": "\(SkinnyMessage.ForwardStatRes.activeFlag(for: version))",
                    "skinny.forwardNoAnswerlDirnum": "4000",
                ]
            ),
            ConformanceSample(
                "SpeedDialStatRes",
                .speedDialStatRes(.init(speedDialNumber: 1, directoryNumber: "2001", displayName: "Bob")),
                version: version,
                expect: [
                    "skinny.speedDialNumber": "1", "skinny.speedDialDirNumber": "2001",
                    "skinny.speedDialDisplayName": "Bob",
                ]
            ),
            ConformanceSample(
                "SpeedDialStatV2Res",
                .speedDialStatV2Res(.init(speedDialNumber: 2, directoryNumber: "2002", displayName: "Carol")),
                version: version,
                expect: [
                    "skinny.speedDialNumber": "2", "skinny.speedDialDirNumber": "2002",
                    "skinny.speedDialDisplayName": "Carol",
                ]
            ),
            ConformanceSample(
                "FeatureStatRes",
                .featureStatRes(.init(featureIndex: 3, featureID: .doNotDisturb, textLabel: "DND", featureStatus: 1)),
                version: version,
                expect: [
                    "skinny.featureIndex": "3", "skinny.featureID": "130", "skinny.featureTextLabel": "DND",
                    "skinny.featureStatus": "1",
                ]
            ),
            ConformanceSample(
                "FeatureStatV2Res",
                .featureStatV2Res(.init(featureIndex: 4, featureID: .blfSpeedDial, featureStatus: 2, textLabel: "Bob")),
                version: version,
                expect: [
                    "skinny.featureIndex": "4", "skinny.featureID": "21", "skinny.featureStatus": "2",
                    "skinny.featureTextLabel": "Bob",
                ]
            ),
            ConformanceSample(
                "ServiceURLStatRes",
                .serviceURLStatRes(
                    .init(serviceURLIndex: 1, url: "http://10.0.0.1/services", displayName: "Services")
                ),
                version: version,
                expect: [
                    "skinny.serviceURLIndex": "1", "skinny.serviceURL": "http://10.0.0.1/services",
                    "skinny.serviceURLDisplayName": "Services",
                ]
            ),
            // Wireshark decodes only the index of 0x0148; the URL and name follow as chan-sccp sends them.
            ConformanceSample(
                "ServiceURLStatV2Res",
                .serviceURLStatV2Res(.init(serviceURLIndex: 2, url: "http://10.0.0.1/dir", displayName: "Directory")),
                version: version,
                expect: ["skinny.serviceURLIndex": "2"]
            ),
            ConformanceSample(
                "TimeDateRes",
                .timeDateRes(.init(unixTime: 1_780_701_527)),
                version: version,
                expect: [
                    "skinny.wYear": "2026", "skinny.wMonth": "6", "skinny.wDayOfWeek": "5", "skinny.wDay": "5",
                    "skinny.wHour": "23", "skinny.wMinute": "18", "skinny.wSecond": "47",
                    "skinny.wMilliseconds": "0", "skinny.systemTime": "1780701527",
                ]
            ),
            ConformanceSample(
                "VersionRes",
                .versionRes(.init(version: "P00308000500")),
                version: version,
                expect: ["skinny.versionStr": "P00308000500"]
            ),
            ConformanceSample(
                "ServerRes",
                .serverRes(
                    .init(
                        servers: (1...5).map {
                            .init(name: "cm\($0)", port: 2000 + UInt32($0 - 1), address: .ipv4(10, 0, 0, UInt8($0)))
                        }
                    )
                ),
                version: version,
                expect: [
                    "skinny.ServerName": "cm1,cm2,cm3,cm4,cm5",
                    "skinny.serverTcpListenPort": "2000,2001,2002,2003,2004",
                    (version.usesAddressBlocks ? "skinny.stationIpAddr.ipv4" : "skinny.stationIpAddr"):
                        "10.0.0.1,10.0.0.2,10.0.0.3,10.0.0.4,10.0.0.5",
                ]
            ),
            ConformanceSample("RegisterTokenAck", .registerTokenAck, version: version),
            ConformanceSample(
                "RegisterTokenReject",
                .registerTokenReject(.init(waitTimeBeforeNextRequest: 30)),
                version: version,
                expect: ["skinny.waitTimeBeforeNextReq": "30"]
            ),
            ConformanceSample(
                "SubscriptionStatRes",
                .subscriptionStatRes(.init(transactionID: 7, timer: 3600, cause: 0)),
                version: version,
                expect: [
                    "skinny.transactionId": "7", "skinny.subscriptionFeatureID": "1", "skinny.timer": "3600",
                    "skinny.cause": "0",
                ]
            ),
            ConformanceSample(
                "Notification",
                .notification(.init(transactionID: 7, status: 2, text: "1003")),
                version: version,
                expect: [
                    "skinny.transactionId": "7", "skinny.subscriptionFeatureID": "1",
                    "skinny.notificationStatus": "2", "skinny.text": "1003",
                ]
            ),
            ConformanceSample(
                "PortReq",
                .portReq(.init(conferenceID: 16, callReference: 32, passThroughPartyID: 48)),
                version: version,
                expect: [
                    "skinny.conferenceId": "16", "skinny.callReference": "32", "skinny.passThroughPartyId": "48",
                    "skinny.mediaTransportType": "1", "skinny.ipAddressType": "0", "skinny.mediaType": "1",
                ]
            ),
            ConformanceSample(
                "PortClose",
                .portClose(.init(conferenceID: 16, callReference: 32, passThroughPartyID: 48)),
                version: version,
                expect: [
                    "skinny.conferenceId": "16", "skinny.callReference": "32", "skinny.passThroughPartyId": "48",
                    "skinny.mediaType": "1",
                ]
            ),
            ConformanceSample(
                "SubscribeDtmfPayloadReq",
                .subscribeDtmfPayloadReq(
                    .init(payloadDTMF: 101, conferenceID: 16, passThroughPartyID: 48, dtmfType: 10)
                ),
                version: version,
                expect: dtmf(dtmfType: "10")
            ),
            ConformanceSample(
                "SubscribeDtmfPayloadRes",
                .subscribeDtmfPayloadRes(.init(payloadDTMF: 101, conferenceID: 16, passThroughPartyID: 48)),
                version: version,
                expect: dtmf()
            ),
            ConformanceSample(
                "SubscribeDtmfPayloadErr",
                .subscribeDtmfPayloadErr(.init(payloadDTMF: 101, conferenceID: 16, passThroughPartyID: 48)),
                version: version,
                expect: dtmf()
            ),
            ConformanceSample(
                "UnSubscribeDtmfPayloadReq",
                .unSubscribeDtmfPayloadReq(
                    .init(payloadDTMF: 101, conferenceID: 16, passThroughPartyID: 48, dtmfType: 10)
                ),
                version: version,
                expect: dtmf(dtmfType: "10")
            ),
            ConformanceSample(
                "UnSubscribeDtmfPayloadRes",
                .unSubscribeDtmfPayloadRes(.init(payloadDTMF: 101, conferenceID: 16, passThroughPartyID: 48)),
                version: version,
                expect: dtmf()
            ),
            ConformanceSample(
                "UnSubscribeDtmfPayloadErr",
                .unSubscribeDtmfPayloadErr(.init(payloadDTMF: 101, conferenceID: 16, passThroughPartyID: 48)),
                version: version,
                expect: dtmf()
            ),
            ConformanceSample(
                "RecordingStatus",
                .recordingStatus(.init(callReference: 0x0100_001F, status: 1)),
                version: version,
                expect: ["skinny.callReference": "16777247", "skinny.recording.status": "1"]
            ),
            ConformanceSample(
                "SPCPRegisterTokenAck",
                .spcpRegisterTokenAck(.init(features: 5)),
                version: version,
                expect: ["skinny.features": "5"]
            ),
            ConformanceSample(
                "SPCPRegisterTokenReject",
                .spcpRegisterTokenReject(.init(waitTimeBeforeNextRequest: 60)),
                version: version,
                expect: ["skinny.waitTimeBeforeNextReq": "60"]
            ),
        ]
    }

    /// The 16 slots of a softkey set as tshark lists them: `used`, then zeros.
    private static func slots(_ used: [String]) -> String {
        (used + Array(repeating: "0", count: 16 - used.count)).joined(separator: ",")
    }

    /// The fields of the (un)subscribe-DTMF-payload messages.
    private static func dtmf(dtmfType: String? = nil) -> [String: String] {
        var fields = ["skinny.payloadDtmf": "101", "skinny.conferenceId": "16", "skinny.passthruPartyID": "48"]
        fields["skinny.dtmfType"] = dtmfType
        return fields
    }
}
