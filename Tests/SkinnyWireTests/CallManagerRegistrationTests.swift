import NIOCore
import SkinnyWire
import Testing

/// The call-manager-to-phone messages of registration and device state: real CUCM frames, golden bytes written
/// by hand from the layout tables (reference §5.2, message-layouts.md), round trips and hostile bodies.
@Suite struct CallManagerRegistrationTests {
    // MARK: Real CUCM frames

    @Test func cucm31ButtonTemplate() throws {
        let template = try #require(try buttonTemplate(decoding: CUCMRegistrationFixtures.cm31ButtonTemplate))
        #expect(template.buttonOffset == 0)
        #expect(template.totalButtonCount == 6)
        #expect(
            template.buttons.map { [UInt32($0.instanceNumber), $0.buttonType.rawValue] } == [
                [1, 0x09], [2, 0x09], [1, 0x02], [2, 0x02], [3, 0x02], [4, 0x02],
            ]
        )
    }

    @Test func cucm33ButtonTemplate() throws {
        let template = try #require(try buttonTemplate(decoding: CUCMRegistrationFixtures.cm33ButtonTemplate))
        #expect(template.totalButtonCount == 8)
        #expect(template.buttons.count == 8)
        #expect(template.buttons[1] == .init(instanceNumber: 2, buttonType: .line))
        #expect(template.buttons[7] == .init(instanceNumber: 6, buttonType: .speedDial))
    }

    /// Strowger's encoding of CUCM 3.1's template is CUCM 3.1's bytes, unused `00 FF` slots included.
    @Test func buttonTemplateEncodesAsCUCM31() {
        let message = CallManagerMessage.buttonTemplateRes(
            .init([(1, .line), (2, .line), (1, .speedDial), (2, .speedDial), (3, .speedDial), (4, .speedDial)])
        )
        let bytes = RegistrationWire.bytes(message, .v5)
        let cucm = hex(CUCMRegistrationFixtures.cm31ButtonTemplate)
        #expect(bytes.count == 108)
        #expect(Array(bytes.prefix(cucm.count)) == cucm)
        #expect(Array(bytes.suffix(4)) == [0x00, 0xFF, 0x00, 0xFF])
    }

    @Test func cucm33ConfigStat() throws {
        let frame = RegistrationWire.frame(CUCMRegistrationFixtures.cm33ConfigStat)
        guard case .configStatRes(let config) = try CallManagerMessage(frame: frame, version: .v5) else {
            Issue.record("not ConfigStatRes")
            return
        }
        #expect(config.deviceName == "SEP222233334444")
        #expect(config.userID == 0)
        #expect(config.userName == "")
        // The bytes after "PUB33" and its NUL are CUCM's garbage (reference §1).
        #expect(config.serverName == "PUB33")
        #expect(config.numberOfLines == 1)
        // numberOfSpeedDials lies in the 4 bytes the capture lost: zero-filled.
        #expect(config.numberOfSpeedDials == 0)
    }

    @Test func cucm31ConfigStat() throws {
        let frame = RegistrationWire.frame(CUCMRegistrationFixtures.cm31ConfigStat)
        guard case .configStatRes(let config) = try CallManagerMessage(frame: frame, version: .v5) else {
            Issue.record("not ConfigStatRes")
            return
        }
        #expect(config.userID == 0x0554_F0D0)
        #expect(config.instance == 1)
        #expect(config.serverName == "PUBLISHER")
        #expect(config.numberOfLines == 1)
    }

    @Test func cucmLineStat() throws {
        let cm31 = RegistrationWire.frame(CUCMRegistrationFixtures.cm31LineStat)
        guard case .lineStatRes(let line31) = try CallManagerMessage(frame: cm31, version: .v5) else {
            Issue.record("not LineStatRes")
            return
        }
        #expect(line31.lineNumber == 1)
        #expect(line31.directoryNumber == "1003")
        #expect(line31.fullyQualifiedDisplayName == "8165551003")
        #expect(line31.textLabel == "")
        #expect(line31.displayOptions == 0)

        let cm33 = RegistrationWire.frame(CUCMRegistrationFixtures.cm33LineStat)
        guard case .lineStatRes(let line33) = try CallManagerMessage(frame: cm33, version: .v5) else {
            Issue.record("not LineStatRes")
            return
        }
        #expect(line33.directoryNumber == "1003")
        #expect(line33.textLabel == "Line 1003")
    }

    @Test func cucmTimeDate() throws {
        let cm31 = RegistrationWire.frame(CUCMRegistrationFixtures.cm31TimeDate)
        guard case .timeDateRes(let time) = try CallManagerMessage(frame: cm31, version: .v5) else {
            Issue.record("not TimeDateRes")
            return
        }
        #expect(time.year == 2026)
        #expect(time.month == 6)
        #expect(time.dayOfWeek == 5)
        #expect(time.day == 5)
        #expect([time.hour, time.minute, time.second, time.millisecond] == [23, 18, 47, 0])
        // systemTime is in the 4 bytes the capture lost.
        #expect(time.systemTime == 0)
    }

    /// CUCM 3.3's TimeDateRes is Strowger's encoding of the same fields, up to where the capture stops.
    @Test func timeDateEncodesAsCUCM33() {
        let message = CallManagerMessage.timeDateRes(
            .init(year: 2026, month: 6, dayOfWeek: 6, day: 6, hour: 4, minute: 21, second: 37, systemTime: 0)
        )
        let cucm = hex(CUCMRegistrationFixtures.cm33TimeDate)
        #expect(Array(RegistrationWire.bytes(message, .v5).prefix(cucm.count)) == cucm)
    }

    @Test func cucm31SoftKeyTemplate() throws {
        let frame = RegistrationWire.frame(CUCMRegistrationFixtures.cm31SoftKeyTemplate)
        guard case .softKeyTemplateRes(let template) = try CallManagerMessage(frame: frame, version: .v5) else {
            Issue.record("not SoftKeyTemplateRes")
            return
        }
        #expect(template.totalSoftKeyCount == 18)
        #expect(
            template.softKeys.map(\.label) == [
                "Redial", "NewCall", "Hold", "Trnsfer", "CFwdAll", "CFwdBusy", "CFwdNoAnswer", "<<", "EndCall",
                "Resume",
                "Answer", "Info", "Confrn", "Park", "Join", "MeetMe", "PickUp", "GPickUp",
            ]
        )
        #expect(template.softKeys.map(\.event.rawValue) == Array(UInt32(1)...18))
    }

    /// CUCM 3.3 padded its labels with NULs, so encoding its template gives its bytes.
    @Test func softKeyTemplateEncodesAsCUCM33() throws {
        let keys: [(String, UInt32)] = [
            ("Redial", 1), ("NewCall", 2), ("Hold", 3), ("Trnsfer", 4), ("CfwdAll", 5), ("<<", 8), ("EndCall", 9),
            ("Resume", 10), ("Answer", 11), ("Confrn", 13), ("Park", 14), ("MeetMe", 16), ("PickUp", 17),
            ("GPickUp", 18), ("RmLstC", 19), ("Barge", 21),
        ]
        let message = CallManagerMessage.softKeyTemplateRes(
            .init(softKeys: keys.map { .init(label: $0.0, event: .init(rawValue: $0.1)) })
        )
        let bytes = RegistrationWire.bytes(message, .v5)
        let cucm = hex(CUCMRegistrationFixtures.cm33SoftKeyTemplate)
        #expect(bytes.count == 664)
        #expect(Array(bytes.prefix(cucm.count)) == cucm)

        let decoded = try CallManagerMessage(
            frame: RegistrationWire.frame(CUCMRegistrationFixtures.cm33SoftKeyTemplate),
            version: .v5
        )
        #expect(decoded == message)
    }

    /// CUCM 4.1 sent embedded labels (`80 01` = Redial …) and events above 18 (reference §6.6).
    @Test func cucm41SoftKeyTemplate() throws {
        let frame = RegistrationWire.frame(CUCMRegistrationFixtures.cm41SoftKeyTemplate)
        guard case .softKeyTemplateRes(let template) = try CallManagerMessage(frame: frame, version: .v5) else {
            Issue.record("not SoftKeyTemplateRes")
            return
        }
        let labelIDs: [UInt8] = [1, 2, 3, 4, 5, 8, 9, 10, 11, 13, 14, 15, 16, 17, 18, 0x43, 0x4D, 0x4E, 0x4F, 0x58]
        #expect(template.softKeys.map(\.label) == labelIDs.map { SkinnyText.label($0) })
        #expect(
            template.softKeys.map(\.event.rawValue) == [
                1, 2, 3, 4, 5, 8, 9, 10, 11, 13, 14, 15, 16, 17, 18, 21, 28, 29, 30, 33,
            ]
        )
        let reencoded = RegistrationWire.bytes(.softKeyTemplateRes(template), .v5)
        let cucm = hex(CUCMRegistrationFixtures.cm41SoftKeyTemplate)
        #expect(Array(reencoded.prefix(cucm.count)) == cucm)
    }

    /// CUCM 4.1's eleven softkey sets (reference §6.7), the last one cut in the middle by the capture.
    @Test func cucm41SoftKeySets() throws {
        let frame = RegistrationWire.frame(CUCMRegistrationFixtures.cm41SoftKeySets)
        guard case .softKeySetRes(let sets) = try CallManagerMessage(frame: frame, version: .v5) else {
            Issue.record("not SoftKeySetRes")
            return
        }
        #expect(sets.totalSoftKeySetCount == 11)
        #expect(sets.softKeySets.count == 11)
        func pairs(_ index: Int) -> [[UInt16]] {
            sets.softKeySets[index].keys.map { [UInt16($0.templateIndex), $0.infoIndex] }
        }
        // Set 0, on hook: Redial, NewCall, CFwdAll.
        #expect(pairs(0) == [[1, 301], [2, 302], [5, 305]])
        // Set 3, ring in: Answer.
        #expect(pairs(3) == [[9, 311]])
        // Set 5, connected transferable: an empty first slot, then EndCall and Trnsfer.
        #expect(pairs(5) == [[0, 0], [7, 309], [4, 304]])
        // Set 10 lost its last 16 bytes in the capture: the missing info indexes read as zero.
        #expect(pairs(10) == [[16, 321], [2, 302]])

        let reencoded = RegistrationWire.bytes(.softKeySetRes(sets), .v5)
        let cucm = hex(CUCMRegistrationFixtures.cm41SoftKeySets)
        #expect(reencoded.count == 792)
        #expect(Array(reencoded.prefix(cucm.count)) == cucm)
    }

    @Test func cucm41FeatureStat() throws {
        let frame = RegistrationWire.frame(CUCMRegistrationFixtures.cm41FeatureStat)
        guard case .featureStatRes(let feature) = try CallManagerMessage(frame: frame, version: .v5) else {
            Issue.record("not FeatureStatRes")
            return
        }
        #expect(feature.featureIndex == 1)
        #expect(feature.featureID == .hold)
        #expect(feature.textLabel == "\u{80}")
        #expect(feature.featureStatus == 0)
    }

    // MARK: Golden bytes, written from the layouts

    @Test(arguments: RegistrationGolden.all)
    func goldenBytes(_ golden: RegistrationGolden) throws {
        #expect(RegistrationWire.bytes(golden.message, golden.version) == hex(golden.hex))
        let frame = RegistrationWire.frame(golden.hex)
        #expect(try CallManagerMessage(frame: frame, version: golden.version) == golden.message)
    }

    /// UnregisterAck, like RegisterAck and KeepAliveAck, carries header version 0 at every version (reference §2.1).
    @Test(arguments: RegistrationWire.versions)
    func unregisterAckHeaderVersionIsZero(version: SkinnyProtocolVersion) {
        #expect(CallManagerMessage.unregisterAck(.init(.ok)).frame(version: version).headerVersion == 0)
        #expect(CallManagerMessage.reset(.init(.reset)).frame(version: version).headerVersion == version.headerVersion)
    }

    // MARK: Round trips

    @Test(arguments: RegistrationWire.versions)
    func roundTrip(version: SkinnyProtocolVersion) throws {
        for message in registrationMessages(version: version) {
            let frame = message.frame(version: version)
            #expect(frame.id == message.id)
            let decoded = try CallManagerMessage(frame: frame, version: version)
            #expect(decoded == message, "\(message.id) at \(version)")
        }
    }

    /// Every id of the group decodes to its own case, not to `.unknown`.
    @Test func everyIDHasItsCase() throws {
        let ids = registrationMessages(version: .v17).map(\.id)
        #expect(Set(ids.map(\.rawValue)).count == ids.count)
        for id in ids {
            let decoded = try CallManagerMessage(frame: SkinnyFrame(id: id), version: .v17)
            if case .unknown = decoded {
                Issue.record("\(id) decodes as unknown")
            }
            #expect(decoded.id == id)
        }
    }

    @Test func serverResCarriesIPv6FromV17() throws {
        let v6: [UInt8] = [0x20, 0x01, 0x0D, 0xB8] + Array(repeating: 0, count: 11) + [1]
        let message = CallManagerMessage.serverRes(
            .init(servers: [.init(name: "cm6", address: .ipv6(v6)), .init(name: "cm4", address: .ipv4(10, 0, 0, 2))])
        )
        let bytes = RegistrationWire.bytes(message, .v17)
        // The first address block, at 12 + 260: type 1, then the 16 bytes.
        #expect(Array(bytes[272..<292]) == [1, 0, 0, 0] + v6)
        #expect(try CallManagerMessage(frame: message.frame(version: .v17), version: .v17) == message)
        // A v16 phone has no room for IPv6: the address goes out as 0.0.0.0.
        #expect(Array(RegistrationWire.bytes(message, .v16)[272..<276]) == [0, 0, 0, 0])
    }

    @Test func buttonTemplatePages() {
        let buttons = (1...50).map {
            SkinnyMessage.ButtonTemplateRes.Button(instanceNumber: UInt8($0), buttonType: .speedDial)
        }
        let pages = SkinnyMessage.ButtonTemplateRes.pages(buttons)
        #expect(pages.map(\.buttonOffset) == [0, 42])
        #expect(pages.map(\.buttons.count) == [42, 8])
        #expect(pages.map(\.totalButtonCount) == [50, 50])
        #expect(pages[1].buttons.first?.instanceNumber == 43)
        // An oversized template sends only what fits, with an honest count.
        let oversized = RegistrationWire.bytes(.buttonTemplateRes(.init(buttons: buttons)), .v11)
        #expect(oversized.count == 108)
        #expect(Array(oversized[16..<24]) == [42, 0, 0, 0, 50, 0, 0, 0])
    }

    @Test func forwardStatActiveFlagFollowsVersion() {
        let v17 = SkinnyMessage.ForwardStatRes(lineNumber: 2, forwardNoAnswer: "5000", version: .v17)
        #expect([v17.activeForward, v17.forwardAllActive, v17.forwardNoAnswerActive] == [1, 0, 1])
        let v18 = SkinnyMessage.ForwardStatRes(lineNumber: 2, forwardNoAnswer: "5000", version: .v18)
        #expect(v18.forwardNoAnswerActive == 2)
        let none = SkinnyMessage.ForwardStatRes(lineNumber: 2, version: .v18)
        #expect([none.activeForward, none.forwardAllActive, none.forwardBusyActive] == [0, 0, 0])
    }

    /// The directory number of LineStatV2Res is at most 24 bytes up to v17 and 25 from v18 (reference §3).
    @Test func lineStatV2DirectoryNumberSize() throws {
        let number = String(repeating: "1", count: 26)
        let message = SkinnyMessage.LineStatV2Res(lineNumber: 1, directoryNumber: number)
        for (version, kept) in [(SkinnyProtocolVersion.v17, 24), (.v18, 25)] {
            let decoded = try SkinnyMessage.LineStatV2Res.decode(message.frame(version: version), version: version)
            #expect(decoded.directoryNumber == String(repeating: "1", count: kept))
        }
    }

    /// Notification text is Wireshark's `char[97]` both ways (reference §7 #19): chan-sccp's 100-byte reading
    /// agrees on every body Strowger sends, and a body with 100 bytes of text decodes to the 97 that encode back.
    @Test func notificationTextIs97BytesBothWays() throws {
        let long = SkinnyMessage.Notification(transactionID: 7, status: 2, text: String(repeating: "x", count: 100))
        let frame = long.frame(version: .v17)
        #expect(frame.body.readableBytes == 112)
        let decoded = try SkinnyMessage.Notification.decode(frame, version: .v17)
        #expect(decoded.text == String(repeating: "x", count: 97))
        // A chan-sccp-style body: 100 bytes of text in the 112-byte body.
        var hundred = ByteBuffer()
        hundred.writeInteger(UInt32(7), endianness: .little)
        hundred.writeInteger(UInt32(1), endianness: .little)
        hundred.writeInteger(UInt32(2), endianness: .little)
        hundred.writeRepeatingByte(0x79, count: 100)
        let fromChanSCCP = try SkinnyMessage.Notification.decode(
            SkinnyFrame(id: .notification, body: hundred),
            version: .v17
        )
        #expect(fromChanSCCP.text == String(repeating: "y", count: 97))
        #expect(try SkinnyMessage.Notification.decode(fromChanSCCP.frame(version: .v17), version: .v17) == fromChanSCCP)
    }

    // MARK: TimeDateRes from Unix time

    @Test(arguments: [
        // (Unix time, UTC offset, expected year month dayOfWeek day hour minute second), from `date -u -d @…`.
        RegistrationTimeCase(1_780_701_527, 0, [2026, 6, 5, 5, 23, 18, 47]),
        RegistrationTimeCase(1_709_208_000, 0, [2024, 2, 4, 29, 12, 0, 0]),
        RegistrationTimeCase(1_767_232_800, -18_000, [2025, 12, 3, 31, 21, 0, 0]),
        RegistrationTimeCase(0, 0, [1970, 1, 4, 1, 0, 0, 0]),
        RegistrationTimeCase(4_294_967_295, 0, [2106, 2, 0, 7, 6, 28, 15]),
    ])
    func timeDateFromUnixTime(_ time: RegistrationTimeCase) {
        let message = SkinnyMessage.TimeDateRes(unixTime: time.unixTime, utcOffset: time.utcOffset)
        #expect(
            [
                message.year, message.month, message.dayOfWeek, message.day, message.hour, message.minute,
                message.second,
            ] == time.fields
        )
        #expect(message.millisecond == 0)
        #expect(message.systemTime == time.unixTime)
    }

    // MARK: Short and long bodies

    @Test func shortBodiesZeroFill() throws {
        // ConfigStatRes cut after the device name and user id.
        let config = try SkinnyMessage.ConfigStatRes.decode(
            SkinnyFrame(
                id: .configStatRes,
                body: ByteBuffer(bytes: Array("SEP0011".utf8) + [0, 0, 0, 0, 0, 0, 0, 0, 0, 7, 0])
            ),
            version: .v11
        )
        #expect(config.deviceName == "SEP0011")
        #expect(config.userID == 0)
        #expect(config.instance == 0)
        #expect(config.serverName == "")
        #expect(config.numberOfLines == 0)

        // Empty bodies decode to all zeros.
        let empty = ByteBuffer()
        #expect(
            try SkinnyMessage.Reset.decode(SkinnyFrame(id: .reset, body: empty), version: .v5).resetType.rawValue == 0
        )
        let forward = try SkinnyMessage.ForwardStatRes.decode(
            SkinnyFrame(id: .forwardStatRes, body: empty),
            version: .v18
        )
        #expect(forward == .init(activeForward: 0, lineNumber: 0))
        let servers = try SkinnyMessage.ServerRes.decode(SkinnyFrame(id: .serverRes, body: empty), version: .v17)
        #expect(servers.servers.isEmpty)
        let lineV2 = try SkinnyMessage.LineStatV2Res.decode(SkinnyFrame(id: .lineStatV2Res, body: empty), version: .v17)
        #expect(lineV2 == .init(lineNumber: 0, directoryNumber: ""))
        let template = try SkinnyMessage.ButtonTemplateRes.decode(
            SkinnyFrame(id: .buttonTemplateRes, body: empty),
            version: .v5
        )
        #expect(template.buttons.isEmpty)

        // ForwardStatRes at v18 cut right after the unaligned busy flag (37..<41).
        var packed = [UInt8](repeating: 0, count: 41)
        packed[4] = 1
        packed[12] = 0x32
        packed[37] = 2
        let cut = try SkinnyMessage.ForwardStatRes.decode(
            SkinnyFrame(id: .forwardStatRes, body: ByteBuffer(bytes: packed)),
            version: .v18
        )
        #expect(cut.lineNumber == 1)
        #expect(cut.forwardAllNumber == "2")
        #expect(cut.forwardBusyActive == 2)
        #expect(cut.forwardBusyNumber == "")
        // Cut inside the flag, the flag reads as zero.
        let inside = try SkinnyMessage.ForwardStatRes.decode(
            SkinnyFrame(id: .forwardStatRes, body: ByteBuffer(bytes: packed.prefix(39))),
            version: .v18
        )
        #expect(inside.forwardBusyActive == 0)
    }

    /// A count within the array but past the bytes present yields only the entries that start in the body.
    @Test func countsAreBoundedByTheBytesPresent() throws {
        var body = ByteBuffer()
        body.writeMultipleIntegers(UInt32(0), UInt32(42), UInt32(42), endianness: .little)
        body.writeBytes([1, 9, 2, 9, 3])
        let template = try SkinnyMessage.ButtonTemplateRes.decode(
            SkinnyFrame(id: .buttonTemplateRes, body: body),
            version: .v5
        )
        #expect(template.buttons.map(\.instanceNumber) == [1, 2, 3])
        #expect(template.buttons.last?.buttonType.rawValue == 0)
    }

    @Test func extraBytesAreIgnored() throws {
        let tail: [UInt8] = [0xDE, 0xAD, 0xBE, 0xEF, 0x01, 0x02, 0x03, 0x04]
        for message in registrationMessages(version: .v11) where !message.isDynamic {
            var frame = message.frame(version: .v11)
            frame.body.writeBytes(tail)
            #expect(try CallManagerMessage(frame: frame, version: .v11) == message, "\(message.id)")
        }
    }

    static let countsPastTheArray: [(SkinnyMessageID, UInt32)] = [
        (.buttonTemplateRes, 43), (.buttonTemplateRes, .max), (.softKeyTemplateRes, 33),
        (.softKeyTemplateRes, 0x8000_0000), (.softKeySetRes, 17), (.softKeySetRes, .max),
    ]

    @Test(arguments: Self.countsPastTheArray)
    func countPastTheArrayThrows(id: SkinnyMessageID, count: UInt32) {
        var body = ByteBuffer()
        body.writeMultipleIntegers(UInt32(0), count, count, endianness: .little)
        body.writeRepeatingByte(0x41, count: 1024)
        let frame = SkinnyFrame(id: id, body: body)
        #expect(throws: SkinnyError.countOutOfRange("", count: 0, maximum: 0, messageID: id, body: ByteBuffer())) {
            try CallManagerMessage(frame: frame, version: .v17)
        }
    }

    @Test func countAtTheArrayLimitDecodes() throws {
        var body = ByteBuffer()
        body.writeMultipleIntegers(UInt32(0), UInt32(32), UInt32(32), endianness: .little)
        body.writeRepeatingByte(0x41, count: 640)
        let template = try SkinnyMessage.SoftKeyTemplateRes.decode(
            SkinnyFrame(id: .softKeyTemplateRes, body: body),
            version: .v17
        )
        #expect(template.softKeys.count == 32)
        // A label that fills its 16 bytes has no NUL and stops at the field's end.
        #expect(template.softKeys[0].label == String(repeating: "A", count: 16))
    }

    // MARK: The fixed forms chan-sccp gives 0x0142 and 0x0149 (reference §7 #5)

    @Test func configStatV2AcceptsChanSCCPFixedForm() throws {
        // chan-sccp's layout, the same as ConfigStatRes: char[16], u32, u32, char[40], char[40], u32, u32.
        let fixed = hex(
            """
            5345503030313132323333343435350000000000 01000000
            416c696365 \(RegistrationWire.zeros(35)) 5374726f77676572 \(RegistrationWire.zeros(32))
            02000000 04000000
            """
        )
        let decoded = try SkinnyMessage.ConfigStatV2Res.decode(
            SkinnyFrame(id: .configStatV2Res, body: ByteBuffer(bytes: fixed)),
            version: .v17
        )
        #expect(
            decoded
                == .init(
                    deviceName: "SEP001122334455",
                    instance: 1,
                    userName: "Alice",
                    serverName: "Strowger",
                    numberOfLines: 2,
                    numberOfSpeedDials: 4
                )
        )

        // Older chan-sccp releases used 121-byte names.
        let wide = hex(
            """
            5345503030313132323333343435350000000000 01000000
            416c696365 \(RegistrationWire.zeros(116)) 5374726f77676572 \(RegistrationWire.zeros(113))
            02000000 04000000 0000
            """
        )
        let decodedWide = try SkinnyMessage.ConfigStatV2Res.decode(
            SkinnyFrame(id: .configStatV2Res, body: ByteBuffer(bytes: wide)),
            version: .v17
        )
        #expect(decodedWide == decoded)
    }

    @Test func speedDialStatV2AcceptsChanSCCPFixedForm() throws {
        let fixed = hex("03000000 32303031 \(RegistrationWire.zeros(20)) 426f62 \(RegistrationWire.zeros(37))")
        let decoded = try SkinnyMessage.SpeedDialStatV2Res.decode(
            SkinnyFrame(id: .speedDialStatV2Res, body: ByteBuffer(bytes: fixed)),
            version: .v17
        )
        #expect(decoded == .init(speedDialNumber: 3, directoryNumber: "2001", displayName: "Bob"))
    }
}

