import AdminHTTP
import Certificates
import Foundation
import Logging
import NIOConcurrencyHelpers
import NIOCore
import Provisioning
import ServerNIO
import Store

/// SCCPS and provisioning for ``StrowgerApplication`` (issue 7): the CA and server certificate, the TLS decorator
/// and the per-device client-certificate check, and the CallManager group the provisioning files name.
extension StrowgerApplication {
    /// Loads the Strowger CA and the SCCPS server certificate from the data directory, creating what is missing
    /// (docs/tls.md), or takes the user's own server certificate. Blocking file I/O and key generation: call it off
    /// the cooperative pool.
    static func loadCertificateAuthority(
        configuration: ServerConfiguration,
        dataDirectory: URL,
        logger: Logger
    ) throws -> CertificateAuthority {
        var server = ServerCertificateConfiguration(names: Self.certificateNames(configuration))
        switch (configuration.tlsCertificatePath, configuration.tlsPrivateKeyPath) {
        case (nil, nil):
            if configuration.tlsTrustAnchorPath != nil {
                throw StrowgerConfigurationError(
                    "--tls-ca goes with --tls-certificate and --tls-key (the CA of a server certificate you supply)"
                )
            }
        case (let certificate?, let key?):
            for (option, path) in [
                ("--tls-certificate", certificate), ("--tls-key", key), ("--tls-ca", configuration.tlsTrustAnchorPath),
            ] {
                guard let path else { continue }
                guard FileManager.default.isReadableFile(atPath: path) else {
                    throw StrowgerConfigurationError("\(option) \(path): no such file, or it cannot be read")
                }
            }
            server.supplied = SuppliedServerCertificate(
                certificateChainPath: certificate,
                privateKeyPath: key,
                trustAnchorPath: configuration.tlsTrustAnchorPath
            )
        case (_?, nil):
            throw StrowgerConfigurationError("--tls-certificate needs --tls-key (the certificate's private key)")
        case (nil, _?):
            throw StrowgerConfigurationError("--tls-key needs --tls-certificate (the certificate chain it belongs to)")
        }
        let authority: CertificateAuthority
        do {
            authority = try CertificateAuthority.loadOrCreate(
                in: dataDirectory,
                configuration: CertificateAuthority.Configuration(server: server)
            )
        } catch let error as CertificateAuthorityError {
            throw StrowgerConfigurationError("the SCCPS certificates cannot be used: \(error)")
        }
        logger.notice(
            "SCCPS certificates ready",
            metadata: [
                "tls.ca": "\(Self.describe(authority.origin))",
                "tls.server": "\(Self.describe(authority.server.origin))",
                "tls.serverCertificate": "\(authority.server.certificatePath)",
            ]
        )
        for warning in authority.warnings {
            logger.warning("\(warning)")
        }
        return authority
    }

    /// The names the generated server certificate carries: the bind address and every CallManager host (the
    /// loopback names are always added; wildcards are skipped).
    static func certificateNames(_ configuration: ServerConfiguration) -> [String] {
        var names = [configuration.bindAddress]
        for node in configuration.callManagers where !names.contains(node.host) {
            names.append(node.host)
        }
        if configuration.callManagers.isEmpty, let address = Self.defaultAdvertisedHost(configuration),
            !names.contains(address)
        {
            names.append(address)
        }
        return names
    }

    static func describe(_ origin: CertificateAuthority.Origin) -> String {
        switch origin {
        case .created: "created"
        case .loaded: "loaded"
        case .reissued(let reason): "reissued (\(reason))"
        case .supplied: "supplied"
        }
    }

    /// The TLS decorator of the SCCPS port: it asks every client for a certificate (opportunistic: a phone without
    /// one, or with one from another CA such as a Cisco phone's manufacturer certificate, may register unless its
    /// device requires one; one from the Strowger CA names the device) and checks the CN against the device name at
    /// Register.
    static func makeTLSDecorator(
        authority: CertificateAuthority,
        policy: DeviceSecurityPolicy,
        legacy: Bool,
        logger: Logger
    ) throws -> TLSChannelDecorator {
        do {
            return try TLSChannelDecorator(
                authority: authority,
                configuration: TLSListenerConfiguration(clientAuthentication: .opportunistic, allowsLegacyTLS: legacy),
                logger: logger,
                requiresClientCertificate: { policy.requiresClientCertificate($0) }
            )
        } catch {
            throw StrowgerConfigurationError("the SCCPS server certificate or key cannot be used for TLS: \(error)")
        }
    }

