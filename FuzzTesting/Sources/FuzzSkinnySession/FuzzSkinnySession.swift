// The session libFuzzer target. Built with `-sanitize=fuzzer,address -parse-as-library` by scripts/fuzz-session.
import CLibFuzzer

#if canImport(Glibc)
import Glibc
#endif

/// Runs one input through `SessionFuzzInput` (registered SCCP sessions on EmbeddedChannels with the listener's whole
/// per-connection pipeline and a CallControl host) and traps when an end-of-input check fails, so that libFuzzer
/// saves the input as a crash. Traps inside the server, ASan reports and leaks are caught by the runtime.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzSkinnySession(_ start: UnsafePointer<UInt8>?, _ count: Int) -> CInt {
    let input = start.map { Array(UnsafeBufferPointer(start: $0, count: count)) } ?? []
    do {
        try SessionFuzzInput.run(input)
    } catch {
        fatalError("SCCP session: \(error)")
    }
    return 0
}

/// The program's entry point: SwiftPM links an executable target's `main` to this, not to libFuzzer's, so it hands
/// the command line to libFuzzer's driver.
@main
enum FuzzSkinnySession {
    static func main() {
        var argc = CommandLine.argc
        var argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>? = CommandLine.unsafeArgv
        let status = LLVMFuzzerRunDriver(&argc, &argv) { data, size in
            fuzzSkinnySession(data, size)
        }
        exit(status)
    }
}
