import SkinnyWire
import Testing

@Suite struct SkinnyProtocolVersionTests {
    /// Reference §2.2: the highest implemented version not above the offer, never below 3; 12–14 are skipped.
    @Test(arguments: [
        (UInt8(0), UInt8(3)), (3, 3), (4, 3), (5, 5), (7, 5), (11, 11), (12, 11), (13, 11), (14, 11), (15, 15),
        (17, 17), (22, 22), (33, 22), (255, 22),
    ])
    func negotiation(offered: UInt8, expected: UInt8) {
        #expect(SkinnyProtocolVersion.negotiate(offered: offered).rawValue == expected)
    }

    /// Reference §2.1: 0 below v10, the version itself from v10, and never 12 to 14, which Wireshark does not read.
    @Test(arguments: [
        (UInt8(3), UInt32(0)), (5, 0), (9, 0), (10, 10), (11, 11), (12, 11), (13, 11), (14, 11), (15, 15), (17, 17),
        (22, 22),
    ])
    func headerVersion(version: UInt8, expected: UInt32) {
        #expect(SkinnyProtocolVersion(version).headerVersion == expected)
    }

    @Test func layoutSwitches() {
        #expect(!SkinnyProtocolVersion.v5.usesDynamicDisplay)
        #expect(SkinnyProtocolVersion.v11.usesDynamicDisplay)
        #expect(!SkinnyProtocolVersion.v16.usesAddressBlocks)
        #expect(SkinnyProtocolVersion.v17.usesAddressBlocks)
        #expect(SkinnyProtocolVersion.v17.directoryNumberSize == 24)
        #expect(SkinnyProtocolVersion.v18.directoryNumberSize == 25)
        #expect(!SkinnyProtocolVersion.v20.hasLatentCapabilities)
        #expect(SkinnyProtocolVersion.v21.hasLatentCapabilities)
    }
}
