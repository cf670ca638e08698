public import AdminHTTP
import CallControl
public import CallRuntime
public import Certificates
import CoreMetrics
import Dispatch
import Foundation
public import Logging
import NIOConcurrencyHelpers
import NIOCore
import NIOPosix
import Provisioning
public import ServerNIO
public import ServiceLifecycle
import SkinnySession
import SkinnyWire
public import Store
public import UnixSignals

/// The composition root: one server, built from its configuration, run as one `ServiceGroup`.
///
/// At start it opens the Store (`strowger.db` in the data directory), imports a `directory.json` left by an older
/// Strowger once, writes the command line's settings to the Store, creates the first admin token (the file
/// `admin-token`, mode 0600), and starts CallControl from the Store's directory; from then on every committed
/// configuration change reaches the core live. Auto-registrations are persisted, every call's CDR is written by the
/// `CDRWriter`, and the admin API serves on 127.0.0.1. SCCPS (with the CA in the data directory), TFTP and HTTP
/// provisioning from the Store are set up by the helpers in `StrowgerApplication+TLS.swift` (issue 7).
public final class StrowgerApplication: Sendable {
    public let configuration: ServerConfiguration
    /// The CallControl owner; tests read its status.
    public let host: CallControlHost
    /// The SCCP listener; `boundPort()` tells the port when 0 was asked for.
    public let sccpListener: SCCPListener
    /// The admin API; `boundPort()` tells the port when 0 was asked for.
    public let adminServer: AdminServer
    /// The admin API's routes (their event-stream counts, for `/metrics`).
    private let adminRoutes: AdminRoutes
    /// The configuration store and CDR sink.
    public let store: Store
    /// What `/metrics` exports.
    public let metrics: AdminMetrics
    /// Writes CDRs in batches off the call path.
    public let cdrWriter: CDRWriter
    /// Stores what the core reports about devices: auto-registrations, and DND as the phones change it (issue 12).
    private let deviceReports: DeviceReportRecorder
    /// The names of the Store's devices, for the registration gate.
    private let knownDevices: KnownDevices
    /// Each device's last registration, from the registration gate.
    private let registrationTimes: RegistrationTimeRecorder
    /// The session edge's checks on new devices (rates, saved before yes) on both SCCP ports.
    public let registrationGate: RegistrationGate
    /// How the descriptor limit is shared between phones and the other services.
    public let descriptorBudget: DescriptorBudget
    /// Held while the server runs: one server per data directory, and no restore under it.
    private let dataDirectoryLock: DataDirectoryLock
    private let changeForwarder: DirectoryChangeForwarder
    /// Users and device owners to presence (StrowgerApplication+Presence.swift).
    private let presenceForwarder: PresenceStoreForwarder
    private let sessionDrain: SessionDrain
    /// SCCP over TLS: the same pipeline as `sccpListener` behind `tlsDecorator`; `boundPort()` as there.
    public let sccpsListener: SCCPListener
    /// The Strowger CA and the server certificate the SCCPS port presents (in the data directory, or supplied).
    public let certificateAuthority: CertificateAuthority
    /// The SCCPS port's TLS layer; `statistics()` counts handshakes and identity refusals.
    public let tlsDecorator: TLSChannelDecorator
    /// Which devices must present a client certificate, kept current from the Store.
    public let deviceSecurity: DeviceSecurityPolicy
    /// TFTP provisioning: the Store's devices' `SEP<MAC>.cnf.xml`, `XMLDefault.cnf.xml` and the CA certificate.
    public let tftpListener: TFTPListener
    /// HTTP provisioning (TCP 6970): the same files as TFTP, and the phone services under `/services/`.
    public let httpListener: HTTPProvisioningListener
    /// The CTL and ITL files, signed with the SAST in the data directory.
    public let trustLists: TrustListFiles
    /// The cluster port: a node's authenticated heartbeats with `--node`; otherwise drops and counts every datagram.
    public let clusterListener: ClusterListener
    /// The media engine (issue 14): conference bridges, music on hold and tones on the `--media-ports` range, on
    /// an event loop of its own.
    public let mediaServer: MediaServer
    /// The media engine as an endpoint of calls: attaches it to the call core and carries out the core's media
    /// commands; runs `mediaServer` as a service.
    public let mediaSession: MediaServerSession
    /// The music-on-hold sources: converted files in the data directory, loaded into `mediaServer`.
    public let musicLibrary: MusicLibrary
    private let mediaGroup: MultiThreadedEventLoopGroup
    /// SIP on UDP/TCP and TLS, running the trunks (issue 15); nil when SIP is off.
    public let sipService: SIPService?
    private let sipTrunkForwarder: SIPTrunkForwarder?
    private let ioGroup: MultiThreadedEventLoopGroup
    private let coreGroup: MultiThreadedEventLoopGroup
    private let logger: Logger
    /// The running group, for ``triggerGracefulShutdown()``; `shutdownRequested` covers a call before it exists.
    private let running = NIOLockedValueBox<(group: ServiceGroup?, shutdownRequested: Bool)>((nil, false))

