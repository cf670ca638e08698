public import NIOCore

extension SkinnyMessage {
    /// Stimulus (0x0005), phone to call manager: a feature or line button pressed (reference §5.1, §6.4). 16 bytes;
    /// the CallManager 2.x-era Virtual Phone sent only the first 8, and the rest read as zero.
    public struct Stimulus: SkinnyMessageBody {
        public static let id = SkinnyMessageID.stimulus

        public var stimulus: SkinnyStimulus
        /// The line, speed-dial or feature instance of the button; 1 for single buttons.
        public var stimulusInstance: UInt32
        public var callReference: UInt32
        public var stimulusStatus: UInt32

        public init(
            _ stimulus: SkinnyStimulus,
            stimulusInstance: UInt32,
            callReference: UInt32 = 0,
            stimulusStatus: UInt32 = 0
        ) {
            self.stimulus = stimulus
            self.stimulusInstance = stimulusInstance
            self.callReference = callReference
            self.stimulusStatus = stimulusStatus
        }

        public init(from body: SkinnyBodyReader, version: SkinnyProtocolVersion) {
            self.stimulus = SkinnyStimulus(rawValue: body.u32(at: 0))
            self.stimulusInstance = body.u32(at: 4)
            self.callReference = body.u32(at: 8)
            self.stimulusStatus = body.u32(at: 12)
        }

        public func encode(into buffer: inout ByteBuffer, version: SkinnyProtocolVersion) {
            buffer.writeSkinnyU32(self.stimulus.rawValue)
            buffer.writeSkinnyU32(self.stimulusInstance)
            buffer.writeSkinnyU32(self.callReference)
            buffer.writeSkinnyU32(self.stimulusStatus)
        }
    }
}
