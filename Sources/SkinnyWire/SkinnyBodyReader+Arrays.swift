import NIOCore

extension SkinnyBodyReader {
    /// How many entries of a fixed-capacity array to decode.
    ///
    /// `count` comes from the wire, so it is checked against the array's `capacity` first: a count past the array is
    /// the overrun behind CVE-2007-4280 and CVE-2010-0587, and throws `countOutOfRange`. The result is then cut to
    /// the entries that start inside the body, so that a short body (real fixtures are cut short) never yields more
    /// entries than it has bytes for; an entry cut in the middle reads its missing tail as zero (reference §1).
    func entryCount(
        _ count: UInt32,
        field: String,
        capacity: Int,
        at offset: Int,
        stride: Int,
        messageID: SkinnyMessageID
    ) throws(SkinnyError) -> Int {
        guard count <= UInt32(capacity) else {
            throw SkinnyError.countOutOfRange(
                field,
                count: count,
                maximum: capacity,
                messageID: messageID,
                body: self.body
            )
        }
        let bytesAfterOffset = self.count - offset
        guard bytesAfterOffset > 0, stride > 0 else { return 0 }
        let entriesStarted = (bytesAfterOffset + stride - 1) / stride
        return min(Int(count), entriesStarted)
    }

    /// Whether a dynamic body was really laid out with fixed-size fields: true when reading it as NUL-terminated
    /// strings left `cursor` four or more bytes before the end of a body at least `fixedSize` long.
    ///
    /// A dynamic message ends with its last string's NUL and at most three bytes of padding (reference §3); the
    /// fixed forms chan-sccp defines for some of them end with zero-padded fields or integers (reference §7 #5).
    func looksFixed(cursor: Int, fixedSize: Int) -> Bool {
        self.count >= fixedSize && self.count - cursor >= 4
    }
}