    public init(configuration: ServerConfiguration, logger: Logger) async throws {
        self.configuration = configuration
        self.logger = logger
        let dataDirectory = URL(fileURLWithPath: configuration.dataDirectory, isDirectory: true)
        // 0700 and 0600, writable, one server at a time (issue 13).
        for file in try DataDirectory.prepare(dataDirectory) {
            logger.notice("Made private (owner only)", metadata: ["file": "\(file)"])
        }
        self.dataDirectoryLock = try DataDirectoryLock.acquire(in: dataDirectory, purpose: "start another server")
        let budget = DescriptorBudget(
            limit: DescriptorBudget.raiseLimit(),
            sipListeners: configuration.sip.port == nil ? 0 : (configuration.sip.tlsPort == nil ? 1 : 2)
        )
        self.descriptorBudget = budget
        let guards = Self.guards(configuration.guards, within: budget, logger: logger)
        let store = try await Self.openStore(configuration, dataDirectory: dataDirectory, logger: logger)
        self.store = store
        try await DirectoryFileImport.importIfPresent(into: store, dataDirectory: dataDirectory, logger: logger)
        let settings = try await Self.applySettings(from: configuration, to: store)
        // On a database shared with other nodes, this node's token is its own (AdminTokenFile.createIfNeeded).
        let tokenName =
            configuration.database == nil
            ? AdminTokenFile.defaultTokenName : "\(AdminTokenFile.defaultTokenName)-\(store.node)"
        if try await AdminTokenFile.createIfNeeded(store: store, dataDirectory: dataDirectory, name: tokenName) != nil {
            logger.notice(
                "Created the admin token",
                metadata: ["admin.tokenFile": "\(AdminTokenFile.url(in: dataDirectory).path)"]
            )
        }
        guard configuration.callManagers.count <= CallManagerAddress.maximumCount else {
            throw StrowgerConfigurationError(
                "at most \(CallManagerAddress.maximumCount) --callmanager nodes (a phone's CallManager group holds 3),"
                    + " got \(configuration.callManagers.count)"
            )
        }
        let authority = try await offThePool {
            try Self.loadCertificateAuthority(
                configuration: configuration,
                dataDirectory: dataDirectory,
                logger: logger
            )
        }
        self.certificateAuthority = authority
        let trustLists = try await offThePool {
            try Self.makeTrustLists(authority: authority, dataDirectory: dataDirectory, logger: logger)
        }
        self.trustLists = trustLists
        let deviceSecurity = try await DeviceSecurityPolicy(store: store, logger: logger)
        self.deviceSecurity = deviceSecurity
        let (directory, changes) = try await store.directoryAndChanges()

        let metrics = AdminMetrics()
        self.metrics = metrics
        let cdrWriter = CDRWriter(store: store, logger: logger)
        self.cdrWriter = cdrWriter
        let ledger = AutoRegistrationLedger(pause: configuration.autoRegistrationLimits.pauseAfterSaveFailure)
        let deviceReports = DeviceReportRecorder(store: store, logger: logger, ledger: ledger)
        self.deviceReports = deviceReports
        let (knownSnapshot, knownChanges) = try await store.directoryAndChanges()
        let knownDevices = KnownDevices(directory: knownSnapshot, changes: knownChanges)
        self.knownDevices = knownDevices
        let registrationTimes = RegistrationTimeRecorder(store: store, logger: logger)
        self.registrationTimes = registrationTimes
        // A cluster node tells the other nodes where its phones register (docs/cluster.md).
        let clusterLocations = configuration.clusterNode.map { _ in ClusterLocationFeed() }
        var autoRegistrationLimits = configuration.autoRegistrationLimits
        autoRegistrationLimits.exemptNetworks = configuration.guards.exemptNetworks
        let gate = RegistrationGate(
            limits: autoRegistrationLimits,
            ledger: ledger,
            isKnownDevice: { knownDevices.contains($0) },
            observer: { observation in
                registrationTimes.observe(observation)
                clusterLocations?.observe(observation)
            },
            saveDeadline: autoRegistrationLimits.saveDeadline
        )
        self.registrationGate = gate

        // One event loop per core for sockets; the call-control core gets a loop of its own so that a busy socket loop
        // never delays call logic (design.md: one owner). Sessions reach it with one hop per loop tick (SessionLoop).
        // STROWGER_EXPERIMENT_CORE_LOOP=io runs it on a socket loop instead, for comparison: issue 16 measured no
        // difference in CPU per registration or per call beyond the noise (BENCHMARKS.md), so the default stays.
        self.ioGroup = MultiThreadedEventLoopGroup(numberOfThreads: max(1, System.coreCount))
        self.coreGroup = MultiThreadedEventLoopGroup(numberOfThreads: 1)
        // The media engine's 20 ms tick gets a thread of its own, so that no socket or call work delays it.
        self.mediaGroup = MultiThreadedEventLoopGroup(numberOfThreads: 1)
        self.mediaServer = MediaServer(
            configuration: Self.mediaConfiguration(configuration),
            eventLoop: self.mediaGroup.next(),
            logger: logger,
            onEvent: MediaServerSession.eventHandler(logger: logger)
        )
        self.musicLibrary = MusicLibrary(
            dataDirectory: dataDirectory,
            store: store,
            media: self.mediaServer,
            logger: logger
        )
        try await self.musicLibrary.loadAll()
        let coreLoop: any EventLoop =
            ProcessInfo.processInfo.environment["STROWGER_EXPERIMENT_CORE_LOOP"] == "io"
            ? self.ioGroup.next() : self.coreGroup.next()
        self.host = CallControlHost(
            core: CallControlCore(directory: directory),
            configuration: .init(keepAliveInterval: .seconds(Int64(settings.keepAliveSeconds))),
            eventLoop: coreLoop,
            logger: logger,
            onCallRecord: { record in
                // On the core's loop: queue and count, never wait.
                cdrWriter.submit(record)
                metrics.callEnded(cause: CallDetailRecord.EndCause(record.endCause).rawValue)
                logger.debug(
                    "Call ended",
                    metadata: [
                        "call.calling": "\(record.callingNumber)", "call.dialed": "\(record.dialedNumber)",
                        "call.cause": "\(record.endCause)",
                    ]
                )
            },
            onAutoRegistered: { device, number in
                deviceReports.record(device: device, number: number)
            },
            onDoNotDisturbChanged: { device, isOn in
                deviceReports.recordDoNotDisturb(device: device, isOn: isOn)
            }
        )
        self.mediaSession = MediaServerSession(
            mediaServer: self.mediaServer,
            host: self.host,
            maximumParticipants: configuration.conferenceMaximum,
            logger: logger
        )
        let coreHost = self.host
        deviceReports.onOutcome(
            saved: { knownDevices.insert($0) },
            revoke: { device, number in
                // Not saved: the core forgets the device and gives its number back; the phone was refused.
                coreHost.submit(.directoryChanged(.removeDevice(device)))
                coreHost.submit(.directoryChanged(.removeLine(number)))
            }
        )
        self.changeForwarder = DirectoryChangeForwarder(changes: changes, host: self.host)
        self.presenceForwarder = try await Self.startPresence(store: store, host: self.host)
        self.sessionDrain = SessionDrain(host: self.host)

        // Each port's sessions count what they close into that port's guard.
        let host = self.host
        let sccpMetrics = SCCPMetrics(factory: metrics.factory)
        func sessionInitializer(_ listenerGuard: ListenerGuard) -> SCCPSessionInitializer {
            SCCPSessionInitializer(
                host: host,
                // The keepalive and the date template are read here, at start: a change applies at restart.
                sessionConfiguration: SessionConfiguration(
                    keepAliveInterval: UInt32(settings.keepAliveSeconds),
                    dateTemplate: settings.dateTemplate,
                    serverName: "Strowger",
                    serverPort: UInt32(configuration.sccpPort)
                ),
                logger: logger,
                metrics: sccpMetrics,
                counters: listenerGuard.counters
            )
        }
        let sccpGuard = ListenerGuard(service: "sccp", configuration: guards, logger: logger)
        let sccpSessions = gate.wrap(listenerGuard: sccpGuard, sessionInitializer(sccpGuard).initialize)
        // A device that requires mutual TLS cannot fall back to plain SCCP.
        let identity = TLSDeviceIdentityCheck(
            requiresClientCertificate: { deviceSecurity.requiresClientCertificate($0) },
            logger: logger
        )
        self.sccpListener = SCCPListener(
            configuration: .init(host: configuration.bindAddress, port: configuration.sccpPort),
            group: self.ioGroup,
            logger: logger,
            connectionGuard: sccpGuard,
            sessionInitializer: identity.wrap { channel in try sccpSessions(channel) }
        )
        let tls = try Self.makeTLSDecorator(
            authority: authority,
            policy: deviceSecurity,
            legacy: configuration.tlsLegacy,
            logger: logger
        )
        self.tlsDecorator = tls
        // The handshake runs under the guard: the connection holds an unregistered slot and the Register deadline
        // runs from accept; a failed or late handshake is counted (tls_handshake_failed, tls_handshake_timeout).
        let sccpsGuard = ListenerGuard(service: "sccps", configuration: guards, logger: logger)
        let sccpsSessions = gate.wrap(listenerGuard: sccpsGuard, sessionInitializer(sccpsGuard).initialize)
        self.sccpsListener = SCCPListener(
            configuration: .init(host: configuration.bindAddress, port: configuration.sccpsPort),
            group: self.ioGroup,
            logger: logger,
            connectionGuard: sccpsGuard,
            sessionInitializer: tls.wrap { channel in try sccpsSessions(channel) }
        )
        let presence = HostPresence(host: self.host, store: store)
        let provisioningFiles: ProvisioningFileProvider
        (self.tftpListener, self.httpListener, provisioningFiles) = Self.makeProvisioningListeners(
            configuration: configuration,
            store: store,
            authority: authority,
            trustLists: trustLists,
            services: PhoneServiceLinks(
                presence: presence,
                registeredAddress: { [host = self.host] name in
                    let session = try await host.registeredSessions()[.device(DeviceName(name))]
                    return (session as? SessionHandle)?.remoteAddress?.ipAddress
                }
            ),
            dataDirectory: dataDirectory,
            sccp: self.sccpListener,
            sccps: self.sccpsListener,
            group: self.ioGroup,
            budget: budget,
            logger: logger
        )
        self.clusterListener = ClusterListener(
            configuration: .init(
                host: configuration.bindAddress,
                port: configuration.clusterPort,
                members: configuration.clusterMembers,
                node: try Self.clusterNodeSettings(
                    configuration.clusterNode,
                    store: store,
                    host: self.host,
                    locations: clusterLocations
                )
            ),
            group: self.ioGroup,
            logger: logger
        )
        let sipService = try Self.makeSIPService(
            configuration: configuration,
            authority: authority,
            group: self.ioGroup,
            host: self.host,
            maximumStreamConnections: budget.sipConnectionsPerListener,
            logger: logger
        )
        self.sipService = sipService
        self.sipTrunkForwarder = sipService.map { SIPTrunkForwarder(store: store, service: $0, logger: logger) }
        var adminRoutes = AdminRoutes(
            store: store,
            live: HostLiveStatus(host: self.host),
            metrics: metrics,
            version: StrowgerVersion.current,
            presence: presence,
            music: self.musicLibrary
        )
        adminRoutes.trunkStatus = sipService.map { SIPTrunkStatusSource(service: $0) }
        adminRoutes.clusterStatus = ClusterStatusSource(listener: self.clusterListener)
        adminRoutes.eventStreamLimits = configuration.eventStreamLimits
        // The web pages (docs/web.md): cookies `Secure` over TLS, the data directory's disk on the dashboard, and
        // each phone's cnf.xml as provisioning serves it.
        adminRoutes.web.secureCookies = configuration.adminTLS
        adminRoutes.web.dataDirectory = configuration.dataDirectory
        adminRoutes.web.configurationFile = { name in
            try await provisioningFiles.contents(ofFile: "\(DeviceName.canonicalSpelling(of: name)).cnf.xml")
                .map { String(buffer: $0) }
        }
        self.adminRoutes = adminRoutes
        self.adminServer = AdminServer(
            configuration: .init(
                host: configuration.adminBindAddress,
                port: configuration.adminPort,
                maximumConnections: budget.adminConnections,
                tls: configuration.adminTLS
                    ? (authority.server.certificateChainPEM, authority.server.privateKeyPEM) : nil
            ),
            routes: adminRoutes,
            eventLoopGroup: self.ioGroup,
            logger: logger
        )
        Self.addHardeningMetrics(
            to: metrics,
            recorder: deviceReports,
            registrationTimes: registrationTimes,
            gate: gate,
            routes: adminRoutes
        )
        Self.addCDRMetrics(cdrWriter, to: metrics)
        Self.addMediaMetrics(self.mediaServer, to: metrics)
        let listeners = (
            self.sccpListener, self.sccpsListener, self.tftpListener, self.httpListener, self.clusterListener
        )
        let admin = (self.adminServer, adminRoutes)
        Self.addGuardMetrics(
            to: metrics,
            services: ["sccp", "sccps", "tftp", "http", "cluster", "admin"]
                + (sipService == nil ? [] : ["sip-udp", "sip-tcp", "sips"])
        ) {
            [
                listeners.0.connectionGuard.statistics(), listeners.1.connectionGuard.statistics(),
                listeners.2.guardStatistics(), listeners.3.guardStatistics(), listeners.4.statistics(),
                Self.adminGuardStatistics(server: admin.0, routes: admin.1),
            ] + (sipService?.guardStatistics() ?? [])
        }
        if let sipService { Self.addSIPMetrics(sipService, to: metrics) }
    }

