import Dispatch

/// Runs blocking work (key generation, migrations, file I/O and fsyncs) on a thread of its own, so that it never
/// holds one of the few threads of Swift's cooperative pool. A serial queue of its own targets an overcommitting root
/// queue, so the work always gets a thread; DispatchQueue.global() shares its threads with the cooperative pool on
/// Linux, which this work would block.
func offThePool<T: Sendable, E: Error>(_ work: @escaping @Sendable () throws(E) -> T) async throws -> T {
    try await withCheckedThrowingContinuation { continuation in
        DispatchQueue(label: "strowger.off-the-pool").async {
            continuation.resume(with: Result { try work() })
        }
    }
}
