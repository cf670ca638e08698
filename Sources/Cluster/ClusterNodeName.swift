/// A node's name in the cluster: 1 to 63 bytes of ASCII letters, digits, `-`, `_` and `.`, compared exactly.
///
/// It names the sender in every datagram, so it is validated on the way in and the way out; a name that is not
/// valid cannot be constructed.
public struct ClusterNodeName: Hashable, Comparable, Sendable, CustomStringConvertible {
    /// The name as text.
    public let value: String

    /// The name, or nil when `value` is empty, too long or has a character outside the allowed set.
    public init?(_ value: String) {
        guard Self.isValid(Array(value.utf8)) else { return nil }
        self.value = value
    }

    /// The name in `bytes`, or nil when they are not a valid name.
    init?(bytes: [UInt8]) {
        guard Self.isValid(bytes) else { return nil }
        self.value = String(decoding: bytes, as: UTF8.self)
    }

    /// Whether `bytes` are a valid node name.
    static func isValid(_ bytes: [UInt8]) -> Bool {
        guard (1...ClusterLimits.maximumNodeNameLength).contains(bytes.count) else { return false }
        return bytes.allSatisfy { byte in
            switch byte {
            case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"),
                UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "-"), UInt8(ascii: "_"), UInt8(ascii: "."):
                return true
            default:
                return false
            }
        }
    }

    public var description: String { self.value }

    public static func < (lhs: ClusterNodeName, rhs: ClusterNodeName) -> Bool { lhs.value < rhs.value }
}
