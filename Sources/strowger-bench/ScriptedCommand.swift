import ArgumentParser
import NIOCore
import NIOPosix
import SkinnyPhone
import SkinnyWire

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// A fixed workload done one step at a time, for counting the server's instructions (`scripts/bench-instructions`
/// runs the server under `valgrind --tool=callgrind` and counts each phase).
///
/// Unlike `register` and `calls`, nothing here is paced or random: phones register one after the other, calls are
/// placed one after the other between fixed pairs, and each step waits for the server's answer before the next
/// starts. The server therefore does the same work in the same order on every run, whatever the machine's load,
/// and its instruction count per registration and per call is a figure that only the code changes.
struct ScriptedCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "scripted",
        abstract: "Register N phones one at a time, then place C calls one at a time (for instruction counts).",
        discussion: """
            First --warm-up phones register and call each other (not counted: they fill the server's caches). \
            Phase `register`: phone i (named by --device-pattern and --device-offset) connects and completes the \
            registration sequence before phone i+1 starts. Phase `calls`: call c is placed by phone 2c mod N to \
            phone 2c+1 mod N: off hook, dial tone, dial, the callee rings and answers, media starts on both sides, \
            the caller hangs up, both phones are idle; then call c+1. With --phase-hook, the command is run with \
            /bin/sh before and after each phase, with the arguments `begin PHASE` or `end PHASE`, and waited for: \
            scripts/bench-instructions uses it to zero and dump callgrind's counts. Any failure stops the run with \
            a non-zero exit.
            """
    )

    @Option(help: "The call manager, as HOST:PORT.")
    var server: String = "127.0.0.1:2000"

    @Option(help: "Phones to register (at least 2).")
    var phones: Int = 100

    @Option(help: "Calls to place, one at a time.")
    var calls: Int = 100

    @Option(name: .customLong("protocol"), help: "The SCCP protocol version the phones offer (3-22).")
    var protocolVersion: UInt8 = 11

    @Option(
        name: .customLong("device-pattern"),
        help: "Device names: one %d, %x or %X conversion, e.g. SEP%012d or SEP%012X."
    )
    var devicePattern: String = "SEP%012d"

    @Option(name: .customLong("device-offset"), help: "The number the first phone's name is made from.")
    var deviceOffset: Int = 1

    @Option(
        name: .customLong("warm-up"),
        help: "Phones registered and calls placed (one per two phones) before the measured phases, not counted."
    )
    var warmUp: Int = 4

    @Option(name: .customLong("step-timeout"), help: "Seconds each step may take (slow under valgrind).")
    var stepTimeout: Double = 60

    @Option(
        name: .customLong("phase-hook"),
        help: "A shell command run before and after each phase, with `begin PHASE` or `end PHASE` appended."
    )
    var phaseHook: String?

    func validate() throws {
        guard (2...10_000).contains(self.phones) else { throw ValidationError("--phones must be 2...10000") }
        guard (0...100_000).contains(self.calls) else { throw ValidationError("--calls must be 0...100000") }
        guard (0...1000).contains(self.warmUp), self.warmUp % 2 == 0 else {
            throw ValidationError("--warm-up must be an even number, 0...1000")
        }
        guard (3...22).contains(self.protocolVersion) else { throw ValidationError("--protocol must be 3...22") }
        guard DevicePattern(self.devicePattern) != nil else {
            throw ValidationError("--device-pattern must hold exactly one %d, %x or %X (e.g. SEP%012d)")
        }
        guard self.stepTimeout > 0 else { throw ValidationError("--step-timeout must be above 0") }
        guard Self.parse(self.server) != nil else { throw ValidationError("--server must be HOST:PORT") }
    }

    static func parse(_ server: String) -> (host: String, port: Int)? {
        guard let colon = server.lastIndex(of: ":"), let port = Int(server[server.index(after: colon)...]),
            (1...65535).contains(port)
        else { return nil }
        let host = String(server[..<colon])
        return host.isEmpty ? nil : (host, port)
    }

    func run() async throws {
        guard let (host, port) = Self.parse(self.server), let pattern = DevicePattern(self.devicePattern) else {
            throw ValidationError("--server must be HOST:PORT")
        }
        ResourceLimits.raiseFileDescriptorLimit(to: self.phones + 256)
        let timeout = Duration.seconds(self.stepTimeout)
        let group = MultiThreadedEventLoopGroup(numberOfThreads: 1)
        var phones: [(phone: SkinnyPhone, number: String)] = []
        let clock = ContinuousClock()
        var warmUpPhones: [(phone: SkinnyPhone, number: String)] = []
        func register(_ index: Int) async throws -> (phone: SkinnyPhone, number: String) {
            let configuration = SkinnyPhone.Configuration(
                deviceName: pattern.name(self.deviceOffset + index),
                protocolVersion: self.protocolVersion,
                rtp: .disabled,
                historyCapacity: 0
            )
            let phone = try await SkinnyPhone.connect(
                host: host,
                port: port,
                configuration: configuration,
                group: group
            )
            let registration = try await phone.register(timeout: timeout)
            guard let number = registration.lines.first?.directoryNumber, !number.isEmpty else {
                phone.channel.close(promise: nil)
                throw ScriptedFailure("phone \(index) registered without a directory number")
            }
            return (phone, number)
        }
        do {
            // The first registrations and calls fill the server's caches (protocol conformances, metadata, the
            // database's statements); they are done before counting starts, so that every counted one is alike.
            for index in 0..<self.warmUp {
                warmUpPhones.append(try await register(self.phones + index))
            }
            for pair in stride(from: 0, to: warmUpPhones.count, by: 2) {
                let (caller, callee) = (warmUpPhones[pair], warmUpPhones[pair + 1])
                try await Self.call(from: caller.phone, to: callee.phone, number: callee.number, timeout: timeout)
            }

            try self.hook("begin", "register")
            let registerStart = clock.now
            for index in 0..<self.phones {
                phones.append(try await register(index))
            }
            let registerSeconds = (clock.now - registerStart).seconds
            try self.hook("end", "register")

            try self.hook("begin", "calls")
            let callsStart = clock.now
            for call in 0..<self.calls {
                let caller = phones[(2 * call) % phones.count]
                let callee = phones[(2 * call + 1) % phones.count]
                try await Self.call(from: caller.phone, to: callee.phone, number: callee.number, timeout: timeout)
            }
            let callsSeconds = (clock.now - callsStart).seconds
            try self.hook("end", "calls")
            print(
                "scripted: \(phones.count) phones registered in \(Self.format(registerSeconds)) s, "
                    + "\(self.calls) calls in \(Self.format(callsSeconds)) s"
            )
        } catch {
            for (phone, _) in phones + warmUpPhones { phone.channel.close(promise: nil) }
            try? await group.shutdownGracefully()
            throw error
        }
        for (phone, _) in phones + warmUpPhones { phone.channel.close(promise: nil) }
        try? await group.shutdownGracefully()
    }

    /// One call, each step awaited: off hook, dial tone, dial, ringing, answer, media on both sides, hang up, idle.
    private static func call(
        from caller: SkinnyPhone,
        to callee: SkinnyPhone,
        number: String,
        timeout: Duration
    ) async throws {
        try await caller.offHook()
        let callerCall = try await caller.waitForState("dial tone", timeout: timeout) { state in
            state.activeCall.flatMap { $0.state == .offHook ? $0.callReference : nil }
        }
        try await caller.dial(number)
        let calleeCall = try await callee.waitForState("RingIn", timeout: timeout) { state in
            state.ringingCall?.callReference
        }
        try await callee.answer()
        _ = try await caller.waitForState("media", timeout: timeout) { state in
            state.calls[callerCall]?.transmittingTo != nil ? true : nil
        }
        _ = try await callee.waitForState("media", timeout: timeout) { state in
            state.calls[calleeCall]?.transmittingTo != nil ? true : nil
        }
        try await caller.onHook()
        try await callee.waitForIdle(timeout: timeout)
        try await caller.waitForIdle(timeout: timeout)
    }

    /// Runs the phase hook, if any, and waits for it; a hook that fails stops the run.
    private func hook(_ when: String, _ phase: String) throws {
        guard let command = self.phaseHook else { return }
        let status = try Self.runShell(command, arguments: [when, phase])
        guard status == 0 else {
            throw ScriptedFailure("the phase hook exited with status \(status) at \(when) \(phase)")
        }
    }

    /// `/bin/sh -c COMMAND sh ARGUMENTS…`, waited for; returns its exit status.
    private static func runShell(_ command: String, arguments: [String]) throws -> Int32 {
        let argv = ["/bin/sh", "-c", command + " \"$@\"", "sh"] + arguments
        var cArguments = argv.map { strdup($0) }
        cArguments.append(nil)
        defer { for pointer in cArguments { free(pointer) } }
        var pid: pid_t = 0
        let spawned = posix_spawn(&pid, "/bin/sh", nil, nil, cArguments, environ)
        guard spawned == 0 else { throw ScriptedFailure("could not start /bin/sh: error \(spawned)") }
        var status: Int32 = 0
        while waitpid(pid, &status, 0) < 0 {
            guard errno == EINTR else { throw ScriptedFailure("waitpid failed: error \(errno)") }
        }
        // WIFEXITED / WEXITSTATUS: the low 7 bits are the terminating signal, 0 when it exited.
        guard status & 0x7f == 0 else { return 128 + (status & 0x7f) }
        return (status >> 8) & 0xff
    }

    private static func format(_ seconds: Double) -> String {
        String(Int((seconds * 10).rounded()) / 10) + "." + String(Int((seconds * 10).rounded()) % 10)
    }
}

/// Why a scripted run stopped.
struct ScriptedFailure: Error, CustomStringConvertible {
    var description: String

    init(_ description: String) {
        self.description = description
    }
}
