import NIOCore
import SkinnyWire
import Testing

/// One message at one version and the body it must be written as, byte for byte, from the layout tables of the
/// SCCP reference (§5.2 and message-layouts.md).
struct CallManagerCallGolden: Sendable, CustomTestStringConvertible {
    var name: String
    var version: SkinnyProtocolVersion
    var message: CallManagerMessage
    var body: [UInt8]

    init(_ name: String, _ version: SkinnyProtocolVersion, _ message: CallManagerMessage, _ body: [UInt8]) {
        self.name = name
        self.version = version
        self.message = message
        self.body = body
    }

    init(_ name: String, _ version: SkinnyProtocolVersion, _ message: CallManagerMessage, hex text: String) {
        self.init(name, version, message, hex(text))
    }

    var testDescription: String { "\(self.name) at \(self.version)" }
}

private typealias W = CallManagerCallBytes
private let line = CallManagerCallFixture.line
private let call = CallManagerCallFixture.call
private let conference = CallManagerCallFixture.conference
private let party = CallManagerCallFixture.party
/// `line`, `call`, `conference` and `party` as wire bytes.
private let lineBytes = "03000000"
private let callBytes = "20000001"
private let conferenceBytes = "34120000"
private let partyBytes = "02010001"

@Suite struct CallManagerCallGoldenTests {
    /// Fixed-layout messages that are the same at every version.
    static let fixed: [CallManagerCallGolden] = [
        .init(
            "StartTone",
            .v5,
            .startTone(.init(.alerting, direction: .network, lineInstance: line, callReference: call)),
            hex: "24000000 01000000 \(lineBytes) \(callBytes)"
        ),
        .init(
            "StopTone (8 bytes below v11)",
            .v5,
            .stopTone(.init(lineInstance: line, callReference: call)),
            hex: "\(lineBytes) \(callBytes)"
        ),
        .init(
            "StopTone (tone from v11)",
            .v11,
            .stopTone(.init(lineInstance: line, callReference: call, tone: .alerting)),
            hex: "\(lineBytes) \(callBytes) 24000000"
        ),
        .init(
            "SetRinger",
            .v5,
            .setRinger(.init(.inside, duration: .single, lineInstance: line, callReference: call)),
            hex: "02000000 02000000 \(lineBytes) \(callBytes)"
        ),
        .init(
            "SetLamp",
            .v17,
            .setLamp(.init(.blfSpeedDial, instance: 4, mode: .wink)),
            hex: "15000000 04000000 03000000"
        ),
        .init("SetHookFlashDetect", .v5, .setHookFlashDetect, hex: ""),
        .init("SetSpeakerMode", .v5, .setSpeakerMode(.init(.off)), hex: "02000000"),
        .init("SetMicroMode", .v22, .setMicroMode(.init(.on)), hex: "01000000"),
        .init(
            "StopMediaTransmission",
            .v17,
            .stopMediaTransmission(
                .init(
                    conferenceID: conference,
                    passThroughPartyID: party,
                    callReference: call,
                    portHandling: .keepPortOpen
                )
            ),
            hex: "\(conferenceBytes) \(partyBytes) \(callBytes) 01000000"
        ),
        .init(
            "StopMediaReception",
            .v5,
            .stopMediaReception(.init(conferenceID: conference, passThroughPartyID: party)),
            hex: "\(conferenceBytes) \(partyBytes)"
        ),
        .init("DisplayText", .v5, .displayText(.init("Hello")), W.text("Hello", 32)),
        .init("ClearDisplay", .v5, .clearDisplay, hex: ""),
        .init(
            "StopMulticastMediaReception",
            .v5,
            .stopMulticastMediaReception(
                .init(conferenceID: conference, passThroughPartyID: party, callReference: call)
            ),
            hex: "\(conferenceBytes) \(partyBytes) \(callBytes)"
        ),
        .init(
            "StopMulticastMediaTransmission",
            .v17,
            .stopMulticastMediaTransmission(
                .init(conferenceID: conference, passThroughPartyID: party, callReference: call)
            ),
            hex: "\(conferenceBytes) \(partyBytes) \(callBytes)"
        ),
        .init(
            "CloseReceiveChannel",
            .v5,
            .closeReceiveChannel(.init(conferenceID: conference, passThroughPartyID: party, callReference: call)),
            hex: "\(conferenceBytes) \(partyBytes) \(callBytes) 00000000"
        ),
        .init(
            "SelectSoftKeys",
            .v5,
            .selectSoftKeys(
                .init(lineInstance: line, callReference: call, softKeySet: .digitsFollowing, validKeyMask: 0xFFFD)
            ),
            hex: "\(lineBytes) \(callBytes) 06000000 fdff0000"
        ),
        .init(
            "DisplayPromptStatus",
            .v5,
            .displayPromptStatus(.init("\u{80}\u{20}", timeout: 5, lineInstance: line, callReference: call)),
            W.u32(5) + [0x80, 0x20] + W.zeros(30) + W.u32(line) + W.u32(call)
        ),
        .init(
            "ClearPromptStatus",
            .v5,
            .clearPromptStatus(.init(lineInstance: line, callReference: call)),
            hex: "\(lineBytes) \(callBytes)"
        ),
        .init(
            "DisplayNotify",
            .v5,
            .displayNotify(.init("Forwarded", timeout: 10)),
            W.u32(10) + W.text("Forwarded", 32)
        ),
        .init("ClearNotify", .v5, .clearNotify, hex: ""),
        .init("ActivateCallPlane", .v5, .activateCallPlane(.init(lineInstance: line)), hex: lineBytes),
        .init("DeactivateCallPlane", .v5, .deactivateCallPlane, hex: ""),
        .init(
            "BackSpaceRes",
            .v5,
            .backSpaceRes(.init(lineInstance: line, callReference: call)),
            hex: "\(lineBytes) \(callBytes)"
        ),
        .init(
            "StartMediaFailureDetection",
            .v5,
            .startMediaFailureDetection(
                .init(
                    conferenceID: conference,
                    passThroughPartyID: party,
                    packetSize: 20,
                    codec: .g729,
                    echoCancellation: true,
                    callReference: call
                )
            ),
            hex: "\(conferenceBytes) \(partyBytes) 14000000 0b000000 01000000 00000000 \(callBytes)"
        ),
        .init(
            "DisplayPriNotify",
            .v5,
            .displayPriNotify(.init("\u{80}\u{17}1003", timeout: 10, priority: 5)),
            hex: "0a000000 05000000 8017313030330000 0000000000000000 0000000000000000 0000000000000000"
        ),
        .init("ClearPriNotify", .v5, .clearPriNotify(.init(priority: 5)), hex: "05000000"),
        .init(
            "NotifyDtmfTone",
            .v5,
            .notifyDtmfTone(.init(0x0E, conferenceID: conference, passThroughPartyID: party)),
            hex: "0e000000 \(conferenceBytes) \(partyBytes)"
        ),
        .init(
            "SendDtmfTone",
            .v17,
            .sendDtmfTone(.init(0x05, conferenceID: conference, passThroughPartyID: party)),
            hex: "05000000 \(conferenceBytes) \(partyBytes)"
        ),
        .init(
            "CallSelectStatRes",
            .v5,
            .callSelectStatRes(.init(callSelectStat: 1, callReference: call, lineInstance: line)),
            hex: "01000000 \(callBytes) \(lineBytes)"
        ),
        .init(
            "StopMultiMediaTransmission",
            .v17,
            .stopMultiMediaTransmission(
                .init(
                    conferenceID: conference,
                    passThroughPartyID: party,
                    callReference: call,
                    portHandling: .keepPortOpen
                )
            ),
            hex: "\(conferenceBytes) \(partyBytes) \(callBytes) 01000000"
        ),
        .init(
            "FlowControlCommand",
            .v17,
            .flowControlCommand(
                .init(conferenceID: conference, passThroughPartyID: party, callReference: call, maximumBitRate: 384_000)
            ),
            hex: "\(conferenceBytes) \(partyBytes) \(callBytes) 00dc0500"
        ),
        .init(
            "CloseMultiMediaReceiveChannel",
            .v17,
            .closeMultiMediaReceiveChannel(
                .init(conferenceID: conference, passThroughPartyID: party, callReference: call)
            ),
            hex: "\(conferenceBytes) \(partyBytes) \(callBytes) 00000000"
        ),
        .init(
            "CallHistoryInfo",
            .v5,
            .callHistoryInfo(.init(.received, lineInstance: line, callReference: call)),
            hex: "02000000 \(lineBytes) \(callBytes)"
        ),
    ]

