import AdminHTTP
import ArgumentParser
import Certificates
import Foundation
import NIOCore
import Provisioning
import StrowgerApp

/// `strowger ctl show|reset`: the trust lists (CTL, ITL) phones fetch, and the rollback a site does when phones
/// must stop trusting the SAST they know (docs/tls.md, "Trust lists").
struct CTLCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "ctl",
        abstract: "Show the trust lists (CTL/ITL) phones get, or roll phones back to an empty trust list.",
        subcommands: [Show.self, Reset.self]
    )

    struct Show: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Fetch and print the trust lists a phone gets, e.g. strowger ctl show SEP001122AABBCC.",
            discussion: """
                Fetches CTLSEP<MAC>.tlv and ITLSEP<MAC>.tlv (or, without a device, CTLFile.tlv and ITLFile.tlv) from \
                the HTTP provisioning port exactly as a phone does, prints their header and records, and checks the \
                signature with the SAST certificate in --data-dir (sast-cert.pem). A list that is not served is \
                reported as such: by default only devices in a secure mode get one (strowger serve --trust-lists).
                """
        )

        @Argument(help: "The device (SEP and 12 hex digits); without it, the generic CTLFile.tlv and ITLFile.tlv.")
        var device: String?

        @Option(
            name: .customLong("provisioning"),
            help: "The HTTP provisioning server to fetch from (default http://127.0.0.1:6970)."
        )
        var provisioning: String = "http://127.0.0.1:6970"

        @Option(name: .customLong("data-dir"), help: "The server's data directory, where sast-cert.pem is.")
        var dataDirectory: String = ServerConfiguration().dataDirectory

        @Flag(name: .customLong("json"), help: "Print JSON (for scripts) instead of text.")
        var json = false

        func validate() throws {
            if let device, ProvisioningFileProvider.deviceName(inFileName: device + ".cnf.xml") == nil {
                throw ValidationError("'\(device)' is not a device name: SEP followed by 12 hex digits")
            }
        }

        func run() async throws {
            let client = try AdminClient(server: provisioning, token: nil)
            let sast = try? SystemAdministratorToken.load(in: URL(fileURLWithPath: dataDirectory, isDirectory: true))
            var reports: [Report] = []
            for kind in TrustList.Kind.allCases {
                let name = device.map { kind.prefix + $0.uppercased() + ".tlv" } ?? kind.fileName
                let bytes: [UInt8]
                do {
                    bytes = Array(try await client.bytes("/" + name).readableBytesView)
                } catch let error as AdminClientError where error.status == 404 {
                    reports.append(Report(file: name, served: false))
                    continue
                }
                reports.append(try Report(file: name, bytes: bytes, sast: sast))
            }
            if json { return try Output.json(reports) }
            for report in reports {
                report.print()
                Swift.print("")
            }
        }
    }

    struct Reset: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Roll phones back to an empty trust list (CUCM's \"Prepare Cluster for Rollback\"), then finish.",
            discussion: """
                A phone that has installed a trust list accepts a new one only if a SAST it knows signed it. To move \
                phones to another system, or to replace the SAST, first run `strowger ctl reset`: every trust list is \
                then served empty, signed with the SAST the phones know. Reset the phones (strowger device reset \
                NAME, or power them off and on); each installs the empty list and from then on trusts the next list \
                it gets, from anyone. Then run `strowger ctl reset --finish` to serve full lists again, with \
                --new-sast to sign them with a new SAST (the old key files are kept, renamed .retired-<time>). A \
                phone whose list was signed by a SAST that is lost must have its trust list erased on the phone \
                (Settings > Security Configuration > Trust List, or a factory reset).
                """
        )

        @Flag(name: .customLong("finish"), help: "End the rollback: serve full trust lists again.")
        var finish = false

        @Flag(
            name: .customLong("new-sast"),
            help: "With --finish: replace the SAST (sast-key.pem, sast-cert.pem) with a new one."
        )
        var newSAST = false

        @Option(name: .customLong("data-dir"), help: "The server's data directory.")
        var dataDirectory: String = ServerConfiguration().dataDirectory

        func validate() throws {
            if newSAST && !finish {
                throw ValidationError(
                    "--new-sast goes with --finish: phones must hold the empty list, signed by the SAST they know, first"
                )
            }
        }

        func run() throws {
            let directory = URL(fileURLWithPath: dataDirectory, isDirectory: true)
            let marker = directory.appendingPathComponent(TrustListFiles.rollbackMarker)
            guard let sast = try SystemAdministratorToken.load(in: directory) else {
                throw ValidationError(
                    "there is no SAST in \(directory.path) (sast-cert.pem): start `strowger serve --data-dir "
                        + "\(dataDirectory)` once; nothing to roll back"
                )
            }
            let signer = try TrustListFields(sast.certificate)
            if !finish {
                let note = "Trust lists are served empty since \(Output.date(Date())) UTC (strowger ctl reset).\n"
                do {
                    try Data(note.utf8).write(to: marker)
                } catch {
                    throw ValidationError("cannot write \(marker.path): \(error.localizedDescription)")
                }
                print(
                    """
                    Rollback started: every trust list is now served empty, signed by \(signer.subjectName) \
                    (serial \(hex(signer.serialNumber))).
                    Next: reset every phone that holds a trust list (strowger device reset NAME, or power-cycle \
                    it); each installs the empty list and then trusts the next list it gets.
                    Then: strowger ctl reset --finish [--new-sast]
                    """
                )
                return
            }
            if FileManager.default.fileExists(atPath: marker.path) {
                do {
                    try FileManager.default.removeItem(at: marker)
                } catch {
                    throw ValidationError("cannot remove \(marker.path): \(error.localizedDescription)")
                }
            } else {
                print("No rollback was in force.")
            }
            if newSAST {
                let (token, retired) = try SystemAdministratorToken.replace(in: directory)
                let fields = try TrustListFields(token.certificate)
                print("New SAST: \(fields.subjectName), serial \(hex(fields.serialNumber)).")
                print("The old one is kept as \(retired.joined(separator: ", ")).")
            }
            print(
                "Full trust lists are served again. Phones that installed the empty list take them at their next "
                    + "restart; the running server needs no restart."
            )
        }
    }

    /// One list as `ctl show` reports it.
    struct Report: Encodable {
        struct Record: Encodable {
            var function: String
            var subject: String
            var issuer: String
            var serialNumber: String
            var dnsName: String
            var ipAddress: String
            var sha1Fingerprint: String
        }

        var file: String
        var served: Bool
        var bytes: Int?
        var version: String?
        var digest: String?
        var signer: String?
        var signerSerialNumber: String?
        var fileName: String?
        var timestamp: Date?
        /// `valid`, `invalid`, or `not checked` (no SAST in the data directory, or a different one).
        var signature: String?
        var records: [Record] = []

        init(file: String, served: Bool) {
            self.file = file
            self.served = served
        }

        init(file: String, bytes: [UInt8], sast: SystemAdministratorToken?) throws {
            self.file = file
            self.served = true
            let parsed: TrustList.Parsed
            do {
                parsed = try TrustList.parse(bytes)
            } catch {
                throw ValidationError("\(file) is not a trust list: \(error)")
            }
            let list = parsed.list
            self.bytes = bytes.count
            self.version = parsed.version.map(String.init).joined(separator: ".")
            self.digest = list.digest.description
            self.signer = list.signerName
            self.signerSerialNumber = hex(list.signerSerialNumber)
            self.fileName = list.fileName
            self.timestamp = Date(timeIntervalSince1970: TimeInterval(list.timestamp))
            let digest: SystemAdministratorToken.Digest = list.digest == .sha512 ? .sha512 : .sha1
            if let sast, let fields = try? TrustListFields(sast.certificate),
                fields.serialNumber == list.signerSerialNumber
            {
                self.signature =
                    SystemAdministratorToken.isValidSignature(
                        parsed.signature,
                        of: parsed.signedBytes,
                        digest: digest,
                        by: sast.certificate
                    ) ? "valid" : "invalid"
            } else {
                self.signature = "not checked (signed by a SAST that is not this data directory's sast-cert.pem)"
            }
            self.records = list.records.map { record in
                Record(
                    function: record.function.description,
                    subject: record.subjectName,
                    issuer: record.issuerName,
                    serialNumber: hex(record.serialNumber),
                    dnsName: record.dnsName,
                    ipAddress: record.ipv4Address.map(String.init).joined(separator: "."),
                    sha1Fingerprint: TrustListFields.sha1Fingerprint(record.certificate)
                )
            }
        }

        func print() {
            guard self.served, let bytes else {
                Swift.print("\(self.file): not served (404)")
                return
            }
            Swift.print("\(self.file): \(bytes) bytes")
            Output.fields([
                ("Version", self.version ?? "-"),
                ("File name", self.fileName ?? "-"),
                ("Signed by", "\(self.signer ?? "-") (serial \(self.signerSerialNumber ?? "-"))"),
                ("Digest", self.digest ?? "-"),
                ("Signature", self.signature ?? "-"),
                ("Made", self.timestamp.map { Output.date($0) + " UTC" } ?? "-"),
                ("Records", self.records.isEmpty ? "none (an empty list: the phone trusts nothing after it)" : ""),
            ])
            Output.table(
                ["Function", "Subject", "DNS name", "IPv4", "SHA-1 fingerprint"],
                self.records.map {
                    [$0.function, $0.subject, $0.dnsName.isEmpty ? "-" : $0.dnsName, $0.ipAddress, $0.sha1Fingerprint]
                },
                empty: ""
            )
        }
    }
}

/// Bytes as upper-case hex pairs separated by colons.
private func hex(_ bytes: [UInt8]) -> String {
    bytes.map { (($0 < 16) ? "0" : "") + String($0, radix: 16, uppercase: true) }.joined(separator: ":")
}
