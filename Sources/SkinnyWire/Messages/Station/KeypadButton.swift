public import NIOCore

extension SkinnyMessage {
    /// KeypadButton (0x0003), phone to call manager: one key pressed on the keypad (reference §5.1).
    ///
    /// 4 bytes from old phones (CallManager 2.x-era Virtual Phone); 12 bytes with the line instance and call
    /// reference from others. Wireshark reads the tail when the body is longer than 4 bytes, and so does this
    /// decoder. Phones below v15 may put something other than the line in `lineInstance` (chan-sccp), so a call
    /// manager should fall back to the device's active call.
    public struct KeypadButton: SkinnyMessageBody {
        public static let id = SkinnyMessageID.keypadButton

        public var button: SkinnyKeypadButton
        /// `nil` when the body carries only the button.
        public var lineInstance: UInt32?
        /// `nil` when the body carries only the button.
        public var callReference: UInt32?

        public init(_ button: SkinnyKeypadButton, lineInstance: UInt32? = nil, callReference: UInt32? = nil) {
            self.button = button
            self.lineInstance = lineInstance
            self.callReference = callReference
        }

        public init(from body: SkinnyBodyReader, version: SkinnyProtocolVersion) {
            self.button = SkinnyKeypadButton(rawValue: body.u32(at: 0))
            let hasTail = body.count > 4
            self.lineInstance = hasTail ? body.u32(at: 4) : nil
            self.callReference = hasTail ? body.u32(at: 8) : nil
        }

        /// Writes 12 bytes when either optional field is set, else the 4-byte form.
        public func encode(into buffer: inout ByteBuffer, version: SkinnyProtocolVersion) {
            buffer.writeSkinnyU32(self.button.rawValue)
            if self.lineInstance != nil || self.callReference != nil {
                buffer.writeSkinnyU32(self.lineInstance ?? 0)
                buffer.writeSkinnyU32(self.callReference ?? 0)
            }
        }
    }
}