    /// Every listener's guard statistics (`GuardStatistics.prometheusText`).
    public func guardStatistics() -> [GuardStatistics] {
        [
            self.sccpListener.connectionGuard.statistics(), self.sccpsListener.connectionGuard.statistics(),
            self.tftpListener.guardStatistics(), self.httpListener.guardStatistics(), self.clusterListener.statistics(),
            Self.adminGuardStatistics(server: self.adminServer, routes: self.adminRoutes),
        ] + (self.sipService?.guardStatistics() ?? [])
    }

    /// The services in dependency order; they stop in reverse: the listeners and the admin API first, then the
    /// sessions are ended (their calls' records submitted), then the change feed, and last the writers drain.
    public var services: [any Service] {
        [
            cdrWriter, deviceReports, registrationTimes, knownDevices, changeForwarder, presenceForwarder,
            deviceSecurity,
        ] + (self.configuration.database == nil ? [] : [ChangeLogFollower(store: self.store)]) + [
            // The media server stops after the sessions are ended, so that calls on a bridge end with the phones'
            // own records rather than falling back when the bridge goes.
            mediaSession,
            sessionDrain,
            // The SCCPS listener starts last. Measured with the DoS drill, not explained: when it bound right after
            // port 2000, 2000's accepts outran its connections' setup under a connect/close flood (SECURITY.md).
            sccpListener, tftpListener, httpListener, clusterListener, adminServer, sccpsListener,
        ] + ([sipService as (any Service)?, sipTrunkForwarder as (any Service)?].compactMap { $0 }) + [
            GuardStatisticsReporter(
                interval: .milliseconds(Int64(self.configuration.guardReportSeconds * 1000)),
                logger: self.logger,
                statistics: { [self] in self.guardStatistics() }
            ),
            MemoryTrimmer(logger: self.logger) { [self] in
                self.sccpListener.connectionGuard.statistics().openConnections
                    + self.sccpsListener.connectionGuard.statistics().openConnections
            },
        ]
    }

