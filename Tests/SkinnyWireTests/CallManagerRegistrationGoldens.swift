import SkinnyWire
import Testing

/// A message, the version it is sent at, and its bytes on the wire (header included), written by hand from the
/// layout tables of reference §5.2 and message-layouts.md. Header: `u32 length` (4 + body), `u32 headerVersion`
/// (0 below v10, else the version; 0 always for UnregisterAck), `u32 messageId`.
struct RegistrationGolden: Sendable, CustomTestStringConvertible {
    var name: String
    var message: CallManagerMessage
    var version: SkinnyProtocolVersion
    var hex: String

    var testDescription: String { "\(self.name) at \(self.version)" }

    init(_ name: String, _ message: CallManagerMessage, _ version: SkinnyProtocolVersion, _ hex: String) {
        self.name = name
        self.message = message
        self.version = version
        self.hex = hex
    }
}

extension RegistrationGolden {
    private static func z(_ count: Int) -> String { RegistrationWire.zeros(count) }

    static let all: [RegistrationGolden] = [
        // RegisterReject: char[32] text.
        .init(
            "RegisterReject",
            .registerReject(.init(text: "Unknown device")),
            .v5,
            "24000000 00000000 9d000000 556e6b6e6f776e20646576696365 \(z(18))"
        ),
        .init(
            "RegisterReject",
            .registerReject(.init(text: "Unknown device")),
            .v17,
            "24000000 11000000 9d000000 556e6b6e6f776e20646576696365 \(z(18))"
        ),
        // Reset: u32 resetType (2 restart).
        .init("Reset", .reset(.init(.restart)), .v11, "08000000 0b000000 9f000000 02000000"),
        // UnregisterAck: u32 status; header version 0 even at v22.
        .init("UnregisterAck", .unregisterAck(.init(.ok)), .v22, "08000000 00000000 18010000 00000000"),
        .init("UnregisterAck", .unregisterAck(.init(.notAcknowledged)), .v5, "08000000 00000000 18010000 02000000"),
        // ButtonTemplateRes: offset 0, count 3, total 3, {instance, type}[42], unused slots 00 FF.
        .init(
            "ButtonTemplateRes",
            .buttonTemplateRes(.init([(1, .line), (2, .line), (1, .blfSpeedDial)])),
            .v15,
            "64000000 0f000000 97000000 00000000 03000000 03000000 0109 0209 0115 "
                + String(repeating: "00ff", count: 39)
        ),
        // SoftKeyTemplateRes: offset 0, count 2, total 2, {char[16] label, u32 event}[32].
        .init(
            "SoftKeyTemplateRes",
            .softKeyTemplateRes(
                .init(softKeys: [
                    .init(label: "Redial", event: .redial), .init(label: SkinnyText.label(9), event: .endCall),
                ])
            ),
            .v20,
            """
            90020000 14000000 08010000 00000000 02000000 02000000
            52656469616c \(z(10)) 01000000
            8009 \(z(14)) 09000000
            \(z(30 * 20))
            """
        ),
        // SoftKeySetRes: offset 0, count 2, total 16, {u8 templateIndex[16], u16 infoIndex[16]}[16].
        .init(
            "SoftKeySetRes",
            .softKeySetRes(
                .init(
                    totalSoftKeySetCount: 16,
                    softKeySets: [
                        .init(keys: [.init(templateIndex: 1, infoIndex: 301), .init(templateIndex: 2, infoIndex: 302)]),
                        .init(keys: [.init(templateIndex: 11, infoIndex: 311)]),
                    ]
                )
            ),
            .v17,
            """
            10030000 11000000 09010000 00000000 02000000 10000000
            0102 \(z(14)) 2d01 2e01 \(z(28))
            0b \(z(15)) 3701 \(z(30))
            \(z(14 * 48))
            """
        ),
        // ConfigStatRes: char[16] device, u32 userId, u32 instance, char[40] user, char[40] server, u32 lines,
        // u32 speed dials.
        .init(
            "ConfigStatRes",
            .configStatRes(
                .init(deviceName: "SEP001122334455", serverName: "Strowger", numberOfLines: 2, numberOfSpeedDials: 4)
            ),
            .v11,
            """
            74000000 0b000000 93000000
            534550303031313232333334343535 00 00000000 01000000
            \(z(40)) 5374726f77676572 \(z(32)) 02000000 04000000
            """
        ),
        // ConfigStatV2Res (Wireshark's order): cstr device, u32 userId, u32 instance, u32 lines, u32 speed dials,
        // cstr user, cstr server, padded to 4.
        .init(
            "ConfigStatV2Res",
            .configStatV2Res(
                .init(
                    deviceName: "SEP001122334455",
                    userName: "Alice",
                    serverName: "Strowger",
                    numberOfLines: 2,
                    numberOfSpeedDials: 4
                )
            ),
            .v17,
            """
            34000000 11000000 42010000
            534550303031313232333334343535 00 00000000 01000000 02000000 04000000
            416c696365 00 5374726f77676572 00 00
            """
        ),
        // LineStatRes: u32 line, char[24] number, char[40] name, char[40] label, u32 display options.
        .init(
            "LineStatRes",
            .lineStatRes(
                .init(lineNumber: 1, directoryNumber: "1003", fullyQualifiedDisplayName: "Alice", textLabel: "Line 1")
            ),
            .v11,
            """
            74000000 0b000000 92000000 01000000
            31303033 \(z(20)) 416c696365 \(z(35)) 4c696e652031 \(z(34)) 0f000000
            """
        ),
        // LineStatV2Res: u32 line, u32 lineType, cstr number, cstr name, cstr label, padded to 4.
        .init(
            "LineStatV2Res",
            .lineStatV2Res(
                .init(lineNumber: 1, directoryNumber: "1003", fullyQualifiedDisplayName: "Alice", textLabel: "Line 1")
            ),
            .v17,
            "20000000 11000000 47010000 01000000 00000000 31303033 00 416c696365 00 4c696e652031 00 0000"
        ),
        // ForwardStatRes up to v17: flags and char[24] numbers, aligned; forward-all active with flag 1.
        .init(
            "ForwardStatRes",
            .forwardStatRes(.init(lineNumber: 1, forwardAll: "2000", version: .v17)),
            .v17,
            """
            60000000 11000000 90000000 01000000 01000000
            01000000 32303030 \(z(20))
            00000000 \(z(24))
            00000000 \(z(24))
            """
        ),
        // ForwardStatRes from v18: char[25] numbers at 12, 41, 70, flags unaligned at 37 and 66 (flag value 2),
        // 95 bytes padded to 96.
        .init(
            "ForwardStatRes",
            .forwardStatRes(.init(lineNumber: 1, forwardAll: "2000", forwardBusy: "3000", version: .v18)),
            .v18,
            """
            64000000 12000000 90000000 01000000 01000000
            02000000 32303030 \(z(21))
            02000000 33303030 \(z(21))
            00000000 \(z(25))
            00
            """
        ),
        // SpeedDialStatRes: u32 instance, char[24] number, char[40] name.
        .init(
            "SpeedDialStatRes",
            .speedDialStatRes(.init(speedDialNumber: 1, directoryNumber: "2001", displayName: "Bob")),
            .v5,
            "48000000 00000000 91000000 01000000 32303031 \(z(20)) 426f62 \(z(37))"
        ),
        // SpeedDialStatV2Res: u32 instance, cstr number, cstr name, padded to 4.
        .init(
            "SpeedDialStatV2Res",
            .speedDialStatV2Res(.init(speedDialNumber: 1, directoryNumber: "2001", displayName: "Bob")),
            .v22,
            "14000000 16000000 49010000 01000000 32303031 00 426f62 00 000000"
        ),
        // FeatureStatRes: u32 index, u32 featureId, char[40] label, u32 status.
        .init(
            "FeatureStatRes",
            .featureStatRes(.init(featureIndex: 2, featureID: .blfSpeedDial, textLabel: "Bob", featureStatus: 1)),
            .v15,
            "38000000 0f000000 1f010000 02000000 15000000 426f62 \(z(37)) 01000000"
        ),
        // FeatureStatV2Res: u32 index, u32 featureId, u32 status, cstr label, padded to 4.
        .init(
            "FeatureStatV2Res",
            .featureStatV2Res(.init(featureIndex: 2, featureID: .blfSpeedDial, featureStatus: 2, textLabel: "Bob")),
            .v20,
            "14000000 14000000 46010000 02000000 15000000 02000000 426f6200"
        ),
        // ServiceURLStatRes: u32 index, char[256] url, char[40] name.
        .init(
            "ServiceURLStatRes",
            .serviceURLStatRes(.init(serviceURLIndex: 1, url: "http://10.0.0.1/svc", displayName: "Services")),
            .v11,
            """
            30010000 0b000000 2f010000 01000000
            687474703a2f2f31302e302e302e312f737663 \(z(237))
            5365727669636573 \(z(32))
            """
        ),
        // ServiceURLStatV2Res: u32 index, cstr url, cstr name, padded to 4.
        .init(
            "ServiceURLStatV2Res",
            .serviceURLStatV2Res(.init(serviceURLIndex: 1, url: "http://10.0.0.1/svc", displayName: "Services")),
            .v17,
            """
            28000000 11000000 48010000 01000000
            687474703a2f2f31302e302e302e312f737663 00 5365727669636573 00 000000
            """
        ),
        // TimeDateRes: nine u32: 2026-06-05 (Friday) 23:18:47.000, Unix time 1780701527 = 0x6A235957.
        .init(
            "TimeDateRes",
            .timeDateRes(.init(unixTime: 1_780_701_527)),
            .v11,
            """
            28000000 0b000000 94000000
            ea070000 06000000 05000000 05000000 17000000 12000000 2f000000 00000000 5759236a
            """
        ),
        // VersionRes: char[16].
        .init(
            "VersionRes",
            .versionRes(.init(version: "P00308000500")),
            .v5,
            "14000000 00000000 98000000 503030333038303030353030 00000000"
        ),
        // ServerRes up to v16: char[48] name[5], u32 port[5], then at 260 IPv4 (network order)[5].
        .init(
            "ServerRes",
            .serverRes(
                .init(servers: [
                    .init(name: "cm1", address: .ipv4(10, 0, 0, 1)),
                    .init(name: "cm2", port: 2001, address: .ipv4(10, 0, 0, 2)),
                ])
            ),
            .v16,
            """
            1c010000 10000000 9e000000
            636d31 \(z(45)) 636d32 \(z(45)) \(z(144))
            d0070000 d1070000 00000000 00000000 00000000
            0a000001 0a000002 00000000 00000000 00000000
            """
        ),
        // ServerRes from v17: the addresses are {u32 type, byte[16]}[5], still from 260.
        .init(
            "ServerRes",
            .serverRes(
                .init(servers: [
                    .init(name: "cm1", address: .ipv4(10, 0, 0, 1)),
                    .init(name: "cm2", port: 2001, address: .ipv4(10, 0, 0, 2)),
                ])
            ),
            .v17,
            """
            6c010000 11000000 9e000000
            636d31 \(z(45)) 636d32 \(z(45)) \(z(144))
            d0070000 d1070000 00000000 00000000 00000000
            00000000 0a000001 \(z(12))
            00000000 0a000002 \(z(12))
            \(z(60))
            """
        ),
        // RegisterTokenAck: no body.
        .init("RegisterTokenAck", .registerTokenAck, .v17, "04000000 11000000 1a010000"),
        // RegisterTokenReject: u32 wait time.
        .init(
            "RegisterTokenReject",
            .registerTokenReject(.init(waitTimeBeforeNextRequest: 30)),
            .v5,
            "08000000 00000000 1b010000 1e000000"
        ),
        // SubscriptionStatRes: u32 transaction, u32 feature (1 BLF), u32 timer, u32 cause.
        .init(
            "SubscriptionStatRes",
            .subscriptionStatRes(.init(transactionID: 7, timer: 3600)),
            .v20,
            "14000000 14000000 52010000 07000000 01000000 100e0000 00000000"
        ),
        // Notification: u32 transaction, u32 feature, u32 status, char[97] text, padded to 112.
        .init(
            "Notification",
            .notification(.init(transactionID: 7, status: 2, text: "1003")),
            .v17,
            "74000000 11000000 53010000 07000000 01000000 02000000 31303033 \(z(93)) 000000"
        ),
        // PortReq: conference, callRef, passThrough, transport (1 RTP), address type (0 IPv4), media type (1 audio).
        .init(
            "PortReq",
            .portReq(.init(conferenceID: 0x10, callReference: 0x20, passThroughPartyID: 0x30)),
            .v22,
            "1c000000 16000000 4b010000 10000000 20000000 30000000 01000000 00000000 01000000"
        ),
        // PortClose: conference, callRef, passThrough, media type.
        .init(
            "PortClose",
            .portClose(.init(conferenceID: 0x10, callReference: 0x20, passThroughPartyID: 0x30)),
            .v22,
            "14000000 16000000 4c010000 10000000 20000000 30000000 01000000"
        ),
        // (Un)SubscribeDtmfPayload: u32 payload, conference, passThrough (+ dtmfType in the requests).
        .init(
            "SubscribeDtmfPayloadReq",
            .subscribeDtmfPayloadReq(
                .init(payloadDTMF: 101, conferenceID: 0x10, passThroughPartyID: 0x30, dtmfType: 10)
            ),
            .v11,
            "14000000 0b000000 29010000 65000000 10000000 30000000 0a000000"
        ),
        .init(
            "SubscribeDtmfPayloadRes",
            .subscribeDtmfPayloadRes(.init(payloadDTMF: 101, conferenceID: 0x10, passThroughPartyID: 0x30)),
            .v11,
            "10000000 0b000000 2a010000 65000000 10000000 30000000"
        ),
        .init(
            "SubscribeDtmfPayloadErr",
            .subscribeDtmfPayloadErr(.init(payloadDTMF: 101, conferenceID: 0x10, passThroughPartyID: 0x30)),
            .v11,
            "10000000 0b000000 2b010000 65000000 10000000 30000000"
        ),
        .init(
            "UnSubscribeDtmfPayloadReq",
            .unSubscribeDtmfPayloadReq(
                .init(payloadDTMF: 101, conferenceID: 0x10, passThroughPartyID: 0x30, dtmfType: 10)
            ),
            .v11,
            "14000000 0b000000 2c010000 65000000 10000000 30000000 0a000000"
        ),
        .init(
            "UnSubscribeDtmfPayloadRes",
            .unSubscribeDtmfPayloadRes(.init(payloadDTMF: 101, conferenceID: 0x10, passThroughPartyID: 0x30)),
            .v11,
            "10000000 0b000000 2d010000 65000000 10000000 30000000"
        ),
        .init(
            "UnSubscribeDtmfPayloadErr",
            .unSubscribeDtmfPayloadErr(.init(payloadDTMF: 101, conferenceID: 0x10, passThroughPartyID: 0x30)),
            .v11,
            "10000000 0b000000 2e010000 65000000 10000000 30000000"
        ),
        // RecordingStatus: u32 callRef, u32 status (1 on).
        .init(
            "RecordingStatus",
            .recordingStatus(.init(callReference: 0x0100_001F, status: 1)),
            .v20,
            "0c000000 14000000 60010000 1f000001 01000000"
        ),
        // SPCPRegisterTokenAck / Reject: u32 features / u32 wait time; ids 0x8100 and 0x8101.
        .init(
            "SPCPRegisterTokenAck",
            .spcpRegisterTokenAck(.init(features: 0)),
            .v5,
            "08000000 00000000 00810000 00000000"
        ),
        .init(
            "SPCPRegisterTokenReject",
            .spcpRegisterTokenReject(.init(waitTimeBeforeNextRequest: 60)),
            .v5,
            "08000000 00000000 01810000 3c000000"
        ),
    ]
}