    /// Dynamic messages: integers, NUL-terminated text, zero padding to 4 bytes (reference §3).
    static let dynamic: [CallManagerCallGolden] = [
        .init(
            "DisplayNotifyV2, 2-byte text",
            .v11,
            .displayNotifyV2(.init("Hi", timeout: 10)),
            hex: "0a000000 48690000"
        ),
        .init(
            "DisplayNotifyV2, 5-byte text",
            .v11,
            .displayNotifyV2(.init("Hello", timeout: 10)),
            hex: "0a000000 48656c6c 6f000000"
        ),
        .init(
            "DisplayNotifyV2, 3-byte text",
            .v17,
            .displayNotifyV2(.init("abc", timeout: 0)),
            hex: "00000000 61626300"
        ),
        .init("DisplayNotifyV2, empty", .v17, .displayNotifyV2(.init("", timeout: 0)), hex: "00000000 00000000"),
        .init(
            "DisplayPriNotifyV2",
            .v11,
            .displayPriNotifyV2(.init("\u{80}\u{17}1003", timeout: 10, priority: 5)),
            hex: "0a000000 05000000 80173130 30330000"
        ),
        .init(
            "DisplayPromptStatusV2",
            .v17,
            .displayPromptStatusV2(.init("\u{80}\u{20}", timeout: 0, lineInstance: line, callReference: call)),
            hex: "00000000 \(lineBytes) \(callBytes) 80200000"
        ),
        .init(
            "UserToDeviceData, 4 bytes of data",
            .v5,
            .userToDeviceData(
                .init(
                    applicationID: 1,
                    lineInstance: line,
                    callReference: call,
                    transactionID: 7,
                    data: Array("<a/>".utf8)
                )
            ),
            hex: "01000000 \(lineBytes) \(callBytes) 07000000 04000000 3c612f3e"
        ),
        .init(
            "UserToDeviceData, 5 bytes of data",
            .v17,
            .userToDeviceData(
                .init(
                    applicationID: 1,
                    lineInstance: line,
                    callReference: call,
                    transactionID: 7,
                    data: Array("<ab/>".utf8)
                )
            ),
            hex: "01000000 \(lineBytes) \(callBytes) 07000000 05000000 3c61622f 3e000000"
        ),
        .init(
            "UserToDeviceDataV1",
            .v17,
            .userToDeviceDataV1(
                .init(
                    applicationID: 9081,
                    lineInstance: line,
                    callReference: call,
                    transactionID: 7,
                    sequenceFlag: .last,
                    displayPriority: 2,
                    conferenceID: conference,
                    appInstanceID: 9,
                    routingID: 11,
                    data: Array("<a/>".utf8)
                )
            ),
            hex: "79230000 \(lineBytes) \(callBytes) 07000000 04000000 02000000 02000000 \(conferenceBytes) 09000000"
                + " 0b000000 3c612f3e"
        ),
    ]

