import AdminHTTP
import CallRuntime
import Certificates
import CoreMetrics
import Foundation
import Logging
import NIOConcurrencyHelpers
import NIOCore
import NIOPosix
import SIPSession
import ServerNIO
import ServiceLifecycle
import Store

/// What `strowger serve` needs to run SIP (issue 15): the ports, the address peers reach Strowger at, and the
/// keepalive interval. nil ``port`` leaves SIP off (tests that do not need it, and `--sip-port off`).
public struct SIPServerConfiguration: Sendable, Equatable {
    /// UDP and TCP (design.md: 5060); nil: no SIP at all; 0 picks a free port.
    public var port: Int?
    /// TLS (design.md: 5061); nil: no TLS listener.
    public var tlsPort: Int?
    /// The address in Via and Contact; nil: the bind address, or the machine's first non-loopback IPv4 address
    /// when the server binds the wildcard.
    public var advertisedAddress: String?
    /// Seconds between OPTIONS keepalives to each trunk.
    public var optionsIntervalSeconds: Int = 30

    public init(port: Int? = nil, tlsPort: Int? = nil, advertisedAddress: String? = nil) {
        self.port = port
        self.tlsPort = tlsPort
        self.advertisedAddress = advertisedAddress
    }
}

extension StrowgerApplication {
    /// The SIP service, or nil when the configuration leaves SIP off.
    static func makeSIPService(
        configuration: ServerConfiguration,
        authority: CertificateAuthority,
        group: any EventLoopGroup,
        host: CallControlHost,
        maximumStreamConnections: Int,
        logger: Logger
    ) throws -> SIPService? {
        guard let port = configuration.sip.port else { return nil }
        var tls: TLSChannelDecorator?
        if configuration.sip.tlsPort != nil {
            // The server certificate SCCPS presents; SIP peers are not asked for a client certificate.
            tls = try TLSChannelDecorator(
                authority: authority,
                configuration: TLSListenerConfiguration(),
                logger: logger
            )
        }
        var endpoint = SIPEndpoint.Settings()
        endpoint.trunk.keepAliveInterval = .seconds(Int64(configuration.sip.optionsIntervalSeconds))
        // Part of the descriptor reserve (DescriptorBudget): never more than the budget gives each listener.
        var guards = SIPGuardConfiguration()
        guards.connections.maximumConnections = min(guards.connections.maximumConnections, maximumStreamConnections)
        return SIPService(
            configuration: SIPService.Configuration(
                host: configuration.bindAddress,
                port: port,
                tlsPort: configuration.sip.tlsPort,
                advertisedHost: configuration.sip.advertisedAddress
                    ?? Self.advertisedAddress(bindAddress: configuration.bindAddress),
                guards: guards,
                endpoint: endpoint,
                userAgent: "Strowger/\(StrowgerVersion.current)"
            ),
            group: group,
            logger: logger,
            tls: tls,
            host: host
        )
    }

    /// The bind address if it names one machine, else this machine's first non-loopback IPv4 address, else
    /// loopback.
    static func advertisedAddress(bindAddress: String) -> String {
        if bindAddress != "0.0.0.0", bindAddress != "::" { return bindAddress }
        let interfaces = (try? System.enumerateDevices()) ?? []
        for device in interfaces {
            if let address = device.address, address.protocol == .inet, let ip = address.ipAddress,
                !ip.hasPrefix("127.")
            {
                return ip
            }
        }
        return "127.0.0.1"
    }

    /// The trunk's record as the SIP stack runs it.
    static func sipTrunk(_ record: TrunkRecord) -> SIPTrunkConfiguration {
        let transport: SIPTransport =
            switch record.transport {
            case .udp: .udp
            case .tcp: .tcp
            case .tls: .tls
            }
        var credentials: DigestCredentials?
        if let user = record.registrationUser, let password = record.registrationPassword {
            credentials = DigestCredentials(username: user, password: password)
        }
        return SIPTrunkConfiguration(
            name: record.name,
            host: record.host,
            port: record.effectivePort,
            transport: transport,
            credentials: credentials,
            fromDomain: record.fromDomain,
            acceptsInboundCredentials: record.acceptsInboundCredentials,
            inboundTranslation: SIPInboundTranslation(
                stripDigits: record.inboundStrip,
                prefix: record.inboundPrefix,
                defaultNumber: record.defaultNumber
            ),
            maximumCalls: record.maxCalls
        )
    }

