import AdminHTTP
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Store
import Testing

/// `/api/meetme`, `/api/music-sources` without a media engine, and a line's or device's `musicSource`.
@Suite struct MediaRouteTests {
    @Test func meetMeNumbersAndRanges() async throws {
        let harness = try await APIHarness.make()
        try await harness.test { client in
            let added = try await client.value(
                AdminAPI.MeetMe.self,
                .post,
                "/api/meetme",
                json: #"{"numbers":"8000-8009"}"#,
                status: .created
            )
            #expect(added == AdminAPI.MeetMe(numbers: "8000-8009", count: 10))
            try await client.request(.post, "/api/meetme", json: #"{"numbers":"9000"}"#)
            #expect(
                try await client.value([AdminAPI.MeetMe].self, .get, "/api/meetme").map(\.numbers) == [
                    "8000-8009", "9000",
                ]
            )
            let overlap = try await client.error(.post, "/api/meetme", json: #"{"numbers":"8005"}"#, status: .conflict)
            #expect(overlap.message.contains("8000-8009"))
            let bad = try await client.error(.post, "/api/meetme", json: #"{"numbers":"80x0"}"#, status: .badRequest)
            #expect(bad.field == "meetMe.first")
            try await client.request(.delete, "/api/meetme/8000-8009")
            #expect(try await client.value([AdminAPI.MeetMe].self, .get, "/api/meetme").map(\.numbers) == ["9000"])
            _ = try await client.error(.delete, "/api/meetme/7000", status: .notFound)
        }
    }

    @Test func musicSourcesListTheBuiltInOneAndNeedAnEngineToChange() async throws {
        let harness = try await APIHarness.make()
        try await harness.test { client in
            let sources = try await client.value([AdminAPI.MusicSource].self, .get, "/api/music-sources")
            #expect(sources.map(\.name) == ["default"] && sources.first?.isBuiltIn == true)
            let response = try await client.request(.post, "/api/music-sources/lobby", body: "RIFF")
            #expect(response.status == .serviceUnavailable)
        }
    }

    @Test func linesAndDevicesNameAStoredSource() async throws {
        let harness = try await APIHarness.make()
        try await harness.test { client in
            let line = try await client.value(
                AdminAPI.Line.self,
                .post,
                "/api/lines",
                json: #"{"number":"1001","musicSource":"DEFAULT"}"#,
                status: .created
            )
            #expect(line.musicSource == "default")
            let missing = try await client.error(
                .patch,
                "/api/lines/1001",
                json: #"{"musicSource":"jazz"}"#,
                status: .badRequest
            )
            #expect(missing.field == "line.musicSource")
            let cleared = try await client.value(
                AdminAPI.Line.self,
                .patch,
                "/api/lines/1001",
                json: #"{"musicSource":null}"#
            )
            #expect(cleared.musicSource == nil)
            let device = try await client.value(
                AdminAPI.Device.self,
                .post,
                "/api/devices",
                json: #"{"name":"SEP000000000001","musicSource":"default"}"#,
                status: .created
            )
            #expect(device.musicSource == "default")
        }
    }
}
