/// Reads the CallManager group out of a `SEP<MAC>.cnf.xml` or `XMLDefault.cnf.xml`, as a phone does after fetching
/// its file over TFTP: the ordered list of call managers it registers with and fails over between.
///
/// The reader takes the first `<callManagerGroup>` in the document (`<device><devicePool>` in a device's file, the
/// root's child in `XMLDefault.cnf.xml`) and, from its `<members>`, every `<member priority="N">`, lowest priority
/// first (equal priorities keep their document order). Of each member's `<callManager>` it reads:
///
/// | element | meaning | when absent |
/// |---|---|---|
/// | `<processNodeName>` | the address the phone connects to | the member is refused |
/// | `<ports><ethernetPhonePort>` | the SCCP port | 2000, CUCM's |
/// | `<ports><sccpsPort>` | the SCCPS port (Strowger's own element) | 2443 |
/// | `<name>` | the node's name | the address |
/// | `<description>` | free text | empty |
///
/// As a Cisco phone, it keeps the first three members (`CnfXML.CallManagerGroup.maximumMembers`). The file comes
/// from the network: anything malformed is a `CnfXMLReadError` saying what and where, never a trap.
public enum CnfXMLReader {
    /// The CallManager group of the cnf.xml in `bytes` (UTF-8).
    public static func callManagerGroup(
        from bytes: some Collection<UInt8>
    ) throws(CnfXMLReadError)
        -> CnfXML.CallManagerGroup
    {
        let root: XMLReader.Element
        do {
            root = try XMLReader.read(bytes)
        } catch {
            throw CnfXMLReadError(code: .malformedXML, detail: error.description)
        }
        guard let group = root.first(named: "callManagerGroup") else {
            throw CnfXMLReadError(code: .noCallManagerGroup, detail: "no <callManagerGroup> in <\(root.name)>")
        }
        guard let members = group.child("members") else {
            throw CnfXMLReadError(code: .noCallManagerGroup, detail: "<callManagerGroup> has no <members>")
        }
        var nodes: [(priority: Int, node: CnfXML.Node)] = []
        for (position, member) in members.children.enumerated() where member.name == "member" {
            nodes.append(try Self.node(member, position: position))
        }
        guard !nodes.isEmpty else {
            throw CnfXMLReadError(code: .noCallManagerGroup, detail: "<members> has no <member>")
        }
        // A stable sort: equal priorities keep their document order.
        let ordered = nodes.enumerated().sorted { ($0.element.priority, $0.offset) < ($1.element.priority, $1.offset) }
        return CnfXML.CallManagerGroup(
            name: Self.text(group.child("name")) ?? "",
            members: ordered.prefix(CnfXML.CallManagerGroup.maximumMembers).map(\.element.node)
        )
    }

    private static func node(_ member: XMLReader.Element, position: Int) throws(CnfXMLReadError) -> (Int, CnfXML.Node) {
        let which = "member \(position + 1)"
        guard let priorityText = member.attribute("priority"), let priority = Int(priorityText), priority >= 0 else {
            throw CnfXMLReadError(
                code: .invalidMember,
                detail: "\(which): priority \"\(member.attribute("priority") ?? "")\" is not a number from 0"
            )
        }
        guard let callManager = member.child("callManager") else {
            throw CnfXMLReadError(code: .invalidMember, detail: "\(which) has no <callManager>")
        }
        guard let address = Self.text(callManager.child("processNodeName")) else {
            throw CnfXMLReadError(code: .invalidMember, detail: "\(which) has no <processNodeName>")
        }
        let ports = callManager.child("ports")
        let sccpPort = try Self.port(ports?.child("ethernetPhonePort"), default: 2000, which: which)
        let sccpsPort = try Self.port(ports?.child("sccpsPort"), default: 2443, which: which)
        return (
            priority,
            CnfXML.Node(
                name: Self.text(callManager.child("name")) ?? address,
                address: address,
                sccpPort: sccpPort,
                sccpsPort: sccpsPort,
                description: Self.text(callManager.child("description")) ?? ""
            )
        )
    }

    private static func port(
        _ element: XMLReader.Element?,
        default value: Int,
        which: String
    ) throws(CnfXMLReadError)
        -> Int
    {
        guard let element else { return value }
        guard let text = Self.text(element), let port = Int(text), (1...65535).contains(port) else {
            throw CnfXMLReadError(
                code: .invalidMember,
                detail: "\(which): <\(element.name)> \"\(element.text)\" is not a port 1-65535"
            )
        }
        return port
    }

    /// The element's text without surrounding white space; nil when there is none.
    private static func text(_ element: XMLReader.Element?) -> String? {
        guard let element else { return nil }
        let text = element.text.drop { $0.isWhitespace }.reversed().drop { $0.isWhitespace }.reversed()
        return text.isEmpty ? nil : String(text)
    }
}

/// A cnf.xml from which no CallManager list can be read.
public struct CnfXMLReadError: Error, Hashable, Sendable, CustomStringConvertible {
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        private enum Base: Hashable, Sendable {
            case malformedXML
            case noCallManagerGroup
            case invalidMember
        }

        private let base: Base

        private init(_ base: Base) {
            self.base = base
        }

        /// Not well-formed XML (or more than the reader takes: too long, too deep, a document type declaration).
        public static let malformedXML = Code(.malformedXML)
        /// No `<callManagerGroup>`, no `<members>`, or no `<member>` in it.
        public static let noCallManagerGroup = Code(.noCallManagerGroup)
        /// A member without a valid priority, `<callManager>` or `<processNodeName>`, or with a port out of range.
        public static let invalidMember = Code(.invalidMember)

        public var description: String {
            switch self.base {
            case .malformedXML: "malformed XML"
            case .noCallManagerGroup: "no CallManager group"
            case .invalidMember: "invalid CallManager group member"
            }
        }
    }

    public let code: Code
    public let detail: String

    init(code: Code, detail: String) {
        self.code = code
        self.detail = detail
    }

    public static func == (lhs: Self, rhs: Self) -> Bool { lhs.code == rhs.code }
    public func hash(into hasher: inout Hasher) { hasher.combine(self.code) }

    public var description: String { "cnf.xml \(self.code): \(self.detail)" }
}
