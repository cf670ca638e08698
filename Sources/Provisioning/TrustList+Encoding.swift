/// Writing and reading a trust list's bytes (the layout is on ``TrustList``).
extension TrustList {
    /// Header tags.
    enum HeaderTag {
        static let version: UInt8 = 1
        static let headerLength: UInt8 = 2
        static let signerID: UInt8 = 3
        static let signerName: UInt8 = 4
        static let serialNumber: UInt8 = 5
        static let caName: UInt8 = 6
        static let signatureInfo: UInt8 = 7
        static let digestAlgorithm: UInt8 = 8
        static let signatureAlgorithmInfo: UInt8 = 9
        static let signatureAlgorithm: UInt8 = 10
        static let signatureModulus: UInt8 = 11
        static let signature: UInt8 = 12
        /// A single byte with no length, repeated to align the header to 4 bytes.
        static let padding: UInt8 = 13
        static let fileName: UInt8 = 14
        static let timestamp: UInt8 = 15
        /// Written by some tools (usecallmanager.nz's `tlvfile`), not by CUCM; read and skipped.
        static let signerVersion: UInt8 = 28
    }

    /// Record tags.
    enum RecordTag {
        static let recordLength: UInt8 = 1
        static let dnsName: UInt8 = 2
        static let subjectName: UInt8 = 3
        static let function: UInt8 = 4
        static let issuerName: UInt8 = 5
        static let serialNumber: UInt8 = 6
        static let publicKey: UInt8 = 7
        static let signature: UInt8 = 8
        static let certificate: UInt8 = 9
        static let ipAddress: UInt8 = 10
        static let certificateHash: UInt8 = 11
        static let hashAlgorithm: UInt8 = 12
    }

    /// The version this writer puts in the header: 1.2, as CUCM's files carry.
    public static let formatVersion: (major: UInt8, minor: UInt8) = (1, 2)

    /// SIGNATURE_MODULUS for an RSA key of `bits`; nil for sizes phones do not know.
    static func modulusCode(bits: Int) -> UInt8? {
        switch bits {
        case 512: 0
        case 1024: 1
        case 2048: 2
        case 4096: 3
        default: nil
        }
    }

    /// The signed file: the header (with the signature `signer` makes over everything else) and the records.
    public func encoded(signedBy signer: Signer) throws -> [UInt8] {
        guard let modulus = Self.modulusCode(bits: signer.keySizeInBits) else {
            throw TrustListError("an RSA key of \(signer.keySizeInBits) bits cannot sign a trust list")
        }
        let signatureLength = signer.keySizeInBits / 8

        var header = TLVWriter()
        try header.element(HeaderTag.version, [Self.formatVersion.major, Self.formatVersion.minor])
        let headerLengthOffset = header.bytes.count + 3
        try header.element(HeaderTag.headerLength, [0, 0])
        var signerID = TLVWriter()
        try signerID.element(HeaderTag.signerName, Self.nulTerminated(self.signerName))
        try signerID.element(HeaderTag.serialNumber, self.signerSerialNumber)
        try signerID.element(HeaderTag.caName, Self.nulTerminated(self.signerIssuerName))
        try header.container(HeaderTag.signerID, signerID.bytes)
        var algorithm = TLVWriter()
        try algorithm.element(HeaderTag.signatureAlgorithm, [0])
        try algorithm.element(HeaderTag.signatureModulus, [modulus])
        var signatureInfo = TLVWriter()
        try signatureInfo.element(HeaderTag.digestAlgorithm, [self.digest.rawValue])
        try signatureInfo.container(HeaderTag.signatureAlgorithmInfo, algorithm.bytes)
        try header.container(HeaderTag.signatureInfo, signatureInfo.bytes)
        // The signature goes here; it is inserted once everything else is known.
        let signatureOffset = header.bytes.count
        try header.element(HeaderTag.fileName, Self.nulTerminated(self.fileName))
        try header.element(HeaderTag.timestamp, Self.bigEndian(self.timestamp))
        while (header.bytes.count + 3 + signatureLength) % 4 != 0 {
            header.bytes.append(HeaderTag.padding)
        }
        let headerLength = header.bytes.count + 3 + signatureLength
        guard headerLength <= Int(UInt16.max) else { throw TrustListError("the header is \(headerLength) bytes") }
        header.bytes[headerLengthOffset] = UInt8(headerLength >> 8)
        header.bytes[headerLengthOffset + 1] = UInt8(headerLength & 0xFF)

        var body = header.bytes
        for record in self.records {
            body += try Self.encode(record)
        }
        let signature = try signer.sign(body, self.digest)
        guard signature.count == signatureLength else {
            throw TrustListError("the signer returned \(signature.count) bytes, not \(signatureLength)")
        }
        var file = Array(body[..<signatureOffset])
        file.reserveCapacity(body.count + 3 + signatureLength)
        file += [HeaderTag.signature, UInt8(signatureLength >> 8), UInt8(signatureLength & 0xFF)]
        file += signature
        file += body[signatureOffset...]
        return file
    }

    private static func encode(_ record: Record) throws -> [UInt8] {
        guard record.ipv4Address.count == 4 else { throw TrustListError("an IPv4 address has 4 bytes") }
        var fields = TLVWriter()
        try fields.element(RecordTag.dnsName, Self.nulTerminated(record.dnsName))
        try fields.element(RecordTag.subjectName, Self.nulTerminated(record.subjectName))
        try fields.element(
            RecordTag.function,
            [UInt8(record.function.rawValue >> 8), UInt8(record.function.rawValue & 0xFF)]
        )
        try fields.element(RecordTag.issuerName, Self.nulTerminated(record.issuerName))
        try fields.element(RecordTag.serialNumber, record.serialNumber)
        try fields.element(RecordTag.publicKey, record.publicKey)
        try fields.element(RecordTag.signature, record.signature)
        try fields.element(RecordTag.certificate, record.certificate)
        try fields.element(RecordTag.ipAddress, record.ipv4Address)
        let length = 5 + fields.bytes.count
        guard length <= Int(UInt16.max) else {
            throw TrustListError("a record of \(length) bytes, more than a 16-bit length holds")
        }
        return [RecordTag.recordLength, 0, 2, UInt8(length >> 8), UInt8(length & 0xFF)] + fields.bytes
    }

    static func nulTerminated(_ text: String) -> [UInt8] {
        Array(text.utf8) + [0]
    }

    static func bigEndian(_ value: UInt32) -> [UInt8] {
        [UInt8(value >> 24), UInt8((value >> 16) & 0xFF), UInt8((value >> 8) & 0xFF), UInt8(value & 0xFF)]
    }
}

/// Appends tag, 16-bit big-endian length, value.
struct TLVWriter {
    var bytes: [UInt8] = []

    mutating func element(_ tag: UInt8, _ value: [UInt8]) throws {
        guard value.count <= Int(UInt16.max) else {
            throw TrustListError("element \(tag) is \(value.count) bytes, more than a 16-bit length holds")
        }
        self.bytes += [tag, UInt8(value.count >> 8), UInt8(value.count & 0xFF)]
        self.bytes += value
    }

    /// A tag whose length covers the elements that follow it (SIGNER_ID, SIGNATURE_INFO): the tag and length, then
    /// `contents` unwrapped.
    mutating func container(_ tag: UInt8, _ contents: [UInt8]) throws {
        try self.element(tag, contents)
    }
}
