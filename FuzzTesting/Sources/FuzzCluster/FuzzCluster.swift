// The libFuzzer target for the cluster datagram decoder. Built with `-sanitize=fuzzer,address -parse-as-library`
// by scripts/fuzz-cluster.
import CLibFuzzer

#if canImport(Glibc)
import Glibc
#endif

/// Runs one input through `ClusterFuzzInput` and traps on any problem it reports, so that libFuzzer saves the input
/// as a crash (the decoder itself must never trap; ASan and Swift's runtime checks catch the rest).
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzCluster(_ start: UnsafePointer<UInt8>?, _ count: Int) -> CInt {
    let input = start.map { Array(UnsafeBufferPointer(start: $0, count: count)) } ?? []
    if let problem = ClusterFuzzInput.run(input).first {
        fatalError("Cluster datagram: \(problem)")
    }
    return 0
}

/// SwiftPM links an executable target's `main` to this, so it hands the command line to libFuzzer's driver.
@main
enum FuzzCluster {
    static func main() {
        var argc = CommandLine.argc
        var argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>? = CommandLine.unsafeArgv
        let status = LLVMFuzzerRunDriver(&argc, &argv) { data, size in
            fuzzCluster(data, size)
        }
        exit(status)
    }
}