// MARK: - Helpers

/// Wire helpers of the registration tests.
enum RegistrationWire {
    /// The versions the round trips run at: each layout boundary of reference §2.3 and both sides of it.
    static let versions: [SkinnyProtocolVersion] = [5, 11, 15, 17, 18, 20, 22]

    /// A frame built from hex that starts with a 12-byte header; the body is every byte after it, whatever the
    /// length field says (some fixtures are cut short).
    static func frame(_ text: String) -> SkinnyFrame {
        let bytes = hex(text)
        var header = ByteBuffer(bytes: bytes.prefix(12))
        let (_, headerVersion, id) =
            header.readMultipleIntegers(endianness: .little, as: (UInt32, UInt32, UInt32).self) ?? (0, 0, 0)
        return SkinnyFrame(
            headerVersion: headerVersion,
            id: SkinnyMessageID(id),
            body: ByteBuffer(bytes: bytes.dropFirst(12))
        )
    }

    /// The bytes `message` goes out as at `version`, header included.
    static func bytes(_ message: CallManagerMessage, _ version: SkinnyProtocolVersion) -> [UInt8] {
        var buffer = ByteBuffer()
        buffer.writeSkinnyFrame(message.frame(version: version))
        return Array(buffer.readableBytesView)
    }

    /// `count` zero bytes as hex, for padding in hand-written layouts.
    static func zeros(_ count: Int) -> String {
        String(repeating: "00", count: count)
    }
}

