import Foundation
public import Store

extension DirectoryCSV {
    /// The configuration as a CSV that ``parse(_:)`` reads back: one row per phone (its lines in button order with
    /// their settings, and its speed dials), then one row per line that is on no phone. Importing it into an empty
    /// database gives the same phones, lines and speed dials.
    ///
    /// What the layout has no column for is not exported: a line's no-answer timeout and voicemail number, a speed
    /// dial's busy-lamp flag, a phone's security settings, CallManager group and firmware load, users, route patterns
    /// and settings. Cells are written as they are stored; a spreadsheet may read a cell that starts with `=` as a
    /// formula.
    public static func export(devices: [DeviceDetails], lines: [LineDetails]) -> String {
        let linesByNumber = Dictionary(lines.map { ($0.line.number, $0.line) }, uniquingKeysWith: { first, _ in first })
        let buttons = devices.map(\.lines.count).max() ?? 0
        let dialIndexes = Set(devices.flatMap { $0.speedDials.map(\.buttonIndex) }).sorted()
        let columnsPerLine = max(1, buttons)

        var header = ["DEVICE NAME", "MODEL", "DESCRIPTION", "OWNER USER ID"]
        for n in 1...columnsPerLine {
            header += [
                "DIRECTORY NUMBER \(n)", "DISPLAY \(n)", "FORWARD ALL DESTINATION \(n)",
                "FORWARD BUSY DESTINATION \(n)",
                "FORWARD NO ANSWER DESTINATION \(n)", "MAXIMUM NUMBER OF CALLS \(n)", "BUSY TRIGGER \(n)",
            ]
        }
        for n in dialIndexes {
            header += ["SPEED DIAL NUMBER \(n)", "SPEED DIAL LABEL \(n)"]
        }

        func lineCells(_ number: String?) -> [String] {
            guard let number else { return Array(repeating: "", count: 7) }
            guard let line = linesByNumber[number] else { return [number] + Array(repeating: "", count: 6) }
            return [
                line.number, line.displayName, line.forwardAll ?? "", line.forwardBusy ?? "",
                line.forwardNoAnswer ?? "",
                String(line.maxCalls), String(line.busyTrigger),
            ]
        }

        var text = row(header)
        for device in devices {
            var cells = [device.device.name, device.device.model, device.device.description, device.owner ?? ""]
            for index in 0..<columnsPerLine {
                cells += lineCells(device.lines.indices.contains(index) ? device.lines[index] : nil)
            }
            let dials = Dictionary(
                device.speedDials.map { ($0.buttonIndex, $0) },
                uniquingKeysWith: { first, _ in first }
            )
            for n in dialIndexes {
                cells += [dials[n]?.number ?? "", dials[n]?.label ?? ""]
            }
            text += row(cells)
        }
        let shown = Set(devices.flatMap(\.lines))
        for line in lines where !shown.contains(line.line.number) {
            var cells = ["", "", "", ""] + lineCells(line.line.number)
            cells += Array(repeating: "", count: (columnsPerLine - 1) * 7 + dialIndexes.count * 2)
            text += row(cells)
        }
        return text
    }

    /// One CSV record (RFC 4180): a field with a comma, a quote or a line break is quoted, its quotes doubled.
    static func row(_ cells: [String]) -> String {
        cells.map { cell in
            guard cell.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }) else { return cell }
            return "\"" + cell.replacingOccurrences(of: "\"", with: "\"\"") + "\""
        }
        .joined(separator: ",") + "\r\n"
    }
}
