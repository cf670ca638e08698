import Foundation
import Logging
import NIOCore
import NIOPosix
import Provisioning
import ServerNIO
import Testing
import ToolSupport

/// The HTTP provisioning listener on loopback, against curl and raw TCP clients.
@Suite struct HTTPProvisioningListenerTests {
    static let deviceName = "SEP001122334455"
    static let device = CnfXML.Device(
        name: deviceName,
        callManagerGroup: CnfXML.CallManagerGroup(members: [CnfXML.Node(name: "a", address: "192.0.2.10")])
    )
    static let caPEM = Array("-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n".utf8)
    static let files = ProvisioningFileProvider(
        source: StaticProvisioningSource(devices: [device], defaults: nil, caCertificate: caPEM)
    )

    /// A provider that never answers, to run into the lookup deadline.
    struct StuckProvider: TFTPFileProvider {
        func contents(ofFile filename: String) async throws -> ByteBuffer? {
            try await Task.sleep(for: .seconds(60))
            return nil
        }
    }

    static func configuration(
        maximumConnections: Int = 64,
        maximumConnectionsPerAddress: Int = 16,
        idleTimeout: TimeAmount = .seconds(30),
        lookupTimeout: TimeAmount = .seconds(5)
    ) -> HTTPProvisioningListener.Configuration {
        HTTPProvisioningListener.Configuration(
            host: "127.0.0.1",
            port: 0,
            maximumConnections: maximumConnections,
            maximumConnectionsPerAddress: maximumConnectionsPerAddress,
            idleTimeout: idleTimeout,
            lookupTimeout: lookupTimeout
        )
    }

    /// Runs a listener for the duration of `body`, then cancels it and waits for `run()` to return.
    func withListener(
        _ configuration: HTTPProvisioningListener.Configuration = Self.configuration(),
        fileProvider: any TFTPFileProvider = Self.files,
        _ body: (HTTPProvisioningListener, Int) async throws -> Void
    ) async throws {
        let listener = HTTPProvisioningListener(
            configuration: configuration,
            fileProvider: fileProvider,
            group: MultiThreadedEventLoopGroup.singleton,
            logger: Logger(label: "http-test", factory: { _ in SwiftLogNoOpLogHandler() })
        )
        try await withThrowingTaskGroup(of: Void.self) { tasks in
            tasks.addTask { try await listener.run() }
            do {
                let port = try await listener.boundPort()
                try await body(listener, port)
            } catch {
                tasks.cancelAll()
                throw error
            }
            tasks.cancelAll()
            try await tasks.waitForAll()
        }
    }

    @Test func curlFetchesTheDeviceFile() async throws {
        try await withListener { listener, port in
            let result = try await HTTPCurl.run(["http://127.0.0.1:\(port)/\(Self.deviceName).cnf.xml"])
            #expect(result.status == 0)
            #expect(result.httpCode == 200)
            #expect(result.body == Array(try CnfXMLGenerator.deviceConfiguration(Self.device).utf8))
            #expect(result.headers.contains("content-type: text/xml; charset=utf-8"))
            #expect(listener.statistics().filesServed == 1)
        }
    }

    @Test func curlFetchesTheDeviceFileInLowerCaseAndWithAQuery() async throws {
        try await withListener { _, port in
            let result = try await HTTPCurl.run(["http://127.0.0.1:\(port)/sep001122334455.cnf.xml?reboot=1"])
            #expect(result.httpCode == 200)
            #expect(result.body == Array(try CnfXMLGenerator.deviceConfiguration(Self.device).utf8))
        }
    }

    @Test func curlFetchesTheCACertificate() async throws {
        try await withListener { _, port in
            let result = try await HTTPCurl.run(["http://127.0.0.1:\(port)/strowger-ca.pem"])
            #expect(result.httpCode == 200)
            #expect(result.body == Self.caPEM)
            #expect(result.headers.contains("content-type: application/x-pem-file"))
        }
    }

