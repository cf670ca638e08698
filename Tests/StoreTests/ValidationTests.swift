import CallControl
import Testing

@testable import Store

/// Bad values are refused before anything is written, with an error that names the field.
@Suite struct ValidationTests {
    struct Case: CustomTestStringConvertible, Sendable {
        var name: String
        var field: String
        var messageContains: String
        var write: @Sendable (Store) async throws -> Void

        var testDescription: String { name }
    }

    static let cases: [Case] = [
        Case(
            name: "device name without SEP",
            field: "device.name",
            messageContains: "device name must be SEP followed by 12 hex digits"
        ) {
            try await $0.insert(DeviceRecord(name: "ATA001122334455"))
        },
        Case(name: "device name too short", field: "device.name", messageContains: "12 hex digits, not \"SEP0011\"") {
            try await $0.insert(DeviceRecord(name: "SEP0011"))
        },
        Case(name: "device name not hex", field: "device.name", messageContains: "12 hex digits") {
            try await $0.insert(DeviceRecord(name: "SEP00112233445G"))
        },
        Case(name: "device protocol cap", field: "device.maxProtocolVersion", messageContains: "between 1 and 255") {
            try await $0.insert(DeviceRecord(name: "SEP001122334455", maxProtocolVersion: 0))
        },
        Case(name: "device description too long", field: "device.description", messageContains: "at most 128") {
            try await $0.insert(DeviceRecord(name: "SEP001122334455", description: String(repeating: "x", count: 129)))
        },
        Case(
            name: "client certificate without a secure mode",
            field: "device.requiresClientCertificate",
            messageContains: "needs securityMode authenticated or encrypted"
        ) {
            try await $0.insert(DeviceRecord(name: "SEP001122334455", requiresClientCertificate: true))
        },
        Case(name: "line number with letters", field: "line.number", messageContains: "line number must be 1 to 24") {
            try await $0.insert(LineRecord(number: "10a1"))
        },
        Case(name: "empty line number", field: "line.number", messageContains: "line number") {
            try await $0.insert(LineRecord(number: ""))
        },
        Case(name: "display name too long", field: "line.displayName", messageContains: "at most 40") {
            try await $0.insert(LineRecord(number: "1001", displayName: String(repeating: "x", count: 41)))
        },
        Case(name: "display name with a newline", field: "line.displayName", messageContains: "control characters") {
            try await $0.insert(LineRecord(number: "1001", displayName: "Alice\nBob"))
        },
        Case(name: "forward target", field: "line.forwardBusy", messageContains: "line forwardBusy must be") {
            try await $0.insert(LineRecord(number: "1001", forwardBusy: "12-34"))
        },
        Case(name: "busy trigger above max calls", field: "line.busyTrigger", messageContains: "between 1 and 2") {
            try await $0.insert(LineRecord(number: "1001", maxCalls: 2, busyTrigger: 3))
        },
        Case(name: "max calls zero", field: "line.maxCalls", messageContains: "between 1 and 200") {
            try await $0.insert(LineRecord(number: "1001", maxCalls: 0, busyTrigger: 0))
        },
        Case(name: "no-answer timeout", field: "line.noAnswerTimeoutSeconds", messageContains: "seconds") {
            try await $0.insert(LineRecord(number: "1001", noAnswerTimeoutSeconds: 0))
        },
        Case(name: "voicemail number", field: "line.voicemailNumber", messageContains: "voicemailNumber") {
            try await $0.insert(LineRecord(number: "1001", voicemailNumber: "voicemail"))
        },
        Case(name: "route pattern syntax", field: "routePattern.pattern", messageContains: "has a [ without ]") {
            try await $0.insert(RoutePatternRecord(pattern: "9[12", target: .blocked))
        },
        Case(name: "route pattern target", field: "routePattern.targetNumber", messageContains: "targetNumber") {
            try await $0.insert(RoutePatternRecord(pattern: "9XXX", target: .number("")))
        },
        Case(name: "user name empty", field: "user.name", messageContains: "must not be empty") {
            try await $0.insert(UserRecord(name: " "))
        },
        Case(name: "user name with space", field: "user.name", messageContains: "spaces") {
            try await $0.insert(UserRecord(name: "alice smith"))
        },
        Case(name: "keepalive", field: "settings.keepAliveSeconds", messageContains: "between 10 and 600 seconds") {
            var settings = SettingsRecord()
            settings.keepAliveSeconds = 5
            try await $0.update(settings)
        },
        Case(
            name: "auto-registration range reversed",
            field: "settings.autoRegistrationLastNumber",
            messageContains: "between 2000"
        ) {
            var settings = SettingsRecord()
            settings.autoRegistrationFirstNumber = 2000
            settings.autoRegistrationLastNumber = 1999
            try await $0.update(settings)
        },
        Case(name: "interdigit timeout", field: "settings.interdigitTimeoutMilliseconds", messageContains: "ms") {
            var settings = SettingsRecord()
            settings.interdigitTimeoutMilliseconds = 0
            try await $0.update(settings)
        },
        Case(name: "token name", field: "adminToken.name", messageContains: "must not be empty") {
            _ = try await $0.createAdminToken(name: "")
        },
        Case(name: "auto-registered device name", field: "device.name", messageContains: "SEP followed by") {
            try await $0.recordAutoRegistration(device: "SEPXYZ", number: "1000")
        },
        Case(name: "CDR query limit", field: "callDetailRecord.limit", messageContains: "between 1 and 10000") {
            _ = try await $0.callDetailRecords(limit: 0)
        },
    ]

