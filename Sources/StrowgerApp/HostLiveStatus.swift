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

    /// Every call with all its legs, oldest first, from the core's call snapshots.
    func activeCalls() async throws -> [AdminAPI.ActiveCall] {
        try await host.withCore { core in core.liveCalls.compactMap(Self.activeCall) }
    }

    private static func activeCall(_ snapshot: CallSnapshot) -> AdminAPI.ActiveCall? {
        AdminAPI.ActiveCall(
            id: snapshot.id.rawValue,
            legs: snapshot.legs.map(Self.party),
            dialing: snapshot.dialedNumber,
            parkSlot: snapshot.parkSlot?.rawValue,
            huntPilot: snapshot.huntPilot?.rawValue
        )
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

    private static func party(_ leg: LegSnapshot) -> AdminAPI.CallParty {
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
            number: leg.number.rawValue.isEmpty ? nil : leg.number.rawValue,
            reference: leg.reference.rawValue,
            state: state,
            line: leg.line.rawValue
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
