import CallControl
import Testing

/// The office of the many-party tests: single lines, one shared line on three desks, a hunt group, pickup groups
/// and park slots.
///
/// | device | lines |
/// |---|---|
/// | Alice `SEP0000000000A1` | 1001 Alice |
/// | Bob `SEP0000000000B1` | 1002 Bob |
/// | Carol `SEP0000000000C1` | 1003 Carol |
/// | Desk 1 `SEP0000000000D1` | 2000 Reception (shared) |
/// | Desk 2 `SEP0000000000D2` | 2000 Reception (shared), 2001 Desk Two |
/// | Desk 3 `SEP0000000000D3` | 2000 Reception (shared) |
///
/// Hunt group 3000: 1002, 1003, 2001. Pickup groups 5000 (1002, 1003) and 5001 (2001, 1001). Park slots 7000–7002.
enum Office {
    static let alice: DeviceName = "SEP0000000000A1"
    static let bob: DeviceName = "SEP0000000000B1"
    static let carol: DeviceName = "SEP0000000000C1"
    static let desk1: DeviceName = "SEP0000000000D1"
    static let desk2: DeviceName = "SEP0000000000D2"
    static let desk3: DeviceName = "SEP0000000000D3"

    static let aliceParty = Party(name: "Alice", number: "1001")
    static let bobParty = Party(name: "Bob", number: "1002")
    static let carolParty = Party(name: "Carol", number: "1003")
    static let reception = Party(name: "Reception", number: "2000")
    static let deskTwo = Party(name: "Desk Two", number: "2001")

    static let media = MediaEndpoint(address: .ipv4(0x0A00_0001), port: 16384)

    static func directory(
        settings: CallControlSettings = CallControlSettings(park: ParkSettings(slots: 7000...7002)),
        hunt: HuntGroup = HuntGroup(pilot: "3000", members: ["1002", "1003", "2001"], noAnswerTimeout: .seconds(10))
    ) -> Directory {
        Directory(
            devices: [
                DeviceConfiguration(name: alice, lines: ["1001"]),
                DeviceConfiguration(name: bob, lines: ["1002"]),
                DeviceConfiguration(name: carol, lines: ["1003"]),
                DeviceConfiguration(name: desk1, lines: ["2000"]),
                DeviceConfiguration(name: desk2, lines: ["2000", "2001"]),
                DeviceConfiguration(name: desk3, lines: ["2000"]),
            ],
            lines: [
                LineConfiguration(number: "1001", displayName: "Alice"),
                LineConfiguration(number: "1002", displayName: "Bob"),
                LineConfiguration(number: "1003", displayName: "Carol"),
                LineConfiguration(number: "2000", displayName: "Reception"),
                LineConfiguration(number: "2001", displayName: "Desk Two"),
            ],
            huntGroups: [hunt],
            pickupGroups: [
                PickupGroup(number: "5000", members: ["1002", "1003"]),
                PickupGroup(number: "5001", members: ["2001", "1001"]),
            ],
            settings: settings
        )
    }

    static let everyone = [alice, bob, carol, desk1, desk2, desk3]
}

extension Harness {
    /// A harness on the office directory with every device registered.
    static func office(
        settings: CallControlSettings = CallControlSettings(park: ParkSettings(slots: 7000...7002)),
        hunt: HuntGroup = HuntGroup(pilot: "3000", members: ["1002", "1003", "2001"], noAnswerTimeout: .seconds(10)),
        registering devices: [DeviceName] = Office.everyone
    ) -> Harness {
        var harness = Harness(directory: Office.directory(settings: settings, hunt: hunt))
        for device in devices { harness.send(.deviceRegistered(device, .unknown)) }
        return harness
    }

    /// `caller` dials `number` from the dial tone; returns the commands of the last key.
    @discardableResult
    mutating func call(_ caller: DeviceName, _ number: String) -> [CallCommand] {
        send(.offHook(caller, line: nil, call: nil))
        var last: [CallCommand] = []
        for key in number { last = send(.digit(caller, line: nil, call: nil, key)) }
        return last
    }

    /// `device`'s legs as (reference, state), oldest first.
    func states(_ device: DeviceName) -> [CallSummary.State] {
        core.calls(of: device).map(\.state)
    }

    /// The reference of `device`'s leg in `state`.
    func reference(_ device: DeviceName, _ state: CallSummary.State) -> CallReference? {
        core.calls(of: device).first { $0.state == state }?.reference
    }

    /// Acknowledges every receive channel opened in `commands`, so media starts both ways.
    @discardableResult
    mutating func acknowledgeMedia(in commands: [CallCommand]) -> [CallCommand] {
        var result: [CallCommand] = []
        for command in commands {
            if case .openReceiveChannel(let device, let call, let id, _) = command {
                result += send(
                    .receiveChannelOpened(device, call: call, passThroughPartyID: id, endpoint: Office.media)
                )
            }
        }
        return result
    }
}

/// The call records in `commands`.
func records(_ commands: [CallCommand]) -> [CallRecord] {
    commands.compactMap { if case .callRecord(let record) = $0 { record } else { nil } }
}

/// The devices that get `indication` in `commands`.
func devices(shown indication: Indication, in commands: [CallCommand]) -> [DeviceName] {
    commands.compactMap { command in
        if case .indicate(let device, _, _, let shown) = command, shown == indication { device } else { nil }
    }
}

/// The devices told to open a receive channel in `commands`.
func mediaOpened(in commands: [CallCommand]) -> [DeviceName] {
    commands.compactMap { if case .openReceiveChannel(let device, _, _, _) = $0 { device } else { nil } }
}
