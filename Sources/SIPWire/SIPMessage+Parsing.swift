/// The start line and header fields of a message, before its body is known.
struct SIPMessageHead: Sendable {
    enum StartLine: Sendable {
        case request(SIPMethod, SIPURI)
        case response(Int, String)
    }

    var startLine: StartLine
    var headers: SIPHeaders
}

enum SIPMessageParser {
    /// Where the header section ends: the index just past its closing blank line, searched from `start`. Lines
    /// end in CRLF; a bare LF is accepted too (being liberal in what is accepted costs nothing here).
    static func headerSectionEnd(in bytes: UnsafeRawBufferPointer, from start: Int) -> Int? {
        var index = start
        while let lf = memchrIndex(bytes, SIPGrammar.lf, from: index) {
            // The line ending at this LF is blank if it is empty or just CR.
            let next = lf + 1
            if next < bytes.count {
                if bytes[next] == SIPGrammar.lf { return next + 1 }
                if bytes[next] == SIPGrammar.cr, next + 1 < bytes.count, bytes[next + 1] == SIPGrammar.lf {
                    return next + 2
                }
            }
            index = next
        }
        return nil
    }

    private static func memchrIndex(_ bytes: UnsafeRawBufferPointer, _ byte: UInt8, from: Int) -> Int? {
        var index = from
        while index < bytes.count {
            if bytes[index] == byte { return index }
            index += 1
        }
        return nil
    }

    /// How many CR and LF bytes lead the buffer (RFC 3261 §7.5: ignored before a start line; RFC 5626 §3.5.1 uses
    /// CRLFCRLF as a keepalive ping on streams).
    static func leadingLineBreaks(_ bytes: UnsafeRawBufferPointer) -> Int {
        var count = 0
        while count < bytes.count, bytes[count] == SIPGrammar.cr || bytes[count] == SIPGrammar.lf { count += 1 }
        return count
    }

    /// Parses the header section (start line to blank line, exclusive of the body).
    static func parseHead(_ bytes: UnsafeRawBufferPointer) throws(SIPParseError) -> SIPMessageHead {
        var lines = Self.unfoldedLines(bytes)
        guard !lines.isEmpty else {
            throw SIPParseError(code: .incompleteMessage, detail: "no start line")
        }
        let startLineBytes = lines.removeFirst()
        guard lines.count <= SIPLimits.maximumHeaderFields else {
            throw SIPParseError(code: .tooManyHeaders, detail: "more than \(SIPLimits.maximumHeaderFields) headers")
        }
        var headers = SIPHeaders()
        var headerError: SIPParseError?
        for line in lines {
            guard let colon = line.firstIndex(of: SIPGrammar.colon) else {
                headerError =
                    headerError ?? SIPParseError(code: .invalidHeaderLine, detail: "header line without colon")
                continue
            }
            var nameEnd = colon
            while nameEnd > line.startIndex, SIPGrammar.isWhitespace(line[nameEnd - 1]) { nameEnd -= 1 }
            let name = line[line.startIndex..<nameEnd]
            guard SIPGrammar.isToken(name) else {
                headerError = headerError ?? SIPParseError(code: .invalidHeaderLine, detail: "header name not a token")
                continue
            }
            headers.append(
                SIPHeaderName(String(decoding: name, as: UTF8.self)),
                SIPHeaders.trimmed(line[(colon + 1)...])
            )
        }
        let startLine: SIPMessageHead.StartLine
        do throws(SIPParseError) {
            startLine = try parseStartLine(startLineBytes)
        } catch {
            var error = error
            if case .some(.request(let method)) = Self.looseRequestMethod(startLineBytes) {
                error.reply = replyContext(method: method, headers: headers)
            }
            throw error
        }
        if var headerError {
            if case .request(let method, _) = startLine {
                headerError.reply = replyContext(method: method, headers: headers)
            }
            throw headerError
        }
        return SIPMessageHead(startLine: startLine, headers: headers)
    }

    private enum LooseStart { case request(SIPMethod) }

