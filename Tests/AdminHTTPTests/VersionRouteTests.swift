import AdminHTTP
import HTTPTypes
import HummingbirdTesting
import Testing

/// Issue 19: lines and devices carry a version; a change made from a stale read is refused with 409.
@Suite struct VersionRouteTests {
    @Test func aLinePatchFromAStaleVersionIsRefusedWith409() async throws {
        let harness = try await APIHarness.make()
        try await harness.test { client in
            let created = try await client.value(
                AdminAPI.Line.self,
                .post,
                "/api/lines",
                json: #"{"number":"1001"}"#,
                status: .created
            )
            #expect(created.version == 1)
            let read = try await client.request(.get, "/api/lines/1001")
            #expect(read.headers[.eTag] == #""1""#)

            // One administrator saves with the version read: made, and the version goes up.
            let first = try await client.value(
                AdminAPI.Line.self,
                .patch,
                "/api/lines/1001",
                json: #"{"displayName":"Reception","version":1}"#
            )
            #expect(first.displayName == "Reception")
            #expect(first.version == 2)

            // The other saves with the same version: refused, and nothing of it is stored.
            let error = try await client.error(
                .patch,
                "/api/lines/1001",
                json: #"{"forwardAll":"2000","version":1}"#,
                status: .conflict
            )
            #expect(error.code == "conflict")
            #expect(error.field == "line.version")
            #expect(
                error.message
                    == "line 1001 was changed by someone else since it was read (now version 2, not 1); "
                    + "read it again and retry"
            )
            let stored = try await client.request(.get, "/api/lines/1001")
            #expect(stored.headers[.eTag] == #""2""#)
            let line = try stored.decode(AdminAPI.Line.self)
            #expect(line.displayName == "Reception" && line.forwardAll == nil && line.version == 2)

            // Without a version the change is made from what the server reads.
            let unversioned = try await client.value(
                AdminAPI.Line.self,
                .patch,
                "/api/lines/1001",
                json: #"{"forwardAll":"2000"}"#
            )
            #expect(unversioned.forwardAll == "2000" && unversioned.displayName == "Reception")
            #expect(unversioned.version == 3)

            let malformed = try await client.error(
                .patch,
                "/api/lines/1001",
                json: #"{"version":"three"}"#,
                status: .badRequest
            )
            #expect(malformed.field == "line.version")
        }
    }

    @Test func aDevicePatchFromAStaleVersionIsRefusedWith409() async throws {
        let harness = try await APIHarness.make()
        try await harness.test { client in
            try await client.request(.post, "/api/lines", json: #"{"number":"1001"}"#)
            let created = try await client.value(
                AdminAPI.Device.self,
                .post,
                "/api/devices",
                json: #"{"name":"SEP001122334455","lines":["1001"]}"#,
                status: .created
            )
            #expect(created.version == 1)
            let first = try await client.value(
                AdminAPI.Device.self,
                .patch,
                "/api/devices/SEP001122334455",
                json: #"{"description":"lobby","version":1}"#
            )
            #expect(first.version == 2)
            let error = try await client.error(
                .patch,
                "/api/devices/SEP001122334455",
                json: #"{"lines":[],"version":1}"#,
                status: .conflict
            )
            #expect(error.field == "device.version")
            #expect(error.message.hasPrefix("device SEP001122334455 was changed by someone else since it was read"))
            let read = try await client.request(.get, "/api/devices/SEP001122334455")
            #expect(read.headers[.eTag] == #""2""#)
            let device = try read.decode(AdminAPI.Device.self)
            #expect(device.lines == ["1001"] && device.description == "lobby")

            let unversioned = try await client.value(
                AdminAPI.Device.self,
                .patch,
                "/api/devices/SEP001122334455",
                json: #"{"model":"7970"}"#
            )
            #expect(unversioned.model == "7970" && unversioned.description == "lobby" && unversioned.version == 3)
        }
    }
}
