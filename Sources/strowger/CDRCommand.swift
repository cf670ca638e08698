import AdminHTTP
import ArgumentParser
import Foundation

/// `strowger cdr list`: call detail records, newest first.
struct CDRCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "cdr",
        abstract: "Read call detail records.",
        subcommands: [List.self]
    )

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List CDRs, newest first.")

        @Option(help: "Only calls from or to this number.") var number: String?
        @Option(help: "Only calls set up at or after this time (ISO 8601, e.g. 2026-01-31 or 2026-01-31T09:00:00Z).")
        var from: String?
        @Option(help: "Only calls set up before this time.") var to: String?
        @Option(help: "At most this many (1-10000).") var limit: Int = 100
        @OptionGroup var options: ClientOptions

        func run() async throws {
            let query = AdminClient.query([("number", number), ("from", from), ("to", to), ("limit", "\(limit)")])
            let records = try await options.client().get("/api/cdrs" + query, as: [AdminAPI.CallRecord].self)
            if options.json { return try Output.json(records) }
            Output.table(
                ["Setup (UTC)", "From", "Device", "Dialed", "To", "Device", "Duration", "Cause", "Released by"],
                records.map {
                    [
                        Output.date($0.setupTime), $0.callingNumber, $0.callingDevice, $0.dialedNumber,
                        $0.calledNumber ?? "-", $0.calledDevice ?? "-",
                        $0.answerTime == nil ? "-" : String(format: "%.1f s", $0.durationSeconds), $0.endCause,
                        $0.releasedBy,
                    ]
                },
                empty: "No call records match."
            )
        }
    }
}
