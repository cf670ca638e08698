import NIOCore
import NIOPosix
import SkinnyPhone
import SkinnyWire

/// All tests share NIO's singleton group, as the phones of a load test share one group.
let testGroup: any EventLoopGroup = MultiThreadedEventLoopGroup.singleton

/// A device name "SEP0000000000NN" that is unique per test.
func deviceName(_ number: Int) -> String {
    let hex = String(number, radix: 16, uppercase: true)
    return "SEP" + String(repeating: "0", count: max(0, 12 - hex.count)) + hex
}

/// Connects a phone to `fake` and registers it; returns it with the fake's side of the connection.
func registeredPhone(
    _ fake: FakeCallManager,
    _ configuration: SkinnyPhone.Configuration
) async throws -> (SkinnyPhone, FakeConnection) {
    let phone = try await SkinnyPhone.connect(
        host: "127.0.0.1",
        port: fake.port,
        configuration: configuration,
        group: testGroup
    )
    try await phone.register(timeout: .seconds(5))
    let connection = try await fake.connection(configuration.deviceName)
    return (phone, connection)
}

extension StationMessage {
    var keypadButton: SkinnyMessage.KeypadButton? {
        if case .keypadButton(let message) = self { message } else { nil }
    }

    var softKeyEvent: SkinnyMessage.SoftKeyEvent? {
        if case .softKeyEvent(let message) = self { message } else { nil }
    }

    var isKeepAlive: Bool {
        if case .keepAlive = self { true } else { false }
    }
}
