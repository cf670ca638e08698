import CallControl
import Logging
import Media
import NIOConcurrencyHelpers
import NIOCore
import NIOPosix
import ServerNIO
import ServiceLifecycleTestKit
import Testing

/// The media server as an endpoint of calls: the call core's media commands carried out by a real engine on
/// loopback, in the core's order and without waiting, and the engine's answers handed back as core events.
@Suite(.serialized) struct MediaServerSessionTests {
    static let logger = Logger(label: "media-session-test", factory: { _ in SwiftLogNoOpLogHandler() })

    /// Events the session handed back, in order.
    final class Recorder: Sendable {
        private let box = NIOLockedValueBox<[CallEvent]>([])
        var events: [CallEvent] { self.box.withLockedValue { $0 } }
        func record(_ event: CallEvent) { self.box.withLockedValue { $0.append(event) } }

        /// Waits (polling every 10 ms, at most 10 s) until `count` events were recorded.
        func wait(for count: Int) async throws -> [CallEvent] {
            for _ in 0..<1_000 where self.events.count < count {
                try await Task.sleep(for: .milliseconds(10))
            }
            return self.events
        }
    }

    /// A range of its own per run: 20 ports somewhere in 20000–31999.
    static func ports() -> ClosedRange<UInt16> {
        let base = UInt16(20_000 + 20 * Int.random(in: 0..<600))
        return base...(base + 19)
    }

