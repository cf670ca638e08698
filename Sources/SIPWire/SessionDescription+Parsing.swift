extension SessionDescription {
    /// Parses an SDP body; throws ``SIPParseError/Code/invalidSDP`` naming the bad line.
    public init<Bytes: Collection>(parsing body: Bytes) throws(SIPParseError) where Bytes.Element == UInt8 {
        func fail(_ why: String) -> SIPParseError {
            SIPParseError(code: .invalidSDP, detail: "SDP: \(why)")
        }
        var lines = Array(body).split(separator: SIPGrammar.lf, omittingEmptySubsequences: true).map { line in
            line.last == SIPGrammar.cr ? line.dropLast() : line
        }
        lines.removeAll { $0.isEmpty }
        guard lines.count <= SIPLimits.maximumSDPLines else {
            throw fail("more than \(SIPLimits.maximumSDPLines) lines")
        }
        guard let first = lines.first, first.elementsEqual("v=0".utf8) else { throw fail("does not start with v=0") }
        var origin: Origin?
        var sessionName: String?
        var connection: ConnectionAddress?
        var timing: [String] = []
        var otherLines: [String] = []
        var attributes: [Attribute] = []
        var media: [Media] = []
        for line in lines.dropFirst() {
            guard line.count >= 2, line[line.startIndex + 1] == SIPGrammar.equals,
                let type = line.first, SIPGrammar.isAlpha(type)
            else { throw fail("line is not x=value") }
            let value = String(decoding: line.dropFirst(2), as: UTF8.self)
            switch (type, media.isEmpty) {
            case (UInt8(ascii: "o"), true):
                origin = try Self.parseOrigin(value)
            case (UInt8(ascii: "s"), true):
                sessionName = value
            case (UInt8(ascii: "c"), true):
                connection = try Self.parseConnection(value)
            case (UInt8(ascii: "t"), true):
                timing.append(value)
            case (UInt8(ascii: "a"), true):
                attributes.append(Self.parseAttribute(value))
            case (UInt8(ascii: "m"), _):
                media.append(try Self.parseMedia(value))
            case (UInt8(ascii: "c"), false):
                media[media.count - 1].connection = try Self.parseConnection(value)
            case (UInt8(ascii: "a"), false):
                media[media.count - 1].attributes.append(Self.parseAttribute(value))
            case (_, false):
                media[media.count - 1].otherLines.append(String(decoding: line, as: UTF8.self))
            case (_, true):
                otherLines.append(String(decoding: line, as: UTF8.self))
            }
        }
        guard let origin else { throw fail("no o= line") }
        guard let sessionName else { throw fail("no s= line") }
        for item in media where item.port != 0 && connection == nil && item.connection == nil {
            throw fail("m=\(item.type) has no c= line")
        }
        self.origin = origin
        self.sessionName = sessionName
        self.connection = connection
        self.timing = timing.isEmpty ? ["0 0"] : timing
        self.otherLines = otherLines
        self.attributes = attributes
        self.media = media
    }

    private static func parseOrigin(_ value: String) throws(SIPParseError) -> Origin {
        let parts = value.split(separator: " ", omittingEmptySubsequences: true)
        guard parts.count == 6, parts[3] == "IN", let family = ConnectionAddress.Family(rawValue: String(parts[4])),
            let version = UInt64(parts[2])
        else { throw SIPParseError(code: .invalidSDP, detail: "SDP: o= line is malformed") }
        return Origin(
            username: String(parts[0]),
            sessionID: String(parts[1]),
            sessionVersion: version,
            address: ConnectionAddress(family, String(parts[5]))
        )
    }

    private static func parseConnection(_ value: String) throws(SIPParseError) -> ConnectionAddress {
        let parts = value.split(separator: " ", omittingEmptySubsequences: true)
        guard parts.count == 3, parts[0] == "IN", let family = ConnectionAddress.Family(rawValue: String(parts[1])),
            !parts[2].isEmpty
        else { throw SIPParseError(code: .invalidSDP, detail: "SDP: c= line is malformed") }
        // A multicast TTL suffix (`224.2.1.1/127`) is not for a trunk; keep the address only.
        let address = parts[2].split(separator: "/").first.map(String.init) ?? String(parts[2])
        return ConnectionAddress(family, address)
    }

    private static func parseMedia(_ value: String) throws(SIPParseError) -> Media {
        let parts = value.split(separator: " ", omittingEmptySubsequences: true)
        guard parts.count >= 3 else { throw SIPParseError(code: .invalidSDP, detail: "SDP: m= line is malformed") }
        let portParts = parts[1].split(separator: "/")
        guard let portText = portParts.first, let port = Int(portText), (0...65_535).contains(port) else {
            throw SIPParseError(code: .invalidSDP, detail: "SDP: m= port is not 0-65535")
        }
        var media = Media(
            type: String(parts[0]),
            port: port,
            transport: String(parts[2]),
            formats: parts.dropFirst(3).map(String.init)
        )
        if portParts.count == 2 {
            guard let count = Int(portParts[1]), count > 0 else {
                throw SIPParseError(code: .invalidSDP, detail: "SDP: m= port count is invalid")
            }
            media.portCount = count
        }
        return media
    }

    private static func parseAttribute(_ value: String) -> Attribute {
        guard let colon = value.firstIndex(of: ":") else { return Attribute(value) }
        return Attribute(String(value[..<colon]), String(value[value.index(after: colon)...]))
    }

    /// The description as an SDP body, lines in RFC 4566 §5's order, CRLF-terminated.
    public func serialized() -> [UInt8] {
        var lines = [
            "v=0",
            "o=\(origin.username) \(origin.sessionID) \(origin.sessionVersion) \(origin.address)",
            "s=\(sessionName.isEmpty ? "-" : sessionName)",
        ]
        lines += otherLines.filter { !$0.hasPrefix("r=") && !$0.hasPrefix("z=") && !$0.hasPrefix("b=") }
        if let connection { lines.append("c=\(connection)") }
        lines += otherLines.filter { $0.hasPrefix("b=") }
        lines += timing.map { "t=\($0)" }
        lines += otherLines.filter { $0.hasPrefix("r=") || $0.hasPrefix("z=") }
        lines += attributes.map(Self.attributeLine)
        for item in media {
            let port = item.portCount.map { "\(item.port)/\($0)" } ?? "\(item.port)"
            lines.append((["m=\(item.type) \(port) \(item.transport)"] + item.formats).joined(separator: " "))
            lines += item.otherLines.filter { $0.hasPrefix("i=") }
            if let connection = item.connection { lines.append("c=\(connection)") }
            lines += item.otherLines.filter { !$0.hasPrefix("i=") }
            lines += item.attributes.map(Self.attributeLine)
        }
        var bytes: [UInt8] = []
        for line in lines {
            bytes += line.utf8.map { $0 == SIPGrammar.cr || $0 == SIPGrammar.lf ? SIPGrammar.space : $0 }
            bytes += [SIPGrammar.cr, SIPGrammar.lf]
        }
        return bytes
    }

    private static func attributeLine(_ attribute: Attribute) -> String {
        attribute.value.map { "a=\(attribute.name):\($0)" } ?? "a=\(attribute.name)"
    }
}
