import Foundation

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif
// Release builds on Linux find `stat` (the struct) through CoreFoundation; MemberImportVisibility wants it named.
#if canImport(CoreFoundation)
import CoreFoundation
#endif

/// Reading and writing the PEM files, with the modes they need: private keys are written owner-only (0600) from the
/// moment they exist, never created readable and narrowed afterwards.
enum PEMFiles {
    /// The mode of private key files: the owner reads and writes, nobody else.
    static let privateKeyMode: mode_t = 0o600
    /// The mode of certificate files: owner-only too. A certificate is public, but the data directory holds
    /// nothing for other users (issue 13): the server hands its CA certificate out itself (TFTP, HTTP).
    static let certificateMode: mode_t = 0o600

    static func exists(_ path: String) -> Bool {
        FileManager.default.fileExists(atPath: path)
    }

    static func read(_ path: String) throws -> String {
        do {
            let data = try Data(contentsOf: URL(fileURLWithPath: path))
            return String(decoding: data, as: UTF8.self)
        } catch {
            throw CertificateAuthorityError.fileSystem("cannot read \(path): \(error.localizedDescription)")
        }
    }

    /// The permission bits of the file at `path`, if it exists.
    static func mode(of path: String) -> mode_t? {
        var info = stat()
        guard stat(path, &info) == 0 else { return nil }
        return info.st_mode & 0o7777
    }

    /// Writes `contents` to `path` through a temporary file in the same directory that is created with `mode` and
    /// renamed into place, so that a crash leaves the old file or the new one, never half of one.
    static func write(_ contents: String, to path: String, mode: mode_t) throws {
        let directory = (path as NSString).deletingLastPathComponent
        let name = (path as NSString).lastPathComponent
        let temporary = (directory.isEmpty ? "" : directory + "/") + ".\(name).\(UInt64.random(in: 0...UInt64.max))"
        let descriptor = open(temporary, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, mode)
        guard descriptor >= 0 else {
            throw CertificateAuthorityError.fileSystem(
                "cannot create \(temporary): \(String(cString: strerror(errno)))"
            )
        }
        var failure: String?
        // The umask may have narrowed the mode at creation; set it exactly.
        if fchmod(descriptor, mode) != 0 {
            failure = "cannot set the mode of \(temporary): \(String(cString: strerror(errno)))"
        }
        if failure == nil {
            let handle = FileHandle(fileDescriptor: descriptor, closeOnDealloc: false)
            do {
                try handle.write(contentsOf: Data(contents.utf8))
                try handle.synchronize()
            } catch {
                failure = "cannot write \(temporary): \(error.localizedDescription)"
            }
        }
        close(descriptor)
        if failure == nil, rename(temporary, path) != 0 {
            failure = "cannot rename \(temporary) to \(path): \(String(cString: strerror(errno)))"
        }
        if let failure {
            unlink(temporary)
            throw CertificateAuthorityError.fileSystem(failure)
        }
    }

    static func createDirectory(_ path: String) throws {
        do {
            try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        } catch {
            throw CertificateAuthorityError.fileSystem(
                "cannot create the directory \(path): \(error.localizedDescription)"
            )
        }
    }
}