    /// Loads the SAST from the data directory, creating it on the first start (docs/tls.md, "Trust lists"), and
    /// sets up the trust lists it signs. Blocking file I/O and key generation: call it off the cooperative pool.
    static func makeTrustLists(
        authority: CertificateAuthority,
        dataDirectory: URL,
        logger: Logger
    ) throws -> TrustListFiles {
        let sast: SystemAdministratorToken
        do {
            sast = try SystemAdministratorToken.loadOrCreate(in: dataDirectory)
        } catch let error as CertificateAuthorityError {
            throw StrowgerConfigurationError("the SAST that signs the trust lists cannot be used: \(error)")
        }
        // Phones that read trust lists speak RSA only: the CCM records carry the RSA server certificate (or the
        // user's own certificate when it is RSA).
        let rsa = authority.serverCredentials.first { $0.keyType == .rsa }
        if rsa == nil {
            logger.warning("No RSA server certificate: the trust lists name no call manager, so phones cannot use TLS")
        }
        logger.notice(
            "Trust lists ready",
            metadata: [
                "tls.sast": "\(Self.describe(sast.origin))",
                "tls.sastCertificate":
                    "\(sast.directory.appendingPathComponent(SystemAdministratorToken.FileName.certificate).path)",
            ]
        )
        return TrustListFiles(
            dataDirectory: dataDirectory,
            sast: sast,
            callManagerCertificate: rsa,
            logger: logger
        )
    }

    /// What the phone services need from the running server, beside the Store.
    struct PhoneServiceLinks {
        /// Presence as users see it.
        var presence: any AdminPresence
        /// Where a device is registered from now.
        var registeredAddress: @Sendable (String) async throws -> String?
    }

    /// The TFTP and HTTP provisioning listeners, serving the same files from the Store (`StoreProvisioningSource`)
    /// and the firmware folder: the CallManager group carries the SCCP and SCCPS listeners' bound ports. The HTTP
    /// listener also serves the phone services (docs/phone-services.md).
    static func makeProvisioningListeners(
        configuration: ServerConfiguration,
        store: Store,
        authority: CertificateAuthority,
        trustLists: TrustListFiles,
        services: PhoneServiceLinks,
        dataDirectory: URL,
        sccp: SCCPListener,
        sccps: SCCPListener,
        group: any EventLoopGroup,
        budget: DescriptorBudget,
        logger: Logger
    ) -> (TFTPListener, HTTPProvisioningListener, ProvisioningFileProvider) {
        // The HTTP listener's port is known once it is bound; the URLs in the files ask for it then.
        let httpListener = NIOLockedValueBox<HTTPProvisioningListener?>(nil)
        let baseURL: @Sendable () async throws -> String? = {
            guard let listener = httpListener.withLockedValue({ $0 }) else { return nil }
            return Self.servicesBaseURL(configuration, port: try await listener.boundPort())
        }
        var source = StoreProvisioningSource(
            store: store,
            callManagers: {
                try await Self.callManagerNodes(configuration, sccp: sccp.boundPort(), sccps: sccps.boundPort())
            },
            caCertificatePEM: authority.server.trustAnchorPEM
        )
        source.servicesBaseURL = baseURL
        source.idleURL = configuration.idleURL
        source.idleTimeoutSeconds = configuration.idleTimeoutSeconds
        source.trustLists = trustLists
        source.trustListPolicy = configuration.trustLists
        let files = ProvisioningFileProvider(source: source, files: FirmwareFolder(dataDirectory: dataDirectory))
        let phoneServices = PhoneServices(
            source: StorePhoneServicesSource(
                store: store,
                presence: services.presence,
                registeredAddress: services.registeredAddress
            ),
            fallbackBaseURL: { (try? await baseURL()) ?? "http://127.0.0.1:\(configuration.httpPort)" }
        )
        var tftp = TFTPListener.Configuration(
            host: configuration.bindAddress,
            port: configuration.tftpPort,
            fallbackPort: configuration.tftpPort == 69 ? 6969 : nil
        )
        tftp.allowedNetworks = configuration.tftpAllowedNetworks
        // Their caps are part of the descriptor reserve (DescriptorBudget): never more than they were given.
        tftp.policy.maximumConcurrentTransfers = min(tftp.policy.maximumConcurrentTransfers, budget.tftpTransfers)
        var http = HTTPProvisioningListener.Configuration(host: configuration.bindAddress, port: configuration.httpPort)
        http.allowedNetworks = configuration.httpAllowedNetworks
        http.maximumConnections = min(http.maximumConnections, budget.httpConnections)
        let listener = HTTPProvisioningListener(
            configuration: http,
            fileProvider: files,
            phoneServices: phoneServices,
            group: group,
            logger: logger
        )
        httpListener.withLockedValue { $0 = listener }
        return (TFTPListener(configuration: tftp, fileProvider: files, group: group, logger: logger), listener, files)
    }

