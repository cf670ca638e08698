import CallControl
import Foundation
import Logging
import Store

/// The one-time import of `directory.json`, the file the server kept devices and lines in before the Store: at the
/// first start with a Store, its devices, lines and speed dials are written to the database in one transaction and
/// the file is renamed `directory.json.imported`, so that it is never applied twice and nothing edits it any more.
enum DirectoryFileImport {
    static let importedSuffix = ".imported"

    /// Imports `directory.json` from `dataDirectory` if it is there. A file that does not parse, or that the Store
    /// refuses, stops the server with a message naming the file and the entry; nothing of it is applied.
    static func importIfPresent(into store: Store, dataDirectory: URL, logger: Logger) async throws {
        let url = dataDirectory.appendingPathComponent(DirectoryFile.fileName)
        guard FileManager.default.fileExists(atPath: url.path) else { return }
        let file = try DirectoryFile.load(from: dataDirectory)
        do {
            let summary = try await store.apply(batch(file))
            logger.notice(
                "Imported directory.json into the database",
                metadata: [
                    "import.devices": "\(summary.devicesCreated + summary.devicesUpdated)",
                    "import.lines": "\(summary.linesCreated + summary.linesUpdated)",
                ]
            )
        } catch let error as DirectoryBatchError {
            throw StrowgerConfigurationError("\(url.path): entry \(error.row): \(error.error.message)")
        }
        let imported = url.appendingPathExtension(String(importedSuffix.dropFirst()))
        try? FileManager.default.removeItem(at: imported)
        try FileManager.default.moveItem(at: url, to: imported)
    }

    /// The file as one batch: every line it lists or a device shows (auto-registered devices name their number only
    /// on the device), then the devices. Rows count lines first, then devices, from 1.
    static func batch(_ file: DirectoryFile) -> DirectoryBatch {
        var lines: [DirectoryBatch.Line] = []
        var seen = Set<String>()
        var row = 0
        for line in file.lines where seen.insert(line.number).inserted {
            row += 1
            lines.append(
                DirectoryBatch.Line(
                    row: row,
                    number: line.number,
                    displayName: line.displayName,
                    maxCalls: line.maxCalls,
                    busyTrigger: line.busyTrigger
                )
            )
        }
        var devices: [DirectoryBatch.Device] = []
        for device in file.devices {
            row += 1
            for number in device.lines where seen.insert(number).inserted {
                lines.append(DirectoryBatch.Line(row: row, number: number))
            }
            devices.append(
                DirectoryBatch.Device(
                    row: row,
                    name: DeviceName.canonicalSpelling(of: device.name),
                    lines: device.lines,
                    speedDials: (device.speedDials ?? []).map {
                        SpeedDialRecord(
                            deviceID: 0,
                            buttonIndex: Int($0.index),
                            number: $0.number,
                            label: $0.label ?? ""
                        )
                    }
                )
            )
        }
        return DirectoryBatch(lines: lines, devices: devices)
    }
}
