import NIOCore
import SkinnyWire

/// Bytes written out field by field, for golden bodies that follow the layout tables of the SCCP reference.
///
/// Independent of SkinnyWire on purpose: expected bytes must not come from the code under test.
enum CallManagerCallBytes {
    /// A little-endian `u32`.
    static func u32(_ value: UInt32) -> [UInt8] {
        [UInt8(value & 0xFF), UInt8(value >> 8 & 0xFF), UInt8(value >> 16 & 0xFF), UInt8(value >> 24)]
    }

    /// A little-endian `u16`.
    static func u16(_ value: UInt16) -> [UInt8] {
        [UInt8(value & 0xFF), UInt8(value >> 8)]
    }

    /// An ASCII string in a NUL-padded `char[size]` field.
    static func text(_ string: String, _ size: Int) -> [UInt8] {
        let bytes = Array(string.utf8)
        return bytes + zeros(size - bytes.count)
    }

    /// An ASCII string with its NUL, as in a dynamic message.
    static func cstring(_ string: String) -> [UInt8] {
        Array(string.utf8) + [0]
    }

    /// `count` zero bytes.
    static func zeros(_ count: Int) -> [UInt8] {
        [UInt8](repeating: 0, count: count)
    }

    /// An IPv4 address in network byte order.
    static func ipv4(_ a: UInt8, _ b: UInt8, _ c: UInt8, _ d: UInt8) -> [UInt8] {
        [a, b, c, d]
    }

    /// A v17 address block holding an IPv4 address: type 0, the four bytes, twelve zeros.
    static func ipv4Block(_ a: UInt8, _ b: UInt8, _ c: UInt8, _ d: UInt8) -> [UInt8] {
        u32(0) + [a, b, c, d] + zeros(12)
    }
}

/// Values shared by the tests of the call-manager call messages.
enum CallManagerCallFixture {
    static let line: UInt32 = 3
    static let call: UInt32 = 0x0100_0020
    static let conference: UInt32 = 0x0000_1234
    static let party: UInt32 = 0x0100_0102

    /// An SRTP key with every field set, to catch a misplaced block.
    static let key = SkinnyMediaEncryptionKey(
        algorithm: .aesCM128HMACSHA1_80,
        key: Array(0x00...0x0F),
        salt: Array(0xA0...0xAD),
        isMKIPresent: 1,
        keyDerivationRate: 7
    )
    /// The same key as wire bytes: algorithm 2, keylen 16, saltlen 14, key, salt padded to 16, 1, 7.
    static let keyBytes: [UInt8] =
        CallManagerCallBytes.u32(2) + CallManagerCallBytes.u16(16) + CallManagerCallBytes.u16(14)
        + Array(0x00...0x0F) + Array(0xA0...0xAD) + [0, 0] + CallManagerCallBytes.u32(1)
        + CallManagerCallBytes.u32(7)

    /// A latent-capabilities block with every field set.
    static let latent = SkinnyLatentCapabilities(
        active: 1,
        modemRelayCapabilitiesAndVersion: 2,
        modemRelayModulationsAnd2833: 3,
        sprtChannel0MaxPayload: 4,
        sprtChannel2MaxPayload: 5,
        sprtChannel3MaxPayload: 6,
        sprtChannel2MaxWindow: 7,
        sseStandard: 8,
        sseVendor: 9,
        payloadNSE: 10,
        payloadRFC2833: 101,
        payloadSSE: 12,
        payloadV150SPRT: 13,
        payloadNoAudio: 14,
        futureUse1: 15,
        futureUse2: 16,
        futureUse3: 17
    )
    /// The same block as wire bytes.
    static let latentBytes: [UInt8] =
        CallManagerCallBytes.u32(1) + CallManagerCallBytes.u32(2) + CallManagerCallBytes.u32(3)
        + CallManagerCallBytes.u16(4) + CallManagerCallBytes.u16(5) + CallManagerCallBytes.u16(6)
        + CallManagerCallBytes.u16(7) + CallManagerCallBytes.u32(8) + CallManagerCallBytes.u32(9)
        + [10, 101, 12, 13, 14, 15, 16, 17]

    /// An IPv6 address: 2001:db8::1.
    static let ipv6: [UInt8] = [0x20, 0x01, 0x0D, 0xB8] + [UInt8](repeating: 0, count: 11) + [1]

