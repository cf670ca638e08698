import NIOCore

/// Everything a phone says it can do with media: the content of UpdateCapabilities (0x0030), CapabilitiesV2Res
/// (0x0043) and CapabilitiesV3Res (0x0044) (reference §5.1; message-layouts 0x0030, 0x0043, 0x0044).
///
/// The three messages carry the same fields in two layouts:
/// - **fixed** (UpdateCapabilities, CapabilitiesV2Res): five `u32` (audio, video and data counts,
///   rtpPayloadFormat, customPictureFormatCount), `customPictureFormat[6]` at 20, the conference resources at 140,
///   `audioCaps[18]` at 312, `vidCaps[10]` at 600 (116 or 132 bytes each), `dataCaps[5]` after them. Only the first
///   `count` entries of each array are used. A 7970 sent UpdateCapabilities as a 1840-byte body of this form.
/// - **compact** (CapabilitiesV3Res): the same fields in the same order, but each array holds only its `count`
///   entries, and video and data entries carry encryption and addressing fields (reference §3 lists 0x0044 with
///   the dynamic messages).
///
/// Every count is checked against its array's capacity before anything is read; a larger count throws
/// `countOutOfRange` (the bug class of CVE-2007-4280). Entries that would start past the end of the body are
/// left out rather than zero-filled.
public struct SkinnyMediaCapabilities: Hashable, Sendable {
    /// Capacity of `audioCaps` (`struct[18]`, the same as CapabilitiesRes).
    public static let maximumAudioCapabilities = SkinnyLimits.maximumCapabilities
    /// Capacity of `vidCaps` (`struct[10]`).
    public static let maximumVideoCapabilities = 10
    /// Capacity of `dataCaps` (`struct[5]`).
    public static let maximumDataCapabilities = 5
    /// Capacity of `customPictureFormat` (`struct[6]`).
    public static let maximumCustomPictureFormats = 6

    /// Offset of `customPictureFormat[]` in every layout.
    static let customPictureFormatsOffset = 20
    /// Offset of the conference resources in the fixed layouts.
    static let conferenceResourcesOffset = 140
    /// Offset of `audioCaps[]` in the fixed layouts.
    static let audioOffset = 312
    /// Offset of `vidCaps[]` in the fixed layouts.
    static let videoOffset = 600

    /// RTP payload format (`rtpPayloadFormat`).
    public var rtpPayloadFormat: UInt32
    /// At most six; more are cut when encoding.
    public var customPictureFormats: [SkinnyCustomPictureFormat]
    public var conferenceResources: SkinnyConferenceResources
    /// At most 18; more are cut when encoding.
    public var audio: [SkinnyAudioCapability]
    /// At most ten; more are cut when encoding.
    public var video: [SkinnyVideoCapability]
    /// At most five; more are cut when encoding.
    public var data: [SkinnyDataCapability]

    public init(
        rtpPayloadFormat: UInt32 = 0,
        customPictureFormats: [SkinnyCustomPictureFormat] = [],
        conferenceResources: SkinnyConferenceResources = SkinnyConferenceResources(),
        audio: [SkinnyAudioCapability] = [],
        video: [SkinnyVideoCapability] = [],
        data: [SkinnyDataCapability] = []
    ) {
        self.rtpPayloadFormat = rtpPayloadFormat
        self.customPictureFormats = customPictureFormats
        self.conferenceResources = conferenceResources
        self.audio = audio
        self.video = video
        self.data = data
    }

    /// The three capability counts and the picture-format count, each checked against its capacity.
    private struct Counts {
        var audio: Int
        var video: Int
        var data: Int
        var customPictureFormats: Int

