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
                expect: ["skinny.keepAliveInterval": "30", "skinny.maxProtocolVer": "\(version.rawValue)"]),
        ]
    }
}
