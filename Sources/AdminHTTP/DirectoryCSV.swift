import CallControl
public import Store

/// Reads a bulk-import CSV of phones, lines and speed dials, laid out like CUCM's Bulk Administration Tool "phones
/// with lines" file, into a ``DirectoryBatch`` that the Store writes in one transaction.
///
/// The first non-blank line is the header. Column names are matched without regard to case, and spaces,
/// underscores and hyphens count as one space:
///
/// | column | meaning |
/// |---|---|
/// | `DEVICE NAME` or `MAC ADDRESS` | `SEP` + 12 hex digits, or the 12 hex digits alone |
/// | `MODEL` or `DEVICE TYPE` | free text, e.g. `7960` |
/// | `DESCRIPTION` | free text |
/// | `OWNER USER ID` or `OWNER` | an existing user's name |
/// | `DIRECTORY NUMBER n` | the line on button n (created if it does not exist) |
/// | `DISPLAY n` | that line's display name |
/// | `FORWARD ALL DESTINATION n`, `FORWARD BUSY DESTINATION n`, `FORWARD NO ANSWER DESTINATION n` | its forwards |
/// | `MAXIMUM NUMBER OF CALLS n`, `BUSY TRIGGER n` | its call limits |
/// | `SPEED DIAL NUMBER n`, `SPEED DIAL LABEL n` | speed dial n |
///
/// A row with a device name creates or updates that phone: its lines become the row's directory numbers in button
/// order (when it gives any) and its speed dials the row's (when it gives any); an empty cell leaves that setting as
/// it is. A row without a device name only creates or updates lines. A line shown on several rows (a shared line)
/// must not be given two different values for the same setting.
///
/// Every error names the CSV line and the column. Nothing is written unless the whole file is valid.
public enum DirectoryCSV {
    /// An error in the file: its line number (1-based), the column, and why.
    public struct ParseError: Error, Hashable, Sendable, CustomStringConvertible {
        public let line: Int
        public let column: String?
        public let reason: String

        public var description: String { "CSV line \(line): \(reason)" }
    }

    /// The most data rows one file may hold: a file is one transaction.
    public static let maximumRows = 100_000

    /// The batch and the number of data rows read from a whole file in memory (tests, small files). The admin API
    /// streams the request body through a ``Parser`` instead.
    public static func parse(_ text: String) throws(ParseError) -> (batch: DirectoryBatch, rows: Int) {
        var parser = Parser()
        try parser.consume(text.utf8)
        return try parser.finish()
    }

    /// The header's columns, checked: every name known, none twice.
    static func columns(of header: CSVRecordReader.Record) throws(ParseError) -> [Column] {
        let columns = try header.fields.enumerated().map { index, name throws(ParseError) in
            guard let column = Column(name) else {
                throw ParseError(
                    line: header.line,
                    column: name,
                    reason: "unknown column \"\(name)\" (column \(index + 1)); docs/admin-api.md lists the columns"
                )
            }
            return column
        }
        var seen: [Column: Int] = [:]
        for (index, column) in columns.enumerated() {
            if let first = seen[column] {
                throw ParseError(
                    line: header.line,
                    column: column.name,
                    reason: "column \(column.name) appears twice (columns \(first + 1) and \(index + 1))"
                )
            }
            seen[column] = index
        }
        return columns
    }

    /// One data row's non-empty cells by column.
    static func cells(of record: CSVRecordReader.Record, columns: [Column]) -> [Column: String] {
        var cells: [Column: String] = [:]
        for (index, field) in record.fields.enumerated() where index < columns.count {
            let value = field.trimmingSpaces
            if !value.isEmpty { cells[columns[index]] = value }
        }
        return cells
    }

    // MARK: - Columns

    enum Column: Hashable {
        case deviceName, macAddress, model, description, owner
        case directoryNumber(Int)
        case display(Int)
        case forwardAll(Int)
        case forwardBusy(Int)
        case forwardNoAnswer(Int)
        case maxCalls(Int)
        case busyTrigger(Int)
        case speedDialNumber(Int)
        case speedDialLabel(Int)

        private static let fixed: [String: Column] = [
            "DEVICE NAME": .deviceName, "MAC ADDRESS": .macAddress, "MODEL": .model, "DEVICE TYPE": .model,
            "DESCRIPTION": .description, "OWNER USER ID": .owner, "OWNER": .owner,
        ]

        /// Column names that end in a button or speed-dial number.
        private static let numbered = [
            "DIRECTORY NUMBER", "DISPLAY", "FORWARD ALL DESTINATION", "FORWARD BUSY DESTINATION",
            "FORWARD NO ANSWER DESTINATION", "MAXIMUM NUMBER OF CALLS", "BUSY TRIGGER", "SPEED DIAL NUMBER",
            "SPEED DIAL LABEL",
        ]

