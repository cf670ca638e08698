/// Reading a trust list back (`strowger ctl show`): every length is checked against what is left, so a damaged
/// or foreign file gives an error that says where, never a trap.
extension TrustList {
    /// A list as read from bytes, with what is needed to check its signature.
    public struct Parsed: Hashable, Sendable {
        public var list: TrustList
        /// The header's format version, e.g. (1, 2).
        public var version: [UInt8]
        /// The header's length, where the records start.
        public var headerLength: Int
        /// SIGNATURE_MODULUS as a key size in bits.
        public var signatureKeyBits: Int?
        /// The signature value.
        public var signature: [UInt8]
        /// The bytes the signature covers: the file without the SIGNATURE element.
        public var signedBytes: [UInt8]
    }

    /// Reads `bytes` as a trust list.
    public static func parse(_ bytes: [UInt8]) throws(TrustListError) -> Parsed {
        var reader = TLVReader(bytes: bytes)
        let (versionTag, version) = try reader.element()
        guard versionTag == HeaderTag.version, version.count == 2 else {
            throw TrustListError("the file does not start with a VERSION element")
        }
        let (lengthTag, lengthBytes) = try reader.element()
        guard lengthTag == HeaderTag.headerLength, lengthBytes.count == 2 else {
            throw TrustListError("the second element is not HEADER_LENGTH")
        }
        let headerLength = Int(lengthBytes[0]) << 8 | Int(lengthBytes[1])
        guard headerLength <= bytes.count, headerLength > reader.offset else {
            throw TrustListError("HEADER_LENGTH \(headerLength) does not fit a file of \(bytes.count) bytes")
        }
        var signerName = ""
        var serialNumber: [UInt8] = []
        var caName = ""
        var digest: DigestAlgorithm?
        var modulusBits: Int?
        var signature: [UInt8]?
        var signatureRange: Range<Int>?
        var fileName = ""
        var timestamp: UInt32 = 0
        while reader.offset < headerLength {
            if bytes[reader.offset] == HeaderTag.padding {
                reader.offset += 1
                continue
            }
            let start = reader.offset
            let tag = bytes[start]
            // SIGNER_ID and the two signature info tags wrap the elements after them: step over their header only.
            if tag == HeaderTag.signerID || tag == HeaderTag.signatureInfo || tag == HeaderTag.signatureAlgorithmInfo {
                try reader.skip(3)
                continue
            }
            let (_, value) = try reader.element()
            switch tag {
            case HeaderTag.signerName: signerName = Self.string(value)
            case HeaderTag.serialNumber: serialNumber = value
            case HeaderTag.caName: caName = Self.string(value)
            case HeaderTag.digestAlgorithm:
                guard value.count == 1, let algorithm = DigestAlgorithm(rawValue: value[0]) else {
                    throw TrustListError("unknown DIGEST_ALGORITHM \(value)")
                }
                digest = algorithm
            case HeaderTag.signatureAlgorithm:
                guard value == [0] else { throw TrustListError("SIGNATURE_ALGORITHM \(value) is not RSA") }
            case HeaderTag.signatureModulus:
                guard value.count == 1, value[0] <= 3 else { throw TrustListError("bad SIGNATURE_MODULUS \(value)") }
                modulusBits = 512 << Int(value[0])
            case HeaderTag.signature:
                signature = value
                signatureRange = start..<reader.offset
            case HeaderTag.fileName: fileName = Self.string(value)
            case HeaderTag.timestamp:
                guard value.count == 4 else { throw TrustListError("TIMESTAMP of \(value.count) bytes") }
                timestamp = value.reduce(0) { $0 << 8 | UInt32($1) }
            case HeaderTag.signerVersion:
                break
            default:
                throw TrustListError("unknown header tag \(tag) at byte \(start)")
            }
        }
        guard reader.offset == headerLength else {
            throw TrustListError("the header's last element runs past HEADER_LENGTH \(headerLength)")
        }
        guard let digest, let signature, let signatureRange else {
            throw TrustListError("the header has no DIGEST_ALGORITHM or no SIGNATURE")
        }
        var records: [Record] = []
        while reader.offset < bytes.count {
            records.append(try Self.parseRecord(&reader))
        }
        let kind: Kind = fileName.uppercased().hasPrefix("ITL") ? .identityTrustList : .certificateTrustList
        let list = TrustList(
            kind: kind,
            digest: digest,
            timestamp: timestamp,
            signerName: signerName,
            signerSerialNumber: serialNumber,
            signerIssuerName: caName,
            fileName: fileName,
            records: records
        )
        return Parsed(
            list: list,
            version: version,
            headerLength: headerLength,
            signatureKeyBits: modulusBits,
            signature: signature,
            signedBytes: Array(bytes[..<signatureRange.lowerBound] + bytes[signatureRange.upperBound...])
        )
    }

