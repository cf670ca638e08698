public import NIOCore
public import Store

extension DirectoryCSV {
    /// The longest field accepted, in bytes: the longest value any column takes is a 128-character description
    /// (up to 512 bytes of UTF-8); 1 KiB leaves room and bounds what one field can hold.
    public static let maximumFieldBytes = 1024

    /// The most columns a header may name. CUCM's BAT phone files have about a hundred; 256 leaves room.
    public static let maximumColumns = 256

    /// Reads a bulk-import CSV as it arrives, chunk by chunk, holding only the record being read and the batch built
    /// so far.
    ///
    /// Every limit is checked as the bytes arrive, so a hostile file costs at most its limits, not its size (issue 13:
    /// 16 MiB of newlines once took 1.4 GiB to read, 16 MiB of commas 0.5 GiB): blank lines are dropped as they end,
    /// a record is refused at the first field past the header's columns (or past ``DirectoryCSV/maximumColumns`` in
    /// the header), a field at its ``DirectoryCSV/maximumFieldBytes``th byte, and the file at its
    /// ``DirectoryCSV/maximumRows``th data row.
    public struct Parser: Sendable {
        private var reader = CSVRecordReader(maximumFields: DirectoryCSV.maximumColumns)
        private var columns: [Column]?
        private var builder = Builder()
        private var rows = 0

        public init() {}

        /// Reads the next chunk of the file; throws the first error found in it.
        public mutating func consume(_ bytes: some Sequence<UInt8>) throws(ParseError) {
            try self.consume(ByteBuffer(bytes: bytes))
        }

        /// Reads the next chunk of the file, as the request body delivers it.
        public mutating func consume(_ buffer: ByteBuffer) throws(ParseError) {
            // The records a chunk ends (at most one per few bytes of it; blank lines make none), checked once it is
            // read.
            var records: [CSVRecordReader.Record] = []
            var failure: ParseError?
            var reader = self.reader
            buffer.withUnsafeReadableBytes { bytes in
                do throws(ParseError) {
                    try reader.read(bytes) { record throws(ParseError) in records.append(record) }
                } catch {
                    failure = error
                }
            }
            self.reader = reader
            for record in records { try self.add(record) }
            if let failure { throw failure }
        }

        /// The file has ended: the batch and the number of data rows.
        public mutating func finish() throws(ParseError) -> (batch: DirectoryBatch, rows: Int) {
            if let record = try self.reader.finish() {
                try self.add(record)
            }
            guard self.columns != nil else {
                throw ParseError(line: 1, column: nil, reason: "the file is empty: it needs a header line")
            }
            return (self.builder.batch, self.rows)
        }

        private mutating func add(_ record: CSVRecordReader.Record) throws(ParseError) {
            guard !record.isBlank else { return }
            guard let columns = self.columns else {
                let columns = try DirectoryCSV.columns(of: record)
                self.columns = columns
                self.reader.maximumFields = columns.count
                return
            }
            guard record.fields.count <= columns.count else {
                throw ParseError(
                    line: record.line,
                    column: nil,
                    reason: "\(record.fields.count) fields but the header names \(columns.count) columns"
                )
            }
            self.rows += 1
            guard self.rows <= DirectoryCSV.maximumRows else {
                throw ParseError(
                    line: record.line,
                    column: nil,
                    reason: "more than \(DirectoryCSV.maximumRows) rows in one file"
                )
            }
            try self.builder.add(DirectoryCSV.cells(of: record, columns: columns), line: record.line)
        }
    }
}

/// Splits CSV bytes into records as they arrive (RFC 4180: commas, double-quoted fields with `""` for a quote, LF or
/// CRLF line ends, line breaks inside quotes), remembering the line each record starts on. The structural
/// characters are ASCII, so the bytes are read as they come and each field is checked as UTF-8 when it ends.
struct CSVRecordReader: Sendable {
    struct Record: Sendable {
        var line: Int
        var fields: [String]

        var isBlank: Bool { fields.allSatisfy { $0.trimmingSpaces.isEmpty } }
    }

    private enum State: Sendable {
        /// In an unquoted field (or between fields).
        case unquoted
        /// In a quoted field.
        case quoted
        /// In a quoted field, just after a quote: the next byte says whether it was `""` or the closing quote.
        case quoteInQuoted
    }

    /// The most fields a record may have; more is an error as soon as the extra field starts.
    var maximumFields: Int
    private var state = State.unquoted
    private var fields: [String] = []
    private var field: [UInt8] = []
    private var fieldWasQuoted = false
    /// The line being read (1-based), and the line the record being read started on.
    private var line = 1
    private var recordLine = 1
    /// How many bytes of a UTF-8 byte-order mark (from Excel) the file has begun with; nil once past it. The mark
    /// is skipped.
    private var byteOrderMarkMatched: Int? = 0

    init(maximumFields: Int) {
        self.maximumFields = maximumFields
    }

    private static let byteOrderMark: [UInt8] = [0xEF, 0xBB, 0xBF]

    /// Reads a chunk, calling `record` for each record it ends. Plain bytes of a field and blank lines take a short
    /// path here: the file is read a byte at a time, and most bytes are neither quotes, commas nor line ends.
    mutating func read(
        _ bytes: UnsafeRawBufferPointer,
        record: (Record) throws(DirectoryCSV.ParseError) -> Void
    ) throws(DirectoryCSV.ParseError) {
        for byte in bytes {
            if self.byteOrderMarkMatched == nil {
                switch self.state {
                case .unquoted:
                    if byte == UInt8(ascii: "\n"), self.field.isEmpty, self.fields.isEmpty, !self.fieldWasQuoted {
                        // A blank line: nothing to keep.
                        self.line += 1
                        self.recordLine = self.line
                        continue
                    }
                    if byte > UInt8(ascii: "\""), byte != UInt8(ascii: ","), !self.fieldWasQuoted {
                        try self.append(byte)
                        continue
                    }
                case .quoted:
                    if byte != UInt8(ascii: "\""), byte != UInt8(ascii: "\n") {
                        try self.append(byte)
                        continue
                    }
                case .quoteInQuoted:
                    break
                }
            }
            if let ended = try self.read(byte) {
                try record(ended)
            }
        }
    }

