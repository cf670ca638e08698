public import NIOCore

/// What ``SIPMessageDecoder`` reads off a stream.
public enum SIPStreamItem: Hashable, Sendable {
    /// A message, framed by its Content-Length (syntax checked; the mandatory headers are checked by
    /// ``SIPRequest/essentials()``).
    case message(SIPMessage)
    /// A message whose header section did not parse but whose framing did (its Content-Length was readable), so
    /// the stream stays usable: the connection answers it (400 when ``SIPParseError/reply`` allows) and goes on.
    case malformed(SIPParseError)
    /// A CRLFCRLF keepalive ping between messages (RFC 5626 §3.5.1); the answer is a single CRLF.
    case keepAlivePing
}

/// Splits a TCP or TLS byte stream into SIP messages (RFC 3261 §18.3: Content-Length frames the body).
///
/// The header section must close within ``maximumMessageSize`` bytes, and once it has, the message's whole size
/// (header section plus Content-Length) is checked against the same limit **before** the body is awaited: a peer
/// cannot make the server buffer more than one maximum-sized message. A header section that closes but does not
/// parse is returned as ``SIPStreamItem/malformed(_:)`` when its Content-Length can still be read, and thrown
/// otherwise (the framing is lost; the connection must close). A missing Content-Length is taken as 0: RFC 3261
/// requires it on streams, and a body sent without it fails as the next message.
public struct SIPMessageDecoder: NIOSingleStepByteToMessageDecoder, Sendable {
    public typealias InboundOut = SIPStreamItem

    public let maximumMessageSize: Int

    public init(maximumMessageSize: Int = SIPLimits.defaultMaximumMessageSize) {
        self.maximumMessageSize = max(maximumMessageSize, 256)
    }

    public mutating func decode(buffer: inout ByteBuffer) throws -> SIPStreamItem? {
        let maximum = self.maximumMessageSize
        let outcome: Outcome = buffer.withUnsafeReadableBytes { raw in
            let skip = SIPMessageParser.leadingLineBreaks(raw)
            if skip > 0 {
                // A double CRLF between messages is a ping; a lone CRLF (the pong's echo, or padding) is skipped.
                let isPing = skip >= 4 && raw[0] == SIPGrammar.cr && raw[1] == SIPGrammar.lf
                return .skip(skip, ping: isPing)
            }
            guard let end = SIPMessageParser.headerSectionEnd(in: raw, from: 0) else {
                if raw.count > maximum {
                    return .fail(
                        SIPParseError(code: .messageTooLarge, detail: "header section longer than \(maximum) bytes")
                    )
                }
                return .needMore
            }
            guard end <= maximum else {
                return .fail(
                    SIPParseError(code: .messageTooLarge, detail: "header section longer than \(maximum) bytes")
                )
            }
            let headBytes = UnsafeRawBufferPointer(rebasing: raw[0..<end])
            let head: SIPMessageHead
            do throws(SIPParseError) {
                head = try SIPMessageParser.parseHead(headBytes)
            } catch {
                // Can the stream continue past this message? Only if a Content-Length can be read from the lines.
                guard let length = Self.looseContentLength(headBytes), end + length <= maximum else {
                    return .fail(error)
                }
                guard raw.count >= end + length else { return .needMore }
                return .malformed(error, consumed: end + length)
            }
            let length: Int
            do throws(SIPParseError) {
                length = try SIPMessageParser.contentLength(head.headers, maximum: maximum) ?? 0
            } catch {
                var error = error
                error.reply = head.replyContext
                return .fail(error)
            }
            guard end + length <= maximum else {
                var error = SIPParseError(
                    code: .messageTooLarge,
                    detail: "\(end + length) bytes, limit \(maximum)"
                )
                error.reply = head.replyContext
                return .fail(error)
            }
            guard raw.count >= end + length else { return .needMore }
            let body = Array(UnsafeRawBufferPointer(rebasing: raw[end..<(end + length)]))
            return .message(SIPMessageParser.makeMessage(head, body: body), consumed: end + length)
        }
        switch outcome {
        case .needMore:
            return nil
        case .skip(let count, let ping):
            buffer.moveReaderIndex(forwardBy: count)
            if ping { return .keepAlivePing }
            return try self.decode(buffer: &buffer)
        case .fail(let error):
            throw error
        case .malformed(let error, let consumed):
            buffer.moveReaderIndex(forwardBy: consumed)
            return .malformed(error)
        case .message(let message, let consumed):
            buffer.moveReaderIndex(forwardBy: consumed)
            return .message(message)
        }
    }

    public mutating func decodeLast(buffer: inout ByteBuffer, seenEOF: Bool) throws -> SIPStreamItem? {
        if let item = try self.decode(buffer: &buffer) { return item }
        if seenEOF, buffer.readableBytes > 0 {
            let count = buffer.readableBytes
            buffer.moveReaderIndex(forwardBy: count)
            throw SIPParseError(code: .incompleteMessage, detail: "connection closed inside a message (\(count) bytes)")
        }
        return nil
    }

    private enum Outcome {
        case needMore
        case skip(Int, ping: Bool)
        case fail(SIPParseError)
        case malformed(SIPParseError, consumed: Int)
        case message(SIPMessage, consumed: Int)
    }

    /// Content-Length (or `l`) read from raw lines, for a header section that does not otherwise parse.
    private static func looseContentLength(_ head: UnsafeRawBufferPointer) -> Int? {
        var found: Int?
        for line in SIPMessageParser.unfoldedLines(head).dropFirst() {
            guard let colon = line.firstIndex(of: SIPGrammar.colon) else { continue }
            let name = SIPHeaders.trimmed(line[line.startIndex..<colon])
            guard SIPHeaderName(name) == .contentLength else { continue }
            let value = SIPHeaders.trimmed(line[(colon + 1)...])
            guard let length = SIPGrammar.parseDecimal(value.utf8, maximum: UInt64(Int32.max)) else { return nil }
            if let found, found != Int(length) { return nil }
            found = Int(length)
        }
        return found ?? 0
    }
}

/// Writes SIP messages to a stream.
public struct SIPMessageEncoder: MessageToByteEncoder, Sendable {
    public typealias OutboundIn = SIPMessage

    public init() {}

    public func encode(data: SIPMessage, out: inout ByteBuffer) {
        out.writeSIPMessage(data)
    }
}
