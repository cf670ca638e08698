import CallControl
public import Certificates
public import Foundation

/// What `strowger cert issue SEP…` does: issues a client certificate for one device from the Strowger CA in a
/// server's data directory, for the devices set to require mutual TLS.
public enum DeviceCertificateIssuer {
    /// Issues a certificate whose subject CN is `deviceName` (upper-cased) and writes `<name>-cert.pem` and
    /// `<name>-key.pem` (mode 0600) into `outputDirectory`.
    ///
    /// The CA must exist: `strowger serve` creates it on its first start. Throws a ``StrowgerConfigurationError``
    /// that says what is wrong (a name that is not `SEP` and 12 hex digits, no CA, unreadable files).
    public static func issue(
        deviceName: String,
        dataDirectory: URL,
        outputDirectory: URL
    ) throws -> IssuedCertificate.Files {
        let name = DeviceName.canonicalSpelling(of: deviceName)
        // The Store's rule for device names, so a certificate can only be issued for a name a device can have.
        guard DeviceName(name).isAutoRegistrationCandidate else {
            throw StrowgerConfigurationError(
                "'\(deviceName)' is not a device name: SEP followed by the phone's MAC address as 12 hex digits,"
                    + " e.g. SEP001122AABBCC"
            )
        }
        let authorityCertificate = dataDirectory.appendingPathComponent(
            CertificateAuthority.FileName.authorityCertificate
        )
        guard FileManager.default.fileExists(atPath: authorityCertificate.path) else {
            throw StrowgerConfigurationError(
                "there is no Strowger CA in \(dataDirectory.path) "
                    + "(no \(CertificateAuthority.FileName.authorityCertificate)):"
                    + " start `strowger serve --data-dir \(dataDirectory.path)` once to create it, or give --data-dir"
            )
        }
        do {
            let authority = try CertificateAuthority.loadOrCreate(in: dataDirectory)
            return try authority.issueDeviceCertificateFiles(deviceName: name, outputDirectory: outputDirectory)
        } catch let error as CertificateAuthorityError {
            throw StrowgerConfigurationError("cannot issue a certificate for \(name): \(error)")
        }
    }
}
