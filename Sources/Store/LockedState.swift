import Foundation

/// A value behind a lock, for the little shared state the Store keeps outside SQLite (change subscribers, the CDR
/// queue). `NSLock` rather than `Synchronization.Mutex`, which needs macOS 15 while the package supports macOS 14.
final class LockedState<State>: @unchecked Sendable {
    private let lock = NSLock()
    private var state: State

    init(_ state: State) {
        self.state = state
    }

    func withLock<Result>(_ body: (inout State) throws -> Result) rethrows -> Result {
        lock.lock()
        defer { lock.unlock() }
        return try body(&state)
    }
}
