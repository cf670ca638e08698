import Provisioning
import Testing

/// The trust list's byte layout: what the writer puts where, that the reader gets it back, and that damaged input
/// gives an error rather than a trap. The signature here is a stand-in (a checksum); the integration tests sign with
/// the real SAST and verify with openssl.
@Suite struct TrustListTests {
    /// Signs with the sum of the bytes, repeated to the key's length: enough to see what was signed.
    static func signer(bits: Int = 2048) -> TrustList.Signer {
        TrustList.Signer(
            name: "CN=Test SAST;OU=SAST;O=Test",
            serialNumber: [0x0A, 0xBC],
            issuerName: "CN=Test SAST",
            keySizeInBits: bits
        ) {
            data,
            digest in
            let sum = data.reduce(UInt8(digest.rawValue)) { $0 &+ $1 }
            return [UInt8](repeating: sum, count: bits / 8)
        }
    }

    static func record(
        _ function: TrustList.Function,
        dns: String = "",
        ip: [UInt8] = [0, 0, 0, 0]
    ) -> TrustList.Record {
        TrustList.Record(
            function: function,
            certificate: [0x30, 0x03, 0x02, 0x01, 0x01],
            subjectName: "CN=node;OU=SCCPS;O=Test",
            issuerName: "CN=node;OU=SCCPS;O=Test",
            serialNumber: [0x01, 0x02, 0x03],
            publicKey: [0x30, 0x00],
            signature: [0xAA, 0xBB],
            dnsName: dns,
            ipv4Address: ip
        )
    }

    static func list(_ records: [TrustList.Record], digest: TrustList.DigestAlgorithm = .sha1) -> TrustList {
        TrustList(
            kind: .certificateTrustList,
            digest: digest,
            timestamp: 1_800_000_000,
            signerName: "CN=Test SAST;OU=SAST;O=Test",
            signerSerialNumber: [0x0A, 0xBC],
            signerIssuerName: "CN=Test SAST",
            records: records
        )
    }

    @Test(arguments: [TrustList.DigestAlgorithm.sha1, .sha512])
    func whatIsWrittenReadsBack(digest: TrustList.DigestAlgorithm) throws {
        let list = Self.list(
            [Self.record(.sast), Self.record(.ccm, dns: "cm1.example.net", ip: [192, 0, 2, 10])],
            digest: digest
        )
        let bytes = try list.encoded(signedBy: Self.signer())
        let parsed = try TrustList.parse(bytes)
        #expect(parsed.list == list)
        #expect(parsed.version == [1, 2])
        #expect(parsed.signatureKeyBits == 2048)
        #expect(parsed.signature.count == 256)
        #expect(parsed.headerLength % 4 == 0)
        // The signature covers everything but itself, as the signer was handed it.
        #expect(parsed.signature == (try Self.signer().sign(parsed.signedBytes, digest)))
        #expect(parsed.signedBytes.count == bytes.count - 3 - 256)
    }

    @Test func theHeaderStartsAsCUCMsDoes() throws {
        let bytes = try Self.list([Self.record(.sast)]).encoded(signedBy: Self.signer())
        // VERSION 1.2, then HEADER_LENGTH, then SIGNER_ID wrapping the signer name.
        #expect(Array(bytes.prefix(5)) == [1, 0, 2, 1, 2])
        #expect(Array(bytes[5..<8]) == [2, 0, 2])
        #expect(bytes[10] == 3)
        #expect(bytes[13] == 4)
        let nameLength = Int(bytes[14]) << 8 | Int(bytes[15])
        #expect(Array(bytes[16..<(16 + nameLength)]) == Array("CN=Test SAST;OU=SAST;O=Test".utf8) + [0])
    }

    @Test func aRecordCarriesItsFieldsInCUCMsOrder() throws {
        let bytes = try Self.list([Self.record(.ccm, dns: "cm", ip: [10, 0, 0, 1])]).encoded(signedBy: Self.signer())
        let header = Int(bytes[8]) << 8 | Int(bytes[9])
        var offset = header + 5
        var tags: [UInt8] = []
        while offset < bytes.count {
            tags.append(bytes[offset])
            offset += 3 + (Int(bytes[offset + 1]) << 8 | Int(bytes[offset + 2]))
        }
        #expect(Array(bytes[header..<(header + 3)]) == [1, 0, 2])
        #expect(tags == [2, 3, 4, 5, 6, 7, 8, 9, 10])
        #expect(Array(bytes.suffix(4)) == [10, 0, 0, 1])
    }

    @Test func anEmptyListIsAHeaderAlone() throws {
        let bytes = try Self.list([]).encoded(signedBy: Self.signer(bits: 1024))
        let parsed = try TrustList.parse(bytes)
        #expect(parsed.list.records.isEmpty)
        #expect(parsed.headerLength == bytes.count)
        #expect(parsed.signatureKeyBits == 1024)
    }

    @Test func aKeySizePhonesDoNotKnowIsRefused() {
        #expect(throws: TrustListError.self) { try Self.list([]).encoded(signedBy: Self.signer(bits: 3072)) }
    }

    @Test func everyCutAndEveryChangedLengthIsAnErrorNotATrap() throws {
        let bytes = try Self.list([Self.record(.sast), Self.record(.ccm)]).encoded(signedBy: Self.signer())
        for length in 0..<bytes.count {
            // Cut at a record boundary a list still reads (with fewer records); anywhere else it must not.
            _ = try? TrustList.parse(Array(bytes.prefix(length)))
        }
        for index in bytes.indices {
            for value: UInt8 in [0x00, 0xFF] {
                var damaged = bytes
                damaged[index] = value
                _ = try? TrustList.parse(damaged)
            }
        }
        #expect(throws: TrustListError.self) { try TrustList.parse(Array(bytes.prefix(9))) }
        #expect(throws: TrustListError.self) { try TrustList.parse([]) }
    }

    @Test(
        arguments: [
            ("CTLSEP001122AABBCC.tlv", TrustList.Kind.certificateTrustList, "SEP001122AABBCC"),
            ("itlsep001122aabbcc.tlv", .identityTrustList, "SEP001122AABBCC"),
            ("CTLFile.tlv", .certificateTrustList, nil),
            ("ITLFILE.TLV", .identityTrustList, nil),
        ] as [(String, TrustList.Kind, String?)]
    )
    func trustListNamesAreRecognized(name: String, kind: TrustList.Kind, device: String?) {
        let parsed = ProvisioningFileProvider.trustListName(name)
        #expect(parsed?.0 == kind)
        #expect(parsed?.1 == device)
    }

    @Test(arguments: [
        "CTLSEP001122AABBC.tlv", "CTLSEP001122AABBCG.tlv", "CTL.tlv", "SEP001122AABBCC.tlv", "CTLFile.xml",
    ])
    func otherNamesAreNotTrustLists(name: String) {
        #expect(ProvisioningFileProvider.trustListName(name) == nil)
    }
}