    /// Runs every service until SIGTERM or SIGINT (or cancellation), then shuts the event loops down.
    public func run(gracefulShutdownSignals: [UnixSignal] = [.sigterm, .sigint]) async throws {
        let group = ServiceGroup(
            configuration: .init(
                services: self.services.map { .init(service: $0) },
                gracefulShutdownSignals: gracefulShutdownSignals,
                logger: self.logger
            )
        )
        let alreadyRequested = self.running.withLockedValue { running in
            running.group = group
            return running.shutdownRequested
        }
        if alreadyRequested { await group.triggerGracefulShutdown() }
        do {
            try await group.run()
        } catch {
            self.store.finishChanges()
            await self.checkpointAndUnlock()
            try? await self.shutdownEventLoops()
            throw error
        }
        self.store.finishChanges()
        await self.checkpointAndUnlock()
        try await self.shutdownEventLoops()
    }

    /// After the writers drained: the write-ahead log goes into `strowger.db` (so that the file alone is the whole
    /// database after a clean stop), and the data directory is unlocked.
    private func checkpointAndUnlock() async {
        do {
            try await self.store.checkpoint()
        } catch {
            self.logger.warning("Could not checkpoint the database at shutdown", metadata: ["error": "\(error)"])
        }
        self.dataDirectoryLock.release()
    }

