import CallControl
import SkinnyWire

/// Media commands as SCCP messages (call-flows §4). The conference ID is the call reference, as CUCM 4.1 does.
extension RegisteredState {
    /// `dtmfType` in OpenReceiveChannel and StartMediaTransmission: chan-sccp always sends 10 (reference §5.2).
    static let dtmfType: UInt32 = 10

    /// `RFC2833PayloadType`: the stream's telephone-event payload type as the core chose it (the far end's, or 101
    /// between two phones), or 0 when the phone must not send RFC 2833 events (its keypad digits then reach the call
    /// manager only, which relays them out of band; reference §5.2).
    static func rfc2833PayloadType(_ media: MediaParameters) -> UInt32 {
        UInt32(media.telephoneEventPayloadType ?? 0)
    }
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
                rfc2833PayloadType: Self.rfc2833PayloadType(media),
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
                rfc2833PayloadType: Self.rfc2833PayloadType(media),
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