    /// The method of something that looks like a request line, for answering it even when the rest is malformed.
    private static func looseRequestMethod(_ line: ArraySlice<UInt8>) -> LooseStart? {
        let token = line.prefix { SIPGrammar.isTokenCharacter($0) }
        guard !token.isEmpty, token.count < line.count, line[token.endIndex] == SIPGrammar.space,
            !line.starts(with: "SIP/".utf8),
            let method = SIPMethod(token: String(decoding: token, as: UTF8.self))
        else { return nil }
        return .request(method)
    }

    /// The headers of a request that an error response must echo; nil when one of them is missing (such a
    /// request cannot be answered usefully and is dropped).
    static func replyContext(method: SIPMethod, headers: SIPHeaders) -> SIPReplyContext? {
        let vias = headers.lines(.via)
        guard !vias.isEmpty, let from = headers[.from], let to = headers[.to], let callID = headers[.callID],
            let cseq = headers[.cseq]
        else { return nil }
        return SIPReplyContext(method: method, vias: vias, from: from, to: to, callID: callID, cseq: cseq)
    }

    /// Splits the header section into lines without their line breaks, joining continuation lines (those that
    /// start with SP or HTAB) to the previous one with a single space (RFC 3261 §7.3.1).
    static func unfoldedLines(_ bytes: UnsafeRawBufferPointer) -> [ArraySlice<UInt8>] {
        var lines: [ArraySlice<UInt8>] = []
        var current: [UInt8] = []
        var hasCurrent = false
        var lineStart = 0
        func flush() {
            if hasCurrent { lines.append(current[...]) }
            current = []
            hasCurrent = false
        }
        while lineStart < bytes.count {
            var lineEnd = lineStart
            while lineEnd < bytes.count, bytes[lineEnd] != SIPGrammar.lf { lineEnd += 1 }
            var contentEnd = lineEnd
            while contentEnd > lineStart, bytes[contentEnd - 1] == SIPGrammar.cr { contentEnd -= 1 }
            // A bare CR inside a line is not a line break (RFC 3261 allows none there); it becomes a space, so that
            // no parsed value holds one and a message serialises the same after a second parse.
            let line = Array(UnsafeRawBufferPointer(rebasing: bytes[lineStart..<contentEnd])).map {
                $0 == SIPGrammar.cr ? SIPGrammar.space : $0
            }
            if line.isEmpty {
                // The blank line that ends the section.
                break
            }
            if let first = line.first, SIPGrammar.isWhitespace(first), hasCurrent {
                var trimmed = line[...]
                while let byte = trimmed.first, SIPGrammar.isWhitespace(byte) { trimmed = trimmed.dropFirst() }
                while let byte = current.last, SIPGrammar.isWhitespace(byte) { current.removeLast() }
                current.append(SIPGrammar.space)
                current.append(contentsOf: trimmed)
            } else {
                flush()
                current = Array(line)
                hasCurrent = true
            }
            lineStart = lineEnd + 1
        }
        flush()
        return lines
    }

    /// `Request-Line = Method SP Request-URI SP SIP-Version CRLF`, `Status-Line = SIP-Version SP Status-Code SP
    /// Reason-Phrase CRLF`: exactly one SP between the parts (RFC 4475 §3.1.2.8–§3.1.2.10).
    static func parseStartLine(_ line: ArraySlice<UInt8>) throws(SIPParseError) -> SIPMessageHead.StartLine {
        if line.starts(with: "SIP/".utf8) {
            let parts = line.split(separator: SIPGrammar.space, maxSplits: 2, omittingEmptySubsequences: false)
            guard parts.count >= 2 else {
                throw SIPParseError(code: .invalidStartLine, detail: "status line has no status code")
            }
            try checkVersion(parts[0])
            guard parts[1].count == 3,
                let code = SIPGrammar.parseDecimal(parts[1], maximum: 699), code >= 100
            else { throw SIPParseError(code: .invalidStartLine, detail: "status code is not 100-699") }
            let reason = parts.count == 3 ? String(decoding: parts[2], as: UTF8.self) : ""
            return .response(Int(code), reason)
        }
        let parts = line.split(separator: SIPGrammar.space, omittingEmptySubsequences: false)
        guard parts.count == 3, parts.allSatisfy({ !$0.isEmpty }) else {
            throw SIPParseError(code: .invalidStartLine, detail: "request line is not METHOD SP URI SP SIP/2.0")
        }
        guard let method = SIPMethod(token: String(decoding: parts[0], as: UTF8.self)) else {
            throw SIPParseError(code: .invalidStartLine, detail: "method is not a token")
        }
        try checkVersion(parts[2])
        let uri: SIPURI
        do throws(SIPParseError) {
            uri = try SIPURI.parse(parts[1])
        } catch {
            throw SIPParseError(code: .invalidStartLine, detail: "Request-URI: \(error.detail)")
        }
        // RFC 3261 §19.1.1 table 1: headers are not allowed in a Request-URI (RFC 4475 §3.1.2.11).
        guard uri.headers.isEmpty else {
            throw SIPParseError(code: .invalidStartLine, detail: "Request-URI has headers")
        }
        return .request(method, uri)
    }

