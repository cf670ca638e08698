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
        help: "The admin token (default: $STROWGER_TOKEN, else the admin-token file in --data-dir)."
    )
    var token: String?

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

    /// The token from `--token`, `$STROWGER_TOKEN` or the token file, in that order; nil if none.
    func resolvedToken() throws -> String? {
        if let token { return token }
        if let token = ProcessInfo.processInfo.environment["STROWGER_TOKEN"], !token.isEmpty { return token }
        return try AdminTokenFile.read(from: URL(fileURLWithPath: dataDirectory, isDirectory: true))
    }

    /// A client for the server; without a token (and `requireToken`), a message that says where one comes from.
    func client(requireToken: Bool = true) throws -> AdminClient {
        let token = try? resolvedToken()
        if requireToken, token == nil {
            let file = AdminTokenFile.url(in: URL(fileURLWithPath: dataDirectory, isDirectory: true)).path
            throw ValidationError(
                "no admin token: pass --token, set STROWGER_TOKEN, or point --data-dir at the server's data directory"
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
