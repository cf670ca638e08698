public import CallControl
public import Logging
public import ServiceLifecycle

/// Writes call records (CDRs) to the Store off the call path: ``submit(_:)`` never waits, and a background loop
/// writes what was submitted in batches, one transaction per batch.
///
/// - **Batching**: every ``Configuration/flushInterval`` (250 ms), or as soon as ``Configuration/batchSize`` (500)
///   records are waiting, the loop writes everything queued in transactions of at most `batchSize` records.
/// - **Bound**: at most ``Configuration/capacity`` records wait in memory. When the queue is full (the disk cannot
///   keep up), ``submit(_:)`` refuses the record and counts it in ``Statistics/dropped``: memory stays bounded and the
///   call path never blocks on the database.
/// - **Shutdown**: on graceful shutdown (or cancellation) the loop writes everything still queued before ``run()``
///   returns, so a clean shutdown loses nothing. Records submitted after that are counted as dropped. List the
///   writer before CallControl's host in the `ServiceGroup`, so that it stops after the host's last records.
/// - **Failures**: a batch that fails to write is retried after the interval, up to
///   ``Configuration/maximumAttempts`` times, then counted in ``Statistics/failed`` and logged.
/// - **Durability**: a record counts as written once its transaction committed; with the database's
///   `synchronous = FULL` it is then on disk. Records still queued are lost if the process is killed.
public final class CDRWriter: Service, Sendable {
    public struct Configuration: Sendable {
        /// The most records waiting in memory (about 200 bytes each).
        public var capacity: Int
        /// The most records per transaction, and the queue length that triggers a write before the interval ends.
        public var batchSize: Int
        /// How long a record may wait for its batch.
        public var flushInterval: Duration
        /// Write attempts per batch before it is given up.
        public var maximumAttempts: Int

        public init(
            capacity: Int = 10_000,
            batchSize: Int = 500,
            flushInterval: Duration = .milliseconds(250),
            maximumAttempts: Int = 3
        ) {
            self.capacity = max(1, capacity)
            self.batchSize = max(1, batchSize)
            self.flushInterval = flushInterval
            self.maximumAttempts = max(1, maximumAttempts)
        }
    }

    /// Counters since the writer was made.
    public struct Statistics: Hashable, Sendable {
        /// Records ``submit(_:)`` accepted.
        public var accepted = 0
        /// Records committed to the database.
        public var written = 0
        /// Records refused because the queue was full or the writer had stopped.
        public var dropped = 0
        /// Records lost because their batch failed every attempt.
        public var failed = 0
        /// Transactions committed.
        public var batches = 0
        /// Records accepted but not yet written (queued or in the transaction being written).
        public var pending = 0
    }

    private struct State {
        var queue: [CallRecord] = []
        var inFlight = 0
        var statistics = Statistics()
        /// The loop, parked until the interval ends or a full batch is queued.
        var waiter: CheckedContinuation<Void, Never>?
        var isShuttingDown = false
        /// Set once the loop has written the last record; later submissions are dropped.
        var isFinished = false
    }

    private let store: Store
    private let configuration: Configuration
    private let logger: Logger
    private let state = LockedState(State())

    public init(store: Store, configuration: Configuration = Configuration(), logger: Logger) {
        self.store = store
        self.configuration = configuration
        self.logger = logger
    }

    /// Queues a record for writing; never waits. Returns false (and counts a drop) if the queue is full or the
    /// writer has stopped.
    @discardableResult
    public func submit(_ record: CallRecord) -> Bool {
        let (accepted, waiter) = state.withLock { state -> (Bool, CheckedContinuation<Void, Never>?) in
            guard !state.isFinished, state.queue.count < configuration.capacity else {
                state.statistics.dropped += 1
                return (false, nil)
            }
            state.queue.append(record)
            state.statistics.accepted += 1
            let isBatchFull = state.queue.count >= configuration.batchSize
            return (true, isBatchFull ? state.waiter.take() : nil)
        }
        waiter?.resume()
        return accepted
    }

    public var statistics: Statistics {
        state.withLock { state in
            var statistics = state.statistics
            statistics.pending = state.queue.count + state.inFlight
            return statistics
        }
    }

