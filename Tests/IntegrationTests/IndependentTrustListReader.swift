import Foundation

/// A reader of Cisco's CTL/ITL `.tlv` layout written for the tests from the published descriptions of the format
/// (usecallmanager.nz's "Device Security" page and `tlvfile`, and the `show ctl` dumps in Cisco's CTL documents),
/// sharing no code with `Provisioning.TrustList`: it walks the bytes itself, knows the tags by number, and says
/// what is wrong instead of trusting lengths.
///
/// Header: tag 1 version (2 bytes), tag 2 header length (2), tag 3 signer ID (a wrapper: its length covers the
/// elements after it), 4 signer name, 5 serial number, 6 CA name, 7 signature info (wrapper), 8 digest algorithm
/// (1: SHA-1, 3: SHA-512), 9 signature algorithm info (wrapper), 10 signature algorithm, 11 modulus, 12 signature,
/// 14 file name, 15 timestamp, 13 padding (one byte, no length). Records: tag 1 record length (2), then 2 DNS name,
/// 3 subject, 4 function (2), 5 issuer, 6 serial, 7 public key, 8 signature, 9 certificate, 10 IP address.
/// Lengths are 16-bit big-endian. The signature covers the file without the signature element.
struct IndependentTrustListReader {
    struct Failure: Error, CustomStringConvertible {
        var description: String
    }

    /// Header values by tag (the last of a tag wins), without the wrappers and padding.
    var header: [UInt8: [UInt8]] = [:]
    /// Each record's values by tag.
    var records: [[UInt8: [UInt8]]] = []
    /// The bytes the signature covers.
    var signedBytes: [UInt8] = []
    /// The header length element's value.
    var headerLength = 0

    var signature: [UInt8] { self.header[12] ?? [] }
    var digestAlgorithm: UInt8? { self.header[8]?.first }

    /// A NUL-terminated text value of the header or a record.
    static func text(_ value: [UInt8]?) -> String? {
        guard let value, value.last == 0 else { return nil }
        return String(decoding: value.dropLast(), as: UTF8.self)
    }

    init(_ bytes: [UInt8]) throws {
        func u16(_ at: Int) throws -> Int {
            guard at + 2 <= bytes.count else { throw Failure(description: "a length runs past the end at \(at)") }
            return Int(bytes[at]) * 256 + Int(bytes[at + 1])
        }
        guard bytes.count > 10, bytes[0] == 1, try u16(1) == 2 else { throw Failure(description: "no version") }
        guard bytes[5] == 2, try u16(6) == 2 else { throw Failure(description: "no header length") }
        self.headerLength = try u16(8)
        guard self.headerLength <= bytes.count else { throw Failure(description: "header longer than the file") }
        self.header[1] = Array(bytes[3..<5])
        var position = 10
        var signatureStart: Int?
        var signatureEnd = 0
        while position < self.headerLength {
            let tag = bytes[position]
            if tag == 13 {
                position += 1
                continue
            }
            let length = try u16(position + 1)
            if tag == 3 || tag == 7 || tag == 9 {
                // A wrapper: step over its own three bytes only.
                position += 3
                continue
            }
            let start = position + 3
            guard start + length <= self.headerLength else {
                throw Failure(description: "header tag \(tag) at \(position) runs past the header")
            }
            self.header[tag] = Array(bytes[start..<start + length])
            if tag == 12 {
                signatureStart = position
                signatureEnd = start + length
            }
            position = start + length
        }
        guard position == self.headerLength, let signatureStart else {
            throw Failure(description: "the header does not end at its length, or has no signature")
        }
        self.signedBytes = Array(bytes[0..<signatureStart]) + Array(bytes[signatureEnd...])
        while position < bytes.count {
            guard bytes[position] == 1, try u16(position + 1) == 2 else {
                throw Failure(description: "no record length at \(position)")
            }
            let end = position + (try u16(position + 3))
            guard end <= bytes.count, end > position + 5 else { throw Failure(description: "bad record length") }
            var fields: [UInt8: [UInt8]] = [:]
            var field = position + 5
            while field < end {
                let tag = bytes[field]
                let length = try u16(field + 1)
                guard field + 3 + length <= end else { throw Failure(description: "record field \(tag) too long") }
                fields[tag] = Array(bytes[(field + 3)..<(field + 3 + length)])
                field += 3 + length
            }
            self.records.append(fields)
            position = end
        }
    }
}
