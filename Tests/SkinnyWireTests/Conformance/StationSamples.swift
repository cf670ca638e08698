import SkinnyWire

/// A sample of every phone-to-call-manager message, for the tshark conformance check.
enum StationSamples {
    static func samples(version: SkinnyProtocolVersion) -> [ConformanceSample] {
        [
            ConformanceSample("KeepAlive", .keepAlive, version: version),
            ConformanceSample(
                "Register",
                .register(
                    .init(
                        deviceName: "SEP001122334455", stationIPAddress: .ipv4(10, 1, 2, 3),
                        deviceType: .station7960, protocolVersion: version.rawValue,
                        firmwareLoadName: "SCCP41.8-5-3S")),
                version: version,
                expect: ["skinny.DeviceName": "SEP001122334455", "skinny.deviceType": "7"]),
        ]
    }
}
