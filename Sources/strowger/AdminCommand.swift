import AdminHTTP
import ArgumentParser
import Foundation

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// `strowger admin add|list|remove|password`: the accounts that sign in to the web administration. The built-in
/// account `admin` signs in with the admin token and needs none.
struct AdminCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "admin",
        abstract: "Accounts for the web administration (the built-in admin signs in with the admin token).",
        subcommands: [Add.self, List.self, Remove.self, Password.self]
    )

    struct Add: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Add an account; asks for its password (at least 8 characters), or reads it from stdin."
        )

        @Argument(help: "The sign-in name: letters, digits, '.', '_', '-' and '@'.") var name: String
        @Flag(name: .customLong("password-stdin"), help: "Read the password from the first line of stdin.")
        var passwordStdin = false
        @OptionGroup var options: ClientOptions

        func run() async throws {
            let password = try AdminCommand.password(fromStdin: passwordStdin, confirm: true)
            let account = try await options.client().addAccount(name: name, password: password)
            if options.json { return try Output.json(account) }
            print("Added \(account.name): sign in at the admin server's address with this name and password")
        }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List the accounts.")

        @OptionGroup var options: ClientOptions

        func run() async throws {
            let accounts = try await options.client().accounts()
            if options.json { return try Output.json(accounts) }
            Output.table(
                ["NAME", "CREATED"],
                [["admin", "(built in: the admin token is its password)"]]
                    + accounts.map { [$0.name, AdminAPI.formatDate($0.createdAt)] },
                empty: ""
            )
        }
    }

    struct Remove: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Remove an account and end its sessions.")

        @Argument(help: "The account's name.") var name: String
        @OptionGroup var options: ClientOptions

        func run() async throws {
            try await options.client().removeAccount(named: name)
            if !options.json { print("Removed \(name)") }
        }
    }

    struct Password: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Set an account's password; its sessions end."
        )

        @Argument(help: "The account's name.") var name: String
        @Flag(name: .customLong("password-stdin"), help: "Read the password from the first line of stdin.")
        var passwordStdin = false
        @OptionGroup var options: ClientOptions

        func run() async throws {
            let password = try AdminCommand.password(fromStdin: passwordStdin, confirm: true)
            try await options.client().setPassword(ofAccount: name, to: password)
            if !options.json { print("Changed the password of \(name); its sessions have ended") }
        }
    }

    /// The password: the first line of stdin, or typed twice at the terminal without echo.
    static func password(fromStdin: Bool, confirm: Bool) throws -> String {
        if fromStdin || isatty(STDIN_FILENO) == 0 {
            guard let line = readLine(strippingNewline: true), !line.isEmpty else {
                throw ValidationError("no password on stdin")
            }
            return line
        }
        let first = try secret("Password: ")
        if confirm, try secret("Again: ") != first {
            throw ValidationError("the two passwords differ")
        }
        return first
    }

    /// A line typed at the terminal with echo turned off.
    private static func secret(_ prompt: String) throws -> String {
        FileHandle.standardError.write(Data(prompt.utf8))
        var saved = termios()
        let canHide = tcgetattr(STDIN_FILENO, &saved) == 0
        if canHide {
            var quiet = saved
            quiet.c_lflag &= ~tcflag_t(ECHO)
            _ = tcsetattr(STDIN_FILENO, TCSAFLUSH, &quiet)
        }
        defer {
            if canHide { _ = tcsetattr(STDIN_FILENO, TCSAFLUSH, &saved) }
            FileHandle.standardError.write(Data("\n".utf8))
        }
        guard let line = readLine(strippingNewline: true) else { throw ValidationError("no password given") }
        return line
    }
}

/// `strowger export [FILE.csv]`: the configuration as the CSV `strowger import` reads.
struct ExportCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "export",
        abstract: "Export phones, lines and speed dials as the CSV that import reads."
    )

    @Argument(help: "Where to write the CSV (default: standard output).") var file: String?
    @OptionGroup var options: ClientOptions

    func run() async throws {
        let data = try await options.client().exportCSV()
        guard let file else {
            FileHandle.standardOutput.write(data)
            return
        }
        do {
            try data.write(to: URL(fileURLWithPath: file))
        } catch {
            throw ValidationError("cannot write \(file): \(error.localizedDescription)")
        }
        print("Exported to \(file)")
    }
}
