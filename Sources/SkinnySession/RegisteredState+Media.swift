import CallControl
import SkinnyWire

/// Media commands as SCCP messages (call-flows §4). The conference ID is the call reference, as CUCM 4.1 does.
extension RegisteredState {
    /// RFC 2833 telephone-event payload type (chan-sccp's choice; reference §5.2).
    static let rfc2833PayloadType: UInt32 = 101
    /// `dtmfType` in OpenReceiveChannel and StartMediaTransmission: chan-sccp always sends 10 (reference §5.2).
    static let dtmfType: UInt32 = 10
    /// IP precedence/DSCP byte for RTP: 0xB8 (DSCP EF), what CUCM sent (reference §5.2).
    static let mediaPrecedence: UInt32 = 0xB8

    func openReceiveChannel(
        call: CallReference,
        passThroughPartyID: PassThroughPartyID,
        media: MediaParameters
    ) -> CallManagerMessage {
        .openReceiveChannel(
            SkinnyMessage.OpenReceiveChannel(
                conferenceID: call.rawValue,
                passThroughPartyID: passThroughPartyID.rawValue,
                packetSize: media.packetMilliseconds,
                codec: MediaMapping.compressionType(for: media.codec, offered: self.offeredCodecs),
                echoCancellation: false,
                callReference: call.rawValue,
                rfc2833PayloadType: Self.rfc2833PayloadType,
                dtmfType: Self.dtmfType
            )
        )
    }

    func startMediaTransmission(
        call: CallReference,
        passThroughPartyID: PassThroughPartyID,
        remote: MediaEndpoint,
        media: MediaParameters
    ) -> CallManagerMessage {
        .startMediaTransmission(
            SkinnyMessage.StartMediaTransmission(
                conferenceID: call.rawValue,
                passThroughPartyID: passThroughPartyID.rawValue,
                remoteAddress: MediaMapping.skinnyAddress(remote.address),
                remotePort: UInt32(remote.port),
                packetSize: media.packetMilliseconds,
                codec: MediaMapping.compressionType(for: media.codec, offered: self.offeredCodecs),
                precedence: Self.mediaPrecedence,
                silenceSuppression: false,
                maxFramesPerPacket: 0,
                callReference: call.rawValue,
                rfc2833PayloadType: Self.rfc2833PayloadType,
                dtmfType: Self.dtmfType
            )
        )
    }

    /// CloseReceiveChannel then StopMediaTransmission, both closing the port (call-flows §5).
    func closeMedia(call: CallReference, passThroughPartyID: PassThroughPartyID) -> [CallManagerMessage] {
        [
            .closeReceiveChannel(
                SkinnyMessage.CloseReceiveChannel(
                    conferenceID: call.rawValue,
                    passThroughPartyID: passThroughPartyID.rawValue,
                    callReference: call.rawValue
                )
            ),
            .stopMediaTransmission(
                SkinnyMessage.StopMediaTransmission(
                    conferenceID: call.rawValue,
                    passThroughPartyID: passThroughPartyID.rawValue,
                    callReference: call.rawValue
                )
            ),
        ]
    }
}