        init(_ body: SkinnyBodyReader, messageID: SkinnyMessageID) throws(SkinnyError) {
            func checked(_ offset: Int, _ field: String, _ maximum: Int) throws(SkinnyError) -> Int {
                let count = body.u32(at: offset)
                guard count <= maximum else {
                    throw .countOutOfRange(field, count: count, maximum: maximum, messageID: messageID, body: body.body)
                }
                return Int(count)
            }
            self.audio = try checked(0, "audioCapCount", SkinnyMediaCapabilities.maximumAudioCapabilities)
            self.video = try checked(4, "videoCapCount", SkinnyMediaCapabilities.maximumVideoCapabilities)
            self.data = try checked(8, "dataCapCount", SkinnyMediaCapabilities.maximumDataCapabilities)
            self.customPictureFormats = try checked(
                16,
                "customPictureFormatCount",
                SkinnyMediaCapabilities.maximumCustomPictureFormats
            )
        }
    }

    // MARK: Fixed layout

    /// Reads the fixed layout, whose video entries end in a codec block of `videoParametersSize` bytes (8 in
    /// UpdateCapabilities, 24 in CapabilitiesV2Res).
    init(
        fixedLayoutFrom body: SkinnyBodyReader,
        videoParametersSize: Int,
        messageID: SkinnyMessageID
    ) throws(SkinnyError) {
        let counts = try Counts(body, messageID: messageID)
        self.rtpPayloadFormat = body.u32(at: 12)
        self.customPictureFormats = Self.offsets(
            count: counts.customPictureFormats,
            from: Self.customPictureFormatsOffset,
            stride: SkinnyCustomPictureFormat.size,
            in: body
        ).map { SkinnyCustomPictureFormat(from: body, at: $0) }
        self.conferenceResources = try SkinnyConferenceResources(
            fixedLayoutFrom: body,
            at: Self.conferenceResourcesOffset,
            messageID: messageID
        )
        self.audio = Self.offsets(
            count: counts.audio,
            from: Self.audioOffset,
            stride: SkinnyAudioCapability.size,
            in: body
        )
        .map { SkinnyAudioCapability(from: body, at: $0) }
        let videoSize = SkinnyVideoCapability.fixedSize(parametersSize: videoParametersSize)
        var video: [SkinnyVideoCapability] = []
        for offset in Self.offsets(count: counts.video, from: Self.videoOffset, stride: videoSize, in: body) {
            video.append(
                try SkinnyVideoCapability(
                    fixedLayoutFrom: body,
                    at: offset,
                    parametersSize: videoParametersSize,
                    messageID: messageID
                )
            )
        }
        self.video = video
        let dataOffset = Self.videoOffset + Self.maximumVideoCapabilities * videoSize
        self.data = Self.offsets(count: counts.data, from: dataOffset, stride: SkinnyDataCapability.fixedSize, in: body)
            .map { SkinnyDataCapability(from: body, at: $0, compact: false) }
    }

    /// Writes the fixed layout with every array at full capacity, unused entries zero.
    func encodeFixedLayout(into buffer: inout ByteBuffer, videoParametersSize: Int) {
        let pictures = self.customPictureFormats.prefix(Self.maximumCustomPictureFormats)
        let audio = self.audio.prefix(Self.maximumAudioCapabilities)
        let video = self.video.prefix(Self.maximumVideoCapabilities)
        let data = self.data.prefix(Self.maximumDataCapabilities)
        buffer.writeSkinnyU32(UInt32(audio.count))
        buffer.writeSkinnyU32(UInt32(video.count))
        buffer.writeSkinnyU32(UInt32(data.count))
        buffer.writeSkinnyU32(self.rtpPayloadFormat)
        buffer.writeSkinnyU32(UInt32(pictures.count))
        for picture in pictures {
            picture.encode(into: &buffer)
        }
        buffer.writeRepeatingByte(
            0,
            count: (Self.maximumCustomPictureFormats - pictures.count) * SkinnyCustomPictureFormat.size
        )
        self.conferenceResources.encodeFixedLayout(into: &buffer)
        for capability in audio {
            capability.encode(into: &buffer)
        }
        buffer.writeRepeatingByte(0, count: (Self.maximumAudioCapabilities - audio.count) * SkinnyAudioCapability.size)
        for capability in video {
            capability.encodeFixedLayout(into: &buffer, parametersSize: videoParametersSize)
        }
        buffer.writeRepeatingByte(
            0,
            count: (Self.maximumVideoCapabilities - video.count)
                * SkinnyVideoCapability.fixedSize(parametersSize: videoParametersSize)
        )
        for capability in data {
            capability.encode(into: &buffer, compact: false)
        }
        buffer.writeRepeatingByte(
            0,
            count: (Self.maximumDataCapabilities - data.count) * SkinnyDataCapability.fixedSize
        )
    }

