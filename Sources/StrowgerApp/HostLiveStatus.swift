import AdminHTTP
import CallControl
import CallRuntime
import Foundation
import NIOCore
import ServerNIO

/// The admin API's live view of the server, read from the CallControl host: registrations from the host's session
/// registry (address, model, protocol version) and the core (lines, calls), calls from the core.
struct HostLiveStatus: AdminLiveStatus {
    let host: CallControlHost

    func counts() async throws -> AdminLiveCounts {
        let status = try await host.status()
        return AdminLiveCounts(registeredDevices: status.registeredDevices, activeCalls: status.activeCalls)
    }

    func registeredDevices() async throws -> [AdminAPI.RegisteredDevice] {
        let sessions = try await self.phoneSessions()
        let names = Array(sessions.keys)
        let fromCore = try await host.withCore { core in
            names.map { name in
                (
                    name,
                    core.isRegistered(name),
                    core.directory.devices[name]?.lines.map(\.rawValue) ?? [],
                    core.calls(of: name).count
                )
            }
        }
        return fromCore.compactMap { name, isRegistered, lines, calls in
            guard isRegistered, let session = sessions[name] else { return nil }
            return AdminAPI.RegisteredDevice(
                name: name.rawValue,
                address: session.remoteAddress.map(Self.describe),
                model: session.registration?.model,
                protocolVersion: session.registration?.protocolVersion,
                lines: lines,
                activeCalls: calls,
                registeredAt: session.registration?.registeredAt.map(Self.date)
            )
        }
        .sorted { $0.name < $1.name }
    }

    /// A page of the phone list: the named phones' registrations, looked up in the session registry rather than by
    /// listing every registered phone.
    func registrations(of names: [String]) async throws -> [String: AdminAPI.RegisteredDevice] {
        let sessions = try await self.phoneSessions()
        let wanted = names.map { DeviceName($0.uppercased()) }.filter { sessions[$0] != nil }
        guard !wanted.isEmpty else { return [:] }
        let fromCore = try await host.withCore { core in
            wanted.map { name in
                (
                    name, core.isRegistered(name), core.directory.devices[name]?.lines.map(\.rawValue) ?? [],
                    core.calls(of: name).count
                )
            }
        }
        var found: [String: AdminAPI.RegisteredDevice] = [:]
        for (name, isRegistered, lines, calls) in fromCore {
            guard isRegistered, let session = sessions[name] else { continue }
            found[name.rawValue.uppercased()] = AdminAPI.RegisteredDevice(
                name: name.rawValue,
                address: session.remoteAddress.map(Self.describe),
                model: session.registration?.model,
                protocolVersion: session.registration?.protocolVersion,
                lines: lines,
                activeCalls: calls,
                registeredAt: session.registration?.registeredAt.map(Self.date)
            )
        }
        return found
    }

    private static func date(_ timestamp: Timestamp) -> Date {
        let (seconds, attoseconds) = timestamp.sinceEpoch.components
        return Date(timeIntervalSince1970: Double(seconds) + Double(attoseconds) / 1e18)
    }

    /// Every call, caller first. A call's legs are found through their peer references; the caller is the leg that
    /// is dialling or hearing ring-back, or else (both connected) the one created first, which has the lower call
    /// reference.
    func activeCalls() async throws -> [AdminAPI.ActiveCall] {
        let names = try await host.registeredSessions().keys.compactMap(\.deviceName)
        return try await host.withCore { core in
            var legs: [CallReference: (CallSummary, String?)] = [:]
            for name in names {
                let lines = core.directory.devices[name]?.lines ?? []
                for leg in core.calls(of: name) {
                    let index = Int(leg.line.rawValue) - 1
                    legs[leg.reference] = (leg, lines.indices.contains(index) ? lines[index].rawValue : nil)
                }
            }
            var calls: [AdminAPI.ActiveCall] = []
            var done = Set<CallReference>()
            for (reference, (leg, number)) in legs.sorted(by: { $0.key.rawValue < $1.key.rawValue })
            where !done.contains(reference) {
                done.insert(reference)
                let peer = leg.peer.flatMap { legs[$0] }
                if let peer { done.insert(peer.0.reference) }
                var caller = (leg, number)
                var callee = peer
                if let other = peer, Self.isCallee(leg.state) || Self.isCaller(other.0.state) {
                    caller = other
                    callee = (leg, number)
                }
                var dialing: String?
                if case .dialing(let digits) = caller.0.state { dialing = digits }
                calls.append(
                    AdminAPI.ActiveCall(
                        caller: Self.party(caller.0, caller.1),
                        callee: callee.map { Self.party($0.0, $0.1) },
                        dialing: dialing
                    )
                )
            }
            return calls
        }
    }

    func resetDevice(named name: String) async throws -> Bool {
        try await host.resetDevice(DeviceName(name))
    }

    /// The SCCP connections in the host's registry, by device name: the sessions whose address, model and protocol
    /// version the status pages show.
    private func phoneSessions() async throws -> [DeviceName: SessionHandle] {
        var phones: [DeviceName: SessionHandle] = [:]
        for (owner, session) in try await host.registeredSessions() {
            guard let name = owner.deviceName, let phone = session as? SessionHandle else { continue }
            phones[name] = phone
        }
        return phones
    }

    private static func isCaller(_ state: CallSummary.State) -> Bool {
        switch state {
        case .dialing, .failed, .ringingOut: true
        case .ringingIn, .connected, .held, .inUseRemote: false
        }
    }

    private static func isCallee(_ state: CallSummary.State) -> Bool {
        if case .ringingIn = state { return true }
        return false
    }

    private static func party(_ leg: CallSummary, _ number: String?) -> AdminAPI.CallParty {
        let state: String
        switch leg.state {
        case .dialing: state = "dialing"
        case .failed: state = "failed"
        case .ringingOut: state = "ringingOut"
        case .ringingIn: state = "ringingIn"
        case .connected: state = "connected"
        case .held: state = "held"
        case .inUseRemote: state = "inUseRemote"
        }
        return AdminAPI.CallParty(
            device: leg.device.rawValue,
            number: number,
            reference: leg.reference.rawValue,
            state: state
        )
    }

    /// `192.0.2.10:51234`, `[2001:db8::1]:51234`.
    private static func describe(_ address: SocketAddress) -> String {
        guard let ip = address.ipAddress else { return "\(address)" }
        let port = address.port.map { ":\($0)" } ?? ""
        if case .v6 = address { return "[\(ip)]\(port)" }
        return ip + port
    }
}