    /// Messages whose layout changes with the version, one golden per variant.
    static let variants: [CallManagerCallGolden] = {
        let key = CallManagerCallFixture.key
        let keyBytes = CallManagerCallFixture.keyBytes
        let latent = CallManagerCallFixture.latent
        let latentBytes = CallManagerCallFixture.latentBytes
        let ipv6 = CallManagerCallFixture.ipv6

        func orc(
            mixing: UInt32 = 0,
            direction: UInt32 = 0,
            source: SkinnyIPAddress = .unspecified,
            port: UInt32 = 0,
            requested: SkinnyIPAddressType = .ipv4,
            audio: Int32 = 0,
            latent: SkinnyLatentCapabilities = .none
        ) -> CallManagerMessage {
            .openReceiveChannel(
                .init(
                    conferenceID: conference,
                    passThroughPartyID: party,
                    packetSize: 20,
                    codec: .g711ULaw64k,
                    echoCancellation: true,
                    callReference: call,
                    encryptionKey: key,
                    streamPassThroughID: 5,
                    associatedStreamID: 6,
                    rfc2833PayloadType: 101,
                    dtmfType: 10,
                    mixingMode: mixing,
                    partyDirection: direction,
                    sourceAddress: source,
                    sourcePort: port,
                    requestedAddressType: requested,
                    audioLevelAdjustment: audio,
                    latentCapabilities: latent
                )
            )
        }
        // conferenceId, passThroughPartyId, 20 ms, codec 4, echo cancellation on, codec parameters 0, callReference,
        // the key block, streamPassThroughId 5, associatedStreamId 6, RFC 2833 payload 101, dtmfType 10: 92 bytes.
        let orcBase =
            W.u32(conference) + W.u32(party) + W.u32(20) + W.u32(4) + W.u32(1) + W.u32(0) + W.u32(call) + keyBytes
            + W.u32(5) + W.u32(6) + W.u32(101) + W.u32(10)

        func smt(
            remote: SkinnyIPAddress,
            direction: UInt32 = 0,
            latent: SkinnyLatentCapabilities = .none
        ) -> CallManagerMessage {
            .startMediaTransmission(
                .init(
                    conferenceID: conference,
                    passThroughPartyID: party,
                    remoteAddress: remote,
                    remotePort: 60186,
                    packetSize: 20,
                    codec: .g711ULaw64k,
                    precedence: 184,
                    silenceSuppression: true,
                    maxFramesPerPacket: 2,
                    codecParameters: .init(codecMode: 1, dynamicPayload: 96),
                    callReference: call,
                    encryptionKey: key,
                    streamPassThroughID: 5,
                    associatedStreamID: 6,
                    rfc2833PayloadType: 101,
                    dtmfType: 10,
                    mixingMode: 1,
                    partyDirection: direction,
                    latentCapabilities: latent
                )
            )
        }
        // Everything after the remote address: port 60186, 20 ms, codec 4, precedence 184, silence suppression on,
        // maxFramesPerPacket 2 and 2 bytes padding, codec parameters {1, 96, 0, 0}, callReference, key block,
        // streamPassThroughId 5, associatedStreamId 6, RFC 2833 payload 101, dtmfType 10, mixingMode 1.
        let smtTail =
            W.u32(60186) + W.u32(20) + W.u32(4) + W.u32(184) + W.u32(1) + W.u16(2) + W.u16(0) + [1, 96, 0, 0]
            + W.u32(call) + keyBytes + W.u32(5) + W.u32(6) + W.u32(101) + W.u32(10) + W.u32(1)

        let callInfoV2Short = CallManagerMessage.callInfoV2(
            .init(
                lineInstance: line,
                callReference: call,
                callType: .inbound,
                callingParty: "1003",
                callingPartyName: "Alice",
                calledParty: "1004",
                calledPartyName: "Bob",
                callInstance: 1,
                callSecurityStatus: .authenticated,
                partyRestrictions: .callingParty
            )
        )
        let callInfoV2Full = CallManagerMessage.callInfoV2(
            .init(
                lineInstance: line,
                callReference: call,
                callType: .inbound,
                callingParty: "1003",
                callingPartyName: "Alice",
                calledParty: "1004",
                calledPartyName: "Bob",
                alternateCallingParty: "+1003",
                huntPilotNumber: "2000",
                huntPilotName: "Sales",
                callInstance: 1,
                callSecurityStatus: .authenticated,
                partyRestrictions: .callingParty
            )
        )
        // line, call, inbound, no redirect reasons, call instance 1, authenticated, calling party restricted.
        let callInfoV2Head =
            W.u32(line) + W.u32(call) + W.u32(1) + W.u32(0) + W.u32(0) + W.u32(1) + W.u32(2) + W.u32(3)

        return [
            // OpenReceiveChannel: 92 / 108 / 112 / 128 / 168 bytes.
            .init("OpenReceiveChannel", .v5, orc(), orcBase),
            .init(
                "OpenReceiveChannel",
                .v11,
                orc(mixing: 1, direction: 2, source: .ipv4(10, 1, 2, 3), port: 16384),
                orcBase + W.u32(1) + W.u32(2) + W.ipv4(10, 1, 2, 3) + W.u32(16384)
            ),
            .init(
                "OpenReceiveChannel",
                .v15,
                orc(mixing: 1, direction: 2, source: .ipv4(10, 1, 2, 3), port: 16384),
                orcBase + W.u32(1) + W.u32(2) + W.ipv4(10, 1, 2, 3) + W.u32(16384)
            ),
            .init(
                "OpenReceiveChannel",
                .v16,
                orc(mixing: 1, direction: 2, source: .ipv4(10, 1, 2, 3), port: 16384, requested: .ipv4AndIPv6),
                orcBase + W.u32(1) + W.u32(2) + W.ipv4(10, 1, 2, 3) + W.u32(16384) + W.u32(2)
            ),
            .init(
                "OpenReceiveChannel",
                .v17,
                orc(mixing: 1, direction: 2, source: .ipv4(10, 1, 2, 3), port: 16384, requested: .ipv4AndIPv6),
                orcBase + W.u32(1) + W.u32(2) + W.ipv4Block(10, 1, 2, 3) + W.u32(16384) + W.u32(2)
            ),
            .init(
                "OpenReceiveChannel, IPv6 source",
                .v20,
                orc(source: .ipv6(ipv6), port: 16384, requested: .ipv6),
                orcBase + W.u32(0) + W.u32(0) + W.u32(1) + ipv6 + W.u32(16384) + W.u32(1)
            ),
            .init(
                "OpenReceiveChannel",
                .v21,
                orc(mixing: 1, direction: 2, source: .ipv4(10, 1, 2, 3), port: 16384, audio: -6, latent: latent),
                orcBase + W.u32(1) + W.u32(2) + W.ipv4Block(10, 1, 2, 3) + W.u32(16384) + W.u32(0)
                    + W.u32(0xFFFF_FFFA) + latentBytes
            ),
            .init(
                "OpenReceiveChannel",
                .v22,
                orc(source: .ipv4(10, 1, 2, 3), port: 16384),
                orcBase + W.u32(0) + W.u32(0) + W.ipv4Block(10, 1, 2, 3) + W.u32(16384) + W.u32(0) + W.u32(0)
                    + W.zeros(36)
            ),

            // StartMediaTransmission: 112 / 116 / 132 / 168 bytes.
            .init(
                "StartMediaTransmission",
                .v5,
                smt(remote: .ipv4(10, 102, 219, 27)),
                W.u32(conference) + W.u32(party) + W.ipv4(10, 102, 219, 27) + smtTail
            ),
            .init(
                "StartMediaTransmission",
                .v11,
                smt(remote: .ipv4(10, 102, 219, 27)),
                W.u32(conference) + W.u32(party) + W.ipv4(10, 102, 219, 27) + smtTail
            ),
            .init(
                "StartMediaTransmission",
                .v15,
                smt(remote: .ipv4(10, 102, 219, 27), direction: 2),
                W.u32(conference) + W.u32(party) + W.ipv4(10, 102, 219, 27) + smtTail + W.u32(2)
            ),
            .init(
                "StartMediaTransmission",
                .v16,
                smt(remote: .ipv4(10, 102, 219, 27), direction: 2),
                W.u32(conference) + W.u32(party) + W.ipv4(10, 102, 219, 27) + smtTail + W.u32(2)
            ),
            .init(
                "StartMediaTransmission",
                .v17,
                smt(remote: .ipv4(10, 102, 219, 27), direction: 2),
                W.u32(conference) + W.u32(party) + W.ipv4Block(10, 102, 219, 27) + smtTail + W.u32(2)
            ),
            .init(
                "StartMediaTransmission, IPv6 remote",
                .v20,
                smt(remote: .ipv6(ipv6), direction: 2),
                W.u32(conference) + W.u32(party) + W.u32(1) + ipv6 + smtTail + W.u32(2)
            ),
            .init(
                "StartMediaTransmission",
                .v21,
                smt(remote: .ipv4(10, 102, 219, 27), direction: 2, latent: latent),
                W.u32(conference) + W.u32(party) + W.ipv4Block(10, 102, 219, 27) + smtTail + W.u32(2) + latentBytes
            ),
            .init(
                "StartMediaTransmission",
                .v22,
                smt(remote: .ipv4(10, 102, 219, 27)),
                W.u32(conference) + W.u32(party) + W.ipv4Block(10, 102, 219, 27) + smtTail + W.u32(0) + W.zeros(36)
            ),

            // Multicast: 36 / 44 bytes below v17, 52 / 60 from v17.
            .init(
                "StartMulticastMediaReception",
                .v5,
                .startMulticastMediaReception(
                    .init(
                        conferenceID: conference,
                        passThroughPartyID: party,
                        multicastAddress: .ipv4(239, 1, 1, 1),
                        multicastPort: 20480,
                        packetSize: 20,
                        codec: .g711ALaw64k,
                        echoCancellation: true,
                        codecParameters: 2,
                        callReference: call
                    )
                ),
                W.u32(conference) + W.u32(party) + W.ipv4(239, 1, 1, 1) + W.u32(20480) + W.u32(20) + W.u32(2)
                    + W.u32(1) + W.u32(2) + W.u32(call)
            ),
            .init(
                "StartMulticastMediaReception",
                .v17,
                .startMulticastMediaReception(
                    .init(
                        conferenceID: conference,
                        passThroughPartyID: party,
                        multicastAddress: .ipv4(239, 1, 1, 1),
                        multicastPort: 20480,
                        packetSize: 20,
                        codec: .g711ALaw64k,
                        echoCancellation: true,
                        codecParameters: 2,
                        callReference: call
                    )
                ),
                W.u32(conference) + W.u32(party) + W.ipv4Block(239, 1, 1, 1) + W.u32(20480) + W.u32(20) + W.u32(2)
                    + W.u32(1) + W.u32(2) + W.u32(call)
            ),
            .init(
                "StartMulticastMediaTransmission",
                .v11,
                .startMulticastMediaTransmission(
                    .init(
                        conferenceID: conference,
                        passThroughPartyID: party,
                        multicastAddress: .ipv4(239, 1, 1, 2),
                        multicastPort: 20482,
                        packetSize: 30,
                        codec: .g729,
                        precedence: 184,
                        silenceSuppression: true,
                        maxFramesPerPacket: 3,
                        codecParameters: 1,
                        callReference: call
                    )
                ),
                W.u32(conference) + W.u32(party) + W.ipv4(239, 1, 1, 2) + W.u32(20482) + W.u32(30) + W.u32(11)
                    + W.u32(184) + W.u32(1) + W.u16(3) + W.u16(0) + W.u32(1) + W.u32(call)
            ),
            .init(
                "StartMulticastMediaTransmission",
                .v22,
                .startMulticastMediaTransmission(
                    .init(
                        conferenceID: conference,
                        passThroughPartyID: party,
                        multicastAddress: .ipv4(239, 1, 1, 2),
                        multicastPort: 20482,
                        packetSize: 30,
                        codec: .g729,
                        precedence: 184,
                        silenceSuppression: true,
                        maxFramesPerPacket: 3,
                        codecParameters: 1,
                        callReference: call
                    )
                ),
                W.u32(conference) + W.u32(party) + W.ipv4Block(239, 1, 1, 2) + W.u32(20482) + W.u32(30) + W.u32(11)
                    + W.u32(184) + W.u32(1) + W.u16(3) + W.u16(0) + W.u32(1) + W.u32(call)
            ),

            // Directory numbers: 24 bytes below v18, 25 from v18 (reference §2.3).
            .init(
                "ConnectionStatisticsReq",
                .v17,
                .connectionStatisticsReq(
                    .init(directoryNumber: "1003", callReference: call, statsProcessing: .doNotClear)
                ),
                W.text("1003", 24) + W.u32(call) + W.u32(1)
            ),
            .init(
                "ConnectionStatisticsReq",
                .v18,
                .connectionStatisticsReq(
                    .init(directoryNumber: "1003", callReference: call, statsProcessing: .doNotClear)
                ),
                W.text("1003", 28) + W.u32(call) + W.u32(1)
            ),
            .init(
                "ConnectionStatisticsReq, 25-digit number",
                .v22,
                .connectionStatisticsReq(
                    .init(directoryNumber: "1234567890123456789012345", callReference: call, statsProcessing: .clear)
                ),
                W.text("1234567890123456789012345", 28) + W.u32(call) + W.u32(0)
            ),
            .init(
                "DialedNumber",
                .v17,
                .dialedNumber(.init("1003", lineInstance: line, callReference: call)),
                W.text("1003", 24) + W.u32(line) + W.u32(call)
            ),
            .init(
                "DialedNumber, packed",
                .v18,
                .dialedNumber(.init("1003", lineInstance: line, callReference: call)),
                hex: "31303033 000000000000000000000000000000000000000000 \(lineBytes) \(callBytes) 000000"
            ),
            .init(
                "DialedNumber, 25 digits",
                .v20,
                .dialedNumber(.init("1234567890123456789012345", lineInstance: line, callReference: call)),
                Array("1234567890123456789012345".utf8) + W.u32(line) + W.u32(call) + W.zeros(3)
            ),

            // CallInfo: fixed 384 bytes.
            .init(
                "CallInfo",
                .v5,
                .callInfo(
                    .init(
                        lineInstance: line,
                        callReference: call,
                        callType: .forward,
                        callingParty: "1003",
                        callingPartyName: "Alice",
                        calledParty: "1004",
                        calledPartyName: "Bob",
                        originalCalledParty: "1005",
                        originalCalledPartyName: "Carol",
                        lastRedirectingParty: "1006",
                        lastRedirectingPartyName: "Dave",
                        originalCdpnRedirectReason: 2,
                        lastRedirectingReason: 3,
                        cgpnVoiceMailbox: "8003",
                        cdpnVoiceMailbox: "8004",
                        originalCdpnVoiceMailbox: "8005",
                        lastRedirectingVoiceMailbox: "8006",
                        callInstance: 2,
                        callSecurityStatus: .encrypted,
                        partyRestrictions: .calledParty
                    )
                ),
                W.text("Alice", 40) + W.text("1003", 24) + W.text("Bob", 40) + W.text("1004", 24) + W.u32(line)
                    + W.u32(call) + W.u32(3) + W.text("Carol", 40) + W.text("1005", 24) + W.text("Dave", 40)
                    + W.text("1006", 24) + W.u32(2) + W.u32(3) + W.text("8003", 24) + W.text("8004", 24)
                    + W.text("8005", 24) + W.text("8006", 24) + W.u32(2) + W.u32(3) + W.u32(0x0C)
            ),

            // CallInfoV2: chan-sccp's 12 strings below v16, 15 from v16 (reference §7 #2).
            .init(
                "CallInfoV2, 12 strings",
                .v11,
                callInfoV2Short,
                callInfoV2Head + W.cstring("1003") + W.cstring("1004") + W.zeros(6) + W.cstring("Alice")
                    + W.cstring("Bob") + W.zeros(2)
            ),
            .init(
                "CallInfoV2, 12 strings",
                .v15,
                callInfoV2Short,
                callInfoV2Head + W.cstring("1003") + W.cstring("1004") + W.zeros(6) + W.cstring("Alice")
                    + W.cstring("Bob") + W.zeros(2)
            ),
            .init(
                "CallInfoV2, 15 strings",
                .v16,
                callInfoV2Full,
                callInfoV2Head + W.cstring("1003") + W.cstring("+1003") + W.cstring("1004") + W.zeros(6)
                    + W.cstring("Alice") + W.cstring("Bob") + W.zeros(2) + W.cstring("2000") + W.cstring("Sales")
                    + W.zeros(3)
            ),
            .init(
                "CallInfoV2, 15 strings",
                .v17,
                callInfoV2Full,
                callInfoV2Head + W.cstring("1003") + W.cstring("+1003") + W.cstring("1004") + W.zeros(6)
                    + W.cstring("Alice") + W.cstring("Bob") + W.zeros(2) + W.cstring("2000") + W.cstring("Sales")
                    + W.zeros(3)
            ),
            .init(
                "CallInfoV2, 15 strings",
                .v22,
                callInfoV2Full,
                callInfoV2Head + W.cstring("1003") + W.cstring("+1003") + W.cstring("1004") + W.zeros(6)
                    + W.cstring("Alice") + W.cstring("Bob") + W.zeros(2) + W.cstring("2000") + W.cstring("Sales")
                    + W.zeros(3)
            ),
        ]
    }()