    @Test(arguments: ["/XMLDefault.cnf.xml", "/SEP00112233445F.cnf.xml", "/nothing.bin", "/"])
    func missingFilesAre404(_ path: String) async throws {
        try await withListener { listener, port in
            let result = try await HTTPCurl.run(["http://127.0.0.1:\(port)\(path)"])
            // "/" names no file at all: a bad request rather than a missing file.
            #expect(result.httpCode == (path == "/" ? 400 : 404))
        }
    }

    @Test func headSendsTheHeadersWithoutTheBody() async throws {
        try await withListener { _, port in
            let result = try await HTTPCurl.run(["--head", "http://127.0.0.1:\(port)/\(Self.deviceName).cnf.xml"])
            let length = try CnfXMLGenerator.deviceConfiguration(Self.device).utf8.count
            #expect(result.httpCode == 200)
            #expect(result.headers.contains("content-length: \(length)"))
            // curl --head writes the headers where the body would go: no XML must follow them.
            #expect(!String(decoding: result.body, as: UTF8.self).contains("<?xml"))
        }
    }

    @Test(arguments: ["POST", "PUT", "DELETE", "OPTIONS"])
    func otherMethodsAre405(_ method: String) async throws {
        try await withListener { _, port in
            let result = try await HTTPCurl.run(
                ["-X", method, "http://127.0.0.1:\(port)/\(Self.deviceName).cnf.xml"])
            #expect(result.httpCode == 405)
            #expect(result.headers.contains("allow: get, head"))
        }
    }

    @Test(arguments: [
        "/../../../etc/passwd", "/..%2f..%2fetc%2fpasswd", "/%2e%2e/%2e%2e/etc/passwd", "/sub//SEP001122334455.cnf.xml",
        "/..", "/a%5c..%5cb", "/%00", "/%zz", "/caf%C3%A9", "/a/./b", "/a/b/c/d/e.loads",
    ])
    func traversalAndOddNamesAreRefused(_ path: String) async throws {
        try await withListener { listener, port in
            let result = try await HTTPCurl.run(["--path-as-is", "http://127.0.0.1:\(port)\(path)"])
            #expect(result.httpCode == 400, "\(path)")
            #expect(listener.statistics().filesServed == 0)
        }
    }

    @Test func aLongTargetIs414() async throws {
        try await withListener { _, port in
            let result = try await HTTPCurl.run(
                ["http://127.0.0.1:\(port)/\(String(repeating: "a", count: 2000))"])
            #expect(result.httpCode == 414)
        }
    }

    @Test func hugeHeadersAreRefused() async throws {
        try await withListener { listener, port in
            let result = try await HTTPCurl.run(
                ["-H", "X-Big: \(String(repeating: "b", count: 20_000))", "http://127.0.0.1:\(port)/strowger-ca.pem"])
            #expect(result.httpCode == 400 || result.httpCode == 431 || result.status != 0)
            #expect(listener.statistics().filesServed == 0)
        }
    }

    @Test func aBodyOnAGetIsBounded() async throws {
        try await withListener { listener, port in
            let result = try await HTTPCurl.run(
                [
                    "-X", "GET", "-H", "Content-Type: application/octet-stream", "-H", "Expect:", "--data-binary",
                    String(repeating: "x", count: 10_000), "http://127.0.0.1:\(port)/strowger-ca.pem",
                ])
            #expect(result.httpCode == 413)
            #expect(listener.statistics().filesServed == 0)
        }
    }

    @Test func aStuckProviderGets503AtItsDeadline() async throws {
        try await withListener(Self.configuration(lookupTimeout: .milliseconds(200)), fileProvider: StuckProvider()) {
            listener,
            port in
            let result = try await HTTPCurl.run(["http://127.0.0.1:\(port)/strowger-ca.pem"])
            #expect(result.httpCode == 503)
            #expect(listener.statistics().lookupFailures == 1)
        }
    }

