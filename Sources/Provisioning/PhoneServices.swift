/// What the phone services need to know, asked on every request; StrowgerApp answers from the Store and the
/// presence engine.
public protocol PhoneServicesSource: Sendable {
    /// One page of the corporate directory: entries matching the terms (see `Store.phoneDirectory`), from `offset`.
    func directory(
        firstName: String,
        lastName: String,
        number: String,
        offset: Int,
        limit: Int
    ) async throws -> PhoneServices.DirectoryPage
    /// Everyone whose presence the user of `device` may see (its owner, or the device itself when it has none),
    /// with a number to call; nil when the device is unknown.
    func presence(seenFromDevice device: String) async throws -> [PhoneServices.PresenceEntry]?
    /// The Messages page's content for `device`; nil when the device is unknown.
    func messages(ofDevice device: String) async throws -> PhoneServices.Messages?
    /// Whether `device` is registered now from the IP address `address`: per-phone pages answer only the phone
    /// itself.
    func isRegistered(_ device: String, from address: String) async throws -> Bool
    /// Whether `userID` and `password` may push XML objects to `device` (the phone asks its `authenticationURL`
    /// before it runs a pushed `CiscoIPPhoneExecute`).
    func authorizesPush(userID: String, password: String, device: String) async throws -> Bool
}

/// The HTTP service behind the phone's own buttons (Directories, Services, Messages) and its push authentication,
/// served on the provisioning port under `/services/` (docs/phone-services.md). Sans-I/O apart from asking its
/// source: a request in, a response out.
///
/// | path | answers | the phone's |
/// |---|---|---|
/// | `directory?name=SEP…` | `CiscoIPPhoneMenu`: Corporate Directory, Who is available | `directoryURL` |
/// | `directory/search` | `CiscoIPPhoneInput`: first name, last name, number | |
/// | `directory/results?f=&l=&n=&start=` | `CiscoIPPhoneDirectory`, 32 entries a page | |
/// | `menu?name=SEP…` | `CiscoIPPhoneMenu`: Who is available | `servicesURL` |
/// | `presence?name=SEP…&start=` | `CiscoIPPhoneDirectory` of the people the phone's user may see, available first | |
/// | `messages?name=SEP…` | `CiscoIPPhoneText` with the line's voicemail number and a Call softkey | `messagesURL` |
/// | `authenticate?UserID=&Password=&devicename=` | `AUTHORIZED`, `UN-AUTHORIZED` or `ERROR` (text) | `authenticationURL` |
///
/// The per-phone pages (`presence`, `messages`) answer only a request from the address the named phone is
/// registered from; anyone else gets 403. The directory is the same for everyone, as CUCM's is.
public struct PhoneServices: Sendable {
    /// Where the service lives on the provisioning port.
    public static let pathPrefix = "/services/"
    /// Entries on one directory page: a `CiscoIPPhoneDirectory` holds at most 32.
    public static let pageSize = CiscoIPPhoneObject.Limit.directoryEntries
    /// The highest `start` accepted: far beyond any directory, small enough that an offset stays cheap.
    public static let maximumStart = 100_000
    /// The longest query value kept (search terms and names are far shorter); longer values are cut.
    public static let maximumValueLength = 64
    /// Query parameters read from one request; the rest are ignored.
    public static let maximumParameters = 16

    /// One directory page.
    public struct DirectoryPage: Hashable, Sendable {
        public var entries: [CiscoIPPhoneObject.DirectoryEntry]
        /// How many entries match in all.
        public var total: Int

        public init(entries: [CiscoIPPhoneObject.DirectoryEntry], total: Int) {
            self.entries = entries
            self.total = total
        }
    }

    /// Presence as the list shows it.
    public enum PresenceState: Hashable, Sendable {
        case available, onCall, ringing, onHold, doNotDisturb, busy, away, offline

        /// What the list shows after the name.
        public var label: String {
            switch self {
            case .available: "available"
            case .onCall: "on a call"
            case .ringing: "ringing"
            case .onHold: "on hold"
            case .doNotDisturb: "do not disturb"
            case .busy: "busy"
            case .away: "away"
            case .offline: "offline"
            }
        }
    }

