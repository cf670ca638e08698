import AdminHTTP
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Store
import Testing

/// `/api/phone-models`: a model's firmware load and trust-list digest, matched without "Cisco " and case; errors
/// that name the field.
@Suite struct PhoneModelRouteTests {
    @Test func setReadReplaceAndDelete() async throws {
        let harness = try await APIHarness.make()
        try await harness.test { client in
            #expect(try await client.value([AdminAPI.PhoneModel].self, .get, "/api/phone-models").isEmpty)
            let stored = try await client.value(
                AdminAPI.PhoneModel.self,
                .put,
                "/api/phone-models/Cisco%207942",
                json: #"{"loadInformation":"SCCP42.9-4-2SR3-1S","trustListDigest":"sha512"}"#
            )
            #expect(
                stored
                    == AdminAPI.PhoneModel(
                        model: "7942",
                        loadInformation: "SCCP42.9-4-2SR3-1S",
                        trustListDigest: "sha512"
                    )
            )
            #expect(try await client.value(AdminAPI.PhoneModel.self, .get, "/api/phone-models/7942") == stored)
            // A PUT replaces: what it leaves out is cleared.
            let replaced = try await client.value(
                AdminAPI.PhoneModel.self,
                .put,
                "/api/phone-models/7942",
                json: #"{"loadInformation":"SCCP42.9-3-1SR1-1S"}"#
            )
            #expect(replaced.trustListDigest == nil)
            #expect(try await client.value([AdminAPI.PhoneModel].self, .get, "/api/phone-models") == [replaced])
            try await client.request(.delete, "/api/phone-models/7942")
            #expect(
                try await client.error(.get, "/api/phone-models/7942", status: .notFound).field == "phoneModel.model"
            )
            #expect(
                try await client.error(.delete, "/api/phone-models/7942", status: .notFound).field == "phoneModel.model"
            )
        }
    }

    @Test func badValuesNameTheirField() async throws {
        let harness = try await APIHarness.make()
        try await harness.test { client in
            let digest = try await client.error(
                .put,
                "/api/phone-models/7942",
                json: #"{"trustListDigest":"md5"}"#,
                status: .badRequest
            )
            #expect(digest.field == "phoneModel.trustListDigest")
            let load = try await client.error(
                .put,
                "/api/phone-models/7942",
                json: #"{"loadInformation":"../../etc/passwd"}"#,
                status: .badRequest
            )
            #expect(load.field == "phoneModel.loadInformation")
            let model = try await client.error(.put, "/api/phone-models/79%2042", json: "{}", status: .badRequest)
            #expect(model.field == "phoneModel.model")
        }
    }
}
