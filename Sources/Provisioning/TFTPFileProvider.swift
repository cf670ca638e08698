public import NIOCore

/// Where the TFTP server gets its files. Injected, so that the server never touches the file system by itself.
///
/// A synchronous provider implements the requirement with a plain (non-suspending) function.
public protocol TFTPFileProvider: Sendable {
    /// The bytes of the file named `filename`, or nil when there is no such file (the client gets ERROR 1).
    ///
    /// The name has passed `TFTPServerPolicy.isSafe(filename:)`. Throwing means the file could not be produced
    /// now (the client gets ERROR 0 and may retry); the listener also gives up on a provider that misses its
    /// lookup deadline.
    func contents(ofFile filename: String) async throws -> ByteBuffer?
}

/// A fixed set of files, looked up by exact name; for tests and static deployments.
public struct StaticTFTPFileProvider: TFTPFileProvider {
    public var files: [String: ByteBuffer]

    public init(files: [String: ByteBuffer]) {
        self.files = files
    }

    public func contents(ofFile filename: String) -> ByteBuffer? {
        self.files[filename]
    }
}

/// RFC 1350's netascii: text whose lines end in CR LF, with a lone CR sent as CR NUL (RFC 764).
public enum TFTPNetASCII {
    /// Translates local text (LF line ends) into netascii: LF → CR LF, CR → CR NUL, every other byte as is. The
    /// input is taken as Unix text, so a CR already in it is a bare CR and becomes CR NUL.
    public static func encode(_ text: ByteBuffer) -> ByteBuffer {
        var output = ByteBuffer()
        output.reserveCapacity(text.readableBytes + text.readableBytes / 16)
        for byte in text.readableBytesView {
            switch byte {
            case UInt8(ascii: "\n"):
                output.writeInteger(UInt8(ascii: "\r"))
                output.writeInteger(UInt8(ascii: "\n"))
            case UInt8(ascii: "\r"):
                output.writeInteger(UInt8(ascii: "\r"))
                output.writeInteger(UInt8(0))
            default:
                output.writeInteger(byte)
            }
        }
        return output
    }
}
