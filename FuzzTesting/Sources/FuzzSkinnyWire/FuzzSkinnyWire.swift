// The libFuzzer target. Built with `-sanitize=fuzzer,address -parse-as-library` by scripts/fuzz.
import CLibFuzzer

#if canImport(Glibc)
import Glibc
#endif

/// Runs one input through `SkinnyFuzzInput` and traps on any problem it reports, so that libFuzzer saves the input
/// as a crash (the decoders themselves must never trap; ASan and Swift's runtime checks catch the rest).
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzSkinnyWire(_ start: UnsafePointer<UInt8>?, _ count: Int) -> CInt {
    let input = start.map { Array(UnsafeBufferPointer(start: $0, count: count)) } ?? []
    if let problem = SkinnyFuzzInput.run(input).problems.first {
        fatalError("SkinnyWire round trip: \(problem)")
    }
    return 0
}

/// The program's entry point: SwiftPM links an executable target's `main` to this, not to libFuzzer's, so it hands
/// the command line to libFuzzer's driver.
@main
enum FuzzSkinnyWire {
    static func main() {
        var argc = CommandLine.argc
        var argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>? = CommandLine.unsafeArgv
        let status = LLVMFuzzerRunDriver(&argc, &argv) { data, size in
            fuzzSkinnyWire(data, size)
        }
        exit(status)
    }
}
