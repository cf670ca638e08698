extension Array where Element == UInt8 {
    /// These bytes cut or zero-padded to exactly `size`: the shape of a fixed `byte[size]` field on the wire.
    func skinnyFixedSize(_ size: Int) -> [UInt8] {
        let kept = self.prefix(Swift.max(0, size))
        return Array(kept) + Array(repeating: 0, count: Swift.max(0, size) - kept.count)
    }
}
