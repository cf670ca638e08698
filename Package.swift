// swift-tools-version: 6.1
import PackageDescription

let swiftSettings: [SwiftSetting] = [
    .enableUpcomingFeature("ExistentialAny"),
    .enableUpcomingFeature("MemberImportVisibility"),
    .enableUpcomingFeature("InternalImportsByDefault"),
]

let package = Package(
    name: "strowger",
    platforms: [.macOS(.v14)],
    products: [
        .executable(name: "strowger", targets: ["strowger"]),
        .executable(name: "strowger-bench", targets: ["strowger-bench"]),
        .library(name: "SkinnyWire", targets: ["SkinnyWire"]),
        .library(name: "CallControl", targets: ["CallControl"]),
        .library(name: "SkinnyPhone", targets: ["SkinnyPhone"]),
        // For FuzzTesting's session fuzzer.
        .library(name: "ServerNIO", targets: ["ServerNIO"]),
        .library(name: "SkinnySession", targets: ["SkinnySession"]),
        .library(name: "CallRuntime", targets: ["CallRuntime"]),
        // For FuzzTesting's SIP parser fuzzer.
        .library(name: "SIPWire", targets: ["SIPWire"]),
        // For FuzzTesting's cluster datagram fuzzer.
        .library(name: "Cluster", targets: ["Cluster"]),
    ],
    dependencies: [
        // 2.101: NIOHTTPDecoderLimitConfiguration (the HTTP provisioning listener bounds header sizes).
        .package(url: "https://github.com/apple/swift-nio.git", from: "2.101.0"),
        .package(url: "https://github.com/apple/swift-argument-parser.git", from: "1.5.0"),
        .package(url: "https://github.com/apple/swift-log.git", from: "1.6.0"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle.git", from: "2.6.0"),
        .package(url: "https://github.com/groue/GRDB.swift.git", from: "7.0.0"),
        // 3.12: _CryptoExtras' KDF.Scrypt (the web sign-in's password hashes).
        .package(url: "https://github.com/apple/swift-crypto.git", "3.12.0"..<"5.0.0"),
        .package(url: "https://github.com/apple/swift-nio-ssl.git", from: "2.37.0"),
        .package(url: "https://github.com/apple/swift-certificates.git", from: "1.21.0"),
        .package(url: "https://github.com/apple/swift-asn1.git", from: "1.7.0"),
        .package(url: "https://github.com/HdrHistogram/hdrhistogram-swift.git", from: "0.1.0"),
        .package(url: "https://github.com/hummingbird-project/hummingbird.git", from: "2.0.0"),
        // Already in the graph through Hummingbird: the admin server's request deadline reads its HTTP parts.
        .package(url: "https://github.com/apple/swift-nio-extras.git", from: "1.34.1"),
        .package(url: "https://github.com/apple/swift-http-types.git", from: "1.0.0"),
        .package(url: "https://github.com/apple/swift-metrics.git", from: "2.4.1"),
        .package(url: "https://github.com/swift-server/swift-prometheus.git", from: "2.0.0"),
        // The web administration's templates (no dependencies of its own).
        .package(url: "https://github.com/hummingbird-project/swift-mustache.git", from: "2.1.1"),
        // The Store's PostgreSQL backend (a cluster's shared configuration); used by the Store target only.
        .package(url: "https://github.com/vapor/postgres-nio.git", from: "1.33.2"),
    ],
    targets: [
        // SCCP messages <-> bytes. NIOCore's ByteBuffer is the only NIO type it uses.
        .target(
            name: "SkinnyWire",
            dependencies: [.product(name: "NIOCore", package: "swift-nio")],
            swiftSettings: swiftSettings
        ),
        // SIP messages and SDP <-> bytes (RFC 3261, 4566, 3264). NIOCore's ByteBuffer is the only NIO type it uses.
        .target(
            name: "SIPWire",
            dependencies: [.product(name: "NIOCore", package: "swift-nio")],
            swiftSettings: swiftSettings
        ),
        // Sans-I/O SIP: transactions, dialogs, digest authentication, trunk keepalive and registration. No sockets.
        .target(
            name: "SIPSession",
            dependencies: ["SIPWire", "CallControl", .product(name: "Crypto", package: "swift-crypto")],
            swiftSettings: swiftSettings
        ),
        // Sans-I/O cluster protocol (UDP 8500): authenticated datagrams, replay windows, node membership, the
        // registration-location table. No sockets, no clock. NIOCore's ByteBuffer is the only NIO type it uses.
        .target(
            name: "Cluster",
            dependencies: [
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "Crypto", package: "swift-crypto"),
            ],
            swiftSettings: swiftSettings
        ),
        // Devices, lines, calls, dial plan and timers: pure state, no I/O, no NIO.
        .target(name: "CallControl", swiftSettings: swiftSettings),
        // Sans-I/O SCCP session machine: SkinnyWire messages <-> CallControl events and commands.
        .target(
            name: "SkinnySession",
            dependencies: ["SkinnyWire", "CallControl"],
            swiftSettings: swiftSettings
        ),
        // Media: RTP, G.711, jitter buffers, the conference mixer, music on hold, tones, the 20 ms clock. Sans-I/O:
        // NIOCore's ByteBuffer is the only NIO type it uses.
        .target(
            name: "Media",
            dependencies: [.product(name: "NIOCore", package: "swift-nio")],
            swiftSettings: swiftSettings
        ),
        // Presence: aggregation of line states, registrations and user status; watchers (BLF, API). Pure, no I/O.
        .target(name: "Presence", dependencies: ["CallControl"], swiftSettings: swiftSettings),
        // Provisioning: cnf.xml generation, the TFTP codec, transfer state machine and server policy. No sockets.
        .target(
            name: "Provisioning",
            dependencies: [.product(name: "NIOCore", package: "swift-nio")],
            swiftSettings: swiftSettings
        ),
        // Configuration and CDRs in SQLite (GRDB): records, migrations, change events for CallControl, CDR writer.
        .target(
            name: "Store",
            dependencies: [
                "CallControl",
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "PostgresNIO", package: "postgres-nio"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            swiftSettings: swiftSettings
        ),
        // The Strowger CA: creates and loads the CA and server certificates, issues device certificates. No sockets.
        .target(
            name: "Certificates",
            dependencies: [
                .product(name: "X509", package: "swift-certificates"),
                .product(name: "Crypto", package: "swift-crypto"),
                // RSA: the 79xx phones' server certificate and the SAST that signs the trust lists.
                .product(name: "_CryptoExtras", package: "swift-crypto"),
                .product(name: "SwiftASN1", package: "swift-asn1"),
            ],
            swiftSettings: swiftSettings
        ),
        // The runtime that owns the call core: its timers, the endpoint-session registry, take-over, presence beside
        // it. No sockets: protocol layers (SCCP in ServerNIO; later SIP, media, cluster) plug in as endpoint sessions.
        .target(
            name: "CallRuntime",
            dependencies: [
                "CallControl", "Presence",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: swiftSettings
        ),
        // Sockets: listeners, pipelines, guards, TLS, HTTP provisioning.
        .target(
            name: "ServerNIO",
            dependencies: [
                "SkinnyWire", "SkinnySession", "CallControl", "CallRuntime", "Provisioning", "Certificates",
                "SIPWire", "SIPSession", "Media", "Cluster",
                .product(name: "CoreMetrics", package: "swift-metrics"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "NIOTLS", package: "swift-nio"),
                .product(name: "NIOConcurrencyHelpers", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            swiftSettings: swiftSettings
        ),
        // The admin API (Hummingbird): JSON CRUD over the Store, live status, CDRs, /health, /metrics; and the small
        // HTTP/1 client the CLI uses, sharing the same DTOs.
        .target(
            name: "AdminHTTP",
            dependencies: [
                "Store", "CallControl",
                .product(name: "Hummingbird", package: "hummingbird"),
                // The server's connection cap and HTTP/1 channel settings (AdminServer); --admin-tls: HTTPS.
                .product(name: "HummingbirdCore", package: "hummingbird"),
                .product(name: "HummingbirdTLS", package: "hummingbird"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "CoreMetrics", package: "swift-metrics"),
                // The web pages: templates, session tokens, password hashes (scrypt).
                .product(name: "Mustache", package: "swift-mustache"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "_CryptoExtras", package: "swift-crypto"),
                .product(name: "NIOConcurrencyHelpers", package: "swift-nio"),
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "NIOHTTPTypes", package: "swift-nio-extras"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            swiftSettings: swiftSettings
        ),
        // Composition root: configuration -> one ServiceGroup.
        .target(
            name: "StrowgerApp",
            dependencies: [
                "ServerNIO", "CallRuntime", "CallControl", "Presence", "SkinnySession", "SkinnyWire", "Store",
                "AdminHTTP", "Provisioning", "Certificates", "SIPSession", "Media", "Cluster",
                .product(name: "CoreMetrics", package: "swift-metrics"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOConcurrencyHelpers", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "UnixSignals", package: "swift-service-lifecycle"),
            ],
            swiftSettings: swiftSettings
        ),
        .executableTarget(
            name: "strowger",
            dependencies: [
                "StrowgerApp", "AdminHTTP", "ServerNIO", "SkinnyPhone", "SkinnyWire", "Certificates", "CallControl",
                "Store", "Provisioning",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: swiftSettings
        ),
        // A simulated phone on the same wire code, for tests and strowger-bench.
        .target(
            name: "SkinnyPhone",
            dependencies: [
                "SkinnyWire",
                // RTPPeerGroup: simulated RTP endpoints for the media tests and strowger-bench media.
                "Media",
                // The TFTP read and the cnf.xml reader: the failover phone's CallManager list from its configuration.
                "Provisioning",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                // The optional TLS connection (SCCPS).
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
            ],
            swiftSettings: swiftSettings
        ),
        // Load generator on SkinnyPhone: registrations and calls against any SCCP call manager.
        .executableTarget(
            name: "strowger-bench",
            dependencies: [
                "SkinnyPhone", "SkinnyWire", "ServerNIO", "CallRuntime", "Presence", "CallControl", "Media",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOConcurrencyHelpers", package: "swift-nio"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "Histogram", package: "hdrhistogram-swift"),
            ],
            swiftSettings: swiftSettings
        ),
        // Test support, not a product: runs external tools (strowger, curl, openssl, tshark, dumpcap) with
        // posix_spawn instead of Foundation's Process, whose run() crashes now and then in a process full of threads.
        .target(name: "ToolSupport", path: "Tests/ToolSupport", swiftSettings: swiftSettings),
        .testTarget(
            name: "ToolSupportTests",
            dependencies: ["ToolSupport"],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "CallControlTests",
            dependencies: ["CallControl"],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "CallRuntimeTests",
            dependencies: [
                "CallRuntime", "CallControl", "Presence",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOEmbedded", package: "swift-nio"),
                .product(name: "NIOConcurrencyHelpers", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "MediaTests",
            dependencies: ["Media", .product(name: "NIOCore", package: "swift-nio")],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "ClusterTests",
            dependencies: [
                "Cluster",
                .product(name: "NIOCore", package: "swift-nio"),
                // Signs hand-made datagrams the encoder cannot write.
                .product(name: "Crypto", package: "swift-crypto"),
            ],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "PresenceTests",
            dependencies: ["Presence", "CallControl"],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "SkinnyPhoneTests",
            dependencies: [
                "SkinnyPhone", "SkinnyWire",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
            ],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "SkinnySessionTests",
            dependencies: [
                "SkinnySession", "SkinnyWire", "CallControl",
                .product(name: "NIOCore", package: "swift-nio"),
            ],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "IntegrationTests",
            dependencies: [
                "StrowgerApp", "ServerNIO", "CallRuntime", "SkinnyPhone", "SkinnyWire", "CallControl",
                "SkinnySession", "Certificates", "Store", "AdminHTTP", "Presence", "ToolSupport", "Media",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOConcurrencyHelpers", package: "swift-nio"),
                // The Server-Sent Events client of the presence tests.
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "Logging", package: "swift-log"),
                "SIPSession",
                // Signs the test's own cluster datagrams (good, forged, replayed) for the cluster port.
                "Cluster",
            ],
            // SIPp scenarios, read through #filePath by SIPTrunkTests.
            exclude: ["SIPp"],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "StoreTests",
            dependencies: [
                "Store", "CallControl",
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "ServiceLifecycleTestKit", package: "swift-service-lifecycle"),
            ],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "AdminHTTPTests",
            dependencies: [
                "AdminHTTP", "Store", "CallControl",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdTesting", package: "hummingbird"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            swiftSettings: swiftSettings
        ),
        // Runs the built `strowger` binary against a live admin server on loopback.
        .testTarget(
            name: "CLITests",
            dependencies: [
                "AdminHTTP", "Store", "StrowgerApp", "CallControl", "Certificates", "ToolSupport",
                // ClusterKillTests: failover phones against `strowger serve` processes, one of them killed.
                "SkinnyPhone", "SkinnyWire",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "SkinnyWireTests",
            dependencies: [
                "SkinnyWire", "ToolSupport",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOTestUtils", package: "swift-nio"),
            ],
            // Fuzzer inputs, read through #filePath by FuzzRegressionTests rather than bundled.
            exclude: ["FuzzCrashers"],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "SIPWireTests",
            dependencies: [
                "SIPWire",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOTestUtils", package: "swift-nio"),
            ],
            // RFC 4475's messages and fuzzer inputs, read through #filePath rather than bundled.
            exclude: ["RFC4475", "FuzzCrashers"],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "SIPSessionTests",
            dependencies: ["SIPSession", "SIPWire", "CallControl"],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "ProvisioningTests",
            dependencies: [
                "Provisioning",
                .product(name: "NIOCore", package: "swift-nio"),
            ],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "CertificatesTests",
            dependencies: [
                "Certificates",
                .product(name: "X509", package: "swift-certificates"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "_CryptoExtras", package: "swift-crypto"),
                .product(name: "SwiftASN1", package: "swift-asn1"),
            ],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "ServerNIOTests",
            dependencies: [
                "ServerNIO", "CallRuntime", "Provisioning", "Certificates", "SkinnyWire", "SkinnySession",
                "CallControl", "Presence", "ToolSupport", "Media",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOEmbedded", package: "swift-nio"),
                .product(name: "NIOConcurrencyHelpers", package: "swift-nio"),
                // The media server's session is a Service (MediaServerSessionTests).
                .product(name: "ServiceLifecycleTestKit", package: "swift-service-lifecycle"),
                // Real ClientHellos and handshakes for the certificate selection tests.
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                // TFTPListener takes a Logger; tests pass a no-op one.
                .product(name: "Logging", package: "swift-log"),
            ],
            // Session fuzzer inputs, read through #filePath by SessionFuzzRegressionTests rather than bundled.
            exclude: ["SessionFuzzCrashers"],
            swiftSettings: swiftSettings
        ),
    ]
)