private func buttonTemplate(decoding text: String) throws -> SkinnyMessage.ButtonTemplateRes? {
    guard
        case .buttonTemplateRes(let template) = try CallManagerMessage(
            frame: RegistrationWire.frame(text),
            version: .v5
        )
    else { return nil }
    return template
}

struct RegistrationTimeCase: Sendable, CustomTestStringConvertible {
    var unixTime: UInt32
    var utcOffset: Int32
    var fields: [UInt32]

    init(_ unixTime: UInt32, _ utcOffset: Int32, _ fields: [UInt32]) {
        self.unixTime = unixTime
        self.utcOffset = utcOffset
        self.fields = fields
    }

    var testDescription: String { "\(self.unixTime)\(self.utcOffset >= 0 ? "+" : "")\(self.utcOffset)" }
}

extension CallManagerMessage {
    /// Dynamic messages end at their last NUL, so bytes appended to them are read as the fixed form or as strings.
    fileprivate var isDynamic: Bool {
        switch self {
        case .configStatV2Res, .lineStatV2Res, .speedDialStatV2Res, .featureStatV2Res, .serviceURLStatV2Res: true
        default: false
        }
    }
}

/// One of each message of the group, with values that survive a round trip at `version`.
func registrationMessages(version: SkinnyProtocolVersion) -> [CallManagerMessage] {
    [
        .registerReject(.init(text: "Unknown device")),
        .reset(.init(.restart)),
        .unregisterAck(.init(.notAcknowledged)),
        .buttonTemplateRes(.init([(1, .line), (2, .line), (1, .speedDial), (1, .blfSpeedDial), (1, .serviceURL)])),
        .softKeyTemplateRes(
            .init(softKeys: [
                .init(label: "Redial", event: .redial), .init(label: SkinnyText.label(2), event: .newCall),
                .init(label: "«", event: .backSpace),
            ])
        ),
        .softKeySetRes(
            .init(softKeySets: [
                .init(keys: [.init(templateIndex: 1, infoIndex: 301), .init(templateIndex: 2, infoIndex: 302)]),
                .init(keys: []),
                .init(keys: [.init(templateIndex: 0, infoIndex: 0), .init(templateIndex: 9, infoIndex: 309)]),
            ])
        ),
        .configStatRes(
            .init(
                deviceName: "SEP001122334455",
                userName: "Alice",
                serverName: "Strowger",
                numberOfLines: 2,
                numberOfSpeedDials: 4
            )
        ),
        .configStatV2Res(
            .init(
                deviceName: "SEP001122334455",
                userID: 9,
                instance: 1,
                userName: "Alice Ångström",
                serverName: "Strowger",
                numberOfLines: 2,
                numberOfSpeedDials: 4
            )
        ),
        .lineStatRes(
            .init(lineNumber: 1, directoryNumber: "1003", fullyQualifiedDisplayName: "Alice", textLabel: "Line 1")
        ),
        .lineStatV2Res(
            .init(
                lineNumber: 2,
                lineType: 15,
                directoryNumber: "1004",
                fullyQualifiedDisplayName: "Alice",
                textLabel: "Line 2"
            )
        ),
        .forwardStatRes(
            .init(lineNumber: 1, forwardAll: "2000", forwardBusy: "3000", forwardNoAnswer: "4000", version: version)
        ),
        .speedDialStatRes(.init(speedDialNumber: 1, directoryNumber: "2001", displayName: "Bob")),
        .speedDialStatV2Res(.init(speedDialNumber: 2, directoryNumber: "2002", displayName: "Carol")),
        .featureStatRes(.init(featureIndex: 1, featureID: .doNotDisturb, textLabel: "DND", featureStatus: 1)),
        .featureStatV2Res(.init(featureIndex: 2, featureID: .blfSpeedDial, featureStatus: 2, textLabel: "Bob")),
        .serviceURLStatRes(.init(serviceURLIndex: 1, url: "http://10.0.0.1/services", displayName: "Services")),
        .serviceURLStatV2Res(.init(serviceURLIndex: 2, url: "http://10.0.0.1/dir", displayName: "Directory")),
        .timeDateRes(.init(unixTime: 1_780_701_527)),
        .versionRes(.init(version: "P00308000500")),
        .serverRes(
            .init(servers: [
                .init(name: "cm1", address: .ipv4(10, 0, 0, 1)),
                .init(name: "cm2", port: 2001, address: .ipv4(10, 0, 0, 2)),
            ])
        ),
        .registerTokenAck,
        .registerTokenReject(.init(waitTimeBeforeNextRequest: 30)),
        .subscriptionStatRes(.init(transactionID: 7, timer: 3600)),
        .notification(.init(transactionID: 7, status: 2, text: "1003")),
        .portReq(.init(conferenceID: 16, callReference: 32, passThroughPartyID: 48)),
        .portClose(.init(conferenceID: 16, callReference: 32, passThroughPartyID: 48)),
        .subscribeDtmfPayloadReq(.init(payloadDTMF: 101, conferenceID: 16, passThroughPartyID: 48, dtmfType: 10)),
        .subscribeDtmfPayloadRes(.init(payloadDTMF: 101, conferenceID: 16, passThroughPartyID: 48)),
        .subscribeDtmfPayloadErr(.init(payloadDTMF: 101, conferenceID: 16, passThroughPartyID: 49)),
        .unSubscribeDtmfPayloadReq(.init(payloadDTMF: 101, conferenceID: 16, passThroughPartyID: 48, dtmfType: 10)),
        .unSubscribeDtmfPayloadRes(.init(payloadDTMF: 101, conferenceID: 17, passThroughPartyID: 48)),
        .unSubscribeDtmfPayloadErr(.init(payloadDTMF: 102, conferenceID: 16, passThroughPartyID: 48)),
        .recordingStatus(.init(callReference: 32, status: 1)),
        .spcpRegisterTokenAck(.init(features: 0x10)),
        .spcpRegisterTokenReject(.init(waitTimeBeforeNextRequest: 60)),
    ]
}
