import AdminHTTP
import Foundation
import Media
import ServerNIO
import StrowgerApp
import Testing

/// `strowger moh` through the admin API of a whole server: a file converted once into the data directory (0600),
/// loaded into the media engine, chosen by a line, refused when bad, kept across a restart, removed.
@Suite struct MusicOnHoldLibraryTests {
    /// A 16-bit mono WAV of `seconds` of a 440 Hz tone at `rate` Hz.
    static func wav(seconds: Double, rate: Int = 22_050) -> Data {
        func le16(_ value: Int) -> [UInt8] { [UInt8(value & 0xFF), UInt8((value >> 8) & 0xFF)] }
        func le32(_ value: Int) -> [UInt8] { le16(value & 0xFFFF) + le16(value >> 16) }
        let count = Int(Double(rate) * seconds)
        var samples: [UInt8] = []
        samples.reserveCapacity(count * 2)
        for index in 0..<count {
            let value = Int((sin(2 * Double.pi * 440 * Double(index) / Double(rate)) * 8_000).rounded())
            samples += le16(value & 0xFFFF)
        }
        var body = Array("WAVEfmt ".utf8) + le32(16) + le16(1) + le16(1) + le32(rate) + le32(rate * 2)
        body += le16(2) + le16(16) + Array("data".utf8) + le32(samples.count) + samples
        return Data(Array("RIFF".utf8) + le32(body.count) + body)
    }

    static func permissions(_ url: URL) throws -> Int {
        let attributes = try FileManager.default.attributesOfItem(atPath: url.path)
        return (attributes[.posixPermissions] as? NSNumber)?.intValue ?? -1
    }

    @Test func addChooseRefuseRestartAndRemove() async throws {
        let server = try await TestServer.start()
        var dataDirectory = server.dataDirectory
        do {
            let client = try await server.adminClient()
            let added = try await client.addMusicSource(
                named: "lobby",
                fileName: "lobby.wav",
                file: Self.wav(seconds: 2)
            )
            #expect(added.name == "lobby" && added.fileName == "lobby.wav" && !added.isBuiltIn)
            #expect(abs(added.seconds - 2) < 0.01)
            let file = dataDirectory.appendingPathComponent("music/lobby.ulaw")
            // Converted once to 8 kHz µ-law: 2 s are 16,000 bytes; readable by the server's user only.
            #expect(try Data(contentsOf: file).count == 16_000)
            #expect(try Self.permissions(file) == 0o600)
            #expect(try Self.permissions(dataDirectory.appendingPathComponent("music")) == 0o700)
            #expect(try await client.musicSources().map(\.name) == ["default", "lobby"])
            // The engine serves it.
            let media = server.application.mediaServer
            let listener = MediaSocketAddress(host: .ipv4(0x7F00_0001), port: 9)
            guard
                case .endpoint = await media.execute(
                    .startMusicOnHold(MediaLegID(1), source: "lobby", codec: .aLaw, remote: listener)
                )
            else {
                Issue.record("the engine does not serve the new source")
                return
            }
            _ = await media.execute(.stopMusicOnHold(MediaLegID(1)))

            // A bad file: a clear message, and nothing changes.
            do {
                _ = try await client.addMusicSource(
                    named: "bad",
                    fileName: "song.mp3",
                    file: Data(repeating: 7, count: 4_000)
                )
                Issue.record("an MP3 was accepted")
            } catch let error as AdminClientError {
                #expect(error.status == 422)
                #expect(error.message.contains("song.mp3") && error.message.contains("not a WAV file"), "\(error)")
            }
            do {
                _ = try await client.addMusicSource(named: "lobby", fileName: "again.wav", file: Self.wav(seconds: 1))
                Issue.record("a taken name was accepted without --replace")
            } catch let error as AdminClientError {
                #expect(error.status == 409)
            }
            #expect(try await client.musicSources().map(\.name) == ["default", "lobby"])
            #expect(try Data(contentsOf: file).count == 16_000)
            let leftovers = try FileManager.default.contentsOfDirectory(
                atPath: dataDirectory.appendingPathComponent("music").path
            )
            #expect(leftovers == ["lobby.ulaw"])

            // A line chooses it; then it cannot be removed.
            _ = try await client.send(
                .post,
                "/api/lines",
                json: AdminAPI.Line(number: "4001", musicSource: "LOBBY"),
                as: AdminAPI.Line.self
            )
            let line: AdminAPI.Line = try await client.get("/api/lines/4001")
            #expect(line.musicSource == "lobby")
            do {
                try await client.removeMusicSource(named: "lobby")
                Issue.record("a source a line chooses was removed")
            } catch let error as AdminClientError {
                #expect(error.status == 409 && error.message.contains("line 4001"), "\(error)")
            }
        }
        // A restart loads the converted file again.
        await server.stop(keepingData: true)
        let again = try await TestServer.start(dataDirectory: dataDirectory)
        dataDirectory = again.dataDirectory
        let statistics = await again.application.mediaServer.statistics().statistics
        #expect(statistics.musicSources == 2)
        let client = try await again.adminClient()
        _ = try await client.send(
            .patch,
            "/api/lines/4001",
            json: AdminAPI.LinePatch(musicSource: .some(nil)),
            as: AdminAPI.Line.self
        )
        try await client.removeMusicSource(named: "lobby")
        #expect(!FileManager.default.fileExists(atPath: dataDirectory.appendingPathComponent("music/lobby.ulaw").path))
        #expect(await again.application.mediaServer.statistics().statistics.musicSources == 1)
        await again.stop()
    }
}
