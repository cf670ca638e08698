public import NIOCore

extension SkinnyMessage {
    /// SetLamp (0x0086), call manager to phone: set the lamp of a button, such as a line or the message-waiting
    /// lamp (reference §5.2, lamp modes §6.3). 12 bytes.
    public struct SetLamp: SkinnyMessageBody {
        public static let id = SkinnyMessageID.setLamp

        /// The button type: `.line`, `.voiceMail` for the message-waiting lamp, `.blfSpeedDial`, …
        public var stimulus: SkinnyStimulus
        /// The 1-based instance of that button type.
        public var stimulusInstance: UInt32
        public var lampMode: SkinnyLampMode

        public init(_ stimulus: SkinnyStimulus, instance: UInt32, mode: SkinnyLampMode) {
            self.stimulus = stimulus
            self.stimulusInstance = instance
            self.lampMode = mode
        }

        public init(from body: SkinnyBodyReader, version: SkinnyProtocolVersion) {
            self.stimulus = SkinnyStimulus(rawValue: body.u32(at: 0))
            self.stimulusInstance = body.u32(at: 4)
            self.lampMode = SkinnyLampMode(rawValue: body.u32(at: 8))
        }

        public func encode(into buffer: inout ByteBuffer, version: SkinnyProtocolVersion) {
            buffer.writeSkinnyU32(self.stimulus.rawValue)
            buffer.writeSkinnyU32(self.stimulusInstance)
            buffer.writeSkinnyU32(self.lampMode.rawValue)
        }
    }
}
