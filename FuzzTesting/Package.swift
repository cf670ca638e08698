// swift-tools-version: 6.1
import PackageDescription

// libFuzzer targets for Strowger, built apart from the main package because every target in a build with
// `-sanitize=fuzzer` gets instrumented (apple/swift-nio-http2's FuzzTesting/ is the model). See README.md.
let package = Package(
    name: "FuzzTesting",
    dependencies: [
        .package(name: "strowger", path: ".."),
        .package(url: "https://github.com/apple/swift-nio.git", from: "2.81.0"),
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
        // The declaration of libFuzzer's driver, which the Swift entry point calls.
        .target(name: "CLibFuzzer"),
    ]
)
