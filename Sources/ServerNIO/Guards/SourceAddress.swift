public import NIOCore

/// A peer's IP address without its port: the key guards count connections, rates and bans by.
///
/// Compact (no strings) so that a table of a hundred thousand sources stays small. An IPv4-mapped IPv6 address
/// (`::ffff:192.0.2.1`, what a dual-stack listener reports for an IPv4 peer) is the IPv4 address, so one host is one
/// source whichever way it arrives.
public struct SourceAddress: Hashable, Sendable, CustomStringConvertible {
    enum Storage: Hashable, Sendable {
        /// Host byte order.
        case v4(UInt32)
        /// The 128 bits in network order, high half first.
        case v6(UInt64, UInt64)
        /// Not an IP address (a Unix socket, or none known).
        case unknown
    }

    let storage: Storage

    init(storage: Storage) {
        self.storage = storage
    }

    /// The address of `address`, or ``unknown`` for a Unix domain socket or nil.
    public init(_ address: SocketAddress?) {
        switch address {
        case .some(let address) where address.protocol == .inet:
            // sockaddr_in: family (2 bytes), port (2), address (4, network order).
            let value = address.withSockAddr { pointer, _ in
                UnsafeRawPointer(pointer).loadUnaligned(fromByteOffset: 4, as: UInt32.self)
            }
            self.storage = .v4(UInt32(bigEndian: value))
        case .some(let address) where address.protocol == .inet6:
            // sockaddr_in6: family (2), port (2), flow info (4), address (16, network order).
            let (high, low) = address.withSockAddr { pointer, _ in
                (
                    UInt64(bigEndian: UnsafeRawPointer(pointer).loadUnaligned(fromByteOffset: 8, as: UInt64.self)),
                    UInt64(bigEndian: UnsafeRawPointer(pointer).loadUnaligned(fromByteOffset: 16, as: UInt64.self))
                )
            }
            if high == 0, low >> 32 == 0xFFFF {
                self.storage = .v4(UInt32(truncatingIfNeeded: low))
            } else {
                self.storage = .v6(high, low)
            }
        default:
            self.storage = .unknown
        }
    }

    /// Parses a literal IPv4 or IPv6 address (`192.0.2.1`, `2001:db8::1`); nil if `text` is not one.
    public init?(parsing text: String) {
        guard let address = try? SocketAddress(ipAddress: text, port: 0) else { return nil }
        self.init(address)
    }

    /// A source whose address is not known; guards treat all of them as one source.
    public static let unknown = SourceAddress(storage: .unknown)

    public var description: String {
        switch self.storage {
        case .v4(let value):
            return "\(value >> 24).\((value >> 16) & 0xFF).\((value >> 8) & 0xFF).\(value & 0xFF)"
        case .v6(let high, let low):
            let groups = (0..<8).map { index -> String in
                let half = index < 4 ? high : low
                let shift = UInt64(48 - 16 * (index % 4))
                return String((half >> shift) & 0xFFFF, radix: 16)
            }
            return groups.joined(separator: ":")
        case .unknown:
            return "unknown"
        }
    }
}

/// One network in CIDR notation: `10.0.0.0/8`, `192.0.2.7` (a single host), `2001:db8::/32`, `::1/128`.
public struct SourceNetwork: Hashable, Sendable, CustomStringConvertible {
    private let address: SourceAddress
    private let prefixLength: Int

    /// Parses `ADDRESS` or `ADDRESS/PREFIX`; nil if it is neither.
    public init?(parsing text: String) {
        let parts = text.split(separator: "/", omittingEmptySubsequences: false)
        guard parts.count == 1 || parts.count == 2, let address = SourceAddress(parsing: String(parts[0])) else {
            return nil
        }
        let maximum: Int
        switch address.storage {
        case .v4: maximum = 32
        case .v6: maximum = 128
        case .unknown: return nil
        }
        var prefixLength = maximum
        if parts.count == 2 {
            guard let parsed = Int(parts[1]), (0...maximum).contains(parsed) else { return nil }
            prefixLength = parsed
        }
        self.address = Self.masked(address, prefixLength: prefixLength)
        self.prefixLength = prefixLength
    }

    /// Whether `source` is in this network. IPv4 sources never match IPv6 networks and the other way round.
    public func contains(_ source: SourceAddress) -> Bool {
        switch (self.address.storage, source.storage) {
        case (.v4, .v4), (.v6, .v6):
            return Self.masked(source, prefixLength: self.prefixLength) == self.address
        default:
            return false
        }
    }

    public var description: String { "\(self.address)/\(self.prefixLength)" }

    private static func masked(_ address: SourceAddress, prefixLength: Int) -> SourceAddress {
        switch address.storage {
        case .v4(let value):
            let mask: UInt32 = prefixLength == 0 ? 0 : ~UInt32(0) << UInt32(32 - prefixLength)
            return SourceAddress(storage: .v4(value & mask))
        case .v6(let high, let low):
            let highMask: UInt64 =
                prefixLength >= 64 ? ~0 : (prefixLength == 0 ? 0 : ~UInt64(0) << UInt64(64 - prefixLength))
            let lowMask: UInt64 =
                prefixLength <= 64 ? 0 : (prefixLength == 128 ? ~0 : ~UInt64(0) << UInt64(128 - prefixLength))
            return SourceAddress(storage: .v6(high & highMask, low & lowMask))
        case .unknown:
            return address
        }
    }
}

/// Which source networks a service accepts: any (the default for phone-facing services), none, or a list.
public struct SourceAllowList: Hashable, Sendable, CustomStringConvertible {
    /// nil: any source, including ones whose address is unknown.
    public let networks: [SourceNetwork]?

    public init(_ networks: [SourceNetwork]) {
        self.networks = networks
    }

    private init(any: Void) {
        self.networks = nil
    }

    /// Every source.
    public static let any = SourceAllowList(any: ())
    /// No source.
    public static let none = SourceAllowList([])
    /// The loopback networks, `127.0.0.0/8` and `::1/128`: the admin API's default.
    public static let loopback = SourceAllowList(
        [SourceNetwork(parsing: "127.0.0.0/8"), SourceNetwork(parsing: "::1/128")].compactMap { $0 }
    )

    /// Parses `any`, `none`, `loopback`, or networks separated by commas (`10.0.0.0/8,192.0.2.7,2001:db8::/32`).
    public init?(parsing text: String) {
        let trimmed = text.trimmingSpaces()
        switch trimmed.lowercased() {
        case "any", "all", "*":
            self = .any
            return
        case "none", "":
            self = .none
            return
        case "loopback":
            self = .loopback
            return
        default:
            break
        }
        var networks: [SourceNetwork] = []
        for item in trimmed.split(separator: ",") {
            let word = String(item).trimmingSpaces()
            if word.lowercased() == "loopback" {
                networks += Self.loopback.networks ?? []
                continue
            }
            guard let network = SourceNetwork(parsing: word) else { return nil }
            networks.append(network)
        }
        self.networks = networks
    }

    /// Whether `source` may use the service.
    public func allows(_ source: SourceAddress) -> Bool {
        guard let networks = self.networks else { return true }
        return networks.contains { $0.contains(source) }
    }

    public var description: String {
        guard let networks = self.networks else { return "any" }
        if networks.isEmpty { return "none" }
        return networks.map(\.description).joined(separator: ",")
    }
}

extension String {
    fileprivate func trimmingSpaces() -> String {
        var text = Substring(self)
        while text.first == " " { text = text.dropFirst() }
        while text.last == " " { text = text.dropLast() }
        return String(text)
    }
}
