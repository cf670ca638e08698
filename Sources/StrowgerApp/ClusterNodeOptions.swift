import Cluster

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// This server as a node of a cluster: `strowger serve --node NAME --cluster-secret-file F` (docs/cluster.md).
public struct ClusterNodeOptions: Sendable, Equatable {
    /// The node's name, as its row in the node table (`strowger node add`) gives it.
    public var name: String
    /// The cluster secret: the secret file's whole content.
    public var secret: [UInt8]
    /// Seconds between heartbeats; a node silent for three of its intervals is down.
    public var heartbeatSeconds: Double

    public init(name: String, secret: [UInt8], heartbeatSeconds: Double = 2) {
        self.name = name
        self.secret = secret
        self.heartbeatSeconds = heartbeatSeconds
    }

    /// Why the options were refused, in words for the person who typed them.
    public struct Failure: Error, CustomStringConvertible, Equatable {
        public let description: String
    }

    /// The options of `--node name --cluster-secret-file path`: the name must be a valid node name; the file must
    /// exist, be a regular file readable by its owner only (mode 0600 or 0400: the secret is the cluster's only
    /// lock) and hold at least 32 bytes.
    public static func load(
        name: String,
        secretFile path: String,
        heartbeatSeconds: Double = 2
    ) throws(Failure) -> ClusterNodeOptions {
        guard ClusterNodeName(name) != nil else {
            throw Failure(
                description: "--node must be 1 to 63 of letters, digits, -, _ and ., not \"\(name)\""
            )
        }
        guard (0.1...60).contains(heartbeatSeconds) else {
            throw Failure(description: "--cluster-heartbeat must be 0.1 to 60 seconds, not \(heartbeatSeconds)")
        }
        var status = stat()
        guard stat(path, &status) == 0 else {
            throw Failure(
                description: "the cluster secret file \(path) cannot be read (\(Self.errorText(errno))); make one with"
                    + " head -c 48 /dev/urandom > \(path) && chmod 600 \(path)"
            )
        }
        guard status.st_mode & 0o170_000 == 0o100_000 else {
            throw Failure(description: "the cluster secret file \(path) is not a regular file")
        }
        guard status.st_mode & 0o077 == 0 else {
            throw Failure(
                description: "the cluster secret file \(path) can be read by others (mode "
                    + String(status.st_mode & 0o777, radix: 8) + "); make it private: chmod 600 \(path)"
            )
        }
        let bytes: [UInt8]
        do {
            bytes = try Self.readFile(path, limit: 64 * 1024)
        } catch {
            throw Failure(description: "the cluster secret file \(path) cannot be read (\(Self.errorText(error.code)))")
        }
        guard bytes.count >= ClusterLimits.minimumSecretLength else {
            throw Failure(
                description: "the cluster secret file \(path) holds \(bytes.count) bytes; it needs at least"
                    + " \(ClusterLimits.minimumSecretLength) (head -c 48 /dev/urandom > \(path))"
            )
        }
        return ClusterNodeOptions(name: name, secret: bytes, heartbeatSeconds: heartbeatSeconds)
    }

    private struct ReadError: Error {
        let code: Int32
    }

    /// The file's bytes, at most `limit` of them (a secret file is small; a huge one is a mistake, not a secret).
    private static func readFile(_ path: String, limit: Int) throws(ReadError) -> [UInt8] {
        let descriptor = open(path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else { throw ReadError(code: errno) }
        defer { close(descriptor) }
        var bytes: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 4096)
        while bytes.count < limit {
            let count = chunk.withUnsafeMutableBytes { read(descriptor, $0.baseAddress, $0.count) }
            if count < 0 {
                if errno == EINTR { continue }
                throw ReadError(code: errno)
            }
            if count == 0 { break }
            bytes += chunk[0..<count]
        }
        return bytes
    }

    private static func errorText(_ code: Int32) -> String {
        String(cString: strerror(code))
    }
}
