/// The one audio format the media engine works in: 8 kHz narrowband, 20 ms frames.
///
/// Every Cisco SCCP phone sends G.711 at 8,000 samples a second in 20 ms packets unless told otherwise, and the
/// server tells them 20 ms in StartMediaTransmission; one frame size everywhere keeps the mixer a plain sum of
/// arrays and the jitter buffer a ring of fixed slots.
public enum MediaTiming {
    /// Samples per second of G.711 (ITU-T G.711 §1; the RTP clock rate of PCMU and PCMA, RFC 3551 §4.5.14).
    public static let sampleRate = 8_000
    /// One packet's worth of audio: 20 ms, the default packetisation of RFC 3551 §4.5 and of Cisco phones.
    public static let frameMilliseconds = 20
    /// Samples (and, for G.711, payload bytes) in one 20 ms frame.
    public static let samplesPerFrame = sampleRate * frameMilliseconds / 1_000
    /// One frame in nanoseconds: the media clock's tick.
    public static let frameNanoseconds: UInt64 = UInt64(frameMilliseconds) * 1_000_000
}
