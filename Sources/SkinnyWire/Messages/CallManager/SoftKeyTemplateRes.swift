public import NIOCore

extension SkinnyMessage {
    /// SoftKeyTemplateRes (0x0108), call manager to phone: the labels of the softkeys and the event each one sends
    /// back in SoftKeyEvent, answering SoftKeyTemplateReq (reference §5.2, §6.6). 652 bytes: `u32 softKeyOffset`,
    /// `u32 softKeyCount`, `u32 totalSoftKeyCount`, then 32 entries of `{char[16] label, u32 event}`.
    ///
    /// A label is plain text ("Redial") or an embedded label such as `SkinnyText.label(1)` (reference §3). Unused
    /// slots are sent as zeros. SoftKeySetRes refers to these entries by 1-based position.
    public struct SoftKeyTemplateRes: SkinnyMessageBody {
        public static let id = SkinnyMessageID.softKeyTemplateRes

        /// Entries in one message (`struct[32]`).
        public static let capacity = SkinnyLimits.softKeyTemplateEntries

        /// One softkey.
        public struct SoftKey: Hashable, Sendable {
            /// At most 16 bytes on the wire.
            public var label: String
            /// What the phone sends in SoftKeyEvent when the key is pressed.
            public var event: SkinnySoftKeyEvent

            public init(label: String, event: SkinnySoftKeyEvent) {
                self.label = label
                self.event = event
            }
        }

        /// Position of `softKeys[0]` in the whole template.
        public var softKeyOffset: UInt32
        /// Number of softkeys in the whole template.
        public var totalSoftKeyCount: UInt32
        /// The softkeys in this message; `softKeyCount` on the wire. Only the first 32 are sent.
        public var softKeys: [SoftKey]

        public init(softKeyOffset: UInt32 = 0, totalSoftKeyCount: UInt32? = nil, softKeys: [SoftKey]) {
            self.softKeyOffset = softKeyOffset
            self.totalSoftKeyCount = totalSoftKeyCount ?? UInt32(softKeys.count)
            self.softKeys = softKeys
        }

        public init(from body: SkinnyBodyReader, version: SkinnyProtocolVersion) throws(SkinnyError) {
            self.softKeyOffset = body.u32(at: 0)
            self.totalSoftKeyCount = body.u32(at: 8)
            let count = try body.entryCount(
                body.u32(at: 4),
                field: "softKeyCount",
                capacity: Self.capacity,
                at: 12,
                stride: 20,
                messageID: Self.id
            )
            self.softKeys = (0..<count).map { index in
                SoftKey(
                    label: body.string(at: 12 + 20 * index, size: 16),
                    event: SkinnySoftKeyEvent(rawValue: body.u32(at: 28 + 20 * index))
                )
            }
        }

        public func encode(into buffer: inout ByteBuffer, version: SkinnyProtocolVersion) {
            let sent = self.softKeys.prefix(Self.capacity)
            buffer.writeSkinnyU32(self.softKeyOffset)
            buffer.writeSkinnyU32(UInt32(sent.count))
            buffer.writeSkinnyU32(self.totalSoftKeyCount)
            for softKey in sent {
                buffer.writeSkinnyString(softKey.label, size: 16)
                buffer.writeSkinnyU32(softKey.event.rawValue)
            }
            buffer.writeRepeatingByte(0, count: 20 * (Self.capacity - sent.count))
        }
    }
}
