import CallControl
import CallRuntime
import Logging
import NIOConcurrencyHelpers
import NIOCore
import NIOEmbedded

/// An endpoint session that records what the runtime hands it, in order, with a last-heard time the test sets.
final class RecordingSession: EndpointSession, CustomStringConvertible {
    enum Delivery: Hashable, Sendable {
        case commands([CallCommand])
        case busyLamps([BusyLampUpdate])
        case close
    }

    let description: String
    /// The loop the session lives on, when it submits through a `SessionLoop`: deliveries must arrive on it.
    private let loop: (any EventLoop)?
    private let state: NIOLockedValueBox<(deliveries: [Delivery], lastHeard: NIODeadline, offLoop: Int)>

    init(_ description: String, lastHeard: NIODeadline = .now(), loop: (any EventLoop)? = nil) {
        self.description = description
        self.loop = loop
        self.state = NIOLockedValueBox(([], lastHeard, 0))
    }

    func deliver(_ commands: [CallCommand]) {
        self.record(.commands(commands))
    }

    func deliver(_ busyLamps: [BusyLampUpdate]) {
        self.record(.busyLamps(busyLamps))
    }

    func close() {
        self.record(.close)
    }

    private func record(_ delivery: Delivery) {
        let offLoop = self.loop.map { !$0.inEventLoop } ?? false
        self.state.withLockedValue { state in
            state.deliveries.append(delivery)
            if offLoop { state.offLoop += 1 }
        }
    }

    /// Deliveries that arrived on another thread than the session's loop.
    var deliveriesOffItsLoop: Int {
        self.state.withLockedValue { $0.offLoop }
    }

    var lastHeard: NIODeadline {
        get { self.state.withLockedValue { $0.lastHeard } }
        set { self.state.withLockedValue { $0.lastHeard = newValue } }
    }

    /// Everything delivered since the last call, in order.
    func take() -> [Delivery] {
        self.state.withLockedValue { state in
            defer { state.deliveries = [] }
            return state.deliveries
        }
    }

    /// The command batches among ``take()``.
    func takeCommands() -> [[CallCommand]] {
        self.take().compactMap { delivery in
            if case .commands(let batch) = delivery { return batch }
            return nil
        }
    }
}

/// A `CallControlHost` on an `NIOAsyncTestingEventLoop` (time moves only when a test advances it), with the call
/// records and auto-registrations it reports.
struct TestRuntime {
    static let alice: DeviceName = "SEP00000000000A"
    static let bob: DeviceName = "SEP00000000000B"
    /// Not in the directory; auto-registration is off, so the core rejects it.
    static let stranger: DeviceName = "SEP0000000000FF"

    /// Alice on 1001; Bob on 1002 with a BLF speed dial on Alice's line. Auto-registration off.
    static func directory(settings: CallControlSettings = CallControlSettings()) -> Directory {
        var settings = settings
        settings.autoRegistration.isEnabled = false
        return Directory(
            devices: [
                DeviceConfiguration(name: alice, lines: ["1001"]),
                DeviceConfiguration(
                    name: bob,
                    lines: ["1002"],
                    speedDials: [SpeedDial(index: 1, number: "1001", label: "Alice", isBusyLampField: true)]
                ),
            ],
            lines: [
                LineConfiguration(number: "1001", displayName: "Alice"),
                LineConfiguration(number: "1002", displayName: "Bob"),
            ],
            settings: settings
        )
    }

    let loop: NIOAsyncTestingEventLoop
    let host: CallControlHost
    let callRecords: NIOLockedValueBox<[CallRecord]>
    /// The core's commands for each event, as a second core given the same events computes them.
    var twin: TwinCore

