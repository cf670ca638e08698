import AdminHTTP
import ArgumentParser
import Foundation

/// `strowger import FILE.csv`: CUCM's Bulk Administration Tool for phones, lines and speed dials.
struct ImportCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "import",
        abstract: "Import phones, lines and speed dials from a CSV file, all or nothing.",
        discussion: """
            The header names the columns: DEVICE NAME (or MAC ADDRESS), MODEL, DESCRIPTION, OWNER USER ID, \
            DIRECTORY NUMBER n, DISPLAY n, FORWARD ALL DESTINATION n, FORWARD BUSY DESTINATION n, \
            FORWARD NO ANSWER DESTINATION n, MAXIMUM NUMBER OF CALLS n, BUSY TRIGGER n, SPEED DIAL NUMBER n and \
            SPEED DIAL LABEL n. A bad row is reported with its line number and nothing from the file is applied.
            """
    )

    @Argument(help: "The CSV file.") var file: String
    @OptionGroup var options: ClientOptions

    func run() async throws {
        let data: Data
        do {
            data = try Data(contentsOf: URL(fileURLWithPath: file))
        } catch {
            throw ValidationError("cannot read \(file): \(error.localizedDescription)")
        }
        let result: AdminAPI.ImportResult
        do {
            result = try await options.client().importCSV(data)
        } catch let error as AdminClientError where error.row != nil {
            throw ImportFailure(description: "\(file): \(error.message); nothing was imported")
        }
        if options.json { return try Output.json(result) }
        print(
            "Imported \(file): \(result.rows) rows; lines \(result.linesCreated) added, \(result.linesUpdated) updated;"
                + " devices \(result.devicesCreated) added, \(result.devicesUpdated) updated;"
                + " \(result.speedDials) speed dials"
        )
    }

    struct ImportFailure: Error, CustomStringConvertible {
        let description: String
    }
}