    /// The offsets of the first `count` entries of an array at `start`, leaving out entries that would start past
    /// the end of the body.
    private static func offsets(count: Int, from start: Int, stride: Int, in body: SkinnyBodyReader) -> [Int] {
        (0..<count).map { start + $0 * stride }.filter { body.has(1, at: $0) }
    }

    // MARK: Compact layout

    /// Reads the compact layout of CapabilitiesV3Res.
    init(compactLayoutFrom body: SkinnyBodyReader, messageID: SkinnyMessageID) throws(SkinnyError) {
        let counts = try Counts(body, messageID: messageID)
        var reader = body
        self.rtpPayloadFormat = body.u32(at: 12)
        reader.cursor = Self.customPictureFormatsOffset
        var pictures: [SkinnyCustomPictureFormat] = []
        for _ in 0..<counts.customPictureFormats {
            if reader.has(1, at: reader.cursor) {
                pictures.append(SkinnyCustomPictureFormat(from: reader, at: reader.cursor))
            }
            reader.cursor += SkinnyCustomPictureFormat.size
        }
        self.customPictureFormats = pictures
        self.conferenceResources = try SkinnyConferenceResources(compactLayoutFrom: &reader, messageID: messageID)
        var audio: [SkinnyAudioCapability] = []
        for _ in 0..<counts.audio {
            if reader.has(1, at: reader.cursor) {
                audio.append(SkinnyAudioCapability(from: reader, at: reader.cursor))
            }
            reader.cursor += SkinnyAudioCapability.size
        }
        self.audio = audio
        var video: [SkinnyVideoCapability] = []
        for _ in 0..<counts.video {
            let present = reader.has(1, at: reader.cursor)
            let capability = try SkinnyVideoCapability(compactLayoutFrom: &reader, messageID: messageID)
            if present {
                video.append(capability)
            }
        }
        self.video = video
        var data: [SkinnyDataCapability] = []
        for _ in 0..<counts.data {
            if reader.has(1, at: reader.cursor) {
                data.append(SkinnyDataCapability(from: reader, at: reader.cursor, compact: true))
            }
            reader.cursor += SkinnyDataCapability.compactSize
        }
        self.data = data
    }

    /// Writes the compact layout: each array holds only its entries.
    func encodeCompactLayout(into buffer: inout ByteBuffer) {
        let pictures = self.customPictureFormats.prefix(Self.maximumCustomPictureFormats)
        let audio = self.audio.prefix(Self.maximumAudioCapabilities)
        let video = self.video.prefix(Self.maximumVideoCapabilities)
        let data = self.data.prefix(Self.maximumDataCapabilities)
        buffer.writeSkinnyU32(UInt32(audio.count))
        buffer.writeSkinnyU32(UInt32(video.count))
        buffer.writeSkinnyU32(UInt32(data.count))
        buffer.writeSkinnyU32(self.rtpPayloadFormat)
        buffer.writeSkinnyU32(UInt32(pictures.count))
        for picture in pictures {
            picture.encode(into: &buffer)
        }
        self.conferenceResources.encodeCompactLayout(into: &buffer)
        for capability in audio {
            capability.encode(into: &buffer)
        }
        for capability in video {
            capability.encodeCompactLayout(into: &buffer)
        }
        for capability in data {
            capability.encode(into: &buffer, compact: true)
        }
    }
}
