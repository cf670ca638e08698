import AdminHTTP
import CallControl
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import NIOCore
import Store
import Testing

@Suite struct DirectoryCSVTests {
    @Test func phonesWithLinesAndSpeedDials() throws {
        let csv = """
            DEVICE NAME,Model,Description,Directory Number 1,Display 1,DIRECTORY_NUMBER_2,SPEED DIAL NUMBER 1,SPEED DIAL LABEL 1
            SEP001122334455,7960,Alice's desk,1001,Alice,1003,1002,Bob
            sep00112233aabb,7970,"Bob, reception",1002,Bob,1003,,
            """
        let (batch, rows) = try DirectoryCSV.parse(csv)
        #expect(rows == 2)
        #expect(batch.lines.map(\.number) == ["1001", "1003", "1002"])
        #expect(batch.lines.map(\.row) == [2, 2, 3])
        #expect(batch.lines[0].displayName == "Alice")
        #expect(batch.devices.map(\.name) == ["SEP001122334455", "SEP00112233AABB"])
        #expect(batch.devices[0].lines == ["1001", "1003"])
        #expect(batch.devices[0].speedDials?.map(\.number) == ["1002"])
        #expect(batch.devices[0].speedDials?.first?.label == "Bob")
        #expect(batch.devices[1].description == "Bob, reception")
        #expect(batch.devices[1].speedDials == nil)
    }

    @Test func linesOnlyRowsMacAddressesQuotesAndLineEnds() throws {
        let csv =
            "\u{FEFF}MAC ADDRESS,DIRECTORY NUMBER 1,DISPLAY 1,FORWARD ALL DESTINATION 1,MAXIMUM NUMBER OF CALLS 1\r\n"
            + ",2000,\"Sales \"\"hunt\"\"\",,4\r\n"
            + "\r\n"
            + "001122334455,2001,\"Multi, line\",2000,\r\n"
        let (batch, rows) = try DirectoryCSV.parse(csv)
        #expect(rows == 2)
        #expect(batch.lines.map(\.number) == ["2000", "2001"])
        #expect(batch.lines[0].displayName == "Sales \"hunt\"")
        #expect(batch.lines[0].maxCalls == 4)
        #expect(batch.lines[1].row == 4)
        #expect(batch.lines[1].forwardAll == "2000")
        #expect(batch.devices.map(\.name) == ["SEP001122334455"])
        #expect(batch.devices[0].row == 4)
    }

    @Test func aSharedLineMergesAndConflicts() throws {
        let header = "DEVICE NAME,DIRECTORY NUMBER 1,DISPLAY 1\n"
        let (batch, _) = try DirectoryCSV.parse(header + "SEP001122334455,1001,Alice\nSEP00112233AABB,1001,\n")
        #expect(batch.lines.count == 1)
        #expect(batch.devices.map(\.lines) == [["1001"], ["1001"]])

        #expect(throws: DirectoryCSV.ParseError.self) {
            try DirectoryCSV.parse(header + "SEP001122334455,1001,Alice\nSEP00112233AABB,1001,Bob\n")
        }
    }

    @Test(arguments: [
        ("DEVICE NAME,COLOUR\nSEP001122334455,red\n", 1, "COLOUR"),
        ("DEVICE NAME,DEVICE NAME\n", 1, "DEVICE NAME"),
        ("DEVICE NAME,DIRECTORY NUMBER 1\nSEP001122334455,1001\nSEP0011,1002\n", 3, "DEVICE NAME"),
        ("DEVICE NAME,DIRECTORY NUMBER 1\nSEP001122334455,10x1\n", 2, "DIRECTORY NUMBER 1"),
        ("DEVICE NAME,DIRECTORY NUMBER 1,DISPLAY 2\nSEP001122334455,1001,Bob\n", 2, "DISPLAY 2"),
        ("DEVICE NAME,DIRECTORY NUMBER 1,BUSY TRIGGER 1\nSEP001122334455,1001,9\n", 2, "BUSY TRIGGER 1"),
        (
            "DEVICE NAME,DIRECTORY NUMBER 1,MAXIMUM NUMBER OF CALLS 1\n\n\nSEP001122334455,1001,two\n", 4,
            "MAXIMUM NUMBER OF CALLS 1"
        ),
        ("DEVICE NAME,SPEED DIAL LABEL 1\nSEP001122334455,Bob\n", 2, "SPEED DIAL LABEL 1"),
        ("DEVICE NAME,SPEED DIAL NUMBER 1\nSEP001122334455,12ab\n", 2, "SPEED DIAL NUMBER 1"),
        ("MODEL,DIRECTORY NUMBER 1\n7960,1001\n", 2, "MODEL"),
        ("DEVICE NAME,MAC ADDRESS\nSEP001122334455,001122334455\n", 2, "MAC ADDRESS"),
        ("DEVICE NAME,DIRECTORY NUMBER 1,DIRECTORY NUMBER 2\nSEP001122334455,1001,1001\n", 2, "DIRECTORY NUMBER 2"),
        // A quoted field over two lines: the record is reported at the line it starts on.
        ("DEVICE NAME,DESCRIPTION\nSEP001122334455,ok\nSEP00112233AABB,\"a\nb\"\n", 3, "DESCRIPTION"),
        ("DEVICE NAME,OWNER\nSEP001122334455,\"a,\n\n\"\"b\"\"\"\nSEP0011,x\n", 5, "DEVICE NAME"),
    ])
    func badRowsNameTheirLineAndColumn(csv: String, line: Int, column: String) {
        do {
            _ = try DirectoryCSV.parse(csv)
            Issue.record("parsed: \(csv)")
        } catch {
            #expect(error.line == line)
            #expect(error.column == column)
            #expect(error.description.hasPrefix("CSV line \(line): "))
        }
    }

    @Test(arguments: [
        "", "\n\n", "A,\"unclosed\n", "DEVICE NAME\nSEP00\"11\n", "DEVICE NAME\n\"SEP\"x\n", "DEVICE NAME\nA,B\n",
    ])
    func malformedFilesAreRefused(csv: String) {
        #expect(throws: DirectoryCSV.ParseError.self) { try DirectoryCSV.parse(csv) }
    }
}

