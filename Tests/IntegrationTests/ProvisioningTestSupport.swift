import Foundation
import Testing

#if canImport(FoundationXML)
import FoundationXML
#endif

/// curl as an independent TFTP and HTTP client.
enum Curl {
    /// curl's exit codes for TFTP ERROR 1 and 2 (CURLE_TFTP_NOTFOUND, CURLE_TFTP_PERM).
    static let tftpNotFound: Int32 = 68
    static let tftpPermission: Int32 = 69

    /// Whether curl is on the PATH with TFTP support (`curl -V` lists it among its protocols).
    static let hasTFTP = ExternalTool.standardOutput(of: ["curl", "-V"])?.contains(" tftp") ?? false

    struct Result {
        /// curl's exit status.
        var status: Int32
        /// What was fetched.
        var body: String
        /// The HTTP status code (0 for TFTP, or when no response came).
        var httpStatus: Int
    }

    /// Runs curl on `url` with `options` and returns its exit status, the fetched bytes and the HTTP status.
    static func fetch(_ url: String, _ options: [String] = []) async throws -> Result {
        // Every Strowger machine has curl with TFTP; a missing one fails, never skips.
        try #require(Self.hasTFTP, "these tests need curl with TFTP support on PATH (Debian: apt-get install curl)")
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("curl-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: file) }
        let result = try await ExternalTool.run(
            ["curl", "--silent", "--max-time", "30", "--output", file.path, "--write-out", "%{http_code}"] + options
                + [url]
        )
        let body = (try? String(contentsOf: file, encoding: .utf8)) ?? ""
        return Result(status: result.status, body: body, httpStatus: Int(result.output) ?? 0)
    }
}

/// The parts of a `SEP<MAC>.cnf.xml` or `XMLDefault.cnf.xml` the tests check, read with Foundation's XMLParser, so a
/// file that is not well-formed XML fails the test.
struct ParsedCnfXML {
    struct Member: Equatable {
        var priority: String
        var processNodeName: String
        var sccpPort: Int?
        var sccpsPort: Int?
    }

    /// The root element's name: `device` or `Default`.
    var root = ""
    /// `<callManagerGroup><name>`.
    var groupName: String?
    var members: [Member] = []
    /// The text of each element without children, by name (the last one wins): `dateTemplate`, `timeZone`,
    /// `olsonTimeZone`, `loadInformation`, `networkLocale`, `deviceSecurityMode`, ….
    var values: [String: String] = [:]
    /// `<dateTimeSetting><ntps><ntp><name>`, in order.
    var ntpServers: [String] = []
    /// `<userLocale><name>` and `<langCode>`; nil without a `<userLocale>`.
    var userLocale: (name: String, languageCode: String)?

    /// Parses `text`; nil (with the parser's error recorded) if it is not well-formed.
    init(parsing text: String, sourceLocation: SourceLocation = #_sourceLocation) throws {
        let delegate = Delegate()
        let parser = XMLParser(data: Data(text.utf8))
        parser.delegate = delegate
        guard parser.parse() else {
            Issue.record(
                "not well-formed XML: \(parser.parserError.map { "\($0)" } ?? "?")\n\(text)",
                sourceLocation: sourceLocation
            )
            throw CnfXMLParseError()
        }
        self = delegate.result
    }

    private init() {}

    struct CnfXMLParseError: Error {}

    private final class Delegate: NSObject, XMLParserDelegate {
        var result = ParsedCnfXML()
        private var path: [String] = []
        private var text = ""

        func parser(
            _ parser: XMLParser,
            didStartElement name: String,
            namespaceURI: String?,
            qualifiedName: String?,
            attributes: [String: String] = [:]
        ) {
            if self.path.isEmpty { self.result.root = name }
            if name == "member" {
                self.result.members.append(Member(priority: attributes["priority"] ?? "", processNodeName: ""))
            }
            self.path.append(name)
            self.text = ""
        }

        func parser(_ parser: XMLParser, foundCharacters string: String) {
            self.text += string
        }

        func parser(_ parser: XMLParser, didEndElement name: String, namespaceURI: String?, qualifiedName: String?) {
            let value = self.text.trimmingCharacters(in: .whitespacesAndNewlines)
            if self.path.contains("member"), !self.result.members.isEmpty {
                let last = self.result.members.count - 1
                switch name {
                case "processNodeName": self.result.members[last].processNodeName = value
                case "ethernetPhonePort": self.result.members[last].sccpPort = Int(value)
                case "sccpsPort": self.result.members[last].sccpsPort = Int(value)
                default: break
                }
            }
            if name == "name", self.path.dropLast().last == "callManagerGroup" { self.result.groupName = value }
            if name == "name", self.path.dropLast().last == "ntp" { self.result.ntpServers.append(value) }
            if self.path.dropLast().last == "userLocale" {
                var locale = self.result.userLocale ?? (name: "", languageCode: "")
                switch name {
                case "name": locale.name = value
                case "langCode": locale.languageCode = value
                default: break
                }
                self.result.userLocale = locale
            }
            self.result.values[name] = value
            self.path.removeLast()
            self.text = ""
        }
    }
}
