public import NIOCore

/// The cluster datagram's layout (docs/cluster.md), written and read. Every integer is big-endian.
///
/// ```
/// offset      size  field
/// 0           1     version (1)
/// 1           1     type (1 heartbeat, 2 location update)
/// 2           1     sender name length N (1...63)
/// 3           N     sender name (ASCII letters, digits, - _ .)
/// 3+N         8     sequence number
/// 11+N        8     timestamp: milliseconds since 1970-01-01 UTC (signed)
/// 19+N        2     payload length P
/// 21+N        P     payload (by type)
/// 21+N+P      32    HMAC-SHA256 under the cluster secret over bytes 0 ..< 21+N+P
/// ```
public enum ClusterDatagram {
    /// Why a message could not be written.
    public enum EncodingError: Error, Hashable, Sendable {
        /// The datagram would be longer than ``ClusterLimits/maximumDatagramSize`` (too many location changes).
        case tooLong(size: Int)
    }

    /// The datagram carrying `message`, tagged under `secret`.
    public static func encode(_ message: ClusterMessage, secret: ClusterSecret) throws(EncodingError) -> ByteBuffer {
        var payload: [UInt8] = []
        switch message.body {
        case .heartbeat(let heartbeat):
            let intervalMilliseconds = UInt32(clamping: max(0, heartbeat.interval.clusterMilliseconds))
            payload.appendBigEndian(intervalMilliseconds)
            payload.appendBigEndian(heartbeat.registeredDevices)
            payload.appendBigEndian(heartbeat.activeCalls)
        case .locationUpdate(let changes):
            payload.appendBigEndian(UInt16(clamping: changes.count))
            for change in changes {
                let name = Array(change.device.utf8)
                payload.append(change.isRegistered ? 1 : 0)
                payload.append(UInt8(clamping: name.count))
                payload.append(contentsOf: name)
            }
        }
        let name = Array(message.sender.value.utf8)
        var bytes: [UInt8] = []
        bytes.reserveCapacity(ClusterLimits.fixedHeaderSize + name.count + payload.count + ClusterLimits.tagSize)
        bytes.append(ClusterLimits.version)
        bytes.append(message.body.kind.rawValue)
        bytes.append(UInt8(name.count))
        bytes.append(contentsOf: name)
        bytes.appendBigEndian(message.sequence)
        bytes.appendBigEndian(UInt64(bitPattern: message.timestamp.milliseconds))
        bytes.appendBigEndian(UInt16(clamping: payload.count))
        bytes.append(contentsOf: payload)
        let size = bytes.count + ClusterLimits.tagSize
        guard size <= ClusterLimits.maximumDatagramSize, payload.count <= UInt16.max else {
            throw .tooLong(size: size)
        }
        bytes.append(contentsOf: secret.tag(for: bytes))
        return ByteBuffer(bytes: bytes)
    }

    /// `signed` with its tag under `secret` appended, whatever the bytes are: lets tests and the fuzzer build
    /// authenticated datagrams the encoder would never write, to reach the checks after the tag.
    @_spi(Testing)
    public static func seal(_ signed: [UInt8], secret: ClusterSecret) -> ByteBuffer {
        ByteBuffer(bytes: signed + secret.tag(for: signed))
    }