    @Test(arguments: cases)
    func invalidValueNamesTheField(_ testCase: Case) async throws {
        let store = try makeStore()
        let error = await #expect(throws: StoreError.self) { try await testCase.write(store) }
        #expect(error?.code == .invalidValue)
        #expect(error?.field == testCase.field)
        #expect(error?.message.contains(testCase.messageContains) == true, "\(error?.message ?? "no error")")
    }

    @Test func speedDialNumberIsValidated() async throws {
        let store = try makeStore()
        let device = try await store.insert(DeviceRecord(name: "SEP001122334455"))
        let error = await #expect(throws: StoreError.self) {
            try await store.insert(SpeedDialRecord(deviceID: try #require(device.id), buttonIndex: 1, number: "a"))
        }
        #expect(error?.field == "speedDial.number")
    }

    @Test func duplicatesAreConflictsThatNameTheField() async throws {
        let store = try makeStore()
        try await store.insert(DeviceRecord(name: "SEP00AABBCCDDEE"))
        let device = await #expect(throws: StoreError.self) {
            try await store.insert(DeviceRecord(name: "SEP00aabbccddee"))
        }
        #expect(device?.code == .conflict)
        #expect(device?.field == "device.name")

        try await store.insert(LineRecord(number: "1001"))
        let line = await #expect(throws: StoreError.self) { try await store.insert(LineRecord(number: "1001")) }
        #expect(line?.code == .conflict)
        #expect(line?.field == "line.number")
        #expect(line?.message == "a line with number 1001 already exists")

        try await store.insert(RoutePatternRecord(pattern: "9!", target: .blocked))
        let pattern = await #expect(throws: StoreError.self) {
            try await store.insert(RoutePatternRecord(pattern: "9!", target: .number("1001")))
        }
        #expect(pattern?.field == "routePattern.pattern")

        try await store.insert(UserRecord(name: "alice"))
        let user = await #expect(throws: StoreError.self) { try await store.insert(UserRecord(name: "Alice")) }
        #expect(user?.field == "user.name")
    }

    @Test func appearancesCheckTheirDeviceLineAndPlace() async throws {
        let store = try makeStore()
        let device = try await store.insert(DeviceRecord(name: "SEP001122334455"))
        let first = try await store.insert(LineRecord(number: "1001"))
        let second = try await store.insert(LineRecord(number: "1002"))
        let deviceID = try #require(device.id)

        let missingLine = await #expect(throws: StoreError.self) {
            try await store.insert(LineAppearanceRecord(deviceID: deviceID, lineID: 999, position: 1))
        }
        #expect(missingLine?.code == .notFound)
        #expect(missingLine?.field == "lineAppearance.lineId")

        let missingDevice = await #expect(throws: StoreError.self) {
            try await store.insert(LineAppearanceRecord(deviceID: 999, lineID: try #require(first.id), position: 1))
        }
        #expect(missingDevice?.field == "lineAppearance.deviceId")

        try await store.insert(LineAppearanceRecord(deviceID: deviceID, lineID: try #require(first.id), position: 1))
        let samePlace = await #expect(throws: StoreError.self) {
            try await store.insert(
                LineAppearanceRecord(deviceID: deviceID, lineID: try #require(second.id), position: 1)
            )
        }
        #expect(samePlace?.code == .conflict)
        #expect(samePlace?.field == "lineAppearance.position")

        let sameLine = await #expect(throws: StoreError.self) {
            try await store.insert(
                LineAppearanceRecord(deviceID: deviceID, lineID: try #require(first.id), position: 2)
            )
        }
        #expect(sameLine?.field == "lineAppearance.lineId")

        let unknownNumber = await #expect(throws: StoreError.self) {
            try await store.setLines(["1001", "1003"], onDevice: deviceID)
        }
        #expect(unknownNumber?.code == .notFound)
        #expect(unknownNumber?.message == "no line with number 1003")
        // The failed replacement changed nothing.
        #expect(try await store.lineAppearances(deviceID: deviceID).count == 1)
    }

    @Test func updatesAndDeletesOfMissingRowsAreNotFound() async throws {
        let store = try makeStore()
        let update = await #expect(throws: StoreError.self) {
            try await store.update(LineRecord(id: 42, number: "1001"))
        }
        #expect(update?.code == .notFound)
        #expect(update?.field == "line.id")
        let insertFirst = await #expect(throws: StoreError.self) {
            try await store.update(DeviceRecord(name: "SEP001122334455"))
        }
        #expect(insertFirst?.field == "device.id")
        let delete = await #expect(throws: StoreError.self) { try await store.deleteDevice(named: "SEP001122334455") }
        #expect(delete?.code == .notFound)
        #expect(delete?.field == "device.name")
        let owner = await #expect(throws: StoreError.self) {
            try await store.insert(DeviceRecord(name: "SEP001122334455", ownerID: 7))
        }
        #expect(owner?.field == "device.ownerId")
    }

    @Test func nothingIsWrittenWhenValidationFails() async throws {
        let store = try makeStore()
        _ = try? await store.insert(DeviceRecord(name: "bad"))
        #expect(try await store.devices().isEmpty)
    }
}
