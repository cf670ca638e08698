public import NIOCore

extension SkinnyMessage {
    /// ButtonTemplateRes (0x0097), call manager to phone: what each programmable button of the phone is, answering
    /// ButtonTemplateReq (reference §5.2). 96 bytes: `u32 buttonOffset`, `u32 buttonCount`, `u32 totalButtonCount`,
    /// then 42 entries of `{u8 instanceNumber, u8 buttonType}`.
    ///
    /// Unused slots are sent as `00 FF`, as CUCM does (reference §6.4). A phone with more than 42 buttons gets
    /// several messages, each with the offset of its first button and the total (`pages(_:)`; reference §7 #3).
    public struct ButtonTemplateRes: SkinnyMessageBody {
        public static let id = SkinnyMessageID.buttonTemplateRes

        /// Entries in one message (`struct[42]`).
        public static let capacity = SkinnyLimits.buttonTemplateEntries

        /// One button.
        public struct Button: Hashable, Sendable {
            /// 1-based among the buttons of the same kind: line 1, line 2, speed dial 1… (reference §3, §6.4).
            public var instanceNumber: UInt8
            /// What the button is. One byte on the wire: only values up to 0xFF can be sent.
            public var buttonType: SkinnyStimulus

            public init(instanceNumber: UInt8, buttonType: SkinnyStimulus) {
                self.instanceNumber = instanceNumber
                self.buttonType = buttonType
            }
        }

        /// Position of `buttons[0]` among all the phone's buttons.
        public var buttonOffset: UInt32
        /// Number of buttons the phone has in all, across every message.
        public var totalButtonCount: UInt32
        /// The buttons in this message; `buttonCount` on the wire. Only the first 42 are sent.
        public var buttons: [Button]

        public init(buttonOffset: UInt32 = 0, totalButtonCount: UInt32? = nil, buttons: [Button]) {
            self.buttonOffset = buttonOffset
            self.totalButtonCount = totalButtonCount ?? UInt32(buttons.count)
            self.buttons = buttons
        }

        /// A whole template in one message: `ButtonTemplateRes([(1, .line), (2, .line), (1, .speedDial)])`.
        public init(_ buttons: [(instance: UInt8, type: SkinnyStimulus)]) {
            self.init(buttons: buttons.map { Button(instanceNumber: $0.instance, buttonType: $0.type) })
        }

        /// A template of any size as one message per 42 buttons, each with its offset and the total. An empty
        /// template is one message with no buttons.
        public static func pages(_ buttons: [Button]) -> [ButtonTemplateRes] {
            let total = UInt32(buttons.count)
            guard !buttons.isEmpty else { return [ButtonTemplateRes(buttons: [])] }
            return stride(from: 0, to: buttons.count, by: capacity).map { start in
                let end = min(start + capacity, buttons.count)
                return ButtonTemplateRes(
                    buttonOffset: UInt32(start),
                    totalButtonCount: total,
                    buttons: Array(buttons[start..<end])
                )
            }
        }

        public init(from body: SkinnyBodyReader, version: SkinnyProtocolVersion) throws(SkinnyError) {
            self.buttonOffset = body.u32(at: 0)
            self.totalButtonCount = body.u32(at: 8)
            let count = try body.entryCount(
                body.u32(at: 4),
                field: "buttonCount",
                capacity: Self.capacity,
                at: 12,
                stride: 2,
                messageID: Self.id
            )
            self.buttons = (0..<count).map { index in
                Button(
                    instanceNumber: body.u8(at: 12 + 2 * index),
                    buttonType: SkinnyStimulus(rawValue: UInt32(body.u8(at: 13 + 2 * index)))
                )
            }
        }

        public func encode(into buffer: inout ByteBuffer, version: SkinnyProtocolVersion) {
            let sent = self.buttons.prefix(Self.capacity)
            buffer.writeSkinnyU32(self.buttonOffset)
            buffer.writeSkinnyU32(UInt32(sent.count))
            buffer.writeSkinnyU32(self.totalButtonCount)
            for button in sent {
                buffer.writeInteger(button.instanceNumber)
                buffer.writeInteger(UInt8(truncatingIfNeeded: button.buttonType.rawValue))
            }
            for _ in sent.count..<Self.capacity {
                buffer.writeInteger(UInt8(0))
                buffer.writeInteger(UInt8(truncatingIfNeeded: SkinnyStimulus.undefined.rawValue))
            }
        }
    }
}