    /// `SIP-Version = "SIP" "/" 1*DIGIT "." 1*DIGIT`; only 2.0 is supported.
    private static func checkVersion(_ bytes: ArraySlice<UInt8>) throws(SIPParseError) {
        guard bytes.count > 4, bytes.prefix(4).map(SIPGrammar.lowercased) == Array("sip/".utf8) else {
            throw SIPParseError(code: .invalidStartLine, detail: "no SIP version")
        }
        let version = bytes.dropFirst(4)
        let numbers = version.split(separator: UInt8(ascii: "."), omittingEmptySubsequences: false)
        guard numbers.count == 2, numbers.allSatisfy({ !$0.isEmpty && $0.allSatisfy(SIPGrammar.isDigit) }) else {
            throw SIPParseError(code: .invalidStartLine, detail: "malformed SIP version")
        }
        guard version.elementsEqual("2.0".utf8) else {
            throw SIPParseError(code: .unsupportedVersion, detail: "SIP/\(String(decoding: version, as: UTF8.self))")
        }
    }

    /// The Content-Length of a header section; nil when absent. Several values must agree (RFC 4475 §3.3.9
    /// rejects two different ones).
    static func contentLength(_ headers: SIPHeaders, maximum: Int) throws(SIPParseError) -> Int? {
        let values = headers.lines(.contentLength)
        guard let first = values.first else { return nil }
        guard values.allSatisfy({ $0 == first }) else {
            throw SIPParseError(code: .duplicateHeader, detail: "Content-Length given twice")
        }
        guard let length = SIPGrammar.parseSaturatingDecimal(first.utf8, maximum: UInt64(Int32.max)) else {
            throw SIPParseError(code: .invalidContentLength, detail: "Content-Length is not a number")
        }
        guard length <= UInt64(maximum) else {
            throw SIPParseError(code: .messageTooLarge, detail: "Content-Length \(length), limit \(maximum)")
        }
        return Int(length)
    }

    static func makeMessage(_ head: SIPMessageHead, body: [UInt8]) -> SIPMessage {
        switch head.startLine {
        case .request(let method, let uri):
            .request(SIPRequest(method: method, uri: uri, headers: head.headers, body: body))
        case .response(let code, let reason):
            .response(SIPResponse(statusCode: code, reasonPhrase: reason, headers: head.headers, body: body))
        }
    }
}

extension SIPMessageHead {
    var replyContext: SIPReplyContext? {
        guard case .request(let method, _) = startLine else { return nil }
        return SIPMessageParser.replyContext(method: method, headers: headers)
    }
}

