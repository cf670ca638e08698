import Hummingbird
import NIOConcurrencyHelpers
import NIOCore
import Store

/// Lets one CSV import run at a time: an import holds up to ``DirectoryCSV/maximumRows`` rows in memory and writes
/// them in one transaction, so several at once only multiply the memory and queue on the one writer.
final class ImportGate: Sendable {
    private let running = NIOLockedValueBox(false)

    /// Takes the gate; false when another import holds it.
    func enter() -> Bool {
        self.running.withLockedValue { running in
            guard !running else { return false }
            running = true
            return true
        }
    }

    func leave() {
        self.running.withLockedValue { $0 = false }
    }
}

extension AdminRoutes {
    /// `POST /api/import`: a CSV of phones, lines and speed dials, applied all or nothing.
    ///
    /// The body is parsed as it arrives (``DirectoryCSV/Parser``), with every limit checked on the way, so the
    /// request costs at most its limits whatever it sends (issue 13: 16 MiB of newlines once took 1.4 GiB). One import
    /// runs at a time; a second gets 409 and is told to try again.
    func addImportRoutes(to group: RouterGroup<Context>) {
        let store = self.store
        let gate = self.importGate
        group.post { request, _ in
            if let type = request.headers[.contentType]?.lowercased(),
                !(type.hasPrefix("text/csv") || type.hasPrefix("text/plain")
                    || type.hasPrefix("application/octet-stream"))
            {
                throw AdminAPIError.unsupportedMediaType(
                    "import needs a CSV body (Content-Type: text/csv), not \(type)"
                )
            }
            guard gate.enter() else {
                throw AdminAPIError.conflict(
                    nil,
                    "another import is running; try again when it has finished (one import at a time)"
                )
            }
            defer { gate.leave() }
            let parsed = try await Self.parseCSV(request.body, limit: Self.maximumImportBody)
            do {
                let summary = try await store.apply(parsed.batch)
                return try Self.json(
                    AdminAPI.ImportResult(
                        rows: parsed.rows,
                        linesCreated: summary.linesCreated,
                        linesUpdated: summary.linesUpdated,
                        devicesCreated: summary.devicesCreated,
                        devicesUpdated: summary.devicesUpdated,
                        speedDials: summary.speedDials
                    )
                )
            } catch let error as DirectoryBatchError {
                let base = AdminAPIError.from(error.error, row: error.row)
                let message = "CSV line \(error.row): \(error.error.message)"
                switch base.code {
                case .invalidValue: throw AdminAPIError.invalidValue(base.field, message, row: error.row)
                case .conflict: throw AdminAPIError.conflict(base.field, message, row: error.row)
                case .unprocessable: throw AdminAPIError.unprocessable(base.field, message, row: error.row)
                default: throw base
                }
            }
        }
    }

    /// Reads a CSV body of at most `limit` bytes chunk by chunk into a batch.
    static func parseCSV(
        _ body: some AsyncSequence<ByteBuffer, any Error>,
        limit: Int
    ) async throws -> (batch: DirectoryBatch, rows: Int) {
        var parser = DirectoryCSV.Parser()
        var received = 0
        do {
            for try await chunk in body {
                received += chunk.readableBytes
                guard received <= limit else {
                    throw AdminAPIError.payloadTooLarge("the CSV file is larger than \(limit) bytes")
                }
                try parser.consume(chunk)
            }
            return try parser.finish()
        } catch let error as DirectoryCSV.ParseError {
            throw AdminAPIError.invalidValue(error.column, error.description, row: error.line)
        }
    }
}