@Suite struct ImportRouteTests {
    static let good = """
        DEVICE NAME,MODEL,OWNER USER ID,DIRECTORY NUMBER 1,DISPLAY 1,SPEED DIAL NUMBER 1,SPEED DIAL LABEL 1
        SEP001122334455,7960,alice,1001,Alice,1002,Bob
        SEP00112233AABB,7970,,1002,Bob,1001,Alice
        ,,,1003,Carol,,
        """

    @Test func importAppliesEverything() async throws {
        let harness = try await APIHarness.make()
        try await harness.store.insert(UserRecord(name: "alice"))
        try await harness.test { client in
            let response = try await client.request(.post, "/api/import", body: Self.good, contentType: "text/csv")
            #expect(response.status == .ok, "\(String(buffer: response.body))")
            let result = try response.decode(AdminAPI.ImportResult.self)
            #expect(
                result
                    == AdminAPI.ImportResult(
                        rows: 3,
                        linesCreated: 3,
                        linesUpdated: 0,
                        devicesCreated: 2,
                        devicesUpdated: 0,
                        speedDials: 2
                    )
            )

            let device = try await client.value(AdminAPI.Device.self, .get, "/api/devices/SEP001122334455")
            #expect(device.owner == "alice")
            #expect(device.lines == ["1001"])
            #expect(device.speedDials == [AdminAPI.SpeedDial(buttonIndex: 1, number: "1002", label: "Bob")])

            // Importing again updates rather than duplicates.
            let again = try await client.request(.post, "/api/import", body: Self.good, contentType: "text/csv")
            let second = try again.decode(AdminAPI.ImportResult.self)
            #expect(second.linesUpdated == 3)
            #expect(second.devicesUpdated == 2)
        }
        let directory = try await harness.store.directory()
        #expect(directory.devices.count == 2)
        #expect(directory.lines[DirectoryNumber("1003")]?.displayName == "Carol")
    }

    @Test func aBadRowAppliesNothing() async throws {
        let harness = try await APIHarness.make()
        let bad = Self.good + "\nSEP0011,7960,,1004,Dan,,\n"
        try await harness.test { client in
            let response = try await client.request(.post, "/api/import", body: bad, contentType: "text/csv")
            #expect(response.status == .badRequest)
            let error = try response.decode(AdminAPI.ErrorBody.self).error
            #expect(error.row == 5)
            #expect(error.field == "DEVICE NAME")
            #expect(error.message.hasPrefix("CSV line 5: "))
        }
        #expect(try await harness.store.lines().isEmpty)
        #expect(try await harness.store.devices().isEmpty)
    }

    @Test func aRowTheStoreRefusesAppliesNothing() async throws {
        let harness = try await APIHarness.make()
        // alice does not exist: row 2 refers to an unknown owner.
        try await harness.test { client in
            let response = try await client.request(.post, "/api/import", body: Self.good, contentType: "text/csv")
            #expect(response.status == .unprocessableContent)
            let error = try response.decode(AdminAPI.ErrorBody.self).error
            #expect(error.row == 2)
            #expect(error.field == "device.owner")
            #expect(error.message.contains("alice"))
        }
        #expect(try await harness.store.lines().isEmpty)
        #expect(try await harness.store.devices().isEmpty)
    }

    @Test func onlyCSVIsAccepted() async throws {
        let harness = try await APIHarness.make()
        try await harness.test { client in
            let response = try await client.request(.post, "/api/import", json: "{}")
            #expect(response.status == .unsupportedMediaType)
            let empty = try await client.request(.post, "/api/import", body: "", contentType: "text/csv")
            #expect(empty.status == .badRequest)
        }
    }
}
