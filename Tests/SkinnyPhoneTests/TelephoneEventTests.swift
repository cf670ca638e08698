import SkinnyWire
import Testing

@testable import SkinnyPhone

/// RFC 4733 as the simulated phone writes it, and the tones it records; the packets on the wire are checked by
/// tshark and baresip in the integration tests (SIPDTMFTests, SIPBaresipTests).
@Suite struct TelephoneEventTests {
    @Test func eventCodesFollowRFC4733() {
        let keys: [Character] = ["0", "5", "9", "*", "#", "A", "b", "C", "D"]
        #expect(keys.map(RTPTelephoneEvent.code) == [0, 5, 9, 10, 11, 12, 13, 14, 15])
        #expect(RTPTelephoneEvent.code("+") == nil)
        #expect((0...15).map { RTPTelephoneEvent.key(UInt8($0)) }.compactMap { $0 } == Array("0123456789*#ABCD"))
        #expect(RTPTelephoneEvent.key(16) == nil)
    }

    @Test func thePayloadIsEventEndVolumeAndDuration() {
        // §2.3: event 5, E bit, volume 10, duration 800 (100 ms at 8 kHz).
        #expect(RTPTelephoneEvent.payload(code: 5, end: true, volume: 10, duration: 800) == [5, 0x8A, 0x03, 0x20])
        #expect(RTPTelephoneEvent.payload(code: 11, end: false, volume: 63, duration: 160) == [11, 0x3F, 0x00, 0xA0])
        #expect(RTPTelephoneEvent.payloadType(0) == nil)
        #expect(RTPTelephoneEvent.payloadType(101) == 101)
        #expect(RTPTelephoneEvent.payloadType(300) == nil)
    }

    @Test func everyToneOfACallIsRecordedAndBounded() {
        var state = SkinnyPhone.State()
        state.apply(.callState(.init(.connected, lineInstance: 1, callReference: 7)), sequence: 1)
        state.apply(.startTone(.init(SkinnyTone(rawValue: 5), lineInstance: 1, callReference: 7)), sequence: 2)
        state.apply(.stopTone(.init(lineInstance: 1, callReference: 7)), sequence: 3)
        #expect(state.calls[7]?.tonesPlayed == [SkinnyTone(rawValue: 5)])
        #expect(state.calls[7]?.tone == nil)
        for sequence in 0..<100 {
            state.apply(.startTone(.init(.zip, lineInstance: 1, callReference: 7)), sequence: 4 + sequence)
        }
        #expect(state.calls[7]?.tonesPlayed.count == SkinnyPhone.Call.recordedEventCapacity)
    }
}
