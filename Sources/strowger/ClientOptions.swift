import AdminHTTP
import ArgumentParser
import Foundation
import StrowgerApp

/// Options every command that talks to a running server takes: where it is, the token, and the output format.
struct ClientOptions: ParsableArguments {
    @Option(
        name: .customLong("server"),
        help: "The admin API's URL (default: $STROWGER_SERVER, else http://127.0.0.1:8080)."
    )
    var server: String?

    @Option(
        name: .customLong("token"),
        help: ArgumentHelp(
            "The admin token. Discouraged: it shows in the process list; prefer $STROWGER_TOKEN or --token-file.",
            discussion: "Default: $STROWGER_TOKEN, else --token-file, else the admin-token file in --data-dir."
        )
    )
    var token: String?

    @Option(
        name: .customLong("token-file"),
        help: "A file holding the admin token (one line), e.g. a copy of the server's admin-token."
    )
    var tokenFile: String?

    @Option(name: .customLong("data-dir"), help: "The server's data directory, where admin-token is read from.")
    var dataDirectory: String = ServerConfiguration().dataDirectory

    @Flag(name: .customLong("json"), help: "Print JSON (for scripts) instead of a table.")
    var json = false

    @Option(
        name: .customLong("ca-file"),
        help:
            "For an https:// --server (serve --admin-tls): the CA certificate to trust (default: ca-cert.pem in --data-dir)."
    )
    var caFile: String?

    var serverURL: String {
        server ?? ProcessInfo.processInfo.environment["STROWGER_SERVER"] ?? "http://127.0.0.1:8080"
    }

    /// The token from `--token` (with a warning: any user can read it in the process list), `$STROWGER_TOKEN`,
    /// `--token-file` or the data directory's token file, in that order; nil if none.
    func resolvedToken() throws -> String? {
        if let token {
            FileHandle.standardError.write(
                Data(
                    ("warning: --token puts the admin token in the process list, where any user can read it;"
                        + " use STROWGER_TOKEN or --token-file instead\n").utf8
                )
            )
            return token
        }
        if let token = ProcessInfo.processInfo.environment["STROWGER_TOKEN"], !token.isEmpty { return token }
        if let tokenFile {
            let url = URL(fileURLWithPath: tokenFile)
            guard let text = try? String(contentsOf: url, encoding: .utf8) else {
                throw ValidationError("--token-file \(tokenFile) cannot be read")
            }
            let token = text.trimmingCharacters(in: .whitespacesAndNewlines)
            guard !token.isEmpty else { throw ValidationError("--token-file \(tokenFile) is empty") }
            return token
        }
        return try AdminTokenFile.read(from: URL(fileURLWithPath: dataDirectory, isDirectory: true))
    }

    /// A client for the server; without a token (and `requireToken`), a message that says where one comes from.
    func client(requireToken: Bool = true) throws -> AdminClient {
        let token: String?
        do {
            token = try resolvedToken()
        } catch let error as ValidationError {
            throw error
        } catch {
            token = nil
        }
        if requireToken, token == nil {
            let file = AdminTokenFile.url(in: URL(fileURLWithPath: dataDirectory, isDirectory: true)).path
            throw ValidationError(
                "no admin token: set STROWGER_TOKEN, pass --token-file, or point --data-dir at the server's data directory"
                    + " (the server writes \(file) on first start)"
            )
        }
        var trustRoots = caFile
        if trustRoots == nil, serverURL.lowercased().hasPrefix("https://") {
            let authority = URL(fileURLWithPath: dataDirectory, isDirectory: true).appendingPathComponent("ca-cert.pem")
            if FileManager.default.fileExists(atPath: authority.path) { trustRoots = authority.path }
        }
        return try AdminClient(server: serverURL, token: token, trustRootsPath: trustRoots)
    }
}