        private static func numbered(_ prefix: String, _ n: Int) -> Column? {
            switch prefix {
            case "DIRECTORY NUMBER": .directoryNumber(n)
            case "DISPLAY": .display(n)
            case "FORWARD ALL DESTINATION": .forwardAll(n)
            case "FORWARD BUSY DESTINATION": .forwardBusy(n)
            case "FORWARD NO ANSWER DESTINATION": .forwardNoAnswer(n)
            case "MAXIMUM NUMBER OF CALLS": .maxCalls(n)
            case "BUSY TRIGGER": .busyTrigger(n)
            case "SPEED DIAL NUMBER": .speedDialNumber(n)
            case "SPEED DIAL LABEL": .speedDialLabel(n)
            default: nil
            }
        }

        init?(_ raw: String) {
            let words = raw.uppercased()
                .split(whereSeparator: { $0 == " " || $0 == "_" || $0 == "-" || $0 == "\t" })
                .joined(separator: " ")
            if let column = Self.fixed[words] {
                self = column
                return
            }
            for prefix in Self.numbered where words.hasPrefix(prefix + " ") {
                // Buttons and speed dials are numbered from 1; 1000 bounds what one row can ask for.
                guard let index = Int(words.dropFirst(prefix.count + 1)), (1...1000).contains(index),
                    let column = Self.numbered(prefix, index)
                else {
                    return nil
                }
                self = column
                return
            }
            return nil
        }

        /// The column as the documentation spells it.
        var name: String {
            switch self {
            case .deviceName: "DEVICE NAME"
            case .macAddress: "MAC ADDRESS"
            case .model: "MODEL"
            case .description: "DESCRIPTION"
            case .owner: "OWNER USER ID"
            case .directoryNumber(let n): "DIRECTORY NUMBER \(n)"
            case .display(let n): "DISPLAY \(n)"
            case .forwardAll(let n): "FORWARD ALL DESTINATION \(n)"
            case .forwardBusy(let n): "FORWARD BUSY DESTINATION \(n)"
            case .forwardNoAnswer(let n): "FORWARD NO ANSWER DESTINATION \(n)"
            case .maxCalls(let n): "MAXIMUM NUMBER OF CALLS \(n)"
            case .busyTrigger(let n): "BUSY TRIGGER \(n)"
            case .speedDialNumber(let n): "SPEED DIAL NUMBER \(n)"
            case .speedDialLabel(let n): "SPEED DIAL LABEL \(n)"
            }
        }

        /// The button a numbered column belongs to.
        var lineButton: Int? {
            switch self {
            case .directoryNumber(let n), .display(let n), .forwardAll(let n), .forwardBusy(let n),
                .forwardNoAnswer(let n), .maxCalls(let n), .busyTrigger(let n):
                n
            default: nil
            }
        }
    }

    // MARK: - Building the batch

    struct Builder {
        var lines: [DirectoryBatch.Line] = []
        var lineIndex: [String: Int] = [:]
        var devices: [DirectoryBatch.Device] = []

        var batch: DirectoryBatch { DirectoryBatch(lines: lines, devices: devices) }

        mutating func add(_ cells: [Column: String], line: Int) throws(ParseError) {
            func fail(_ column: Column?, _ reason: String) -> ParseError {
                ParseError(line: line, column: column?.name, reason: reason)
            }

            // Lines, by button.
            let buttons = Set(cells.keys.compactMap(\.lineButton)).sorted()
            var numbers: [String] = []
            for button in buttons {
                guard let number = cells[.directoryNumber(button)] else {
                    let column = cells.keys.first { $0.lineButton == button }
                    throw fail(column, "\(column?.name ?? "a line column") has no DIRECTORY NUMBER \(button)")
                }
                var entry = DirectoryBatch.Line(row: line, number: number)
                entry.displayName = cells[.display(button)]
                entry.forwardAll = cells[.forwardAll(button)]
                entry.forwardBusy = cells[.forwardBusy(button)]
                entry.forwardNoAnswer = cells[.forwardNoAnswer(button)]
                entry.maxCalls = try integer(cells, .maxCalls(button), line: line)
                entry.busyTrigger = try integer(cells, .busyTrigger(button), line: line)
                try check(entry, button: button, line: line)
                try merge(entry, button: button, line: line)
                if numbers.contains(number) {
                    throw fail(.directoryNumber(button), "line \(number) is on this phone twice")
                }
                numbers.append(number)
            }

            // The device.
            let deviceName: String?
            switch (cells[.deviceName], cells[.macAddress]) {
            case (let name?, nil): deviceName = DeviceName.canonicalSpelling(of: name)
            case (nil, let mac?):
                let canonical = DeviceName.canonicalSpelling(of: mac)
                deviceName = canonical.hasPrefix("SEP") ? canonical : "SEP" + canonical
            case (nil, nil): deviceName = nil
            case (_?, _?): throw fail(.macAddress, "give DEVICE NAME or MAC ADDRESS, not both")
            }
            let speedDialIndexes = Set(
                cells.keys.compactMap { column -> Int? in
                    switch column {
                    case .speedDialNumber(let n), .speedDialLabel(let n): n
                    default: nil
                    }
                }
            ).sorted()
            guard let deviceName else {
                for column in [Column.model, .description, .owner] where cells[column] != nil {
                    throw fail(column, "\(column.name) needs a DEVICE NAME on the same row")
                }
                if let index = speedDialIndexes.first {
                    throw fail(.speedDialNumber(index), "a speed dial needs a DEVICE NAME on the same row")
                }
                return
            }
            var speedDials: [SpeedDialRecord] = []
            for index in speedDialIndexes {
                guard let number = cells[.speedDialNumber(index)] else {
                    throw fail(.speedDialLabel(index), "SPEED DIAL LABEL \(index) has no SPEED DIAL NUMBER \(index)")
                }
                let dial = SpeedDialRecord(
                    deviceID: 0,
                    buttonIndex: index,
                    number: number,
                    label: cells[.speedDialLabel(index)] ?? ""
                )
                do {
                    try dial.validate()
                } catch {
                    let column: Column =
                        error.field == "speedDial.label" ? .speedDialLabel(index) : .speedDialNumber(index)
                    throw fail(column, "\(column.name): \(error.message)")
                }
                speedDials.append(dial)
            }
            let device = DeviceRecord(
                name: deviceName,
                model: cells[.model] ?? "",
                description: cells[.description] ?? ""
            )
            do {
                try device.validate()
            } catch {
                let column: Column =
                    switch error.field {
                    case "device.model": .model
                    case "device.description": .description
                    default: cells[.deviceName] != nil ? .deviceName : .macAddress
                    }
                throw fail(column, "\(column.name): \(error.message)")
            }
            devices.append(
                DirectoryBatch.Device(
                    row: line,
                    name: deviceName,
                    model: cells[.model],
                    description: cells[.description],
                    owner: cells[.owner],
                    lines: numbers.isEmpty ? nil : numbers,
                    speedDials: speedDials.isEmpty ? nil : speedDials
                )
            )
        }