    /// Strowger writes exactly these bytes, under the right id.
    @Test(arguments: Self.fixed + Self.dynamic + Self.variants)
    func encodes(_ golden: CallManagerCallGolden) {
        let frame = golden.message.frame(version: golden.version)
        #expect(frame.id == golden.message.id)
        #expect(Array(frame.body.readableBytesView) == golden.body)
    }

    /// And reads them back into the same message.
    @Test(arguments: Self.fixed + Self.dynamic + Self.variants)
    func decodes(_ golden: CallManagerCallGolden) throws {
        let frame = SkinnyFrame(id: golden.message.id, body: ByteBuffer(bytes: golden.body))
        #expect(try CallManagerMessage(frame: frame, version: golden.version) == golden.message)
    }

    /// A whole frame, header included: length, header version and id (reference §1, §2.1).
    @Test func wholeFrames() {
        var v5 = ByteBuffer()
        v5.writeSkinnyFrame(CallManagerMessage.setHookFlashDetect.frame(version: .v5))
        #expect(Array(v5.readableBytesView) == hex("04000000 00000000 87000000"))
        var v17 = ByteBuffer()
        v17.writeSkinnyFrame(CallManagerMessage.activateCallPlane(.init(lineInstance: 1)).frame(version: .v17))
        #expect(Array(v17.readableBytesView) == hex("08000000 11000000 16010000 01000000"))
    }

