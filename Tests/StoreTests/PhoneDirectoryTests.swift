import Foundation
import Testing

@testable import Store

/// The corporate directory phones search, the numbers presence lists, and the phone models (issue 17).
@Suite struct PhoneDirectoryTests {
    /// Lines 2000–2039 named "Person NN Smith", one named by its owner only (2100, owner "Carol Jones"), one without
    /// any name (2200), and "100%_Sure" (2300) for the escaping.
    static func makeDirectory() async throws -> Store {
        let store = try makeStore()
        for index in 0..<40 {
            try await store.insert(
                LineRecord(
                    number: String(2000 + index),
                    displayName: "Person " + (index < 10 ? "0" : "") + "\(index) Smith"
                )
            )
        }
        try await store.insert(LineRecord(number: "2100"))
        try await store.insert(LineRecord(number: "2200"))
        try await store.insert(LineRecord(number: "2300", displayName: "100%_Sure"))
        let carol = try #require(try await store.insert(UserRecord(name: "carol", displayName: "Carol Jones")).id)
        let device = try #require(try await store.insert(DeviceRecord(name: "SEP000000000C01", ownerID: carol)).id)
        try await store.setLines(["2100", "2001"], onDevice: device)
        return store
    }

    @Test func everyLineIsListedByNameThenNumberInPages() async throws {
        let store = try await Self.makeDirectory()
        let first = try await store.phoneDirectory(offset: 0, limit: 32)
        #expect(first.total == 43)
        #expect(first.entries.count == 32)
        #expect(first.entries[0] == PhoneDirectoryEntry(name: "100%_Sure", number: "2300"))
        #expect(first.entries[1] == PhoneDirectoryEntry(name: "Carol Jones", number: "2100"))
        #expect(first.entries[2].name == "Person 00 Smith")
        let last = try await store.phoneDirectory(offset: 32, limit: 32)
        #expect(last.entries.count == 11)
        // An entry without any name comes last.
        #expect(last.entries.last == PhoneDirectoryEntry(name: "", number: "2200"))
    }

    @Test func termsMatchFirstNameLaterWordsAndNumbersWithoutCase() async throws {
        let store = try await Self.makeDirectory()
        #expect(
            try await store.phoneDirectory(firstName: "car", offset: 0, limit: 32).entries.map(\.number) == ["2100"]
        )
        #expect(try await store.phoneDirectory(lastName: "JON", offset: 0, limit: 32).entries.map(\.number) == ["2100"])
        #expect(try await store.phoneDirectory(lastName: "smith", offset: 0, limit: 100).total == 40)
        // "Person" is a first word, not a later one.
        #expect(try await store.phoneDirectory(lastName: "person", offset: 0, limit: 32).total == 0)
        let both = try await store.phoneDirectory(firstName: "person", number: "203", offset: 0, limit: 32)
        #expect(both.entries.map(\.number) == (2030...2039).map(String.init))
        // % and _ are plain characters in a term.
        #expect(
            try await store.phoneDirectory(firstName: "100%", offset: 0, limit: 32).entries.map(\.number) == ["2300"]
        )
        #expect(try await store.phoneDirectory(firstName: "1_0", offset: 0, limit: 32).total == 0)
    }

    @Test func voicemailAndUserNumbersComeFromTheLines() async throws {
        let store = try await Self.makeDirectory()
        #expect(try await store.voicemailNumber(ofDevice: "SEP000000000C01") == nil)
        var line = try #require(try await store.line(number: "2001"))
        line.voicemailNumber = "8000"
        try await store.update(line)
        #expect(try await store.voicemailNumber(ofDevice: "sep000000000c01") == "8000")
        #expect(try await store.userNumbers() == ["carol": "2100"])
    }

    @Test func phoneModelsAreMatchedWithoutCiscoAndCase() async throws {
        let store = try makeStore()
        let saved = try await store.save(
            PhoneModelRecord(model: "Cisco 7942G", loadInformation: "SCCP42.9-4-2SR3-1S", trustListDigest: .sha512)
        )
        #expect(saved.model == "7942G")
        #expect(try await store.phoneModel(named: "7942g")?.loadInformation == "SCCP42.9-4-2SR3-1S")
        #expect(try await store.phoneModel(named: "cisco 7942G")?.trustListDigest == .sha512)
        try await store.save(PhoneModelRecord(model: "7942g"))
        #expect(try await store.phoneModels() == [PhoneModelRecord(model: "7942g")])
        await #expect(throws: StoreError.self) { try await store.save(PhoneModelRecord(model: "79 42")) }
        try await store.deletePhoneModel(named: "7942G")
        await #expect(throws: StoreError.self) { try await store.deletePhoneModel(named: "7942G") }
        #expect(try await store.phoneModels().isEmpty)
    }
}