    @Test func oneConnectionServesSeveralRequests() async throws {
        try await withListener { listener, port in
            // The helper's --output takes the first URL's body; the second goes to /dev/null.
            let result = try await HTTPCurl.run([
                "http://127.0.0.1:\(port)/strowger-ca.pem", "--output", "/dev/null",
                "http://127.0.0.1:\(port)/strowger-ca.pem",
            ])
            #expect(result.httpCode == 200)
            #expect(result.body == Self.caPEM)
            #expect(listener.statistics().connectionsAccepted == 1)
            #expect(listener.statistics().filesServed == 2)
        }
    }

    @Test func connectionsOverTheLimitAreClosedAtAccept() async throws {
        try await withListener(Self.configuration(maximumConnections: 64, maximumConnectionsPerAddress: 2)) {
            listener,
            port in
            let first = try await RawTCP.connect(port: port)
            let second = try await RawTCP.connect(port: port)
            try await waitUntil("two connections counted") { listener.statistics().activeConnections == 2 }
            let third = try await RawTCP.connect(port: port)
            try await third.closeFuture.get()
            #expect(listener.statistics().connectionsRefused == 1)
            #expect(first.isActive && second.isActive)
            try await first.close()
            try await waitUntil("a slot freed") { listener.statistics().activeConnections == 1 }
            let result = try await HTTPCurl.run(["http://127.0.0.1:\(port)/strowger-ca.pem"])
            #expect(result.httpCode == 200)
            try await second.close()
        }
    }

    @Test func anIdleConnectionIsClosed() async throws {
        try await withListener(Self.configuration(idleTimeout: .milliseconds(200))) { listener, port in
            let channel = try await RawTCP.connect(port: port)
            try await channel.closeFuture.get()
            #expect(listener.statistics().idleTimeouts == 1)
        }
    }

    /// Issue 13, slowloris on 6970, scaled down: connections that send one header line at a time, each before the
    /// idle timeout, held the listener full for as long as they liked, because every byte reset the idle timer.
    /// Now the whole request has a deadline that bytes do not move: the drippers are closed, and the listener
    /// serves again.
    @Test func aRequestDrippedLineByLineIsClosedAtTheRequestDeadline() async throws {
        // The idle timeout is longer than the deadline here, so that only the deadline can close the drippers however
        // slowly this test runs; the attack dripped within the idle timeout, which bytes reset.
        var configuration = Self.configuration(maximumConnections: 8, idleTimeout: .seconds(60))
        configuration.requestTimeout = .seconds(2)
        try await withListener(configuration) { listener, port in
            let clock = ContinuousClock()
            var drippers: [any Channel] = []
            for _ in 0..<8 {
                let channel = try await RawTCP.connect(port: port)
                try await channel.writeAndFlush(ByteBuffer(string: "GET /strowger-ca.pem HTTP/1.1\r\n"))
                drippers.append(channel)
            }
            let started = clock.now
            // One header line per connection every 300 ms, for up to 30 s.
            var line = 0
            while drippers.contains(where: \.isActive), clock.now - started < .seconds(30) {
                for channel in drippers where channel.isActive {
                    channel.writeAndFlush(ByteBuffer(string: "X-Drip-\(line): 1\r\n"), promise: nil)
                }
                line += 1
                try await Task.sleep(for: .milliseconds(300))
            }
            // Every dripper was closed by the 2 s deadline, long before the idle timeout (which bytes would reset).
            #expect(drippers.allSatisfy { !$0.isActive })
            #expect(clock.now - started < .seconds(30))
            #expect(listener.statistics().idleTimeouts == 0)
            #expect(listener.statistics().requestTimeouts == 8)
            #expect(listener.guardStatistics().rejections[.requestTimeout] == 8)
            let result = try await HTTPCurl.run(["http://127.0.0.1:\(port)/strowger-ca.pem"])
            #expect(result.httpCode == 200)
        }
    }

