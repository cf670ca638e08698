import SkinnyWire

/// A sample of every call-manager-to-phone message of calls, display and media, for the tshark check.
enum CallManagerCallSamples {
    static func samples(version: SkinnyProtocolVersion) -> [ConformanceSample] {
        [
            ConformanceSample(
                "CallState",
                .callState(.init(.connected, lineInstance: 1, callReference: 0x0100_001F)),
                version: version,
                expect: ["skinny.callState": "5", "skinny.lineInstance": "1", "skinny.callReference": "16777247"]),
        ]
    }
}
