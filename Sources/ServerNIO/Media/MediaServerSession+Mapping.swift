public import CallControl
public import Media
public import NIOCore

// The call core's media types and the engine's are kept apart (CallControl imports no Media and Media no
// CallControl); this is where the media server's session converts between them.

extension MediaLegID {
    /// A call leg's stream on the media server: named by the leg's call reference, which is unique while the leg
    /// lives.
    public init(callReference reference: CallReference) {
        self.init(UInt64(reference.rawValue))
    }
}

extension Media.ConferenceID {
    /// The engine's bridge for the core's conference of the same number.
    public init(conference id: CallControl.ConferenceID) {
        self.init(UInt64(id.rawValue))
    }
}

extension G711Codec {
    /// The law of a G.711 codec; nil for any other codec (the engine mixes and streams G.711 only).
    public init?(_ codec: Codec) {
        switch codec {
        case .g711ulaw: self = .muLaw
        case .g711alaw: self = .aLaw
        case .g729, .g722: return nil
        }
    }
}

extension MediaTone {
    /// The engine's tone for the core's call-progress tone.
    public init(_ tone: CallProgressTone) {
        switch tone {
        case .ringback: self = .ringback
        case .busy: self = .busy
        case .reorder: self = .reorder
        }
    }
}

extension MediaSocketAddress {
    /// The engine's form of a media endpoint.
    public init(_ endpoint: MediaEndpoint) {
        switch endpoint.address {
        case .ipv4(let value): self.init(host: .ipv4(value), port: endpoint.port)
        case .ipv6(let high, let low): self.init(host: .ipv6(high: high, low: low), port: endpoint.port)
        }
    }
}

extension MediaEndpoint {
    /// The core's form of an engine address.
    public init(_ address: MediaSocketAddress) {
        switch address.host {
        case .ipv4(let value): self.init(address: .ipv4(value), port: address.port)
        case .ipv6(let high, let low): self.init(address: .ipv6(high: high, low: low), port: address.port)
        }
    }
}

extension MediaAddress {
    /// The unspecified IPv4 address, 0.0.0.0: in a media endpoint the media server reports, "this server, at the
    /// address the peer reached it on" (the server binds the wildcard and was given no `--media-address`). The
    /// session that tells a peer where to send fills in its own connection's local address
    /// (``CallControl/CallCommand/resolvingServerMediaAddress(_:)``).
    public static let unspecified = MediaAddress.ipv4(0)

    /// The IP address of a socket address: IPv4 as it is, an IPv4-mapped IPv6 address (`::ffff:192.0.2.1`, what a
    /// dual-stack listener sees of an IPv4 peer) as the IPv4 address, other IPv6 as it is; nil for a Unix socket.
    public init?(_ address: SocketAddress) {
        guard let media = MediaSocketAddress(address) else { return nil }
        switch media.host {
        case .ipv4(let value):
            self = .ipv4(value)
        case .ipv6(let high, let low):
            if high == 0, low >> 32 == 0xFFFF {
                self = .ipv4(UInt32(truncatingIfNeeded: low))
            } else {
                self = .ipv6(high: high, low: low)
            }
        }
    }
}

extension CallCommand {
    /// The command with the media server's unspecified address (``CallControl/MediaAddress/unspecified``) in a
    /// StartMediaTransmission replaced by `localAddress`, the address the phone reached the server on: the one
    /// address of this server the phone is known to be able to reach. Every other command is returned as it is.
    public func resolvingServerMediaAddress(_ localAddress: @autoclosure () -> MediaAddress?) -> CallCommand {
        guard case .startMediaTransmission(let device, let call, let passThroughPartyID, let remote, let media) = self,
            remote.address == .unspecified, let local = localAddress()
        else { return self }
        return .startMediaTransmission(
            device,
            call: call,
            passThroughPartyID: passThroughPartyID,
            remote: MediaEndpoint(address: local, port: remote.port),
            media: media
        )
    }
}
