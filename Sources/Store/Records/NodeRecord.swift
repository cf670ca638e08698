#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// A node of the cluster: its name and the address of its cluster port (UDP 8500). Table `node` (migration
/// `addClusterNodes`, issue 19), keyed by name without regard to case.
///
/// Every node's datagrams must come from its address, and every node sends its heartbeats there
/// (docs/cluster.md). The address is an IP literal (no host name: the cluster port's guard compares source
/// addresses, and a name would make that depend on DNS), with an optional port for nodes that share a host.
public struct NodeRecord: Codable, Hashable, Sendable {
    /// The port of an address that names none: the cluster port (design.md).
    public static let defaultPort = 8500

    /// The node's name, as it names itself in its datagrams and in `strowger serve --node`: 1–63 of ASCII letters,
    /// digits, `-`, `_` and `.` (the cluster protocol's names, docs/cluster.md).
    public var name: String
    /// `192.0.2.11`, `192.0.2.11:8501`, `2001:db8::11` or `[2001:db8::11]:8501`.
    public var address: String

    public init(name: String, address: String) {
        self.name = name
        self.address = address
    }

    /// The IP literal and port of ``address``, or nil if it is not a valid one.
    public var endpoint: (host: String, port: Int)? { Self.parseAddress(self.address) }

    /// Checks every field; throws a ``StoreError`` naming the first bad one.
    public func validate() throws(StoreError) {
        let nameBytes = Array(self.name.utf8)
        let validName =
            (1...63).contains(nameBytes.count)
            && nameBytes.allSatisfy { byte in
                switch byte {
                case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"),
                    UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "-"), UInt8(ascii: "_"), UInt8(ascii: "."):
                    true
                default:
                    false
                }
            }
        guard validName else {
            throw .invalidValue(
                "node.name",
                "node name must be 1 to 63 of letters, digits, -, _ and ., not \(Validation.quoted(self.name))"
            )
        }
        guard Self.parseAddress(self.address) != nil else {
            throw .invalidValue(
                "node.address",
                "node address must be an IP address with an optional port (192.0.2.11, 192.0.2.11:8501,"
                    + " 2001:db8::11, [2001:db8::11]:8501), not \(Validation.quoted(self.address))"
            )
        }
    }

    /// `address` split into an IP literal and a port (``defaultPort`` if none), or nil.
    public static func parseAddress(_ address: String) -> (host: String, port: Int)? {
        var host = Substring(address)
        var port = Self.defaultPort
        if host.hasPrefix("[") {
            guard let close = host.firstIndex(of: "]") else { return nil }
            let rest = host[host.index(after: close)...]
            host = host[host.index(after: host.startIndex)..<close]
            if !rest.isEmpty {
                guard rest.hasPrefix(":"), let parsed = Self.port(rest.dropFirst()) else { return nil }
                port = parsed
            }
            return Self.isIPv6(String(host)) ? (String(host), port) : nil
        }
        if Self.isIPv6(String(host)) { return (String(host), port) }
        if let colon = host.lastIndex(of: ":") {
            guard let parsed = Self.port(host[host.index(after: colon)...]) else { return nil }
            port = parsed
            host = host[..<colon]
        }
        return Self.isIPv4(String(host)) ? (String(host), port) : nil
    }

    private static func port(_ text: Substring) -> Int? {
        guard (1...5).contains(text.count), text.allSatisfy(\.isASCII), let port = Int(text),
            (1...65_535).contains(port)
        else { return nil }
        return port
    }

    /// Four decimal numbers 0–255 without leading zeros, dot-separated.
    private static func isIPv4(_ text: String) -> Bool {
        let parts = text.split(separator: ".", omittingEmptySubsequences: false)
        return parts.count == 4
            && parts.allSatisfy { part in
                (1...3).contains(part.count) && part.allSatisfy { $0.isASCII && $0.isNumber }
                    && (part.count == 1 || part.first != "0") && (Int(part) ?? 256) <= 255
            }
    }

    private static func isIPv6(_ text: String) -> Bool {
        guard text.contains(":"), text.utf8.count <= 45 else { return false }
        var storage = in6_addr()
        return inet_pton(AF_INET6, text, &storage) == 1
    }
}

extension NodeRecord: SQLRecord {
    static let tableName = "node"
    static let primaryKey = "name"
}
