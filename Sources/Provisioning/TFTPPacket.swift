public import NIOCore

/// One TFTP datagram (RFC 1350 §5, RFC 2347 for OACK).
///
/// Decode with `TFTPPacket(decoding:)`, encode with `ByteBuffer.writeTFTPPacket(_:)`.
public enum TFTPPacket: Hashable, Sendable {
    /// RRQ, opcode 1: the client asks to read a file.
    case readRequest(TFTPRequest)
    /// WRQ, opcode 2: the client asks to write a file. Strowger always refuses it.
    case writeRequest(TFTPRequest)
    /// DATA, opcode 3: one block of the file; a block shorter than the block size ends the transfer.
    case data(block: UInt16, payload: ByteBuffer)
    /// ACK, opcode 4: the receiver has the block (block 0 acknowledges an OACK, RFC 2347).
    case acknowledgement(block: UInt16)
    /// ERROR, opcode 5: ends the transfer; never acknowledged or retransmitted (RFC 1350 §7).
    case error(TFTPErrorCode, message: String)
    /// OACK, opcode 6: the options the server accepted, with their final values (RFC 2347).
    case optionAcknowledgement([TFTPOption])
}

/// The opcodes of RFC 1350 §5 and RFC 2347.
public enum TFTPOpcode: UInt16, Sendable, CaseIterable {
    case readRequest = 1
    case writeRequest = 2
    case data = 3
    case acknowledgement = 4
    case error = 5
    case optionAcknowledgement = 6
}

/// An RRQ or WRQ: file name, transfer mode and options.
public struct TFTPRequest: Hashable, Sendable {
    /// The file name exactly as sent (no path handling here; `TFTPServerPolicy` judges it).
    public var filename: String
    /// The transfer mode.
    public var mode: TFTPTransferMode
    /// The options in the order sent, names lowercased, duplicates removed (the first one counts).
    public var options: [TFTPOption]

    public init(filename: String, mode: TFTPTransferMode, options: [TFTPOption] = []) {
        self.filename = filename
        self.mode = mode
        self.options = options
    }

    /// The value of the named option, if the request carries it (`name` is compared case-insensitively).
    public func option(_ name: String) -> String? {
        let name = name.lowercased()
        return self.options.first { $0.name == name }?.value
    }
}

/// A transfer mode (RFC 1350 §1: "netascii", "octet", "mail", matched case-insensitively).
public enum TFTPTransferMode: String, Hashable, Sendable {
    /// Text with CR LF line ends (RFC 764's NVT ASCII); the server translates LF to CR LF.
    case netascii
    /// Raw bytes; what phones and curl use.
    case octet
    /// Obsolete mail delivery (RFC 1350 §1 "should not be used"); refused.
    case mail
}

/// One option of a request or OACK (RFC 2347): a name, matched case-insensitively, and a value.
public struct TFTPOption: Hashable, Sendable {
    /// The option name, lowercased.
    public var name: String
    /// The value as sent.
    public var value: String

    public init(name: String, value: String) {
        self.name = name.lowercased()
        self.value = value
    }

    /// RFC 2348 block size.
    public static let blockSizeName = "blksize"
    /// RFC 2349 transfer size.
    public static let transferSizeName = "tsize"
    /// RFC 2349 retransmission timeout in seconds.
    public static let timeoutName = "timeout"
}

/// An ERROR packet's code (RFC 1350 appendix, RFC 2347 for 8).
public struct TFTPErrorCode: Hashable, Sendable, CustomStringConvertible {
    public let rawValue: UInt16

    public init(rawValue: UInt16) {
        self.rawValue = rawValue
    }

    /// 0: "Not defined, see error message (if any)".
    public static let notDefined = TFTPErrorCode(rawValue: 0)
    /// 1: "File not found".
    public static let fileNotFound = TFTPErrorCode(rawValue: 1)
    /// 2: "Access violation".
    public static let accessViolation = TFTPErrorCode(rawValue: 2)
    /// 3: "Disk full or allocation exceeded".
    public static let diskFull = TFTPErrorCode(rawValue: 3)
    /// 4: "Illegal TFTP operation".
    public static let illegalOperation = TFTPErrorCode(rawValue: 4)
    /// 5: "Unknown transfer ID".
    public static let unknownTransferID = TFTPErrorCode(rawValue: 5)
    /// 6: "File already exists".
    public static let fileAlreadyExists = TFTPErrorCode(rawValue: 6)
    /// 7: "No such user".
    public static let noSuchUser = TFTPErrorCode(rawValue: 7)
    /// 8: the peer refuses the options (RFC 2347).
    public static let optionsRefused = TFTPErrorCode(rawValue: 8)

    public var description: String {
        switch self.rawValue {
        case 0: "not defined"
        case 1: "file not found"
        case 2: "access violation"
        case 3: "disk full"
        case 4: "illegal operation"
        case 5: "unknown transfer ID"
        case 6: "file already exists"
        case 7: "no such user"
        case 8: "options refused"
        default: "error \(self.rawValue)"
        }
    }
}