    @Test func aPersistentConnectionGetsAFreshDeadlineForEachRequest() async throws {
        var configuration = Self.configuration()
        configuration.requestTimeout = .seconds(2)
        try await withListener(configuration) { listener, port in
            // Four requests on one connection, a second apart: each is within its own deadline (with a second to spare
            // for a loaded machine), though together they take longer than one.
            let url = "http://127.0.0.1:\(port)/strowger-ca.pem"
            let result = try await HTTPCurl.run(["--rate", "1/s", url, url, url, url])
            #expect(result.httpCode == 200)
            #expect(listener.statistics().filesServed == 4)
            #expect(listener.statistics().connectionsAccepted == 1)
            #expect(listener.statistics().requestTimeouts == 0)
        }
    }

    @Test func fileNamesComeFromTheTargetPathOnly() {
        // The parsing itself, for the cases curl cannot send.
        let cases: [(String, String?)] = [
            ("/SEP001122334455.cnf.xml", "SEP001122334455.cnf.xml"),
            ("/a%20b.xml", "a b.xml"),
            ("http://127.0.0.1/x.xml", nil),
            ("*", nil),
            ("/x.xml#frag", "x.xml"),
            ("//x.xml", nil),
            // Locale files of the firmware folder: up to four segments, each plain.
            ("/German_Germany/be-sccp.jar", "German_Germany/be-sccp.jar"),
            ("/Desktops/320x212x12/List.xml", "Desktops/320x212x12/List.xml"),
            ("/a/b/c/d.xml", "a/b/c/d.xml"),
            ("/a/b/c/d/e.xml", nil),
            ("/a//b.xml", nil),
            ("/a/b.xml/", nil),
        ]
        for (target, expected) in cases {
            #expect(HTTPProvisioningListener.fileName(fromTarget: target) == expected, "\(target)")
        }
    }
}

/// Polls `condition` every 10 ms for up to 10 s.
func waitUntil(_ what: String, _ condition: () -> Bool) async throws {
    let deadline = ContinuousClock.now.advanced(by: .seconds(10))
    while !condition() {
        guard ContinuousClock.now < deadline else {
            Issue.record("never: \(what)")
            return
        }
        try await Task.sleep(for: .milliseconds(10))
    }
}

/// A TCP connection that sends nothing.
enum RawTCP {
    static func connect(port: Int) async throws -> any Channel {
        try await ClientBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .channelInitializer { channel in channel.eventLoop.makeSucceededVoidFuture() }
            .connect(host: "127.0.0.1", port: port)
            .get()
    }
}

/// curl as a reference HTTP client.
enum HTTPCurl {
    struct Result {
        /// curl's exit status.
        var status: Int32
        /// The last response's status code; 0 if there was none.
        var httpCode: Int
        /// The response headers, lower-cased, one per line.
        var headers: String
        /// What curl wrote as the body (every response's, in order).
        var body: [UInt8]
    }

    /// Runs curl with `arguments`; waits on its exit without blocking a thread of the cooperative pool.
    static func run(_ arguments: [String], maxTime: Int = 20) async throws -> Result {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("http-curl-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let body = directory.appendingPathComponent("body")
        let headers = directory.appendingPathComponent("headers")
        let status: Int32
        let codeText: String
        do {
            // curl writes the code on its standard output.
            let result = try await ToolProcess.run(
                [
                    "curl", "--silent", "--max-time", String(maxTime), "--output", body.path, "--dump-header",
                    headers.path, "--write-out", "%{http_code}",
                ] + arguments,
                standardError: .discard
            )
            status = result.status
            codeText = result.standardOutputText
        } catch {
            status = -1
            codeText = ""
        }
        return Result(
            status: status,
            // With several URLs curl writes one code per transfer; the last counts.
            httpCode: Int(codeText.suffix(3)) ?? 0,
            headers: ((try? String(contentsOf: headers, encoding: .utf8)) ?? "").lowercased()
                .replacingOccurrences(of: "\r", with: ""),
            body: (try? Data(contentsOf: body)).map { Array($0) } ?? []
        )
    }
}