    /// Stops the server the way SIGTERM does: the listeners stop, the sessions end (their calls' records are
    /// submitted), and the CDR and auto-registration writers drain.
    public func triggerGracefulShutdown() async {
        let group = self.running.withLockedValue { running in
            running.shutdownRequested = true
            return running.group
        }
        await group?.triggerGracefulShutdown()
    }

    private func shutdownEventLoops() async throws {
        try await self.ioGroup.shutdownGracefully()
        try await self.coreGroup.shutdownGracefully()
        try await self.mediaGroup.shutdownGracefully()
    }

    /// Messages for services that accept options but are not built yet.
    public var notBuiltYet: [String] {
        [self.clusterSummary]
    }

    /// Writes the auto-registration settings the command line gave to the Store (which keeps them for later starts
    /// and serves them through the API) and returns the settings in force for this run.
    private static func applySettings(
        from configuration: ServerConfiguration,
        to store: Store
    ) async throws -> SettingsRecord {
        var settings = try await store.settings()
        let stored = settings
        if let enabled = configuration.autoRegistration { settings.autoRegistrationEnabled = enabled }
        if let range = configuration.autoRegistrationRange {
            settings.autoRegistrationFirstNumber = range.lowerBound
            settings.autoRegistrationLastNumber = range.upperBound
        }
        if settings != stored {
            do {
                settings = try await store.update(settings)
            } catch let error as StoreError {
                throw StrowgerConfigurationError("the command line's settings are not valid: \(error.message)")
            }
        }
        // The keepalive given on the command line holds for this run only (tests use a second or two, below what
        // the Store accepts); without it, the stored setting applies.
        if let keepAlive = configuration.keepAliveSeconds { settings.keepAliveSeconds = keepAlive }
        return settings
    }