    private static func parseRecord(_ reader: inout TLVReader) throws(TrustListError) -> Record {
        let start = reader.offset
        let (tag, lengthBytes) = try reader.element()
        guard tag == RecordTag.recordLength, lengthBytes.count == 2 else {
            throw TrustListError("a record at byte \(start) does not start with RECORD_LENGTH")
        }
        let end = start + (Int(lengthBytes[0]) << 8 | Int(lengthBytes[1]))
        guard end <= reader.bytes.count, end > reader.offset else {
            throw TrustListError("the record at byte \(start) runs past the end of the file")
        }
        var record = Record(
            function: .sast,
            certificate: [],
            subjectName: "",
            issuerName: "",
            serialNumber: [],
            publicKey: [],
            signature: []
        )
        while reader.offset < end {
            let (field, value) = try reader.element()
            switch field {
            case RecordTag.dnsName: record.dnsName = Self.string(value)
            case RecordTag.subjectName: record.subjectName = Self.string(value)
            case RecordTag.function:
                guard value.count == 2 else { throw TrustListError("FUNCTION of \(value.count) bytes") }
                record.function = Function(rawValue: UInt16(value[0]) << 8 | UInt16(value[1]))
            case RecordTag.issuerName: record.issuerName = Self.string(value)
            case RecordTag.serialNumber: record.serialNumber = value
            case RecordTag.publicKey: record.publicKey = value
            case RecordTag.signature: record.signature = value
            case RecordTag.certificate: record.certificate = value
            case RecordTag.ipAddress: record.ipv4Address = value
            case RecordTag.certificateHash, RecordTag.hashAlgorithm: break
            default: throw TrustListError("unknown record tag \(field) at byte \(reader.offset)")
            }
        }
        guard reader.offset == end else {
            throw TrustListError("the record at byte \(start) ends inside an element")
        }
        return record
    }

    /// A NUL-terminated string's text (without the NUL; invalid UTF-8 repaired).
    private static func string(_ value: [UInt8]) -> String {
        String(decoding: value.prefix { $0 != 0 }, as: UTF8.self)
    }
}

/// Reads tag, 16-bit big-endian length, value; every step checked against the bytes left.
struct TLVReader {
    let bytes: [UInt8]
    var offset = 0

    mutating func element() throws(TrustListError) -> (tag: UInt8, value: [UInt8]) {
        guard self.bytes.count - self.offset >= 3 else {
            throw TrustListError("an element at byte \(self.offset) is cut short")
        }
        let tag = self.bytes[self.offset]
        let length = Int(self.bytes[self.offset + 1]) << 8 | Int(self.bytes[self.offset + 2])
        let start = self.offset + 3
        guard self.bytes.count - start >= length else {
            throw TrustListError("element \(tag) at byte \(self.offset) claims \(length) bytes; fewer are left")
        }
        self.offset = start + length
        return (tag, Array(self.bytes[start..<start + length]))
    }

    mutating func skip(_ count: Int) throws(TrustListError) {
        guard self.bytes.count - self.offset >= count else {
            throw TrustListError("the file ends inside the element at byte \(self.offset)")
        }
        self.offset += count
    }
}
