public import NIOCore

extension SkinnyMessage {
    /// SoftKeySetRes (0x0109), call manager to phone: which softkeys each screen shows, answering SoftKeySetReq
    /// (reference §5.2, §6.7). 780 bytes: `u32 softKeySetOffset`, `u32 softKeySetCount`, `u32 totalSoftKeySetCount`,
    /// then 16 sets of `{u8 templateIndex[16], u16 infoIndex[16]}`.
    ///
    /// The position of a set is the `softKeySetIndex` that SelectSoftKeys names: 0 on hook, 1 connected, 2 on hold…
    public struct SoftKeySetRes: SkinnyMessageBody {
        public static let id = SkinnyMessageID.softKeySetRes

        /// Sets in one message (`struct[16]`).
        public static let capacity = SkinnyLimits.softKeySetEntries

        /// One slot of a set.
        public struct Key: Hashable, Sendable {
            /// 1-based position in SoftKeyTemplateRes; 0 is an empty slot.
            public var templateIndex: UInt8
            /// 300 plus the key's event number, as CUCM 4.1 sent it (reference §5.2).
            public var infoIndex: UInt16

            public init(templateIndex: UInt8, infoIndex: UInt16) {
                self.templateIndex = templateIndex
                self.infoIndex = infoIndex
            }
        }

        /// The keys of one screen, left to right.
        public struct SoftKeySet: Hashable, Sendable {
            /// At most 16 are sent; missing slots go out as zeros and trailing zero slots are dropped on decode.
            public var keys: [Key]

            public init(keys: [Key]) {
                self.keys = keys
            }
        }

        /// Position of `softKeySets[0]` among all sets.
        public var softKeySetOffset: UInt32
        /// Number of sets in all.
        public var totalSoftKeySetCount: UInt32
        /// The sets in this message; `softKeySetCount` on the wire. Only the first 16 are sent.
        public var softKeySets: [SoftKeySet]

        public init(softKeySetOffset: UInt32 = 0, totalSoftKeySetCount: UInt32? = nil, softKeySets: [SoftKeySet]) {
            self.softKeySetOffset = softKeySetOffset
            self.totalSoftKeySetCount = totalSoftKeySetCount ?? UInt32(softKeySets.count)
            self.softKeySets = softKeySets
        }

        public init(from body: SkinnyBodyReader, version: SkinnyProtocolVersion) throws(SkinnyError) {
            self.softKeySetOffset = body.u32(at: 0)
            self.totalSoftKeySetCount = body.u32(at: 8)
            let count = try body.entryCount(
                body.u32(at: 4),
                field: "softKeySetCount",
                capacity: Self.capacity,
                at: 12,
                stride: 48,
                messageID: Self.id
            )
            self.softKeySets = (0..<count).map { index in
                let base = 12 + 48 * index
                var keys = (0..<SkinnyLimits.softKeysPerSet).map { slot in
                    Key(templateIndex: body.u8(at: base + slot), infoIndex: body.u16(at: base + 16 + 2 * slot))
                }
                while keys.last == Key(templateIndex: 0, infoIndex: 0) {
                    keys.removeLast()
                }
                return SoftKeySet(keys: keys)
            }
        }

        public func encode(into buffer: inout ByteBuffer, version: SkinnyProtocolVersion) {
            let sent = self.softKeySets.prefix(Self.capacity)
            buffer.writeSkinnyU32(self.softKeySetOffset)
            buffer.writeSkinnyU32(UInt32(sent.count))
            buffer.writeSkinnyU32(self.totalSoftKeySetCount)
            for set in sent {
                let keys = set.keys.prefix(SkinnyLimits.softKeysPerSet)
                for key in keys {
                    buffer.writeInteger(key.templateIndex)
                }
                buffer.writeRepeatingByte(0, count: SkinnyLimits.softKeysPerSet - keys.count)
                for key in keys {
                    buffer.writeSkinnyU16(key.infoIndex)
                }
                buffer.writeRepeatingByte(0, count: 2 * (SkinnyLimits.softKeysPerSet - keys.count))
            }
            buffer.writeRepeatingByte(0, count: 48 * (Self.capacity - sent.count))
        }
    }
}
