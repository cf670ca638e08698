import Foundation
import Provisioning
import Testing

#if canImport(FoundationXML)
import FoundationXML
#endif

/// A parsed XML element, built with Foundation's XMLParser (FoundationXML on Linux).
final class XMLNode {
    let name: String
    let attributes: [String: String]
    var children: [XMLNode] = []
    var text = ""

    init(name: String, attributes: [String: String]) {
        self.name = name
        self.attributes = attributes
    }

    func child(_ name: String) -> XMLNode? { self.children.first { $0.name == name } }

    func path(_ names: String...) -> XMLNode? {
        names.reduce(Optional(self)) { node, name in node?.child(name) }
    }

    func all(_ name: String) -> [XMLNode] { self.children.filter { $0.name == name } }

    /// Parses `text`; nil if it is not well-formed.
    static func parse(_ text: String) -> XMLNode? {
        let parser = XMLParser(data: Data(text.utf8))
        let builder = Builder()
        parser.delegate = builder
        guard parser.parse() else { return nil }
        return builder.root
    }

    private final class Builder: NSObject, XMLParserDelegate {
        var root: XMLNode?
        var stack: [XMLNode] = []

        func parser(
            _ parser: XMLParser,
            didStartElement elementName: String,
            namespaceURI: String?,
            qualifiedName: String?,
            attributes: [String: String] = [:]
        ) {
            let node = XMLNode(name: elementName, attributes: attributes)
            if let parent = self.stack.last { parent.children.append(node) } else { self.root = node }
            self.stack.append(node)
        }

        func parser(
            _ parser: XMLParser,
            didEndElement elementName: String,
            namespaceURI: String?,
            qualifiedName: String?
        ) {
            _ = self.stack.popLast()
        }

        func parser(_ parser: XMLParser, foundCharacters string: String) {
            self.stack.last?.text += string
        }
    }
}

@Suite struct CnfXMLGeneratorTests {
    private let group = CnfXML.CallManagerGroup(
        name: "Strowger",
        members: [
            CnfXML.Node(name: "node-a", address: "192.0.2.10"),
            CnfXML.Node(name: "node-b", address: "192.0.2.11", sccpPort: 2100, sccpsPort: 2543, description: "backup"),
            CnfXML.Node(name: "node-c", address: "strowger-c.example.net", sccpPort: 12000, sccpsPort: 12443),
        ]
    )

    private func device(
        securityMode: CnfXML.SecurityMode = .nonSecure,
        group: CnfXML.CallManagerGroup? = nil
    ) -> CnfXML.Device {
        CnfXML.Device(
            name: "SEP001122334455",
            model: "Cisco 7942",
            description: "Reception",
            securityMode: securityMode,
            callManagerGroup: group ?? self.group,
            dateTime: CnfXML.DateTimeSettings(
                dateTemplate: "D.M.Y",
                timeZone: "W. Europe Standard/Daylight Time",
                olsonTimeZone: "Europe/Berlin",
                ntpServers: ["192.0.2.1"]
            ),
            loadInformation: "SCCP42.9-4-2SR3-1S",
            userLocale: CnfXML.UserLocale(
                name: "German_Germany",
                languageCode: "de_DE",
                windowsCharacterSet: "iso-8859-1"
            ),
            networkLocale: "Germany",
            urls: CnfXML.URLs(
                authentication: "http://192.0.2.10:6970/auth",
                services: "http://192.0.2.10:6970/services"
            )
        )
    }