    /// One person in the "Who is available" list.
    public struct PresenceEntry: Hashable, Sendable {
        public var name: String
        /// The number the Dial softkey calls; entries without one are not listed.
        public var number: String?
        public var state: PresenceState

        public init(name: String, number: String?, state: PresenceState) {
            self.name = name
            self.number = number
            self.state = state
        }
    }

    /// The Messages page's content.
    public struct Messages: Hashable, Sendable {
        /// The voicemail number of the phone's line; nil when none is set.
        public var voicemailNumber: String?
        /// Whether a message is waiting on the phone's lines; nil when the source does not know, and the page says
        /// nothing either way.
        public var messageWaiting: Bool?

        public init(voicemailNumber: String?, messageWaiting: Bool?) {
            self.voicemailNumber = voicemailNumber
            self.messageWaiting = messageWaiting
        }
    }

    /// A request as the HTTP listener hands it over.
    public struct Request: Hashable, Sendable {
        /// The part of the path after ``pathPrefix``, e.g. `directory/results`.
        public var path: String
        /// The query's parameters, decoded; the first of a repeated name wins.
        public var query: [String: String]
        /// The `Host` header, if it is a plausible host[:port]: the service's own URLs are built on it, so that the
        /// phone follows them to where it already is.
        public var host: String?
        /// The client's IP address.
        public var remoteAddress: String?

        public init(path: String, query: [String: String], host: String?, remoteAddress: String?) {
            self.path = path
            self.query = query
            self.host = host
            self.remoteAddress = remoteAddress
        }

        /// A request from an HTTP target (`/services/directory/results?f=al&start=32`); nil when the target is not
        /// under ``pathPrefix`` or its path is not plain ASCII letters, digits and `/`.
        public init?(target: String, host: String?, remoteAddress: String?) {
            var path = Substring(target)
            var queryText: Substring = ""
            if let mark = path.firstIndex(of: "?") {
                queryText = path[path.index(after: mark)...]
                path = path[..<mark]
            }
            if let hash = queryText.firstIndex(of: "#") { queryText = queryText[..<hash] }
            guard path.hasPrefix(PhoneServices.pathPrefix) else { return nil }
            path = path.dropFirst(PhoneServices.pathPrefix.count)
            guard
                path.utf8.allSatisfy({ byte in
                    switch byte {
                    case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "0")...UInt8(ascii: "9"),
                        UInt8(ascii: "/"):
                        true
                    default:
                        false
                    }
                })
            else { return nil }
            self.path = String(path)
            self.query = Self.parseQuery(queryText)
            self.host = host.flatMap { Self.isPlausibleHost($0) ? $0 : nil }
            self.remoteAddress = remoteAddress
        }

        /// `a=1&b=x+y&c=%41` → ["a": "1", "b": "x y", "c": "A"]: form decoding, at most ``maximumParameters``
        /// parameters, values cut to ``maximumValueLength``; bytes that are not UTF-8 are read as ISO-8859-1 (what
        /// the phone sends).
        static func parseQuery(_ text: Substring) -> [String: String] {
            var query: [String: String] = [:]
            for pair in text.split(separator: "&").prefix(PhoneServices.maximumParameters) {
                let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
                guard let name = parts.first.flatMap({ Self.decode($0) }), !name.isEmpty, query[name] == nil else {
                    continue
                }
                let value = parts.count > 1 ? Self.decode(parts[1]) ?? "" : ""
                query[name] = String(value.prefix(PhoneServices.maximumValueLength))
            }
            return query
        }

        private static func decode(_ text: Substring) -> String? {
            var bytes: [UInt8] = []
            var iterator = text.utf8.makeIterator()
            while let byte = iterator.next() {
                switch byte {
                case UInt8(ascii: "+"):
                    bytes.append(UInt8(ascii: " "))
                case UInt8(ascii: "%"):
                    guard let high = iterator.next().flatMap(Self.hexValue),
                        let low = iterator.next().flatMap(Self.hexValue)
                    else { return nil }
                    bytes.append(high << 4 | low)
                default:
                    bytes.append(byte)
                }
            }
            // Control characters have no place in a search term or a name.
            bytes.removeAll { $0 < 0x20 || $0 == 0x7F }
            if let text = String(validating: bytes, as: UTF8.self) { return text }
            return String(String.UnicodeScalarView(bytes.map { Unicode.Scalar($0) }))
        }