    /// Reads one byte; returns a record when the byte ends one.
    mutating func read(_ byte: UInt8) throws(DirectoryCSV.ParseError) -> Record? {
        if let matched = self.byteOrderMarkMatched {
            if byte == Self.byteOrderMark[matched] {
                self.byteOrderMarkMatched = matched + 1 < Self.byteOrderMark.count ? matched + 1 : nil
                return nil
            }
            // Not a byte-order mark after all: what was held back is text (none of it ends a record).
            self.byteOrderMarkMatched = nil
            for held in Self.byteOrderMark.prefix(matched) { _ = try self.consume(held) }
        }
        return try self.consume(byte)
    }

    /// The input ended: the last record, if it has no line end.
    mutating func finish() throws(DirectoryCSV.ParseError) -> Record? {
        if let matched = self.byteOrderMarkMatched, matched > 0 {
            self.byteOrderMarkMatched = nil
            for held in Self.byteOrderMark.prefix(matched) { _ = try self.consume(held) }
        }
        switch self.state {
        case .quoted:
            throw DirectoryCSV.ParseError(line: self.recordLine, column: nil, reason: "a quoted field is never closed")
        case .quoteInQuoted:
            self.state = .unquoted
        case .unquoted:
            break
        }
        guard !self.field.isEmpty || !self.fields.isEmpty || self.fieldWasQuoted else { return nil }
        return try self.endRecord()
    }

    private mutating func consume(_ byte: UInt8) throws(DirectoryCSV.ParseError) -> Record? {
        switch self.state {
        case .quoted:
            switch byte {
            case UInt8(ascii: "\""):
                self.state = .quoteInQuoted
            case UInt8(ascii: "\n"):
                self.line += 1
                try self.append(byte)
            default:
                try self.append(byte)
            }
            return nil
        case .quoteInQuoted:
            if byte == UInt8(ascii: "\"") {
                self.state = .quoted
                try self.append(byte)
                return nil
            }
            // The closing quote; this byte is read as outside the quotes.
            self.state = .unquoted
        case .unquoted:
            break
        }
        switch byte {
        case UInt8(ascii: ","):
            try self.endField()
        case UInt8(ascii: "\""):
            guard self.field.allSatisfy(Self.isSpace), !self.fieldWasQuoted else {
                throw DirectoryCSV.ParseError(
                    line: self.line,
                    column: nil,
                    reason: "a quote inside an unquoted field; quote the whole field and double the quote"
                )
            }
            self.field.removeAll(keepingCapacity: true)
            self.state = .quoted
            self.fieldWasQuoted = true
        case UInt8(ascii: "\r"):
            break
        case UInt8(ascii: "\n"):
            let record = try self.endRecord()
            self.line += 1
            self.recordLine = self.line
            return record
        default:
            if self.fieldWasQuoted, byte != UInt8(ascii: " ") {
                throw DirectoryCSV.ParseError(
                    line: self.line,
                    column: nil,
                    reason: "text after a closing quote; a quote inside a field must be doubled"
                )
            }
            try self.append(byte)
        }
        return nil
    }

    private mutating func append(_ byte: UInt8) throws(DirectoryCSV.ParseError) {
        guard self.field.count < DirectoryCSV.maximumFieldBytes else {
            throw DirectoryCSV.ParseError(
                line: self.recordLine,
                column: nil,
                reason: "field \(self.fields.count + 1) is longer than \(DirectoryCSV.maximumFieldBytes) bytes"
            )
        }
        self.field.append(byte)
    }

    private mutating func endField() throws(DirectoryCSV.ParseError) {
        guard self.fields.count + 1 < self.maximumFields else {
            throw DirectoryCSV.ParseError(
                line: self.recordLine,
                column: nil,
                reason: "more than \(self.maximumFields) fields in one record"
                    + (self.maximumFields == DirectoryCSV.maximumColumns
                        ? " (a file has at most \(DirectoryCSV.maximumColumns) columns)"
                        : ", the number of columns the header names")
            )
        }
        self.fields.append(try self.fieldText())
        self.field.removeAll(keepingCapacity: true)
        self.fieldWasQuoted = false
    }

    /// Ends the record. A line with nothing on it (not even a comma) is returned as one empty field, which the
    /// parser drops as blank without keeping anything.
    private mutating func endRecord() throws(DirectoryCSV.ParseError) -> Record {
        let last = try self.fieldText()
        let record = Record(line: self.recordLine, fields: self.fields + [last])
        self.fields.removeAll(keepingCapacity: true)
        self.field.removeAll(keepingCapacity: true)
        self.fieldWasQuoted = false
        return record
    }

    private func fieldText() throws(DirectoryCSV.ParseError) -> String {
        guard let text = String(validating: self.field, as: UTF8.self) else {
            throw DirectoryCSV.ParseError(
                line: self.recordLine,
                column: nil,
                reason: "field \(self.fields.count + 1) is not UTF-8 text"
            )
        }
        return text
    }

    private static func isSpace(_ byte: UInt8) -> Bool {
        byte == UInt8(ascii: " ") || byte == UInt8(ascii: "\t")
    }
}