    static func withSession(
        ports: ClosedRange<UInt16> = ports(),
        maximumParticipants: Int = 3,
        _ body: (MediaServerSession, Recorder) async throws -> Void
    ) async throws {
        let group = MultiThreadedEventLoopGroup(numberOfThreads: 1)
        let server = MediaServer(
            configuration: .init(
                bindHost: "127.0.0.1",
                engine: .init(localHost: .ipv4(0x7F00_0001), ports: ports, conferenceMaximum: maximumParticipants)
            ),
            eventLoop: group.next(),
            logger: Self.logger
        )
        let recorder = Recorder()
        let session = MediaServerSession(
            mediaServer: server,
            maximumParticipants: maximumParticipants,
            logger: Self.logger
        ) { event, _ in recorder.record(event) }
        try await testGracefulShutdown { trigger in
            try await withThrowingTaskGroup(of: Void.self) { tasks in
                tasks.addTask { try await session.run() }
                // Attached once the engine runs.
                #expect(
                    try await recorder.wait(for: 1) == [.mediaServerAttached(maximumParticipants: maximumParticipants)]
                )
                try await body(session, recorder)
                trigger.triggerGracefulShutdown()
                try await tasks.waitForAll()
            }
        }
        // Detached before the engine stops.
        #expect(recorder.events.last == .mediaServerDetached)
        try await group.shutdownGracefully()
    }

    static let phone = MediaEndpoint(address: .ipv4(0x7F00_0001), port: 9)

    @Test func aParticipantAddedAndGivenItsRemoteInOneBatchGetsTheBridgesEnd() async throws {
        let ports = Self.ports()
        try await Self.withSession(ports: ports) { session, recorder in
            // What the core emits when a call becomes a conference: the bridge, the participant, and (when its
            // phone acknowledged its receive channel at once) its remote, all before the engine answered anything.
            session.deliver([
                .media(.createConference(1, maximumParticipants: 3)),
                .media(.addParticipant(11, conference: 1, codec: .g711alaw)),
                .media(.setRemote(11, Self.phone)),
                .media(.startMusicOnHold(12, source: nil, codec: .g711ulaw, remote: Self.phone)),
            ])
            let events = try await recorder.wait(for: 3)
            let ready = events.dropFirst().compactMap { event -> (CallReference, MediaEndpoint)? in
                if case .mediaResourceReady(let leg, let endpoint) = event { (leg, endpoint) } else { nil }
            }
            #expect(Set(ready.map(\.0)) == [11, 12])
            for (_, endpoint) in ready {
                #expect(endpoint.address == .ipv4(0x7F00_0001))
                #expect(ports.contains(endpoint.port) && endpoint.port % 2 == 0)
            }
            let statistics = await session.mediaServer.statistics().statistics
            #expect(statistics.conferences == 1 && statistics.participants == 1 && statistics.musicListeners == 1)

            // Taking them away answers nothing more.
            session.deliver([
                .media(.stopMusicOnHold(12)), .media(.removeParticipant(11)), .media(.destroyConference(1)),
            ])
            let after = await session.mediaServer.statistics().statistics
            #expect(after.conferences == 0 && after.participants == 0 && after.musicListeners == 0)
            #expect(recorder.events.count == 3)
        }
    }

    @Test func aToneLegIsOpenedAnsweredChangedAndEnded() async throws {
        try await Self.withSession { session, recorder in
            // The core's commands for a transferred trunk caller: ringback once the far end's address is known, busy
            // when the transfer's call fails, and the end of the stream.
            session.deliver([
                .media(.startTone(31, tone: .ringback, codec: .g711ulaw, remote: Self.phone)),
                // A tone in G.729 is not the engine's: refused at once.
                .media(.startTone(32, tone: .ringback, codec: .g729, remote: Self.phone)),
            ])
            let events = try await recorder.wait(for: 3)
            let streaming = try #require(await session.mediaServer.streamingPort())
            #expect(
                Set(events.dropFirst()) == [
                    .mediaResourceReady(31, endpoint: MediaEndpoint(address: .ipv4(0x7F00_0001), port: streaming)),
                    .mediaResourceFailed(32, .noResources),
                ]
            )
            #expect(await session.mediaServer.statistics().statistics.toneLegs == 1)
            // Another tone on the same leg: nothing to answer, the leg stays.
            session.deliver([.media(.changeTone(31, tone: .busy))])
            #expect(await session.mediaServer.statistics().statistics.toneLegs == 1)
            session.deliver([.media(.stopTone(31))])
            #expect(await session.mediaServer.statistics().statistics.toneLegs == 0)
            #expect(recorder.events.count == 3)
        }
    }

    @Test func refusalsBecomeTheCoresFailuresAndRacesAreDropped() async throws {
        try await Self.withSession(maximumParticipants: 2) { session, recorder in
            session.deliver([
                .media(.createConference(1, maximumParticipants: 2)),
                .media(.addParticipant(21, conference: 1, codec: .g711ulaw)),
                .media(.addParticipant(22, conference: 1, codec: .g711ulaw)),
                // The third is one too many.
                .media(.addParticipant(23, conference: 1, codec: .g711ulaw)),
                // A bridge that is gone already (the core closed it meanwhile): nothing to tell.
                .media(.addParticipant(24, conference: 9, codec: .g711ulaw)),
                // The bridge mixes G.711 only.
                .media(.addParticipant(25, conference: 1, codec: .g729)),
                .media(.startMusicOnHold(26, source: "nothing", codec: .g711ulaw, remote: Self.phone)),
            ])
            let events = try await recorder.wait(for: 6)
            try await Task.sleep(for: .milliseconds(100))
            let answers = Set(recorder.events.dropFirst())
            #expect(events.count == 6 && answers.count == 5, "\(recorder.events)")
            #expect(answers.contains(.mediaResourceFailed(23, .conferenceFull)))
            #expect(answers.contains(.mediaResourceFailed(25, .noResources)))
            #expect(answers.contains(.mediaResourceFailed(26, .unknownSource)))
            #expect(!answers.contains { if case .mediaResourceFailed(24, _) = $0 { true } else { false } })
            #expect(!answers.contains { if case .mediaResourceReady(24, _) = $0 { true } else { false } })
        }
    }

    @Test func aPortRangeUsedUpIsNoResources() async throws {
        // Two even ports: the streaming socket takes one, the first participant the other.
        let base = UInt16(20_000 + 20 * Int.random(in: 0..<600))
        try await Self.withSession(ports: base...(base + 3)) { session, recorder in
            session.deliver([
                .media(.createConference(1, maximumParticipants: 3)),
                .media(.addParticipant(31, conference: 1, codec: .g711ulaw)),
                .media(.addParticipant(32, conference: 1, codec: .g711ulaw)),
            ])
            let events = try await recorder.wait(for: 3)
            #expect(events.contains(.mediaResourceFailed(32, .noResources)), "\(events)")
        }
    }

    @Test func theEnginesAddressIsFilledInWithTheOneThePhoneReachedTheServerOn() throws {
        let local = MediaAddress.ipv4(0xC000_0201)
        let wildcard = CallCommand.startMediaTransmission(
            "SEP000000000001",
            call: 4,
            passThroughPartyID: 7,
            remote: MediaEndpoint(address: .unspecified, port: 20_000),
            media: MediaParameters(codec: .g711ulaw, packetMilliseconds: 20)
        )
        #expect(
            wildcard.resolvingServerMediaAddress(local)
                == .startMediaTransmission(
                    "SEP000000000001",
                    call: 4,
                    passThroughPartyID: 7,
                    remote: MediaEndpoint(address: local, port: 20_000),
                    media: MediaParameters(codec: .g711ulaw, packetMilliseconds: 20)
                )
        )
        // A real address (another phone's, or a configured media address) is left alone, and so is the rest.
        let direct = CallCommand.startMediaTransmission(
            "SEP000000000001",
            call: 4,
            passThroughPartyID: 7,
            remote: MediaEndpoint(address: .ipv4(0x0A00_0006), port: 16_384),
            media: MediaParameters(codec: .g711ulaw, packetMilliseconds: 20)
        )
        #expect(direct.resolvingServerMediaAddress(local) == direct)
        #expect(
            CallCommand.notify("SEP000000000001", .noConferenceBridge).resolvingServerMediaAddress(local)
                == .notify("SEP000000000001", .noConferenceBridge)
        )
        // A dual-stack listener sees an IPv4 phone at an IPv4-mapped address: the phone is told the IPv4 one.
        #expect(MediaAddress(try SocketAddress(ipAddress: "::ffff:192.0.2.1", port: 2000)) == .ipv4(0xC000_0201))
        #expect(MediaAddress(try SocketAddress(ipAddress: "192.0.2.1", port: 2000)) == .ipv4(0xC000_0201))
        #expect(
            MediaAddress(try SocketAddress(ipAddress: "2001:db8::1", port: 2000))
                == .ipv6(high: 0x2001_0DB8_0000_0000, low: 1)
        )
    }
}
