import CallControl

/// Devices, lines and patterns shared by the transcript tests.
///
/// | device | lines | notes |
/// |---|---|---|
/// | Alice `SEP00000000000A` | 1001 Alice | |
/// | Bob `SEP00000000000B` | 1002 Bob | |
/// | Carol `SEP00000000000C` | 1003 Carol, 1004 Carol Two (busy trigger 1) | speed dial 1 → 1001 |
/// | Dave `SEP00000000000D` | 1005 Dave | never registered in most tests |
///
/// Route patterns: `0` → 1001 (operator), `66XX` blocked, `7777` → 1999 (a number no device carries).
enum Fixture {
    static let alice: DeviceName = "SEP00000000000A"
    static let bob: DeviceName = "SEP00000000000B"
    static let carol: DeviceName = "SEP00000000000C"
    static let dave: DeviceName = "SEP00000000000D"

    static let aliceParty = Party(name: "Alice", number: "1001")
    static let bobParty = Party(name: "Bob", number: "1002")
    static let carolParty = Party(name: "Carol", number: "1003")
    static let carolTwoParty = Party(name: "Carol Two", number: "1004")

    static let aliceMedia = MediaEndpoint(address: .ipv4(0x0A00_0001), port: 16384)
    static let bobMedia = MediaEndpoint(address: .ipv4(0x0A00_0002), port: 16386)
    static let carolMedia = MediaEndpoint(address: .ipv4(0x0A00_0003), port: 16388)

    static let ulaw20 = MediaParameters(codec: .g711ulaw, packetMilliseconds: 20)

    static func directory(settings: CallControlSettings = CallControlSettings()) throws -> Directory {
        Directory(
            devices: [
                DeviceConfiguration(name: alice, lines: ["1001"]),
                DeviceConfiguration(name: bob, lines: ["1002"]),
                DeviceConfiguration(
                    name: carol,
                    lines: ["1003", "1004"],
                    speedDials: [SpeedDial(index: 1, number: "1001", label: "Alice")]
                ),
                DeviceConfiguration(name: dave, lines: ["1005"]),
            ],
            lines: [
                LineConfiguration(number: "1001", displayName: "Alice"),
                LineConfiguration(number: "1002", displayName: "Bob"),
                LineConfiguration(number: "1003", displayName: "Carol"),
                LineConfiguration(number: "1004", displayName: "Carol Two", busyTrigger: 1),
                LineConfiguration(number: "1005", displayName: "Dave"),
            ],
            routePatterns: [
                try RoutePattern("0", target: .directoryNumber("1001")),
                try RoutePattern("66XX", target: .blocked),
                try RoutePattern("7777", target: .directoryNumber("1999")),
            ],
            settings: settings
        )
    }
}

/// Shorthand for an indication command.
func show(_ device: DeviceName, _ line: LineInstance, _ call: CallReference, _ indication: Indication) -> CallCommand {
    .indicate(device, line: line, call: call, indication)
}

func timer(_ sequence: UInt64, _ purpose: TimerPurpose) -> TimerID {
    TimerID(sequence, purpose)
}

/// A core plus the current time: feeds events and returns the commands, as a host would.
struct Harness {
    var core: CallControlCore
    var now = Timestamp.zero

    init(directory: Directory) {
        core = CallControlCore(directory: directory)
    }

    init(settings: CallControlSettings = CallControlSettings()) throws {
        self.init(directory: try Fixture.directory(settings: settings))
    }

    /// Handles `event`, at `seconds` if given (else at the time of the previous event).
    @discardableResult
    mutating func send(_ event: CallEvent, at seconds: Int64? = nil) -> [CallCommand] {
        if let seconds { now = .seconds(seconds) }
        return core.handle(event, at: now)
    }

    /// Registers devices with unknown capabilities.
    mutating func register(_ devices: DeviceName...) {
        for device in devices {
            send(.deviceRegistered(device, .unknown))
        }
    }

    /// Presses each key of `number` in turn; returns all commands.
    @discardableResult
    mutating func dial(_ device: DeviceName, _ number: String, at seconds: Int64? = nil) -> [CallCommand] {
        if let seconds { now = .seconds(seconds) }
        var commands: [CallCommand] = []
        for key in number {
            commands += send(.digit(device, line: nil, call: nil, key))
        }
        return commands
    }

    /// Alice (call 1) calls Bob (call 2) at 0 s, Bob answers at 5 s, both acknowledge their receive channels.
    /// Afterwards Bob's stream is 1, Alice's 2, and the next timer sequence is 5.
    mutating func connectAliceToBob() {
        register(Fixture.alice, Fixture.bob)
        send(.offHook(Fixture.alice, line: nil, call: nil), at: 0)
        dial(Fixture.alice, "1002")
        send(.offHook(Fixture.bob, line: nil, call: nil), at: 5)
        send(.receiveChannelOpened(Fixture.bob, call: 2, passThroughPartyID: 1, endpoint: Fixture.bobMedia))
        send(.receiveChannelOpened(Fixture.alice, call: 1, passThroughPartyID: 2, endpoint: Fixture.aliceMedia))
    }

    /// Nothing left: no calls, legs, timers or media streams.
    var isQuiescent: Bool {
        core.activeCallCount == 0 && core.activeLegCount == 0 && core.activeTimerCount == 0
            && core.activeMediaStreamCount == 0
    }
}