    /// `http://host:port` of the phone services as the cnf.xml names them: `--services-host`, else the first
    /// `--callmanager` host, else the address phones are told to register with.
    static func servicesBaseURL(_ configuration: ServerConfiguration, port: Int) -> String {
        let host =
            configuration.servicesHost ?? configuration.callManagers.first?.host
            ?? Self.defaultAdvertisedHost(configuration) ?? "127.0.0.1"
        let bracketed = host.contains(":") && !host.hasPrefix("[") ? "[\(host)]" : host
        return "http://\(bracketed):\(port)"
    }

    /// Where phones are told to connect when no `--callmanager` is given: the bind address, or for a wildcard bind
    /// the machine's first non-loopback IPv4 address (then IPv6); nil when the machine has none.
    static func defaultAdvertisedHost(_ configuration: ServerConfiguration) -> String? {
        let bind = configuration.bindAddress
        guard bind == "0.0.0.0" || bind == "::" || bind.isEmpty else { return bind }
        let addresses = ((try? System.enumerateDevices()) ?? []).compactMap { device -> SocketAddress? in
            guard let address = device.address, let ip = address.ipAddress, ip != "127.0.0.1", ip != "::1",
                !ip.hasPrefix("fe80")
            else { return nil }
            return address
        }
        let v4 = addresses.first { if case .v4 = $0 { true } else { false } }
        return (v4 ?? addresses.first)?.ipAddress
    }

    /// The fallback CallManager group of the provisioning files, for devices whose group is not in the Store (and no
    /// `Default` group is): `configuration.callManagers`, or this server alone, with this server's bound ports where
    /// a node gives none.
    static func callManagerNodes(_ configuration: ServerConfiguration, sccp: Int, sccps: Int) -> [CnfXML.Node] {
        var addresses = configuration.callManagers
        if addresses.isEmpty {
            addresses = [CallManagerAddress(host: Self.defaultAdvertisedHost(configuration) ?? "127.0.0.1")]
        }
        return addresses.prefix(CallManagerAddress.maximumCount).map { address in
            CnfXML.Node(
                name: address.host,
                address: address.host,
                sccpPort: address.sccpPort ?? sccp,
                sccpsPort: address.sccpsPort ?? sccps
            )
        }
    }

    /// One line per phone-facing service for the start-up banner: where it listens and what it serves.
    public func serviceSummary() async -> [String] {
        func port(_ bound: () async throws -> Int) async -> String {
            (try? await bound()).map(String.init) ?? "not bound"
        }
        let bind = self.configuration.bindAddress
        let authority = self.certificateAuthority
        return [
            "SCCPS (TLS) on \(bind):\(await port(self.sccpsListener.boundPort)), CA certificate "
                + authority.directory.appendingPathComponent(CertificateAuthority.FileName.authorityCertificate).path,
            "TFTP on UDP \(bind):\(await port(self.tftpListener.boundPort)), "
                + "HTTP provisioning on \(bind):\(await port(self.httpListener.boundPort))",
            "Media (RTP) on UDP \(bind):\(self.configuration.mediaPorts.lowerBound)-"
                + "\(self.configuration.mediaPorts.upperBound): conference bridge and music on hold (phase 1: not"
                + " yet used by calls)",
        ] + (await self.sipSummary().map { [$0] } ?? [])
    }
}