    /// Writes batches until graceful shutdown or cancellation, then writes what is left and returns.
    public func run() async {
        await withTaskCancellationOrGracefulShutdownHandler {
            await self.writeLoop()
        } onCancelOrGracefulShutdown: {
            let waiter = self.state.withLock { state in
                state.isShuttingDown = true
                return state.waiter.take()
            }
            waiter?.resume()
        }
    }

    private func writeLoop() async {
        var reportedDrops = 0
        while true {
            await waitForWork()
            // Everything queued at the wake-up goes out now; records that arrive meanwhile wait for the next
            // interval unless they fill a batch (or we are shutting down), so a busy system commits few, large
            // transactions rather than many small ones.
            var takesPartialBatch = true
            while let batch = takeBatch(allowingPartial: takesPartialBatch) {
                takesPartialBatch = false
                await write(batch)
            }
            let (isFinished, drops) = state.withLock { ($0.isFinished, $0.statistics.dropped) }
            if drops > reportedDrops {
                logger.warning(
                    "CDR queue full: call records dropped",
                    metadata: ["cdr.dropped": "\(drops - reportedDrops)", "cdr.capacity": "\(configuration.capacity)"]
                )
                reportedDrops = drops
            }
            if isFinished { return }
        }
    }

    /// Takes up to a batch from the queue, or nil when there is nothing to write now. Marks the writer finished when
    /// it is shutting down and the queue is empty.
    private func takeBatch(allowingPartial: Bool) -> [CallRecord]? {
        state.withLock { state in
            if state.queue.isEmpty {
                if state.isShuttingDown { state.isFinished = true }
                return nil
            }
            guard allowingPartial || state.isShuttingDown || state.queue.count >= configuration.batchSize else {
                return nil
            }
            let batch: [CallRecord]
            if state.queue.count <= configuration.batchSize {
                batch = state.queue
                state.queue = []
            } else {
                batch = Array(state.queue.prefix(configuration.batchSize))
                state.queue.removeFirst(configuration.batchSize)
            }
            state.inFlight = batch.count
            return batch
        }
    }

    /// Writes one batch in one transaction, retrying on failure.
    private func write(_ batch: [CallRecord]) async {
        var attempts = 0
        while true {
            attempts += 1
            do {
                if Task.isCancelled {
                    // GRDB refuses to start a write in a cancelled task. The records were acknowledged to CallControl,
                    // so finish them in a task that is not cancelled, and wait for it.
                    let store = self.store
                    try await Task.detached { try await store.insertCallRecords(batch) }.value
                } else {
                    try await store.insertCallRecords(batch)
                }
                state.withLock { state in
                    state.statistics.written += batch.count
                    state.statistics.batches += 1
                    state.inFlight = 0
                }
                return
            } catch {
                guard attempts < configuration.maximumAttempts else {
                    state.withLock { state in
                        state.statistics.failed += batch.count
                        state.inFlight = 0
                    }
                    logger.error(
                        "CDR batch lost after \(attempts) failed writes",
                        metadata: ["cdr.count": "\(batch.count)", "error": "\(error)"]
                    )
                    return
                }
                if !(error is CancellationError) {
                    logger.warning(
                        "CDR batch write failed; retrying",
                        metadata: ["cdr.count": "\(batch.count)", "error": "\(error)"]
                    )
                    try? await Task.sleep(for: configuration.flushInterval)
                }
            }
        }
    }

    /// Returns when the interval has passed, a full batch is queued, or shutdown began.
    private func waitForWork() async {
        await withTaskGroup(of: Void.self) { group in
            group.addTask {
                try? await Task.sleep(for: self.configuration.flushInterval)
            }
            group.addTask {
                await self.waitForFullBatchOrShutdown()
            }
            _ = await group.next()
            group.cancelAll()
        }
    }

    private func waitForFullBatchOrShutdown() async {
        await withTaskCancellationHandler {
            await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
                let resumeNow = state.withLock { state in
                    if state.isShuttingDown || state.queue.count >= configuration.batchSize || Task.isCancelled {
                        return true
                    }
                    state.waiter = continuation
                    return false
                }
                if resumeNow { continuation.resume() }
            }
        } onCancel: {
            state.withLock { $0.waiter.take() }?.resume()
        }
    }
}