    /// Fixed text fields are cut to their size; a string that fills the field has no NUL.
    @Test func fixedTextIsCut() throws {
        let full = String(repeating: "A", count: 32)
        let frame = CallManagerMessage.displayText(.init(full + "B")).frame(version: .v5)
        #expect(Array(frame.body.readableBytesView) == [UInt8](repeating: 0x41, count: 32))
        #expect(
            try CallManagerMessage(frame: frame, version: .v5) == .displayText(.init(full))
        )
    }

    /// Dynamic text is cut to 97 bytes before its NUL, numbers in CallInfoV2 to 24 bytes (25 from v18).
    @Test func dynamicTextIsCut() {
        let long = String(repeating: "x", count: 120)
        let notify = CallManagerMessage.displayNotifyV2(.init(long, timeout: 1)).frame(version: .v11)
        #expect(Array(notify.body.readableBytesView) == W.u32(1) + [UInt8](repeating: 0x78, count: 97) + W.zeros(3))
        let number = "1234567890123456789012345"
        let info = CallManagerMessage.callInfoV2(
            .init(lineInstance: 1, callReference: 2, callType: .outbound, callingParty: number)
        )
        #expect(
            Array(info.frame(version: .v17).body.readableBytesView)
                == W.u32(1) + W.u32(2) + W.u32(2) + W.zeros(8) + W.u32(1) + W.zeros(8)
                + Array(number.utf8.prefix(24)) + W.zeros(15) + W.zeros(1)
        )
        #expect(
            Array(info.frame(version: .v18).body.readableBytesView)
                == W.u32(1) + W.u32(2) + W.u32(2) + W.zeros(8) + W.u32(1) + W.zeros(8) + Array(number.utf8)
                + W.zeros(15)
        )
    }
}
