import NIOCore

/// The conference resources a device offers (UpdateCapabilities and CapabilitiesV2/V3Res `confResources`;
/// message-layouts 0x0030): phones send zeros, video endpoints and bridges fill it in.
public struct SkinnyConferenceResources: Hashable, Sendable {
    /// One conference service of the device (`serviceResource`, 40 bytes in the fixed layouts).
    public struct ServiceResource: Hashable, Sendable {
        /// Number of layouts one service holds (`layouts[5]`). A larger count is rejected.
        public static let maximumLayouts = 5
        /// Size of one entry in the fixed layouts: count, five layouts, four `u32`.
        public static let fixedSize = 40

        /// Video layouts (0 none, 1 one-by-one, 2 one-by-two, 3 two-by-two, …).
        public var layouts: [UInt32]
        public var serviceNumber: UInt32
        public var maxStreams: UInt32
        public var maxConferences: UInt32
        public var activeConferencesOnRegistration: UInt32

        public init(
            layouts: [UInt32] = [],
            serviceNumber: UInt32,
            maxStreams: UInt32,
            maxConferences: UInt32,
            activeConferencesOnRegistration: UInt32 = 0
        ) {
            self.layouts = layouts
            self.serviceNumber = serviceNumber
            self.maxStreams = maxStreams
            self.maxConferences = maxConferences
            self.activeConferencesOnRegistration = activeConferencesOnRegistration
        }
    }

    /// Number of services the block holds (`serviceResource[4]`). A larger count is rejected.
    public static let maximumServiceResources = 4
    /// Size of the block in the fixed layouts: three `u32` and four 40-byte services.
    public static let fixedSize = 12 + maximumServiceResources * ServiceResource.fixedSize

    public var activeStreamsOnRegistration: UInt32
    /// Maximum bandwidth (`maxBW`).
    public var maxBandwidth: UInt32
    /// At most four services; more are cut when encoding.
    public var serviceResources: [ServiceResource]

    public init(
        activeStreamsOnRegistration: UInt32 = 0,
        maxBandwidth: UInt32 = 0,
        serviceResources: [ServiceResource] = []
    ) {
        self.activeStreamsOnRegistration = activeStreamsOnRegistration
        self.maxBandwidth = maxBandwidth
        self.serviceResources = serviceResources
    }

    /// Reads the fixed-layout block at `offset`.
    init(fixedLayoutFrom body: SkinnyBodyReader, at offset: Int, messageID: SkinnyMessageID) throws(SkinnyError) {
        self.activeStreamsOnRegistration = body.u32(at: offset)
        self.maxBandwidth = body.u32(at: offset + 4)
        let count = body.u32(at: offset + 8)
        guard count <= Self.maximumServiceResources else {
            throw .countOutOfRange(
                "serviceResourceCount",
                count: count,
                maximum: Self.maximumServiceResources,
                messageID: messageID,
                body: body.body
            )
        }
        var services: [ServiceResource] = []
        for index in 0..<Int(count) {
            let start = offset + 12 + index * ServiceResource.fixedSize
            guard body.has(1, at: start) else { break }
            let layoutCount = body.u32(at: start)
            guard layoutCount <= ServiceResource.maximumLayouts else {
                throw .countOutOfRange(
                    "layoutCount",
                    count: layoutCount,
                    maximum: ServiceResource.maximumLayouts,
                    messageID: messageID,
                    body: body.body
                )
            }
            let tail = start + 4 + ServiceResource.maximumLayouts * 4
            services.append(
                ServiceResource(
                    layouts: (0..<Int(layoutCount)).map { body.u32(at: start + 4 + $0 * 4) },
                    serviceNumber: body.u32(at: tail),
                    maxStreams: body.u32(at: tail + 4),
                    maxConferences: body.u32(at: tail + 8),
                    activeConferencesOnRegistration: body.u32(at: tail + 12)
                )
            )
        }
        self.serviceResources = services
    }

    func encodeFixedLayout(into buffer: inout ByteBuffer) {
        let services = self.serviceResources.prefix(Self.maximumServiceResources)
        buffer.writeSkinnyU32(self.activeStreamsOnRegistration)
        buffer.writeSkinnyU32(self.maxBandwidth)
        buffer.writeSkinnyU32(UInt32(services.count))
        for service in services {
            let layouts = service.layouts.prefix(ServiceResource.maximumLayouts)
            buffer.writeSkinnyU32(UInt32(layouts.count))
            for layout in layouts {
                buffer.writeSkinnyU32(layout)
            }
            buffer.writeRepeatingByte(0, count: (ServiceResource.maximumLayouts - layouts.count) * 4)
            buffer.writeSkinnyU32(service.serviceNumber)
            buffer.writeSkinnyU32(service.maxStreams)
            buffer.writeSkinnyU32(service.maxConferences)
            buffer.writeSkinnyU32(service.activeConferencesOnRegistration)
        }
        buffer.writeRepeatingByte(0, count: (Self.maximumServiceResources - services.count) * ServiceResource.fixedSize)
    }

    /// Reads the packed block (CapabilitiesV3Res) at the reader's cursor and moves past it.
    init(compactLayoutFrom body: inout SkinnyBodyReader, messageID: SkinnyMessageID) throws(SkinnyError) {
        self.activeStreamsOnRegistration = body.readU32()
        self.maxBandwidth = body.readU32()
        let count = body.readU32()
        guard count <= Self.maximumServiceResources else {
            throw .countOutOfRange(
                "serviceResourceCount",
                count: count,
                maximum: Self.maximumServiceResources,
                messageID: messageID,
                body: body.body
            )
        }
        var services: [ServiceResource] = []
        for _ in 0..<Int(count) {
            let present = body.has(1, at: body.cursor)
            let layoutCount = body.readU32()
            guard layoutCount <= ServiceResource.maximumLayouts else {
                throw .countOutOfRange(
                    "layoutCount",
                    count: layoutCount,
                    maximum: ServiceResource.maximumLayouts,
                    messageID: messageID,
                    body: body.body
                )
            }
            var layouts: [UInt32] = []
            for _ in 0..<Int(layoutCount) {
                layouts.append(body.readU32())
            }
            let service = ServiceResource(
                layouts: layouts,
                serviceNumber: body.readU32(),
                maxStreams: body.readU32(),
                maxConferences: body.readU32(),
                activeConferencesOnRegistration: body.readU32()
            )
            if present {
                services.append(service)
            }
        }
        self.serviceResources = services
    }

    func encodeCompactLayout(into buffer: inout ByteBuffer) {
        let services = self.serviceResources.prefix(Self.maximumServiceResources)
        buffer.writeSkinnyU32(self.activeStreamsOnRegistration)
        buffer.writeSkinnyU32(self.maxBandwidth)
        buffer.writeSkinnyU32(UInt32(services.count))
        for service in services {
            let layouts = service.layouts.prefix(ServiceResource.maximumLayouts)
            buffer.writeSkinnyU32(UInt32(layouts.count))
            for layout in layouts {
                buffer.writeSkinnyU32(layout)
            }
            buffer.writeSkinnyU32(service.serviceNumber)
            buffer.writeSkinnyU32(service.maxStreams)
            buffer.writeSkinnyU32(service.maxConferences)
            buffer.writeSkinnyU32(service.activeConferencesOnRegistration)
        }
    }
}