    /// The message in `datagram` if it is well formed and its tag verifies under `secret`, or why not. Stateless:
    /// the sender, timestamp and sequence are judged by ``ClusterDatagramDecoder``. Never traps, whatever the bytes.
    public static func open(
        _ datagram: ByteBuffer,
        secret: ClusterSecret
    ) -> Result<ClusterMessage, ClusterDatagramRejection> {
        let size = datagram.readableBytes
        guard size >= ClusterLimits.minimumDatagramSize else { return .failure(.tooShort) }
        guard size <= ClusterLimits.maximumDatagramSize else { return .failure(.tooLong) }
        let bytes = Array(datagram.readableBytesView)
        guard bytes[0] == ClusterLimits.version else { return .failure(.badVersion) }
        let signedCount = size - ClusterLimits.tagSize
        let signed = Array(bytes[0..<signedCount])
        let tag = Array(bytes[signedCount...])
        guard secret.isValid(tag: tag, for: signed) else { return .failure(.badTag) }
        // Authenticated: from here on the bytes come from a holder of the secret, but are still checked.
        var reader = ByteReader(signed)
        guard reader.readByte() != nil,
            let type = reader.readByte(),
            let nameLength = reader.readByte(),
            let nameBytes = reader.readBytes(Int(nameLength)),
            let sequence = reader.readUInt64(),
            let timestamp = reader.readUInt64(),
            let payloadLength = reader.readUInt16(),
            let payload = reader.readBytes(Int(payloadLength)),
            reader.isAtEnd,
            let sender = ClusterNodeName(bytes: nameBytes)
        else { return .failure(.malformed) }
        guard let kind = ClusterMessage.Kind(rawValue: type) else { return .failure(.unknownType) }
        guard let body = Self.body(kind: kind, payload: payload) else { return .failure(.malformed) }
        return .success(
            ClusterMessage(
                sender: sender,
                sequence: sequence,
                timestamp: ClusterTimestamp(milliseconds: Int64(bitPattern: timestamp)),
                body: body
            )
        )
    }

    private static func body(kind: ClusterMessage.Kind, payload: [UInt8]) -> ClusterMessage.Body? {
        var reader = ByteReader(payload)
        switch kind {
        case .heartbeat:
            guard let interval = reader.readUInt32(),
                let devices = reader.readUInt32(),
                let calls = reader.readUInt32(),
                reader.isAtEnd
            else { return nil }
            return .heartbeat(
                .init(interval: .milliseconds(Int64(interval)), registeredDevices: devices, activeCalls: calls)
            )
        case .locationUpdate:
            guard let count = reader.readUInt16(), Int(count) <= ClusterLimits.maximumLocationChangesPerDatagram
            else { return nil }
            var changes: [LocationChange] = []
            for _ in 0..<count {
                guard let state = reader.readByte(), state <= 1,
                    let length = reader.readByte(),
                    let name = reader.readBytes(Int(length)),
                    let change = LocationChange(deviceBytes: name, isRegistered: state == 1)
                else { return nil }
                changes.append(change)
            }
            guard reader.isAtEnd else { return nil }
            return .locationUpdate(changes)
        }
    }
}

/// Reads big-endian fields from bytes, all or nothing: each read returns nil past the end instead of trapping.
private struct ByteReader {
    private let bytes: [UInt8]
    private var offset = 0

    init(_ bytes: [UInt8]) {
        self.bytes = bytes
    }

    var isAtEnd: Bool { self.offset == self.bytes.count }

    mutating func readBytes(_ count: Int) -> [UInt8]? {
        guard count >= 0, count <= self.bytes.count - self.offset else { return nil }
        defer { self.offset += count }
        return Array(self.bytes[self.offset..<(self.offset + count)])
    }

    mutating func readByte() -> UInt8? { self.readBytes(1)?.first }

    mutating func readUInt16() -> UInt16? { self.readInteger(UInt16.self) }

    mutating func readUInt32() -> UInt32? { self.readInteger(UInt32.self) }

    mutating func readUInt64() -> UInt64? { self.readInteger(UInt64.self) }

    private mutating func readInteger<T: FixedWidthInteger & UnsignedInteger>(_: T.Type) -> T? {
        guard let bytes = self.readBytes(MemoryLayout<T>.size) else { return nil }
        return bytes.reduce(T(0)) { ($0 << 8) | T($1) }
    }
}

extension Array where Element == UInt8 {
    fileprivate mutating func appendBigEndian<T: FixedWidthInteger>(_ value: T) {
        var bigEndian = value.bigEndian
        Swift.withUnsafeBytes(of: &bigEndian) { self.append(contentsOf: $0) }
    }
}
