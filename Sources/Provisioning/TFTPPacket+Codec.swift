public import NIOCore

// RFC 1350 §5, all integers in network byte order:
//
//   RRQ/WRQ  | 01/02 | Filename | 0 | Mode | 0 |         (+ RFC 2347: | opt1 | 0 | value1 | 0 | ... )
//   DATA     | 03 | Block # | Data |
//   ACK      | 04 | Block # |
//   ERROR    | 05 | ErrorCode | ErrMsg | 0 |
//   OACK     | 06 | opt1 | 0 | value1 | 0 | ...          (RFC 2347)

extension TFTPPacket {
    /// Decodes one whole datagram. Never traps; anything malformed throws a `TFTPDecodingError`.
    ///
    /// A request over 512 bytes (RFC 2347) and a DATA packet over 4 + 65464 bytes (RFC 2348) are refused before
    /// any string is read.
    public init(decoding datagram: ByteBuffer) throws(TFTPDecodingError) {
        var buffer = datagram
        guard let rawOpcode = buffer.readInteger(endianness: .big, as: UInt16.self) else {
            throw .make(.truncated, datagram, "\(datagram.readableBytes) bytes, no opcode")
        }
        guard let opcode = TFTPOpcode(rawValue: rawOpcode) else {
            throw .make(.unknownOpcode, datagram, "opcode \(rawOpcode)")
        }
        switch opcode {
        case .readRequest, .writeRequest:
            guard datagram.readableBytes <= TFTPLimits.maximumRequestLength else {
                throw .make(
                    .tooLong,
                    datagram,
                    "request of \(datagram.readableBytes) bytes, maximum \(TFTPLimits.maximumRequestLength)"
                )
            }
            let filename = try buffer.readTFTPString(datagram, field: "file name")
            guard !filename.isEmpty else { throw .make(.emptyFilename, datagram, "empty file name") }
            let modeName = try buffer.readTFTPString(datagram, field: "mode")
            guard let mode = TFTPTransferMode(rawValue: modeName.lowercased()) else {
                throw .make(.unknownMode, datagram, "mode \"\(modeName.prefix(32))\"")
            }
            let options = try buffer.readTFTPOptions(datagram)
            let request = TFTPRequest(filename: filename, mode: mode, options: options)
            self = opcode == .readRequest ? .readRequest(request) : .writeRequest(request)
        case .data:
            guard datagram.readableBytes <= TFTPLimits.maximumPacketLength else {
                throw .make(.tooLong, datagram, "DATA of \(datagram.readableBytes) bytes")
            }
            guard let block = buffer.readInteger(endianness: .big, as: UInt16.self) else {
                throw .make(.truncated, datagram, "DATA without block number")
            }
            self = .data(block: block, payload: buffer)
        case .acknowledgement:
            guard let block = buffer.readInteger(endianness: .big, as: UInt16.self) else {
                throw .make(.truncated, datagram, "ACK without block number")
            }
            guard buffer.readableBytes == 0 else {
                throw .make(.trailingBytes, datagram, "\(buffer.readableBytes) bytes after ACK")
            }
            self = .acknowledgement(block: block)
        case .error:
            guard let code = buffer.readInteger(endianness: .big, as: UInt16.self) else {
                throw .make(.truncated, datagram, "ERROR without code")
            }
            // Lenient on purpose: an ERROR ends the transfer whatever its text says, and some clients leave out the
            // final NUL. Read up to the NUL (or the end), at most the bound, and ignore the rest.
            let bytes = buffer.readableBytesView.prefix { $0 != 0 }.prefix(TFTPLimits.maximumErrorMessageLength)
            self = .error(TFTPErrorCode(rawValue: code), message: String(decoding: bytes, as: UTF8.self))
        case .optionAcknowledgement:
            guard datagram.readableBytes <= TFTPLimits.maximumRequestLength else {
                throw .make(.tooLong, datagram, "OACK of \(datagram.readableBytes) bytes")
            }
            self = .optionAcknowledgement(try buffer.readTFTPOptions(datagram))
        }
    }