    /// Per-trunk gauges, brought up to date at every scrape: `strowger_sip_trunk_up{trunk}` (1 up, 0 down, -1
    /// not known yet), `strowger_sip_trunk_registered{trunk}` (1 registered, 0 not, -1 no registration),
    /// `strowger_sip_trunk_last_response_code{trunk}`, `strowger_sip_trunk_calls{trunk}` (calls on the trunk now); and
    /// `strowger_sip_refused_total{reason}`, and `strowger_sip_dtmf_total{direction}` (digits relayed out of band:
    /// `sent` as INFO for a phone's keys, `received` by INFO and played to the phone).
    static func addSIPMetrics(_ service: SIPService, to metrics: AdminMetrics) {
        let factory = metrics.factory
        let gauges = NIOLockedValueBox([String: [Gauge]]())
        var refused: [SIPEndpoint.Refusal: Counter] = [:]
        for reason in SIPEndpoint.Refusal.allCases {
            refused[reason] = Counter(
                label: "strowger_sip_refused_total",
                dimensions: [("reason", reason.rawValue)],
                factory: factory
            )
        }
        let exported = NIOLockedValueBox([SIPEndpoint.Refusal: Int]())
        let dtmfCounters = ["sent", "received"].map {
            Counter(label: "strowger_sip_dtmf_total", dimensions: [("direction", $0)], factory: factory)
        }
        let exportedDTMF = NIOLockedValueBox((sent: 0, received: 0))
        metrics.addCollector { [refused, dtmfCounters] in
            for report in service.trunkReports() {
                let trunkGauges = gauges.withLockedValue { gauges in
                    if let existing = gauges[report.name] { return existing }
                    let made = [
                        "strowger_sip_trunk_up", "strowger_sip_trunk_registered",
                        "strowger_sip_trunk_last_response_code", "strowger_sip_trunk_calls",
                    ].map { Gauge(label: $0, dimensions: [("trunk", report.name)], factory: factory) }
                    gauges[report.name] = made
                    return made
                }
                guard trunkGauges.count == 4 else { continue }
                let status = report.status
                trunkGauges[0].record(status.reachability == .up ? 1 : status.reachability == .down ? 0 : -1)
                switch status.registration {
                case .disabled: trunkGauges[1].record(-1)
                case .registered: trunkGauges[1].record(1)
                case .registering, .failed: trunkGauges[1].record(0)
                }
                trunkGauges[2].record(status.lastResponseCode ?? 0)
                trunkGauges[3].record(report.activeCalls)
            }
            let counts = service.refusals()
            let deltas = exported.withLockedValue { previous -> [SIPEndpoint.Refusal: Int] in
                defer { previous = counts }
                return counts.reduce(into: [:]) { deltas, entry in
                    let delta = entry.value - previous[entry.key, default: 0]
                    if delta > 0 { deltas[entry.key] = delta }
                }
            }
            for (reason, delta) in deltas { refused[reason]?.increment(by: delta) }
            let dtmf = service.dtmfCounts()
            let previous = exportedDTMF.withLockedValue { previous in
                defer { previous = dtmf }
                return previous
            }
            if dtmf.sent > previous.sent { dtmfCounters[0].increment(by: dtmf.sent - previous.sent) }
            if dtmf.received > previous.received { dtmfCounters[1].increment(by: dtmf.received - previous.received) }
        }
    }
}

/// Keeps the SIP service's trunks equal to the Store's: the list at start, then the whole list after every change.
final class SIPTrunkForwarder: Service, Sendable {
    private let store: Store
    private let service: SIPService
    private let logger: Logger

    init(store: Store, service: SIPService, logger: Logger) {
        self.store = store
        self.service = service
        self.logger = logger
    }

    func run() async throws {
        let (trunks, changes) = try await store.trunksAndChanges()
        await service.updateTrunks(trunks.map(StrowgerApplication.sipTrunk))
        await withGracefulShutdownHandler {
            for await list in changes.cancelOnGracefulShutdown() {
                await service.updateTrunks(list.map(StrowgerApplication.sipTrunk))
                logger.info("SIP trunks updated", metadata: ["sip.trunks": "\(list.count)"])
            }
        } onGracefulShutdown: {
        }
    }
}

/// The trunks' live states for the admin API.
struct SIPTrunkStatusSource: AdminTrunkStatus {
    let service: SIPService

    func trunkStatuses() async -> [AdminAPI.TrunkStatus] {
        service.trunkReports().map { report in
            let status = report.status
            let registration: String
            var error: String?
            switch status.registration {
            case .disabled: registration = "disabled"
            case .registering: registration = "registering"
            case .registered: registration = "registered"
            case .failed(let code, let reason, _):
                registration = "failed"
                error = "\(code) \(reason)"
            }
            return AdminAPI.TrunkStatus(
                name: report.name,
                state: status.reachability.rawValue,
                lastResponseCode: status.lastResponseCode,
                lastResponseReason: status.lastResponseCode == nil ? nil : status.lastResponseReason,
                lastCheck: report.lastCheck,
                since: report.since,
                registration: registration,
                registrationUntil: report.registrationTime,
                registrationError: error,
                activeCalls: report.activeCalls
            )
        }
    }
}

extension StrowgerApplication {
    /// The banner line of the SIP ports, or nil when SIP is off.
    func sipSummary() async -> String? {
        guard let sipService else { return nil }
        guard let ports = try? await sipService.boundPorts() else { return "SIP: not bound" }
        let tls = ports.tlsPort.map { ", TLS on \(configuration.bindAddress):\($0)" } ?? ""
        return "SIP on UDP/TCP \(configuration.bindAddress):\(ports.port)\(tls) (trunks: strowger trunk add)"
    }
}