        private static func hexValue(_ byte: UInt8) -> UInt8? {
            switch byte {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): byte - UInt8(ascii: "0")
            case UInt8(ascii: "a")...UInt8(ascii: "f"): byte - UInt8(ascii: "a") + 10
            case UInt8(ascii: "A")...UInt8(ascii: "F"): byte - UInt8(ascii: "A") + 10
            default: nil
            }
        }

        /// A `Host` header value that can go into a URL: letters, digits, `.`, `-`, `:`, `[`, `]`, at most 261
        /// characters (a 253-character name and a port).
        static func isPlausibleHost(_ host: String) -> Bool {
            !host.isEmpty && host.utf8.count <= 261
                && host.utf8.allSatisfy { byte in
                    switch byte {
                    case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"),
                        UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "."), UInt8(ascii: "-"), UInt8(ascii: ":"),
                        UInt8(ascii: "["), UInt8(ascii: "]"):
                        true
                    default:
                        false
                    }
                }
        }
    }

    /// A response: status, content type and body bytes.
    public struct Response: Hashable, Sendable {
        public var status: Int
        public var contentType: String
        public var body: [UInt8]

        public init(status: Int, contentType: String, body: [UInt8]) {
            self.status = status
            self.contentType = contentType
            self.body = body
        }

        static func object(_ object: CiscoIPPhoneObject, status: Int = 200) -> Response {
            Response(status: status, contentType: CiscoIPPhoneObject.Charset.contentType, body: object.encoded())
        }

        static func plainText(_ text: String) -> Response {
            Response(status: 200, contentType: "text/plain; charset=ISO-8859-1", body: CiscoIPPhoneObject.latin1(text))
        }
    }

    private let source: any PhoneServicesSource
    /// `http://host:port` for requests without a usable `Host` header.
    private let fallbackBaseURL: @Sendable () async -> String

    public init(source: any PhoneServicesSource, fallbackBaseURL: @escaping @Sendable () async -> String) {
        self.source = source
        self.fallbackBaseURL = fallbackBaseURL
    }

    /// Answers `request`; throws only when the source fails (the listener answers 503).
    public func respond(to request: Request) async throws -> Response {
        let base: String
        if let host = request.host {
            base = "http://" + host
        } else {
            base = await self.fallbackBaseURL()
        }
        let urls = URLs(base: base + String(Self.pathPrefix.dropLast()))
        let device = request.query["name"].flatMap { Self.isDeviceName($0) ? $0.uppercased() : nil }
        switch request.path {
        case "directory":
            var items = [CiscoIPPhoneObject.MenuItem(name: "Corporate Directory", url: urls.search)]
            if let device {
                items.append(.init(name: "Who is available", url: urls.presence(device, start: 0)))
            }
            return .object(.menu(.init(title: "Directories", prompt: "Select a directory", items: items)))
        case "directory/search":
            return .object(.input(Self.searchForm(urls)))
        case "directory/results":
            return try await self.results(request.query, urls)
        case "menu":
            var items: [CiscoIPPhoneObject.MenuItem] = []
            if let device {
                items.append(.init(name: "Who is available", url: urls.presence(device, start: 0)))
            }
            items.append(.init(name: "Corporate Directory", url: urls.search))
            return .object(.menu(.init(title: "Services", prompt: "Select a service", items: items)))
        case "presence":
            guard let device, try await self.isFromPhone(device, request) else { return Self.notYourPhone }
            return try await self.presence(device, start: Self.start(request.query), urls)
        case "messages":
            guard let device, try await self.isFromPhone(device, request) else { return Self.notYourPhone }
            return try await self.messages(device)
        case "authenticate":
            guard let user = request.query["UserID"], let password = request.query["Password"],
                let device = request.query["devicename"], !user.isEmpty
            else { return .plainText("ERROR") }
            let allowed = try await self.source.authorizesPush(userID: user, password: password, device: device)
            return .plainText(allowed ? "AUTHORIZED" : "UN-AUTHORIZED")
        default:
            return .object(
                .text(.init(title: "Not found", text: "There is no such service.", softKeys: [Self.exitKey(1)])),
                status: 404
            )
        }
    }

    // MARK: Pages

    static func searchForm(_ urls: URLs) -> CiscoIPPhoneObject.Input {
        CiscoIPPhoneObject.Input(
            title: "Corporate Directory",
            prompt: "Enter search criteria",
            url: urls.results,
            items: [
                .init(displayName: "First Name", queryStringParameter: "f", flags: .ascii),
                .init(displayName: "Last Name", queryStringParameter: "l", flags: .ascii),
                .init(displayName: "Number", queryStringParameter: "n", flags: .telephone),
            ]
        )
    }

    private func results(_ query: [String: String], _ urls: URLs) async throws -> Response {
        let first = query["f"] ?? ""
        let last = query["l"] ?? ""
        let number = query["n"] ?? ""
        let start = Self.start(query)
        let page = try await self.source.directory(
            firstName: first,
            lastName: last,
            number: number,
            offset: start,
            limit: Self.pageSize
        )
        let entries = Array(page.entries.prefix(Self.pageSize))
        var softKeys = [
            CiscoIPPhoneObject.SoftKey(name: "Dial", url: "SoftKey:Dial", position: 1),
            CiscoIPPhoneObject.SoftKey(name: "EditDial", url: "SoftKey:EditDial", position: 2),
            Self.exitKey(3),
        ]
        if start + entries.count < page.total {
            softKeys.append(
                .init(name: "Next", url: urls.results(first, last, number, start: start + Self.pageSize), position: 4)
            )
        }
        if start > 0 {
            let previous = max(0, start - Self.pageSize)
            softKeys.append(
                .init(name: "Previous", url: urls.results(first, last, number, start: previous), position: 5)
            )
        }
        softKeys.append(.init(name: "Search", url: urls.search, position: 6))
        let prompt =
            entries.isEmpty
            ? "No matching entries"
            : "Records \(start + 1) to \(start + entries.count) of \(page.total)"
        return .object(
            .directory(.init(title: "Corporate Directory", prompt: prompt, entries: entries, softKeys: softKeys))
        )
    }

    private func presence(_ device: String, start: Int, _ urls: URLs) async throws -> Response {
        guard let everyone = try await self.source.presence(seenFromDevice: device) else { return Self.notYourPhone }
        let listed = everyone.compactMap { entry -> (PresenceEntry, String)? in
            guard let number = entry.number, !number.isEmpty else { return nil }
            return (entry, number)
        }.sorted { lhs, rhs in
            let lhsAvailable = lhs.0.state == .available
            let rhsAvailable = rhs.0.state == .available
            if lhsAvailable != rhsAvailable { return lhsAvailable }
            return (lhs.0.name.lowercased(), lhs.1) < (rhs.0.name.lowercased(), rhs.1)
        }
        let available = listed.count { $0.0.state == .available }
        let page = listed.dropFirst(start).prefix(Self.pageSize)
        var softKeys = [
            CiscoIPPhoneObject.SoftKey(name: "Dial", url: "SoftKey:Dial", position: 1),
            Self.exitKey(3),
        ]
        if start + page.count < listed.count {
            softKeys.append(.init(name: "Next", url: urls.presence(device, start: start + Self.pageSize), position: 4))
        }
        if start > 0 {
            softKeys.append(
                .init(name: "Previous", url: urls.presence(device, start: max(0, start - Self.pageSize)), position: 5)
            )
        }
        return .object(
            .directory(
                .init(
                    title: "Who is available",
                    prompt: "\(available) of \(listed.count) available",
                    entries: page.map { entry, number in
                        .init(name: entry.name + " - " + entry.state.label, telephone: number)
                    },
                    softKeys: softKeys
                )
            )
        )
    }

    private func messages(_ device: String) async throws -> Response {
        guard let messages = try await self.source.messages(ofDevice: device) else { return Self.notYourPhone }
        guard let number = messages.voicemailNumber else {
            return .object(
                .text(
                    .init(
                        title: "Messages",
                        text: "No voicemail number is set for this phone's line.",
                        softKeys: [Self.exitKey(3)]
                    )
                )
            )
        }
        var text = "Voicemail: \(number)"
        // What the source knows of message waiting; nil: it does not know, and the page does not guess.
        switch messages.messageWaiting {
        case true?: text += "\nYou have new messages."
        case false?: text += "\nNo new messages."
        case nil: break
        }
        return .object(
            .text(
                .init(
                    title: "Messages",
                    prompt: "Press Call to listen",
                    text: text,
                    softKeys: [.init(name: "Call", url: "Dial:" + number, position: 1), Self.exitKey(3)]
                )
            )
        )
    }

    private func isFromPhone(_ device: String, _ request: Request) async throws -> Bool {
        guard let address = request.remoteAddress else { return false }
        return try await self.source.isRegistered(device, from: address)
    }

    /// The answer to a per-phone page asked for by anyone but that phone.
    static let notYourPhone = Response.object(
        .text(
            .init(
                title: "Not available",
                text: "This page is only for the phone it belongs to, while it is registered.",
                softKeys: [exitKey(3)]
            )
        ),
        status: 403
    )

    static func exitKey(_ position: Int) -> CiscoIPPhoneObject.SoftKey {
        .init(name: "Exit", url: "SoftKey:Exit", position: position)
    }

    static func start(_ query: [String: String]) -> Int {
        guard let text = query["start"], let value = Int(text), value > 0 else { return 0 }
        return min(value, Self.maximumStart)
    }

    /// A device name as Register carries it: 1–15 letters, digits, `-` and `_`.
    static func isDeviceName(_ name: String) -> Bool {
        (1...15).contains(name.utf8.count)
            && name.utf8.allSatisfy { byte in
                switch byte {
                case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"),
                    UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "-"), UInt8(ascii: "_"):
                    true
                default:
                    false
                }
            }
    }

    /// The service's absolute URLs (phones follow absolute URLs only).
    struct URLs {
        /// `http://host:port/services`.
        let base: String

        var search: String { self.base + "/directory/search" }
        var results: String { self.base + "/directory/results" }

        func results(_ first: String, _ last: String, _ number: String, start: Int) -> String {
            self.results + "?f=" + Self.escape(first) + "&l=" + Self.escape(last) + "&n=" + Self.escape(number)
                + "&start=\(start)"
        }

        func presence(_ device: String, start: Int) -> String {
            self.base + "/presence?name=" + Self.escape(device) + (start > 0 ? "&start=\(start)" : "")
        }

        /// Percent-encodes everything but unreserved characters (RFC 3986 §2.3), from the ISO-8859-1 bytes.
        static func escape(_ value: String) -> String {
            var escaped = ""
            for byte in CiscoIPPhoneObject.latin1(value) {
                switch byte {
                case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"),
                    UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "-"), UInt8(ascii: "."), UInt8(ascii: "_"),
                    UInt8(ascii: "~"):
                    escaped.unicodeScalars.append(Unicode.Scalar(byte))
                default:
                    let hex = String(byte, radix: 16, uppercase: true)
                    escaped += "%" + (byte < 16 ? "0" : "") + hex
                }
            }
            return escaped
        }
    }

    /// The URLs a device's cnf.xml names, under `base` (`http://host:port`): directory, services and messages carry
    /// the device's name; authentication is the same for every phone.
    public static func deviceURLs(
        base: String,
        device: String
    ) -> (
        directory: String, services: String, messages: String, authentication: String
    ) {
        let root = base + String(Self.pathPrefix.dropLast())
        let name = URLs.escape(device)
        return (
            root + "/directory?name=" + name, root + "/menu?name=" + name, root + "/messages?name=" + name,
            root + "/authenticate"
        )
    }
}
