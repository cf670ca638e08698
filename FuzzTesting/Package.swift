// swift-tools-version: 6.1
import PackageDescription

// libFuzzer targets for Strowger, built apart from the main package because every target in a build with
// `-sanitize=fuzzer` gets instrumented (apple/swift-nio-http2's FuzzTesting/ is the model). See README.md.
let package = Package(
    name: "FuzzTesting",
    dependencies: [
        .package(name: "strowger", path: ".."),
        .package(url: "https://github.com/apple/swift-nio.git", from: "2.81.0"),
        .package(url: "https://github.com/apple/swift-log.git", from: "1.6.0"),
    ],
    targets: [
        .executableTarget(
            name: "FuzzSkinnyWire",
            dependencies: [
                .product(name: "SkinnyWire", package: "strowger"),
                .product(name: "NIOCore", package: "swift-nio"),
                "CLibFuzzer",
            ]
        ),
        // Registered SCCP sessions behind the listener's whole per-connection pipeline (frame codec, connection
        // guard, keepalive, session handler) and a CallControl host, fed message sequences (SessionFuzzInput.swift).
        .executableTarget(
            name: "FuzzSkinnySession",
            dependencies: [
                .product(name: "ServerNIO", package: "strowger"),
                .product(name: "CallRuntime", package: "strowger"),
                .product(name: "SkinnySession", package: "strowger"),
                .product(name: "SkinnyWire", package: "strowger"),
                .product(name: "CallControl", package: "strowger"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOEmbedded", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
                "CLibFuzzer",
            ]
        ),
        // The SIP parser (issue 15): datagrams and TCP framing, validation, SDP and offer/answer, serialisation round
        // trips (SIPFuzzInput.swift).
        .executableTarget(
            name: "FuzzSIPWire",
            dependencies: [
                .product(name: "SIPWire", package: "strowger"),
                .product(name: "NIOCore", package: "swift-nio"),
                "CLibFuzzer",
            ]
        ),
        // The cluster datagram decoder (issue 19): signed and unsigned inputs, round trips, replay, membership
        // (ClusterFuzzInput.swift).
        .executableTarget(
            name: "FuzzCluster",
            dependencies: [
                .product(name: "Cluster", package: "strowger"),
                .product(name: "NIOCore", package: "swift-nio"),
                "CLibFuzzer",
            ]
        ),
        // The declaration of libFuzzer's driver, which the Swift entry point calls.
        .target(name: "CLibFuzzer"),
    ]
)
