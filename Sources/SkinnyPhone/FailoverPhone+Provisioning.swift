public import NIOCore
import Provisioning

extension FailoverPhone {
    /// A CallManager list as the phone's configuration file gives it (`<callManagerGroup>` of its cnf.xml).
    public struct ProvisionedGroup: Hashable, Sendable {
        /// The file the list came from: `SEP<MAC>.cnf.xml`, or `XMLDefault.cnf.xml` when the TFTP server has no file
        /// for the device (a phone that auto-registers).
        public var fileName: String
        /// The group's name (`<callManagerGroup><name>`).
        public var name: String
        /// The members in priority order (at most three, as a Cisco phone takes), each at its SCCP port
        /// (`<ethernetPhonePort>`, 2000 when the file gives none).
        public var callManagers: [CallManager]
    }

    /// Fetches the configuration of `deviceName` over TFTP and reads its CallManager list, as a Cisco phone does after
    /// DHCP option 150 named its TFTP server: `SEP<MAC>.cnf.xml` first, `XMLDefault.cnf.xml` when the server has no
    /// file for the device (TFTP ERROR 1).
    ///
    /// - Throws: `SkinnyPhoneError` with code `.provisioningFailed`: no file, no answer, or a file without a usable
    ///   list (the `CnfXMLReadError` in words).
    public static func provisionedGroup(
        deviceName: String,
        tftpHost: String,
        tftpPort: Int = 69,
        localAddress: String? = nil,
        timeout: Duration = .seconds(10),
        group: any EventLoopGroup
    ) async throws -> ProvisionedGroup {
        var fileName = CnfXMLGenerator.fileName(forDevice: deviceName)
        let file: ByteBuffer
        do {
            file = try await Self.fetch(fileName, tftpHost, tftpPort, localAddress, timeout, group)
        } catch TFTPReadFailure.refused(.fileNotFound, _) {
            fileName = CnfXMLGenerator.defaultFileName
            do {
                file = try await Self.fetch(fileName, tftpHost, tftpPort, localAddress, timeout, group)
            } catch {
                throw SkinnyPhoneError.provisioningFailed(
                    deviceName,
                    "no \(CnfXMLGenerator.fileName(forDevice: deviceName)) on \(tftpHost):\(tftpPort), and \(fileName): \(error)"
                )
            }
        } catch {
            throw SkinnyPhoneError.provisioningFailed(deviceName, "\(fileName) from \(tftpHost):\(tftpPort): \(error)")
        }
        let callManagerGroup: CnfXML.CallManagerGroup
        do {
            callManagerGroup = try CnfXMLReader.callManagerGroup(from: file.readableBytesView)
        } catch {
            throw SkinnyPhoneError.provisioningFailed(deviceName, "\(fileName): \(error)")
        }
        return ProvisionedGroup(
            fileName: fileName,
            name: callManagerGroup.name,
            callManagers: callManagerGroup.members.map { CallManager(host: $0.address, port: $0.sccpPort) }
        )
    }

    /// Fetches the phone's CallManager list over TFTP (`provisionedGroup`, with the configuration's device name and
    /// local address) and starts the phone with it.
    public static func start(
        tftpHost: String,
        tftpPort: Int = 69,
        configuration: SkinnyPhone.Configuration,
        policy: Policy = Policy(),
        group: any EventLoopGroup
    ) async throws -> FailoverPhone {
        let provisioned = try await Self.provisionedGroup(
            deviceName: configuration.deviceName,
            tftpHost: tftpHost,
            tftpPort: tftpPort,
            localAddress: configuration.localAddress,
            group: group
        )
        return try await Self.start(
            callManagers: provisioned.callManagers,
            configuration: configuration,
            policy: policy,
            group: group
        )
    }

    private static func fetch(
        _ fileName: String,
        _ host: String,
        _ port: Int,
        _ localAddress: String?,
        _ timeout: Duration,
        _ group: any EventLoopGroup
    ) async throws -> ByteBuffer {
        try await TFTPClient.readFile(
            fileName,
            host: host,
            port: port,
            localAddress: localAddress,
            timeout: timeout,
            group: group
        )
    }
}
