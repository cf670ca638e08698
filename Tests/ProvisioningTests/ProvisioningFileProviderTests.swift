import NIOCore
import Provisioning
import Testing

@Suite struct ProvisioningFileProviderTests {
    private let group = CnfXML.CallManagerGroup(members: [CnfXML.Node(name: "a", address: "192.0.2.10")])

    private func provider(defaults: Bool = true, certificate: [UInt8]? = nil) -> ProvisioningFileProvider {
        ProvisioningFileProvider(
            source: StaticProvisioningSource(
                devices: [CnfXML.Device(name: "SEP001122AABBCC", callManagerGroup: self.group)],
                defaults: defaults ? CnfXML.Defaults(callManagerGroup: self.group) : nil,
                caCertificate: certificate
            )
        )
    }

    private func text(_ buffer: ByteBuffer?) -> String? {
        buffer.map { String(buffer: $0) }
    }

    @Test(arguments: ["SEP001122AABBCC.cnf.xml", "SEP001122aabbcc.cnf.xml", "sep001122AaBbCc.CNF.XML"])
    func configuredDeviceGetsItsFile(_ name: String) async throws {
        let expected = try CnfXMLGenerator.deviceConfiguration(
            CnfXML.Device(name: "SEP001122AABBCC", callManagerGroup: self.group)
        )
        #expect(text(try await provider().contents(ofFile: name)) == expected)
    }

    @Test(arguments: [
        "SEP001122AABBCD.cnf.xml", "SEP001122AABBC.cnf.xml", "SEP001122AABBCCX.cnf.xml", "SEP00112GAABBCC.cnf.xml",
        "SEP001122AABBCC.cnf", "passwd",
    ])
    func otherNamesAreNotFound(_ name: String) async throws {
        #expect(try await provider().contents(ofFile: name) == nil)
    }

    @Test func defaultFileIsServedWhileAutoRegistrationIsOn() async throws {
        let expected = try CnfXMLGenerator.defaultConfiguration(CnfXML.Defaults(callManagerGroup: self.group))
        #expect(text(try await provider().contents(ofFile: "XMLDefault.cnf.xml")) == expected)
        #expect(text(try await provider().contents(ofFile: "XmlDefault.cnf.xml")) == expected)
        #expect(try await provider(defaults: false).contents(ofFile: "XMLDefault.cnf.xml") == nil)
    }

    @Test func caCertificateIsServedAsIs() async throws {
        let pem = Array("-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n".utf8)
        #expect(try await provider(certificate: pem).contents(ofFile: "strowger-ca.pem") == ByteBuffer(bytes: pem))
        #expect(try await provider().contents(ofFile: "strowger-ca.pem") == nil)
    }

    @Test func deviceNameIsNormalised() {
        #expect(ProvisioningFileProvider.deviceName(inFileName: "sep0011223344ff.cnf.xml") == "SEP0011223344FF")
        #expect(ProvisioningFileProvider.deviceName(inFileName: "XMLDefault.cnf.xml") == nil)
    }
}

@Suite struct TFTPNetASCIITests {
    @Test func lineEndsBecomeCRLFAndBareCRsCRNUL() {
        let encoded = TFTPNetASCII.encode(ByteBuffer(string: "a\nb\rc\n"))
        #expect(Array(encoded.readableBytesView) == [0x61, 0x0D, 0x0A, 0x62, 0x0D, 0x00, 0x63, 0x0D, 0x0A])
    }
}