    /// The packet's opcode.
    public var opcode: TFTPOpcode {
        switch self {
        case .readRequest: .readRequest
        case .writeRequest: .writeRequest
        case .data: .data
        case .acknowledgement: .acknowledgement
        case .error: .error
        case .optionAcknowledgement: .optionAcknowledgement
        }
    }
}

extension ByteBuffer {
    /// Writes `packet` as one TFTP datagram and returns the number of bytes written.
    ///
    /// Strings lose any NUL they contain (it would end them early on the wire) and ERROR messages are cut to
    /// `TFTPLimits.maximumErrorMessageLength` bytes, so encoding never fails.
    @discardableResult
    public mutating func writeTFTPPacket(_ packet: TFTPPacket) -> Int {
        var written = self.writeInteger(packet.opcode.rawValue, endianness: .big)
        switch packet {
        case .readRequest(let request), .writeRequest(let request):
            written += self.writeTFTPString(request.filename)
            written += self.writeTFTPString(request.mode.rawValue)
            written += self.writeTFTPOptions(request.options)
        case .data(let block, let payload):
            written += self.writeInteger(block, endianness: .big)
            written += self.writeImmutableBuffer(payload)
        case .acknowledgement(let block):
            written += self.writeInteger(block, endianness: .big)
        case .error(let code, let message):
            written += self.writeInteger(code.rawValue, endianness: .big)
            written += self.writeTFTPString(message, maximumLength: TFTPLimits.maximumErrorMessageLength)
        case .optionAcknowledgement(let options):
            written += self.writeTFTPOptions(options)
        }
        return written
    }

    /// Reads a NUL-terminated UTF-8 string and consumes the NUL.
    fileprivate mutating func readTFTPString(
        _ datagram: ByteBuffer,
        field: String
    ) throws(TFTPDecodingError) -> String {
        guard let end = self.readableBytesView.firstIndex(of: 0) else {
            throw .make(.unterminatedString, datagram, "\(field) without NUL")
        }
        let length = end - self.readerIndex
        guard let bytes = self.readSlice(length: length) else {
            throw .make(.truncated, datagram, "\(field) cut short")
        }
        self.moveReaderIndex(forwardBy: 1)
        guard let string = String(validating: bytes.readableBytesView, as: UTF8.self) else {
            throw .make(.invalidString, datagram, "\(field) is not UTF-8")
        }
        return string
    }

    /// Reads RFC 2347 option pairs up to the end of the datagram. Names are lowercased; of two options with the
    /// same name the first counts.
    fileprivate mutating func readTFTPOptions(_ datagram: ByteBuffer) throws(TFTPDecodingError) -> [TFTPOption] {
        var options: [TFTPOption] = []
        var count = 0
        while self.readableBytes > 0 {
            count += 1
            guard count <= TFTPLimits.maximumOptionCount else {
                throw .make(.tooManyOptions, datagram, "more than \(TFTPLimits.maximumOptionCount) options")
            }
            let name = try self.readTFTPString(datagram, field: "option name")
            guard !name.isEmpty else { throw .make(.malformedOption, datagram, "empty option name") }
            guard self.readableBytes > 0 else {
                throw .make(.malformedOption, datagram, "option \"\(name.prefix(32))\" without value")
            }
            let value = try self.readTFTPString(datagram, field: "option value")
            let option = TFTPOption(name: name, value: value)
            if !options.contains(where: { $0.name == option.name }) {
                options.append(option)
            }
        }
        return options
    }

    private mutating func writeTFTPString(_ string: String, maximumLength: Int = Int.max) -> Int {
        var written = 0
        for byte in string.utf8 where byte != 0 {
            guard written < maximumLength else { break }
            written += self.writeInteger(byte)
        }
        return written + self.writeInteger(UInt8(0))
    }

    private mutating func writeTFTPOptions(_ options: [TFTPOption]) -> Int {
        options.reduce(0) { written, option in
            written + self.writeTFTPString(option.name) + self.writeTFTPString(option.value)
        }
    }
}