        private func integer(_ cells: [Column: String], _ column: Column, line: Int) throws(ParseError) -> Int? {
            guard let text = cells[column] else { return nil }
            guard let value = Int(text) else {
                throw ParseError(
                    line: line,
                    column: column.name,
                    reason: "\(column.name) must be a whole number, not \"\(text)\""
                )
            }
            return value
        }

        /// Validates the line's values as the Store will, so that the error names the column.
        private func check(_ entry: DirectoryBatch.Line, button: Int, line: Int) throws(ParseError) {
            var record = LineRecord(number: entry.number)
            if let value = entry.displayName { record.displayName = value }
            record.forwardAll = entry.forwardAll
            record.forwardBusy = entry.forwardBusy
            record.forwardNoAnswer = entry.forwardNoAnswer
            if let value = entry.maxCalls { record.maxCalls = value }
            if let value = entry.busyTrigger {
                record.busyTrigger = value
            } else {
                record.busyTrigger = min(record.busyTrigger, record.maxCalls)
            }
            do {
                try record.validate()
            } catch {
                let column: Column =
                    switch error.field {
                    case "line.displayName": .display(button)
                    case "line.forwardAll": .forwardAll(button)
                    case "line.forwardBusy": .forwardBusy(button)
                    case "line.forwardNoAnswer": .forwardNoAnswer(button)
                    case "line.maxCalls": .maxCalls(button)
                    case "line.busyTrigger": .busyTrigger(button)
                    default: .directoryNumber(button)
                    }
                throw ParseError(line: line, column: column.name, reason: "\(column.name): \(error.message)")
            }
        }

        /// Adds the line, or merges it into the entry of an earlier row (a shared line), refusing two different
        /// values for one setting.
        private mutating func merge(_ entry: DirectoryBatch.Line, button: Int, line: Int) throws(ParseError) {
            guard let index = lineIndex[entry.number] else {
                lineIndex[entry.number] = lines.count
                lines.append(entry)
                return
            }
            var existing = lines[index]
            func combine<T: Equatable & CustomStringConvertible>(
                _ path: WritableKeyPath<DirectoryBatch.Line, T?>,
                _ column: Column
            ) throws(ParseError) {
                guard let new = entry[keyPath: path] else { return }
                if let old = existing[keyPath: path], old != new {
                    throw ParseError(
                        line: line,
                        column: column.name,
                        reason: "\(column.name) \"\(new)\" for line \(entry.number) differs from"
                            + " \"\(old)\" on CSV line \(existing.row)"
                    )
                }
                existing[keyPath: path] = new
            }
            try combine(\.displayName, .display(button))
            try combine(\.forwardAll, .forwardAll(button))
            try combine(\.forwardBusy, .forwardBusy(button))
            try combine(\.forwardNoAnswer, .forwardNoAnswer(button))
            try combine(\.maxCalls, .maxCalls(button))
            try combine(\.busyTrigger, .busyTrigger(button))
            lines[index] = existing
        }
    }
}

extension StringProtocol {
    /// Without leading and trailing spaces and tabs.
    var trimmingSpaces: String {
        let isSpace: (Character) -> Bool = { $0 == " " || $0 == "\t" }
        guard let start = firstIndex(where: { !isSpace($0) }), let end = lastIndex(where: { !isSpace($0) }) else {
            return ""
        }
        return String(self[start...end])
    }
}
