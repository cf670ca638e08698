// Also compiled into FuzzTesting's FuzzCluster target (a symbolic link), so that ClusterFuzzTests replays inputs
// through exactly the code the fuzzer ran.
@_spi(Testing) import Cluster
import NIOCore

/// One fuzz input for the cluster datagram decoder, and what was wrong, if anything.
///
/// Input layout: byte 0 chooses the mode; the rest is the datagram.
/// - bit 0 set: the rest is the signed part, and the tag under the fuzz secret is appended, so that the input
///   reaches the checks after the tag (layout, type, sender, timestamp, replay); clear: the rest is sent as is
///   (without the secret it must never be accepted).
/// - bit 1 set: the receiver's clock is the datagram's own timestamp if it has one, so timestamps pass.
///
/// An accepted datagram must encode back to the same bytes (the layout has one encoding per message), must be
/// refused as a replay the second time, and must bring its sender up in a membership machine.
enum ClusterFuzzInput {
    static let secret: ClusterSecret = {
        do {
            return try ClusterSecret(bytes: Array(repeating: 0x5A, count: 32))
        } catch {
            preconditionFailure("a 32-byte secret is long enough")
        }
    }()
    static let peers: Set<ClusterNodeName> = Set(["beta", "gamma", "n"].compactMap(ClusterNodeName.init))
    static let now = ClusterTimestamp(milliseconds: 1_796_000_000_000)

    /// What went wrong with `input`; empty when nothing did.
    static func run(_ input: [UInt8]) -> [String] {
        guard let mode = input.first else { return [] }
        let rest = Array(input.dropFirst())
        let datagram = mode & 1 != 0 ? ClusterDatagram.seal(rest, secret: Self.secret) : ByteBuffer(bytes: rest)
        var now = Self.now
        if mode & 2 != 0, rest.count >= 3 {
            let nameLength = Int(rest[2])
            let start = 3 + nameLength + 8
            if start + 8 <= rest.count {
                let bits = rest[start..<(start + 8)].reduce(UInt64(0)) { ($0 << 8) | UInt64($1) }
                now = ClusterTimestamp(milliseconds: Int64(bitPattern: bits))
            }
        }
        var decoder = ClusterDatagramDecoder(secret: Self.secret, peers: Self.peers)
        var problems: [String] = []
        switch decoder.decode(datagram, now: now) {
        case .failure:
            break
        case .success(let message):
            if mode & 1 == 0 { problems.append("accepted a datagram without the secret") }
            if (try? ClusterDatagram.encode(message, secret: Self.secret)) != datagram {
                problems.append("\(message) does not encode back to the bytes it came from")
            }
            if decoder.decode(datagram, now: now) != .failure(.replayed) {
                problems.append("the same datagram was not refused as a replay")
            }
            guard let me = ClusterNodeName("alpha") else { return ["no name"] }
            var membership = ClusterMembership(selfName: me, heartbeatInterval: .seconds(2))
            _ = membership.nodesChanged(Self.peers, at: .zero)
            _ = membership.started(at: .zero)
            if membership.messageReceived(message, at: .zero) != [.nodeUp(message.sender)] {
                problems.append("\(message.sender) did not come up")
            }
        }
        return problems
    }
}
