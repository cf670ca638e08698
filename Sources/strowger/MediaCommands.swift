import AdminHTTP
import ArgumentParser
import Foundation

/// `strowger moh add|list|remove`: music-on-hold sources.
struct MusicOnHoldCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "moh",
        abstract: "Add, list and remove music-on-hold sources (WAV or raw G.711 files, converted once to 8 kHz).",
        subcommands: [Add.self, List.self, Remove.self]
    )

    struct Add: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Add a music source from a file, e.g. strowger moh add lobby lobby.wav.",
            discussion: """
                WAV (PCM 8/16/24/32-bit, float, A-law or µ-law; mono or stereo; any rate from 4 to 192 kHz) or raw \
                8 kHz G.711 named .ulaw/.pcmu/.ul or .alaw/.pcma/.al, at most 30 minutes. The server converts it \
                once to 8 kHz G.711 and keeps it in its data directory (music/NAME.ulaw, readable by the server's \
                user only). A file it cannot use gets an error and changes nothing.
                """
        )

        @Argument(help: "The source's name: letters, digits, '.', '_' and '-'.") var name: String
        @Argument(help: "The audio file.") var file: String
        @Flag(name: .customLong("replace"), help: "Replace the source of that name if there is one.")
        var replace = false
        @OptionGroup var options: ClientOptions

        func run() async throws {
            let url = URL(fileURLWithPath: file)
            let data: Data
            do {
                data = try Data(contentsOf: url)
            } catch {
                throw ValidationError("cannot read \(file): \(error.localizedDescription)")
            }
            let source = try await options.client().addMusicSource(
                named: name,
                fileName: url.lastPathComponent,
                file: data,
                replacing: replace
            )
            if options.json { return try Output.json(source) }
            Swift.print(
                "Added music source \(source.name): \(String(format: "%.1f", source.seconds)) s from \(source.fileName)"
            )
        }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List the music sources.")

        @OptionGroup var options: ClientOptions

        func run() async throws {
            let sources = try await options.client().musicSources()
            if options.json { return try Output.json(sources) }
            Output.table(
                ["Name", "Length", "From", "Added (UTC)"],
                sources.map {
                    [
                        $0.name, String(format: "%.1f s", $0.seconds), $0.isBuiltIn ? "(built in)" : $0.fileName,
                        $0.createdAt.map(Output.date) ?? "-",
                    ]
                },
                empty: "No music sources."
            )
        }
    }

    struct Remove: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Remove a music source (refused while a line or device chooses it)."
        )

        @Argument(help: "The source's name.") var name: String
        @OptionGroup var options: ClientOptions

        func run() async throws {
            try await options.client().removeMusicSource(named: name)
            if !options.json { Swift.print("Removed music source \(name)") }
        }
    }
}

/// `strowger meetme add|list|remove`: meet-me conference numbers.
struct MeetMeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "meetme",
        abstract:
            "Add, list and remove meet-me conference numbers (stored now; dialling them joins a room in phase 2).",
        subcommands: [Add.self, List.self, Remove.self]
    )

    struct Add: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Add a meet-me number or range, e.g. strowger meetme add 8000 or 8000-8009."
        )

        @Argument(help: "NUMBER or FIRST-LAST (same number of digits, at most 1,000 numbers).") var numbers: String
        @OptionGroup var options: ClientOptions

        func run() async throws {
            let added = try await options.client().addMeetMe(numbers)
            if options.json { return try Output.json(added) }
            Swift.print("Added meet-me \(added.numbers) (\(added.count) \(added.count == 1 ? "room" : "rooms"))")
        }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List the meet-me numbers.")

        @OptionGroup var options: ClientOptions

        func run() async throws {
            let ranges = try await options.client().meetMeRanges()
            if options.json { return try Output.json(ranges) }
            Output.table(
                ["Numbers", "Rooms"],
                ranges.map { [$0.numbers, "\($0.count)"] },
                empty: "No meet-me numbers."
            )
        }
    }

    struct Remove: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Remove a meet-me number or range.")

        @Argument(help: "The number, or the range as FIRST or FIRST-LAST.") var numbers: String
        @OptionGroup var options: ClientOptions

        func run() async throws {
            try await options.client().removeMeetMe(numbers)
            if !options.json { Swift.print("Removed meet-me \(numbers)") }
        }
    }
}
