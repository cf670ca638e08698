import ArgumentParser
import CallControl
import Certificates
import Foundation
import StrowgerApp

/// `strowger cert issue|path`: client certificates for mutual TLS, from the Strowger CA in the data directory.
struct CertCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "cert",
        abstract: "Issue device certificates from the Strowger CA (mutual TLS on the SCCPS port).",
        subcommands: [Issue.self, Path.self]
    )

    struct Issue: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Issue a client certificate for a device, e.g. strowger cert issue SEP001122AABBCC.",
            discussion: """
                Writes <DEVICE>-cert.pem and <DEVICE>-key.pem (mode 0600) into --output: a new P-256 key and a \
                certificate from the Strowger CA whose subject CN is the device name, valid 5 years. A device set to \
                require a client certificate (strowger device update NAME --require-client-certificate) registers \
                only over TLS with it. Reads the CA from --data-dir; the server creates the CA on its first start.
                """
        )

        @Argument(help: "The device name: SEP followed by the MAC address (12 hex digits).") var name: String
        @Option(help: "Where to write the certificate and key (default: the current directory).")
        var output: String = "."
        @Option(name: .customLong("data-dir"), help: "The server's data directory, where the CA is.")
        var dataDirectory: String = ServerConfiguration().dataDirectory

        func run() throws {
            let files = try DeviceCertificateIssuer.issue(
                deviceName: name,
                dataDirectory: URL(fileURLWithPath: dataDirectory, isDirectory: true),
                outputDirectory: URL(fileURLWithPath: output, isDirectory: true)
            )
            print(
                "Issued a certificate for \(DeviceName.canonicalSpelling(of: name)): \(files.certificatePath), key \(files.privateKeyPath)"
            )
        }
    }

    struct Path: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Print the path of the CA certificate (what a TLS client trusts; also served as strowger-ca.pem)."
        )

        @Option(name: .customLong("data-dir"), help: "The server's data directory, where the CA is.")
        var dataDirectory: String = ServerConfiguration().dataDirectory

        func run() throws {
            let url = URL(fileURLWithPath: dataDirectory, isDirectory: true).appendingPathComponent("ca-cert.pem")
            guard FileManager.default.fileExists(atPath: url.path) else {
                throw ValidationError(
                    "there is no CA certificate at \(url.path): "
                        + "start `strowger serve --data-dir \(dataDirectory)` once"
                )
            }
            print(url.path)
        }
    }
}