    init(settings: CallControlSettings = CallControlSettings(), keepAliveInterval: TimeAmount = .seconds(30)) {
        let loop = NIOAsyncTestingEventLoop()
        let records = NIOLockedValueBox<[CallRecord]>([])
        self.loop = loop
        self.callRecords = records
        self.host = CallControlHost(
            core: CallControlCore(directory: Self.directory(settings: settings)),
            configuration: .init(keepAliveInterval: keepAliveInterval),
            eventLoop: loop,
            logger: Logger(label: "call-runtime-tests", factory: { _ in SwiftLogNoOpLogHandler() }),
            onCallRecord: { record in records.withLockedValue { $0.append(record) } }
        )
        self.twin = TwinCore(core: CallControlCore(directory: Self.directory(settings: settings)))
    }

    /// Submits `event` from `session` and lets the loop run what it set off.
    func submit(_ event: CallEvent, from session: RecordingSession) async {
        self.host.submit(event, from: session)
        await self.loop.run()
    }

    /// Submits `event` from `session`, which speaks for the device the event names, and returns what the core should
    /// have handed each owner for it (the twin's batches).
    @discardableResult
    mutating func send(_ event: CallEvent, from session: RecordingSession) async -> [EndpointOwner: [CallCommand]] {
        await self.submit(event, from: session)
        return self.twin.handle(event)
    }

    /// Registers `device` on `session` and drops what it was sent.
    mutating func register(_ device: DeviceName, on session: RecordingSession) async {
        await self.send(.deviceRegistered(device, .unknown), from: session)
        _ = session.take()
    }

    /// Alice calls Bob and Bob answers; both sessions' deliveries are dropped.
    mutating func connectAliceToBob(alice: RecordingSession, bob: RecordingSession) async {
        await self.send(.offHook(Self.alice, line: nil, call: nil), from: alice)
        for digit: Character in ["1", "0", "0", "2"] {
            await self.send(.digit(Self.alice, line: nil, call: nil, digit), from: alice)
        }
        await self.send(.offHook(Self.bob, line: nil, call: nil), from: bob)
        _ = alice.take()
        _ = bob.take()
    }

    /// Why each call the core reported ended, in order.
    var callEndCauses: [CallEndCause] {
        self.callRecords.withLockedValue { $0.map(\.endCause) }
    }

    /// Lets the loop run what was submitted to it from outside a session (configuration changes).
    func settle() async {
        await self.loop.run()
    }

    func shutdown() async throws {
        await self.loop.shutdownGracefully()
    }
}

/// A second CallControl core fed the events a test expects the runtime's core to get: what the runtime should
/// deliver, computed by the core itself rather than written out by hand (the core's own tests cover what it says).
struct TwinCore {
    var core: CallControlCore
    /// The timers the core started and has not cancelled, with their deadlines on ``now``.
    private(set) var timers: [TimerID: Duration] = [:]
    /// Time since the test began, moved by the test as it advances the runtime's loop.
    var now: Duration = .zero

    init(core: CallControlCore) {
        self.core = core
    }

    /// The commands `event` gives each owner, in the core's order; notes the timers it starts and cancels.
    mutating func handle(_ event: CallEvent) -> [EndpointOwner: [CallCommand]] {
        if case .timerFired(let id) = event { self.timers[id] = nil }
        var batches: [EndpointOwner: [CallCommand]] = [:]
        for command in self.core.handle(event, at: .zero) {
            switch command.route {
            case .session(let owner, _), .sessionAndPresence(let owner):
                batches[owner, default: []].append(command)
            case .startTimer(let id, let after):
                self.timers[id] = self.now + after
            case .cancelTimer(let id):
                self.timers[id] = nil
            case .callRecord, .autoRegistered, .presence:
                continue
            }
        }
        return batches
    }

    /// The timer that expires first.
    var nextTimer: (id: TimerID, deadline: Duration)? {
        self.timers.min { $0.value < $1.value }.map { ($0.key, $0.value) }
    }
}

extension TimeAmount {
    init(_ duration: Duration) {
        let components = duration.components
        self = .nanoseconds(components.seconds * 1_000_000_000 + components.attoseconds / 1_000_000_000)
    }
}