    /// One value of every message of this group, with every field the version carries set to something other than
    /// zero, so that a field written in one place and read from another shows up.
    static func messages(version: SkinnyProtocolVersion) -> [(name: String, message: CallManagerMessage)] {
        let v11 = version.rawValue >= 11
        let v15 = version.rawValue >= 15
        let v16 = version.rawValue >= 16
        let v17 = version.rawValue >= 17
        let v21 = version.rawValue >= 21
        let number = version.rawValue >= 18 ? "1234567890123456789012345" : "123456789012345678901234"
        let data = Array("<CiscoIPPhoneText><Text>hi</Text></CiscoIPPhoneText>".utf8)
        return [
            ("StartTone", .startTone(.init(.alerting, direction: .network, lineInstance: line, callReference: call))),
            ("StopTone", .stopTone(.init(lineInstance: line, callReference: call, tone: v11 ? .alerting : .silence))),
            ("SetRinger", .setRinger(.init(.inside, duration: .single, lineInstance: line, callReference: call))),
            ("SetLamp", .setLamp(.init(.blfSpeedDial, instance: 4, mode: .wink))),
            ("SetHookFlashDetect", .setHookFlashDetect),
            ("SetSpeakerMode", .setSpeakerMode(.init(.off))),
            ("SetMicroMode", .setMicroMode(.init(.on))),
            (
                "StartMediaTransmission",
                .startMediaTransmission(
                    .init(
                        conferenceID: conference,
                        passThroughPartyID: party,
                        remoteAddress: v17 ? .ipv6(ipv6) : .ipv4(10, 102, 219, 27),
                        remotePort: 60186,
                        packetSize: 30,
                        codec: .g729,
                        precedence: 0xB8,
                        silenceSuppression: true,
                        maxFramesPerPacket: 3,
                        codecParameters: .init(codecMode: 1, dynamicPayload: 96, codecParam1: 2, codecParam2: 3),
                        callReference: call,
                        encryptionKey: key,
                        streamPassThroughID: 5,
                        associatedStreamID: 6,
                        rfc2833PayloadType: 101,
                        dtmfType: 10,
                        mixingMode: 1,
                        partyDirection: v15 ? 2 : 0,
                        latentCapabilities: v21 ? latent : .none
                    )
                )
            ),
            (
                "StopMediaTransmission",
                .stopMediaTransmission(
                    .init(
                        conferenceID: conference,
                        passThroughPartyID: party,
                        callReference: call,
                        portHandling: .keepPortOpen
                    )
                )
            ),
            ("StopMediaReception", .stopMediaReception(.init(conferenceID: conference, passThroughPartyID: party))),
            (
                "CallInfo",
                .callInfo(
                    .init(
                        lineInstance: line,
                        callReference: call,
                        callType: .forward,
                        callingParty: "1003",
                        callingPartyName: "Alice Example",
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
                        partyRestrictions: .callingParty
                    )
                )
            ),
            ("DisplayText", .displayText(.init("Hello"))),
            ("ClearDisplay", .clearDisplay),
            (
                "StartMulticastMediaReception",
                .startMulticastMediaReception(
                    .init(
                        conferenceID: conference,
                        passThroughPartyID: party,
                        multicastAddress: v17 ? .ipv6(ipv6) : .ipv4(239, 1, 1, 1),
                        multicastPort: 20480,
                        packetSize: 20,
                        codec: .g711ALaw64k,
                        echoCancellation: true,
                        codecParameters: 2,
                        callReference: call
                    )
                )
            ),
            (
                "StartMulticastMediaTransmission",
                .startMulticastMediaTransmission(
                    .init(
                        conferenceID: conference,
                        passThroughPartyID: party,
                        multicastAddress: .ipv4(239, 1, 1, 2),
                        multicastPort: 20482,
                        packetSize: 20,
                        codec: .g711ULaw64k,
                        precedence: 0xB8,
                        silenceSuppression: true,
                        maxFramesPerPacket: 2,
                        codecParameters: 1,
                        callReference: call
                    )
                )
            ),
            (
                "StopMulticastMediaReception",
                .stopMulticastMediaReception(
                    .init(conferenceID: conference, passThroughPartyID: party, callReference: call)
                )
            ),
            (
                "StopMulticastMediaTransmission",
                .stopMulticastMediaTransmission(
                    .init(conferenceID: conference, passThroughPartyID: party, callReference: call)
                )
            ),
            (
                "OpenReceiveChannel",
                .openReceiveChannel(
                    .init(
                        conferenceID: conference,
                        passThroughPartyID: party,
                        packetSize: 20,
                        codec: .g722At64k,
                        echoCancellation: true,
                        codecParameters: .init(codecMode: 4, dynamicPayload: 97),
                        callReference: call,
                        encryptionKey: key,
                        streamPassThroughID: 5,
                        associatedStreamID: 6,
                        rfc2833PayloadType: 101,
                        dtmfType: 10,
                        mixingMode: v11 ? 1 : 0,
                        partyDirection: v11 ? 2 : 0,
                        sourceAddress: v17 ? .ipv6(ipv6) : v11 ? .ipv4(10, 1, 2, 3) : .unspecified,
                        sourcePort: v11 ? 16384 : 0,
                        requestedAddressType: v16 ? .ipv4AndIPv6 : .ipv4,
                        audioLevelAdjustment: v21 ? -6 : 0,
                        latentCapabilities: v21 ? latent : .none
                    )
                )
            ),
            (
                "CloseReceiveChannel",
                .closeReceiveChannel(
                    .init(
                        conferenceID: conference,
                        passThroughPartyID: party,
                        callReference: call,
                        portHandling: .keepPortOpen
                    )
                )
            ),
            (
                "ConnectionStatisticsReq",
                .connectionStatisticsReq(
                    .init(directoryNumber: number, callReference: call, statsProcessing: .doNotClear)
                )
            ),
            (
                "SelectSoftKeys",
                .selectSoftKeys(
                    .init(
                        lineInstance: line,
                        callReference: call,
                        softKeySet: .connectedTransferable,
                        validKeyMask: 0xFFFF_FDFF
                    )
                )
            ),
            (
                "DisplayPromptStatus",
                .displayPromptStatus(.init("\u{80}\u{20}", timeout: 5, lineInstance: line, callReference: call))
            ),
            ("ClearPromptStatus", .clearPromptStatus(.init(lineInstance: line, callReference: call))),
            ("DisplayNotify", .displayNotify(.init("Forwarded", timeout: 10))),
            ("ClearNotify", .clearNotify),
            ("ActivateCallPlane", .activateCallPlane(.init(lineInstance: line))),
            ("DeactivateCallPlane", .deactivateCallPlane),
            ("BackSpaceRes", .backSpaceRes(.init(lineInstance: line, callReference: call))),
            (
                "StartMediaFailureDetection",
                .startMediaFailureDetection(
                    .init(
                        conferenceID: conference,
                        passThroughPartyID: party,
                        packetSize: 20,
                        codec: .g729AnnexA,
                        echoCancellation: true,
                        codecParameters: 1,
                        callReference: call
                    )
                )
            ),
            ("DialedNumber", .dialedNumber(.init(number, lineInstance: line, callReference: call))),
            (
                "UserToDeviceData",
                .userToDeviceData(
                    .init(applicationID: 9081, lineInstance: line, callReference: call, transactionID: 7, data: data)
                )
            ),
            ("DisplayPriNotify", .displayPriNotify(.init("\u{80}\u{17}1003", timeout: 10, priority: 5))),
            ("ClearPriNotify", .clearPriNotify(.init(priority: 5))),
            ("NotifyDtmfTone", .notifyDtmfTone(.init(0x0E, conferenceID: conference, passThroughPartyID: party))),
            ("SendDtmfTone", .sendDtmfTone(.init(0x0F, conferenceID: conference, passThroughPartyID: party))),
            (
                "CallSelectStatRes",
                .callSelectStatRes(.init(callSelectStat: 1, callReference: call, lineInstance: line))
            ),
            (
                "StopMultiMediaTransmission",
                .stopMultiMediaTransmission(
                    .init(
                        conferenceID: conference,
                        passThroughPartyID: party,
                        callReference: call,
                        portHandling: .keepPortOpen
                    )
                )
            ),
            (
                "FlowControlCommand",
                .flowControlCommand(
                    .init(
                        conferenceID: conference,
                        passThroughPartyID: party,
                        callReference: call,
                        maximumBitRate: 384_000
                    )
                )
            ),
            (
                "CloseMultiMediaReceiveChannel",
                .closeMultiMediaReceiveChannel(
                    .init(
                        conferenceID: conference,
                        passThroughPartyID: party,
                        callReference: call,
                        portHandling: .keepPortOpen
                    )
                )
            ),
            (
                "UserToDeviceDataV1",
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
                        data: data
                    )
                )
            ),
            ("DisplayNotifyV2", .displayNotifyV2(.init("Call forwarded to 1005", timeout: 10))),
            ("DisplayPriNotifyV2", .displayPriNotifyV2(.init("\u{80}\u{17}1003", timeout: 10, priority: 5))),
            (
                "DisplayPromptStatusV2",
                .displayPromptStatusV2(.init("\u{80}\u{20}", timeout: 5, lineInstance: line, callReference: call))
            ),
            (
                "CallInfoV2",
                .callInfoV2(
                    .init(
                        lineInstance: line,
                        callReference: call,
                        callType: .forward,
                        callingParty: "1003",
                        callingPartyName: "Alice Example",
                        calledParty: "1004",
                        calledPartyName: "Bob",
                        alternateCallingParty: v16 ? "+15551003" : "",
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
                        huntPilotNumber: v16 ? "2000" : "",
                        huntPilotName: v16 ? "Sales" : "",
                        callInstance: 2,
                        callSecurityStatus: .encrypted,
                        partyRestrictions: .callingParty
                    )
                )
            ),
            ("CallHistoryInfo", .callHistoryInfo(.init(.missed, lineInstance: line, callReference: call))),
        ]
    }

    /// Sends `message` through the frame encoder and decoder and decodes it again, as the phone would.
    static func roundTrip(_ message: CallManagerMessage, version: SkinnyProtocolVersion) throws -> CallManagerMessage {
        var wire = ByteBuffer()
        wire.writeSkinnyFrame(message.frame(version: version))
        var decoder = SkinnyFrameDecoder()
        guard let frame = try decoder.decode(buffer: &wire) else {
            throw SkinnyError.truncatedFrame(remaining: wire)
        }
        return try CallManagerMessage(frame: frame, version: version)
    }
}
