public import NIOCore

extension SIPMessage {
    /// The message as bytes: start line, headers in order (Content-Length written from the body, whatever the
    /// headers said), a blank line, the body. CR and LF inside a header value (from configuration, never from a
    /// parsed message) become spaces, so no value can inject a header.
    public func serialized() -> [UInt8] {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(512 + body.count)
        switch self {
        case .request(let request):
            Self.append("\(request.method) \(request.uri) SIP/2.0", to: &bytes)
        case .response(let response):
            Self.append("SIP/2.0 \(response.statusCode) \(response.reasonPhrase)", to: &bytes)
        }
        for field in headers where field.name != .contentLength {
            Self.append("\(field.name.name): \(field.value)", to: &bytes)
        }
        Self.append("Content-Length: \(body.count)", to: &bytes)
        bytes.append(contentsOf: [SIPGrammar.cr, SIPGrammar.lf])
        bytes.append(contentsOf: body)
        return bytes
    }

    private static func append(_ line: String, to bytes: inout [UInt8]) {
        for byte in line.utf8 {
            bytes.append(byte == SIPGrammar.cr || byte == SIPGrammar.lf ? SIPGrammar.space : byte)
        }
        bytes.append(contentsOf: [SIPGrammar.cr, SIPGrammar.lf])
    }
}

extension ByteBuffer {
    /// Writes a SIP message (``SIPMessage/serialized()``); returns the bytes written.
    @discardableResult
    public mutating func writeSIPMessage(_ message: SIPMessage) -> Int {
        writeBytes(message.serialized())
    }
}

extension SIPRequest {
    public func serialized() -> [UInt8] { SIPMessage.request(self).serialized() }
}

extension SIPResponse {
    public func serialized() -> [UInt8] { SIPMessage.response(self).serialized() }

    /// A response to `request` (RFC 3261 §8.2.6.2): Via (all of them), From, To, Call-ID and CSeq copied, and a To
    /// tag added when the request's To has none and the status is not 100.
    public init(
        replyingTo request: SIPRequest,
        statusCode: Int,
        reasonPhrase: String? = nil,
        toTag: String? = nil
    ) {
        var headers = SIPHeaders()
        for via in request.headers.lines(.via) { headers.append(.via, via) }
        if let from = request.headers[.from] { headers.append(.from, from) }
        if var to = request.headers[.to] {
            if let toTag, statusCode != 100, (try? SIPNameAddress(parsing: to))?.tag == nil {
                to += ";tag=\(toTag)"
            }
            headers.append(.to, to)
        }
        if let callID = request.headers[.callID] { headers.append(.callID, callID) }
        if let cseq = request.headers[.cseq] { headers.append(.cseq, cseq) }
        self.init(statusCode: statusCode, reasonPhrase: reasonPhrase, headers: headers)
    }

    /// An error response to a request that did not parse, from what it carried (``SIPParseError/reply``).
    public init(replyingTo context: SIPReplyContext, statusCode: Int, reasonPhrase: String? = nil, toTag: String? = nil)
    {
        var headers = SIPHeaders()
        for via in context.vias { headers.append(.via, via) }
        headers.append(.from, context.from)
        var to = context.to
        if let toTag, !to.lowercased().contains(";tag=") && !to.lowercased().contains("; tag") { to += ";tag=\(toTag)" }
        headers.append(.to, to)
        headers.append(.callID, context.callID)
        headers.append(.cseq, context.cseq)
        self.init(statusCode: statusCode, reasonPhrase: reasonPhrase, headers: headers)
    }
}
