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
        @Option(help: "Only the records of this call (the Call column): a transfer, pickup or park leaves several.")
        var call: Int64?
        @OptionGroup var options: ClientOptions

        func run() async throws {
            let query = AdminClient.query([
                ("number", number), ("from", from), ("to", to), ("limit", "\(limit)"),
                ("callId", call.map(String.init)),
            ])
            let records = try await options.client().get("/api/cdrs" + query, as: [AdminAPI.CallRecord].self)
            if options.json { return try Output.json(records) }
            Output.table(
                [
                    "Setup (UTC)", "From", "Device", "Dialed", "To", "Device", "Duration", "Cause", "Released by",
                    "Redirect", "Trunk", "Call",
                ],
                records.map {
                    [
                        Output.date($0.setupTime), $0.callingNumber, $0.callingDevice, $0.dialedNumber,
                        $0.calledNumber ?? "-", $0.calledDevice ?? "-",
                        $0.answerTime == nil ? "-" : String(format: "%.1f s", $0.durationSeconds), $0.endCause,
                        $0.releasedBy, CDRCommand.redirect($0), CDRCommand.trunk($0), $0.callID.map(String.init) ?? "-",
                    ]
                },
                empty: "No call records match."
            )
        }
    }

    /// The trunk the call crossed, with the SIP status that ended it there: `carrier`, `carrier (486)`; `-` for a
    /// call between phones.
    static func trunk(_ record: AdminAPI.CallRecord) -> String {
        guard let trunk = record.trunk else { return "-" }
        return record.sipStatus.map { "\(trunk) (\($0))" } ?? trunk
    }

    /// How the call reached its called party, in words: `transfer by 1001`, `pickup of 1002`, `hunt via 4000`,
    /// `park by 1001`, `forward (busy) from 1002`; with the number first reached when it was not the one
    /// redirecting (`… (first 1003)`). `-` for a call dialled straight through.
    static func redirect(_ record: AdminAPI.CallRecord) -> String {
        guard let reason = record.redirectReason, let by = record.redirectingNumber else { return "-" }
        let text =
            switch reason {
            case "forward-all": "forward (all) from \(by)"
            case "forward-busy": "forward (busy) from \(by)"
            case "forward-no-answer": "forward (no answer) from \(by)"
            case "hunt": "hunt via \(by)"
            case "pickup": "pickup of \(by)"
            case "transfer": "transfer by \(by)"
            case "park": "park by \(by)"
            default: "\(reason) by \(by)"
            }
        if let original = record.originalCalledNumber, original != by {
            return text + " (first \(original))"
        }
        return text
    }
}
