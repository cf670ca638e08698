import Foundation
import Provisioning
import Testing

/// Reading the CallManager list out of a cnf.xml, as a phone does (the failover phone's list, issue 19 item 4):
/// Strowger's own files, CUCM-shaped hand-written ones, and files that must be refused with a reason.
@Suite struct CnfXMLReaderTests {
    static let group = CnfXML.CallManagerGroup(
        name: "Berlin & Hamburg",
        members: [
            CnfXML.Node(name: "node-a", address: "192.0.2.10"),
            CnfXML.Node(name: "node-b", address: "192.0.2.11", sccpPort: 2100, sccpsPort: 2543, description: "backup"),
            CnfXML.Node(name: "<c>", address: "strowger-c.example.net", sccpPort: 12000, sccpsPort: 12443),
        ]
    )

    static func read(_ text: String) throws(CnfXMLReadError) -> CnfXML.CallManagerGroup {
        try CnfXMLReader.callManagerGroup(from: Array(text.utf8))
    }

    @Test func theGeneratorsDeviceFileReadsBackAsTheSameGroup() throws {
        let device = CnfXML.Device(name: "SEP001122334455", callManagerGroup: Self.group)
        let xml = try CnfXMLGenerator.deviceConfiguration(device)
        #expect(try Self.read(xml) == Self.group)
        // Foundation's parser (libxml2) reads the same addresses in the same order from the same bytes.
        let members = try #require(XMLNode.parse(xml)?.path("devicePool", "callManagerGroup", "members"))
        #expect(
            members.all("member").map { $0.path("callManager", "processNodeName")?.text }
                == Self.group.members.map(\.address)
        )
    }

    @Test func theGeneratorsDefaultFileReadsBackAsTheSameGroup() throws {
        let xml = try CnfXMLGenerator.defaultConfiguration(CnfXML.Defaults(callManagerGroup: Self.group))
        #expect(try Self.read(xml) == Self.group)
    }

    /// A file as CUCM writes it (no `sccpsPort`), with what real files carry around the group: a byte-order mark, CRLF
    /// line ends, comments, a CDATA name, references, single-quoted attributes, members out of order.
    @Test func aCUCMStyleFileIsReadInPriorityOrderWithCUCMsDefaultPorts() throws {
        let xml =
            "\u{FEFF}<?xml version=\"1.0\" encoding=\"UTF-8\"?>\r\n<!-- written by CUCM 8.6 -->\r\n"
                + """
                <device xsi:type="axl:XIPPhone" ctiid="94">
                  <fullConfig>true</fullConfig>
                  <devicePool>
                    <callManagerGroup>
                      <name><![CDATA[Main <CMG>]]></name>
                      <members>
                        <member priority='1'>
                          <callManager>
                            <name>CM&#x2d;2</name>
                            <ports><ethernetPhonePort>2000</ethernetPhonePort><mgcpPorts><listen>2427</listen></mgcpPorts></ports>
                            <processNodeName> 10.1.1.2 </processNodeName>
                          </callManager>
                        </member>
                        <member priority="0">
                          <callManager>
                            <ports>
                              <ethernetPhonePort>2001</ethernetPhonePort>
                            </ports>
                            <processNodeName>cm1.example.com</processNodeName>
                          </callManager>
                        </member>
                      </members>
                    </callManagerGroup>
                  </devicePool>
                  <loadInformation>SCCP42.9-4-2SR3-1S</loadInformation>
                </device>
                """
        let group = try Self.read(xml)
        #expect(group.name == "Main <CMG>")
        #expect(group.members.map(\.address) == ["cm1.example.com", "10.1.1.2"])
        #expect(group.members.map(\.sccpPort) == [2001, 2000])
        #expect(group.members.map(\.sccpsPort) == [2443, 2443])
        #expect(group.members.map(\.name) == ["cm1.example.com", "CM-2"])
    }

    @Test func aPhoneKeepsTheFirstThreeMembersAndEqualPrioritiesKeepDocumentOrder() throws {
        let members = [("d", 3), ("b", 1), ("a", 0), ("c", 1)].map { name, priority in
            "<member priority=\"\(priority)\"><callManager><processNodeName>\(name)</processNodeName></callManager></member>"
        }
        let xml = "<Default><callManagerGroup><members>\(members.joined())</members></callManagerGroup></Default>"
        #expect(try Self.read(xml).members.map(\.address) == ["a", "b", "c"])
    }

    /// A group of one member whose `<member>` is `member`.
    static func oneMember(_ member: String) -> String {
        "<d><callManagerGroup><members>" + member + "</members></callManagerGroup></d>"
    }

    static let refused: [(String, CnfXMLReadError.Code)] = {
        let malformed: [String] = [
            // Not XML, or not a whole document.
            "", "<device><devicePool>", "<device></devicePool>", "<a/><b/>", "text<device/>", "<device a=1/>",
            "<device a=\"1\" a=\"2\"/>", "<device>&unknown;</device>", "<device>&#0;</device>", "<device>AT&T</device>",
            "<device><!-- never closed </device>",
            // A document type declaration is where entity bombs live: refused outright.
            "<!DOCTYPE d [<!ENTITY a \"aaaaaaaa\"><!ENTITY b \"&a;&a;&a;&a;&a;&a;&a;&a;\">]><device>&b;</device>",
        ]
        // Well-formed, but no list a phone could use.
        let noGroup: [String] = [
            "<device><devicePool/></device>", "<device><callManagerGroup><name>x</name></callManagerGroup></device>",
            "<Default><callManagerGroup><members/></callManagerGroup></Default>",
        ]
        let node = "<callManager><processNodeName>a</processNodeName></callManager>"
        let invalidMember: [String] = [
            Self.oneMember("<member>" + node + "</member>"),
            Self.oneMember("<member priority=\"-1\">" + node + "</member>"),
            Self.oneMember(
                "<member priority=\"0\"><callManager><processNodeName> </processNodeName></callManager></member>"
            ),
            Self.oneMember(
                "<member priority=\"0\"><callManager><processNodeName>a</processNodeName>"
                    + "<ports><ethernetPhonePort>65536</ethernetPhonePort></ports></callManager></member>"
            ),
            Self.oneMember("<member priority=\"0\"/>"),
        ]
        return malformed.map { ($0, CnfXMLReadError.Code.malformedXML) }
            + noGroup.map { ($0, CnfXMLReadError.Code.noCallManagerGroup) }
            + invalidMember.map { ($0, CnfXMLReadError.Code.invalidMember) }
    }()

    @Test(arguments: Self.refused)
    func filesWithoutAUsableListAreRefusedWithAReason(_ xml: String, _ code: CnfXMLReadError.Code) {
        do {
            let group = try Self.read(xml)
            Issue.record("read \(group) from \(xml)")
        } catch {
            #expect(error.code == code, "\(error)")
            #expect(!error.detail.isEmpty)
        }
    }

    @Test func invalidUTF8TooDeepAndTooLongAreRefused() {
        var invalid = Array("<device><name>".utf8)
        invalid += [0xC3, 0x28]
        invalid += Array("</name></device>".utf8)
        #expect(throws: CnfXMLReadError.self) { try CnfXMLReader.callManagerGroup(from: invalid) }
        let deep = String(repeating: "<a>", count: 40) + String(repeating: "</a>", count: 40)
        #expect(throws: CnfXMLReadError.self) { try Self.read(deep) }
        let long = "<device>" + String(repeating: " ", count: 300 * 1024) + "</device>"
        #expect(throws: CnfXMLReadError.self) { try Self.read(long) }
    }

    /// Every cut of a real file (a TFTP transfer that stopped early) is refused, none read as a shorter list.
    @Test func everyTruncationOfARealFileIsRefused() throws {
        let device = CnfXML.Device(name: "SEP001122334455", callManagerGroup: Self.group)
        let bytes = Array(try CnfXMLGenerator.deviceConfiguration(device).utf8)
        let end = try #require(bytes.lastIndex(of: UInt8(ascii: ">")))
        for length in 0...end {
            #expect(throws: CnfXMLReadError.self) { try CnfXMLReader.callManagerGroup(from: bytes[0..<length]) }
        }
        #expect(try CnfXMLReader.callManagerGroup(from: bytes[0...end]) == Self.group)
    }
}
