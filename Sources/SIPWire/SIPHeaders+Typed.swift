extension SIPHeaders {
    /// Every Via value, top first.
    public func vias() throws(SIPParseError) -> [SIPVia] {
        let values = self.values(.via)
        guard values.count <= SIPLimits.maximumVias else {
            throw SIPParseError(code: .invalidHeaderValue, detail: "Via: more than \(SIPLimits.maximumVias) values")
        }
        var result: [SIPVia] = []
        for value in values {
            result.append(try SIPVia(parsing: value))
        }
        return result
    }

    /// The top Via.
    public func topVia() throws(SIPParseError) -> SIPVia {
        guard let first = values(.via).first else {
            throw SIPParseError(code: .missingHeader, detail: "no Via")
        }
        return try SIPVia(parsing: first)
    }

    /// The one value of a header that may appear once; throws if it is absent or repeated.
    public func single(_ name: SIPHeaderName) throws(SIPParseError) -> String {
        let values = lines(name)
        guard let first = values.first else { throw SIPParseError(code: .missingHeader, detail: "no \(name)") }
        guard values.count == 1 else { throw SIPParseError(code: .duplicateHeader, detail: "\(name) appears twice") }
        return first
    }

    public func from() throws(SIPParseError) -> SIPNameAddress {
        try SIPNameAddress(parsing: single(.from), header: "From")
    }

    public func to() throws(SIPParseError) -> SIPNameAddress {
        try SIPNameAddress(parsing: single(.to), header: "To")
    }

    public func cseq() throws(SIPParseError) -> SIPCSeq {
        try SIPCSeq(parsing: single(.cseq))
    }

    /// The Call-ID (RFC 3261 §20.8: `word [ "@" word ]`).
    public func callID() throws(SIPParseError) -> String {
        let value = try single(.callID)
        let bytes = Array(value.utf8)
        let isValid =
            !bytes.isEmpty && bytes.allSatisfy { SIPGrammar.isWordCharacter($0) || $0 == SIPGrammar.at }
            && bytes.filter { $0 == SIPGrammar.at }.count <= 1
        guard isValid else { throw SIPParseError(code: .invalidHeaderValue, detail: "Call-ID: not word[@word]") }
        return value
    }

    /// Max-Forwards, or nil when absent (RFC 2543 peers omit it: RFC 4475 §3.4.1).
    public func maxForwards() throws(SIPParseError) -> Int? {
        guard lines(.maxForwards).count > 0 else { return nil }
        let value = try single(.maxForwards)
        guard
            let number = SIPGrammar.parseDecimal(
                value.utf8,
                maximum: UInt64(SIPLimits.maximumMaxForwards)
            )
        else { throw SIPParseError(code: .invalidHeaderValue, detail: "Max-Forwards: not 0-255") }
        return Int(number)
    }

    /// Contact values; `*` (RFC 3261 §10.2.2, remove all bindings) is returned as an empty list with `isWildcard`.
    public func contacts() throws(SIPParseError) -> (addresses: [SIPNameAddress], isWildcard: Bool) {
        let values = self.values(.contact)
        if values.count == 1, values[0] == "*" { return ([], true) }
        var result: [SIPNameAddress] = []
        for value in values {
            result.append(try SIPNameAddress(parsing: value, header: "Contact"))
        }
        return (result, false)
    }

    /// Route or Record-Route values, in order.
    public func routes(_ name: SIPHeaderName) throws(SIPParseError) -> [SIPNameAddress] {
        var result: [SIPNameAddress] = []
        for value in values(name) {
            result.append(try SIPNameAddress(parsing: value, header: name.name))
        }
        return result
    }

    /// Expires in seconds, saturating at 2^32-1 (RFC 3261 §20.19); nil when absent.
    public func expires() throws(SIPParseError) -> UInt32? {
        guard let value = self[.expires] else { return nil }
        guard let number = SIPGrammar.parseSaturatingDecimal(value.utf8, maximum: UInt64(UInt32.max)) else {
            throw SIPParseError(code: .invalidHeaderValue, detail: "Expires: not a number")
        }
        return UInt32(number)
    }
}
