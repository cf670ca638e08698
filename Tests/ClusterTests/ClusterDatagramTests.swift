import Cluster
import NIOCore
import Testing

/// Shared fixtures: a secret, the nodes, a wall clock.
enum Fixtures {
    static let secret = try! ClusterSecret(bytes: Array(repeating: 0x5A, count: 32))
    static let otherSecret = try! ClusterSecret(bytes: Array(repeating: 0xA5, count: 32))
    static let alpha = ClusterNodeName("alpha")!
    static let beta = ClusterNodeName("beta")!
    static let gamma = ClusterNodeName("gamma.example")!
    static let now = ClusterTimestamp(milliseconds: 1_796_000_000_000)

    static func heartbeat(
        from sender: ClusterNodeName = beta,
        sequence: UInt64 = 1,
        at timestamp: ClusterTimestamp = now,
        secret: ClusterSecret = secret
    ) -> ByteBuffer {
        let message = ClusterMessage(
            sender: sender,
            sequence: sequence,
            timestamp: timestamp,
            body: .heartbeat(.init(interval: .seconds(2), registeredDevices: 7, activeCalls: 3))
        )
        return try! ClusterDatagram.encode(message, secret: secret)
    }

    static func decoder(peers: Set<ClusterNodeName> = [beta, gamma]) -> ClusterDatagramDecoder {
        ClusterDatagramDecoder(secret: secret, peers: peers)
    }
}

@Suite("Cluster datagrams: layout and round trips")
struct ClusterDatagramTests {
    @Test("A heartbeat has the documented layout: header, name, sequence, timestamp, payload, 32-byte tag")
    func heartbeatLayout() throws {
        let datagram = Fixtures.heartbeat(sequence: 0x0102_0304_0506_0708)
        let bytes = Array(datagram.readableBytesView)
        #expect(bytes.count == 3 + 4 + 8 + 8 + 2 + 12 + 32)
        #expect(Array(bytes[0..<7]) == [1, 1, 4] + Array("beta".utf8))
        #expect(Array(bytes[7..<15]) == [1, 2, 3, 4, 5, 6, 7, 8])
        #expect(Array(bytes[23..<25]) == [0, 12])
        // Interval 2000 ms, 7 devices, 3 calls.
        #expect(Array(bytes[25..<37]) == [0, 0, 0x07, 0xD0, 0, 0, 0, 7, 0, 0, 0, 3])
    }

    @Test("Heartbeats and location updates decode to what was encoded")
    func roundTrip() throws {
        let changes = [
            LocationChange(device: "SEP001122334455", isRegistered: true)!,
            LocationChange(device: "SEPAABBCCDDEEFF", isRegistered: false)!,
        ]
        for body in [
            ClusterMessage.Body.heartbeat(.init(interval: .milliseconds(1500), registeredDevices: 1, activeCalls: 0)),
            .locationUpdate(changes),
            .locationUpdate([]),
        ] {
            let message = ClusterMessage(
                sender: Fixtures.gamma,
                sequence: .max,
                timestamp: ClusterTimestamp(milliseconds: -5),
                body: body
            )
            let datagram = try ClusterDatagram.encode(message, secret: Fixtures.secret)
            #expect(try ClusterDatagram.open(datagram, secret: Fixtures.secret).get() == message)
        }
    }

    @Test("The encoder refuses a location update that would not fit in one datagram")
    func oversizedUpdate() {
        let long = String(repeating: "D", count: ClusterLimits.maximumDeviceNameLength)
        let changes = (0..<30).map { _ in LocationChange(device: long, isRegistered: true)! }
        let message = ClusterMessage(
            sender: Fixtures.alpha,
            sequence: 1,
            timestamp: Fixtures.now,
            body: .locationUpdate(changes)
        )
        #expect(throws: ClusterDatagram.EncodingError.self) {
            try ClusterDatagram.encode(message, secret: Fixtures.secret)
        }
    }

    @Test("The most changes per datagram, with the longest names, fit")
    func largestUpdateFits() throws {
        let longName = ClusterNodeName(String(repeating: "n", count: ClusterLimits.maximumNodeNameLength))!
        let long = String(repeating: "D", count: ClusterLimits.maximumDeviceNameLength)
        let changes = (0..<ClusterLimits.maximumLocationChangesPerDatagram).map { _ in
            LocationChange(device: long, isRegistered: true)!
        }
        let message = ClusterMessage(
            sender: longName,
            sequence: 1,
            timestamp: Fixtures.now,
            body: .locationUpdate(changes)
        )
        let datagram = try ClusterDatagram.encode(message, secret: Fixtures.secret)
        #expect(datagram.readableBytes <= ClusterLimits.maximumDatagramSize)
    }

    @Test("Names that cannot travel are refused when made")
    func invalidNames() {
        #expect(ClusterNodeName("") == nil)
        #expect(ClusterNodeName("has space") == nil)
        #expect(ClusterNodeName(String(repeating: "x", count: 64)) == nil)
        #expect(ClusterNodeName("nodé") == nil)
        #expect(ClusterNodeName("node-1.site_a") != nil)
        #expect(LocationChange(device: "", isRegistered: true) == nil)
        #expect(LocationChange(device: "SEP 1", isRegistered: true) == nil)
        #expect(LocationChange(device: String(repeating: "x", count: 65), isRegistered: true) == nil)
    }

    @Test("A secret shorter than 32 bytes is refused")
    func shortSecret() {
        #expect(throws: ClusterSecret.Error.tooShort(length: 31)) {
            try ClusterSecret(bytes: Array(repeating: 1, count: 31))
        }
    }
}