extension SIPMessage {
    /// Parses one UDP datagram (RFC 3261 §18.3): the body is Content-Length bytes, or the rest of the datagram when
    /// Content-Length is absent; octets past Content-Length are ignored (RFC 4475 §3.1.1.8); fewer is an error
    /// (§3.1.2.2). Leading CRLFs are skipped. Syntax only: ``SIPRequest/essentials()`` checks the mandatory headers.
    public init<Bytes: Collection>(
        parsing datagram: Bytes,
        maximumSize: Int = SIPLimits.defaultMaximumMessageSize
    ) throws(SIPParseError) where Bytes.Element == UInt8 {
        guard datagram.count <= maximumSize else {
            throw SIPParseError(code: .messageTooLarge, detail: "\(datagram.count) bytes, limit \(maximumSize)")
        }
        let bytes = Array(datagram)
        let result: Result<SIPMessage, SIPParseError> = bytes.withUnsafeBytes { raw in
            let skip = SIPMessageParser.leadingLineBreaks(raw)
            // A datagram is one message, so a header section that is not closed by a blank line ends with the datagram
            // (some stacks omit the blank line of a bodiless message; RFC 4475's "baddn" archive copy does).
            let end = SIPMessageParser.headerSectionEnd(in: raw, from: skip) ?? raw.count
            guard end > skip else {
                return .failure(SIPParseError(code: .incompleteMessage, detail: "empty datagram"))
            }
            do throws(SIPParseError) {
                let head = try SIPMessageParser.parseHead(UnsafeRawBufferPointer(rebasing: raw[skip..<end]))
                let available = raw.count - end
                let body: [UInt8]
                do throws(SIPParseError) {
                    if let length = try SIPMessageParser.contentLength(head.headers, maximum: maximumSize) {
                        guard length <= available else {
                            throw SIPParseError(
                                code: .truncatedBody,
                                detail: "Content-Length \(length) but \(available) body bytes"
                            )
                        }
                        body = Array(raw[end..<(end + length)])
                    } else {
                        body = Array(raw[end...])
                    }
                } catch {
                    var error = error
                    error.reply = head.replyContext
                    throw error
                }
                return .success(SIPMessageParser.makeMessage(head, body: body))
            } catch {
                return .failure(error)
            }
        }
        self = try result.get()
    }
}

extension SIPRequest {
    /// Checks the headers every request must carry and that the stack relies on (RFC 3261 §8.1.1, §8.2; RFC 4475
    /// §3.1.2 and §3.3): Via, From, To, Call-ID, CSeq present and parsing, From/To/Call-ID/CSeq/Max-Forwards not
    /// repeated, the CSeq method equal to the request's, a Date (if any) in GMT. A failure carries the reply
    /// context, so the request can be answered 400.
    public func essentials() throws(SIPParseError) -> SIPEssentials {
        do throws(SIPParseError) {
            let vias = try headers.vias()
            guard let top = vias.first else { throw SIPParseError(code: .missingHeader, detail: "no Via") }
            let from = try headers.from()
            let to = try headers.to()
            let callID = try headers.callID()
            let cseq = try headers.cseq()
            let maxForwards = try headers.maxForwards()
            // Contact is what a dialog's remote target and a registration come from (RFC 4475 §3.1.2.13).
            _ = try headers.contacts()
            guard cseq.method == method else {
                throw SIPParseError(code: .methodMismatch, detail: "CSeq method \(cseq.method) in a \(method)")
            }
            if let date = headers[.date], !date.hasSuffix("GMT") {
                // RFC 3261 §20.17: the time zone is always GMT (RFC 4475 §3.1.2.12).
                throw SIPParseError(code: .invalidHeaderValue, detail: "Date: not GMT")
            }
            return SIPEssentials(
                topVia: top,
                vias: vias,
                from: from,
                to: to,
                callID: callID,
                cseq: cseq,
                maxForwards: maxForwards
            )
        } catch {
            var error = error
            error.reply = SIPMessageParser.replyContext(method: method, headers: headers)
            throw error
        }
    }
}

extension SIPResponse {
    /// Checks the headers a response must carry (Via, From, To, Call-ID, CSeq), typed.
    public func essentials() throws(SIPParseError) -> SIPEssentials {
        let vias = try headers.vias()
        guard let top = vias.first else { throw SIPParseError(code: .missingHeader, detail: "no Via") }
        return SIPEssentials(
            topVia: top,
            vias: vias,
            from: try headers.from(),
            to: try headers.to(),
            callID: try headers.callID(),
            cseq: try headers.cseq(),
            maxForwards: nil
        )
    }
}