    @Test func deviceFileHasTheCiscoStructure() throws {
        let xml = try CnfXMLGenerator.deviceConfiguration(device())
        #expect(xml.hasPrefix("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<device>"))
        let root = try #require(XMLNode.parse(xml))
        #expect(root.name == "device")
        #expect(root.child("deviceProtocol")?.text == "SCCP")
        #expect(root.path("devicePool", "dateTimeSetting", "dateTemplate")?.text == "D.M.Y")
        #expect(root.path("devicePool", "dateTimeSetting", "timeZone")?.text == "W. Europe Standard/Daylight Time")
        #expect(root.path("devicePool", "dateTimeSetting", "olsonTimeZone")?.text == "Europe/Berlin")
        #expect(root.path("devicePool", "dateTimeSetting", "ntps", "ntp", "name")?.text == "192.0.2.1")
        #expect(root.path("devicePool", "callManagerGroup", "name")?.text == "Strowger")
        let members = try #require(root.path("devicePool", "callManagerGroup", "members")).all("member")
        #expect(members.map { $0.attributes["priority"] } == ["0", "1", "2"])
        #expect(
            members.map { $0.path("callManager", "processNodeName")?.text } == [
                "192.0.2.10", "192.0.2.11", "strowger-c.example.net",
            ]
        )
        #expect(members.map { $0.path("callManager", "name")?.text } == ["node-a", "node-b", "node-c"])
        #expect(
            members.map { $0.path("callManager", "ports", "ethernetPhonePort")?.text } == ["2000", "2100", "12000"]
        )
        #expect(members.map { $0.path("callManager", "ports", "sccpsPort")?.text } == ["2443", "2543", "12443"])
        #expect(members[0].path("callManager", "ports", "mgcpPorts", "listen")?.text == "2427")
        #expect(members[1].path("callManager", "description")?.text == "backup")
        #expect(root.child("loadInformation")?.text == "SCCP42.9-4-2SR3-1S")
        #expect(root.path("userLocale", "name")?.text == "German_Germany")
        #expect(root.path("userLocale", "langCode")?.text == "de_DE")
        #expect(root.child("networkLocale")?.text == "Germany")
        #expect(root.child("authenticationURL")?.text == "http://192.0.2.10:6970/auth")
        #expect(root.child("servicesURL")?.text == "http://192.0.2.10:6970/services")
        #expect(root.child("directoryURL")?.text == "")
        #expect(root.child("versionStamp")?.text.count == 16)
    }

    @Test(arguments: [
        (CnfXML.SecurityMode.nonSecure, "1", "2"), (.authenticated, "2", "3"), (.encrypted, "3", "3"),
    ])
    func securityModeAndTransport(_ mode: CnfXML.SecurityMode, _ securityMode: String, _ transport: String) throws {
        let root = try #require(XMLNode.parse(try CnfXMLGenerator.deviceConfiguration(device(securityMode: mode))))
        #expect(root.child("deviceSecurityMode")?.text == securityMode)
        #expect(root.child("transportLayerProtocol")?.text == transport)
    }

    @Test func optionalPartsAreLeftOutWhenUnset() throws {
        let minimal = CnfXML.Device(
            name: "SEPAABBCCDDEEFF",
            callManagerGroup: CnfXML.CallManagerGroup(members: [CnfXML.Node(name: "a", address: "10.0.0.1")])
        )
        let root = try #require(XMLNode.parse(try CnfXMLGenerator.deviceConfiguration(minimal)))
        #expect(root.child("userLocale") == nil)
        #expect(root.child("networkLocale") == nil)
        #expect(root.path("devicePool", "dateTimeSetting", "ntps") == nil)
        #expect(root.child("loadInformation")?.text == "")
        #expect(root.child("deviceSecurityMode")?.text == "1")
    }

    @Test func versionStampFollowsTheContent() throws {
        let first = try CnfXMLGenerator.deviceConfiguration(device())
        #expect(try CnfXMLGenerator.deviceConfiguration(device()) == first)
        let changed = try CnfXMLGenerator.deviceConfiguration(device(securityMode: .encrypted))
        let stamp = { (xml: String) in XMLNode.parse(xml)?.child("versionStamp")?.text }
        #expect(stamp(first) != nil)
        #expect(stamp(first) != stamp(changed))
        var pinned = device()
        pinned.versionStamp = "1700000000-abc"
        #expect(stamp(try CnfXMLGenerator.deviceConfiguration(pinned)) == "1700000000-abc")
    }

    @Test func hostileStringsAreEscapedAndCannotAddElements() throws {
        let hostile = "</processNodeName><processNodeName>203.0.113.66</processNodeName><x a='1' b=\"2\">&amp;&"
        let control = "bell\u{7}null\u{0}esc\u{1B}\u{FFFE}end"
        var evil = device()
        evil.callManagerGroup = CnfXML.CallManagerGroup(
            name: "<![CDATA[x]]>",
            members: [CnfXML.Node(name: hostile, address: hostile, description: control)]
        )
        evil.dateTime.timeZone = "\"quoted\" & 'single'"
        evil.urls.services = "http://h/s?a=1&b=<2>"
        evil.userLocale = CnfXML.UserLocale(name: "<!-- comment -->", languageCode: "<?pi?>")
        let xml = try CnfXMLGenerator.deviceConfiguration(evil)
        let root = try #require(XMLNode.parse(xml))
        let members = try #require(root.path("devicePool", "callManagerGroup", "members")).all("member")
        #expect(members.count == 1)
        #expect(members[0].child("callManager")?.all("processNodeName").count == 1)
        #expect(members[0].path("callManager", "processNodeName")?.text == hostile)
        #expect(members[0].path("callManager", "name")?.text == hostile)
        #expect(members[0].path("callManager", "description")?.text == "bellnullescend")
        #expect(root.path("devicePool", "callManagerGroup", "name")?.text == "<![CDATA[x]]>")
        #expect(root.path("devicePool", "dateTimeSetting", "timeZone")?.text == "\"quoted\" & 'single'")
        #expect(root.child("servicesURL")?.text == "http://h/s?a=1&b=<2>")
        #expect(root.path("userLocale", "name")?.text == "<!-- comment -->")
        #expect(!xml.contains("\u{0}"))
    }

    @Test func defaultFileCarriesTheGroupAndLoadsOnly() throws {
        let defaults = CnfXML.Defaults(
            callManagerGroup: self.group,
            loads: [
                CnfXML.ModelLoad(deviceType: 434, model: "Cisco 7942", load: "SCCP42.9-4-2SR3-1S"),
                CnfXML.ModelLoad(deviceType: 435, model: "Cisco \"7945\"", load: "SCCP45.9-4-2SR3-1S"),
            ]
        )
        let xml = try CnfXMLGenerator.defaultConfiguration(defaults)
        let root = try #require(XMLNode.parse(xml))
        #expect(root.name == "Default")
        let members = try #require(root.path("callManagerGroup", "members")).all("member")
        #expect(
            members.map { $0.path("callManager", "processNodeName")?.text } == [
                "192.0.2.10", "192.0.2.11", "strowger-c.example.net",
            ]
        )
        #expect(
            members.map { $0.path("callManager", "ports", "ethernetPhonePort")?.text } == ["2000", "2100", "12000"]
        )
        #expect(root.child("loadInformation434")?.attributes["model"] == "Cisco 7942")
        #expect(root.child("loadInformation434")?.text == "SCCP42.9-4-2SR3-1S")
        #expect(root.child("loadInformation435")?.attributes["model"] == "Cisco \"7945\"")
        #expect(root.child("devicePool") == nil)
        #expect(root.child("deviceSecurityMode") == nil)
    }

    @Test(arguments: [0, 4])
    func groupsOutsideOneToThreeMembersAreRefused(_ count: Int) {
        let members = (0..<count).map { CnfXML.Node(name: "n\($0)", address: "10.0.0.\($0)") }
        #expect(throws: CnfXMLError.self) {
            try CnfXMLGenerator.deviceConfiguration(device(group: CnfXML.CallManagerGroup(members: members)))
        }
        #expect(throws: CnfXMLError.self) {
            try CnfXMLGenerator.defaultConfiguration(
                CnfXML.Defaults(callManagerGroup: CnfXML.CallManagerGroup(members: members))
            )
        }
    }

    @Test(arguments: [0, 65536, -1])
    func portsOutOfRangeAreRefused(_ port: Int) {
        let group = CnfXML.CallManagerGroup(members: [CnfXML.Node(name: "a", address: "10.0.0.1", sccpPort: port)])
        do {
            _ = try CnfXMLGenerator.deviceConfiguration(device(group: group))
            Issue.record("port \(port) accepted")
        } catch {
            #expect(error.code == .portOutOfRange)
        }
    }
}