    /// The listeners' guard counts (SECURITY.md), brought up to date at every scrape:
    /// `strowger_guard_rejections_total{service,reason}` (every reason from the start, at 0) and the gauges
    /// `strowger_guard_open_connections`, `strowger_guard_unregistered_connections`, `strowger_guard_banned_sources`.
    private static func addGuardMetrics(
        to metrics: AdminMetrics,
        services: [String],
        statistics: @escaping @Sendable () -> [GuardStatistics]
    ) {
        let factory = metrics.factory
        var counters: [String: [GuardRejectionReason: Counter]] = [:]
        var gauges: [String: [Gauge]] = [:]
        for service in services {
            var byReason: [GuardRejectionReason: Counter] = [:]
            for reason in GuardRejectionReason.allCases {
                byReason[reason] = Counter(
                    label: "strowger_guard_rejections_total",
                    dimensions: [("service", service), ("reason", reason.rawValue)],
                    factory: factory
                )
            }
            counters[service] = byReason
            gauges[service] = [
                "strowger_guard_open_connections", "strowger_guard_unregistered_connections",
                "strowger_guard_banned_sources",
            ].map { Gauge(label: $0, dimensions: [("service", service)], factory: factory) }
        }
        // What the counters already hold, so that each scrape adds only what is new.
        let exported = NIOLockedValueBox([String: [GuardRejectionReason: Int]]())
        metrics.addCollector { [counters, gauges] in
            for item in statistics() {
                let deltas = exported.withLockedValue { exported -> [GuardRejectionReason: Int] in
                    let previous = exported[item.service] ?? [:]
                    exported[item.service] = item.rejections
                    return item.rejections.reduce(into: [:]) { deltas, entry in
                        let delta = entry.value - previous[entry.key, default: 0]
                        if delta > 0 { deltas[entry.key] = delta }
                    }
                }
                for (reason, delta) in deltas {
                    counters[item.service]?[reason]?.increment(by: delta)
                }
                if let serviceGauges = gauges[item.service], serviceGauges.count == 3 {
                    serviceGauges[0].record(item.openConnections)
                    serviceGauges[1].record(item.unregisteredConnections)
                    serviceGauges[2].record(item.bannedSources)
                }
            }
        }
    }

    /// The CDR writer's counts, copied at every scrape.
    private static func addCDRMetrics(_ writer: CDRWriter, to metrics: AdminMetrics) {
        let factory = metrics.factory
        let pending = Gauge(label: "strowger_cdr_pending", factory: factory)
        let written = Gauge(label: "strowger_cdr_written", factory: factory)
        let dropped = Gauge(label: "strowger_cdr_dropped", factory: factory)
        let failed = Gauge(label: "strowger_cdr_failed", factory: factory)
        metrics.addCollector {
            let statistics = writer.statistics
            pending.record(statistics.pending)
            written.record(statistics.written)
            dropped.record(statistics.dropped)
            failed.record(statistics.failed)
        }
    }
}
