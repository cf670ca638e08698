/// A small non-validating XML reader: the counterpart of `XMLWriter`, for the files phones fetch.
///
/// It reads what cnf.xml files hold (CUCM's, Strowger's, hand-written ones): an optional byte-order mark, the XML
/// declaration and other processing instructions, comments, elements with single- or double-quoted attributes,
/// text, CDATA sections, the five predefined entity references and character references. A document type
/// declaration is refused: entities defined there are how "billion laughs" documents blow up, and no phone
/// configuration has one. The input comes from the network, so every malformed document is an error naming the
/// byte offset, never a trap, and the reader's work is bounded by `maximumLength` and `maximumDepth`.
///
/// Written by hand for the same reason as `XMLWriter`: Foundation's parser lives in FoundationXML on Linux and
/// drags in libxml2.
struct XMLReader {
    /// One element: its name, attributes in document order, its text (every text and CDATA piece directly inside it,
    /// joined) and its child elements.
    struct Element: Sendable {
        var name: String
        var attributes: [(name: String, value: String)]
        var text: String
        var children: [Element]

        func attribute(_ name: String) -> String? {
            self.attributes.first { $0.name == name }?.value
        }

        /// The first child named `name`.
        func child(_ name: String) -> Element? {
            self.children.first { $0.name == name }
        }

        /// The first element named `name` in document order, this one included (depth first).
        func first(named name: String) -> Element? {
            if self.name == name { return self }
            for child in self.children {
                if let found = child.first(named: name) { return found }
            }
            return nil
        }
    }

    /// Why a document was refused, and the byte offset where the reader stopped.
    struct Failure: Error, Hashable, Sendable, CustomStringConvertible {
        var offset: Int
        var reason: String

        var description: String { "\(self.reason) at byte \(self.offset)" }
    }

    /// The longest document read: a cnf.xml is a few KiB (CUCM's with every optional element stay under 64 KiB), so
    /// anything longer is not one.
    static let maximumLength = 256 * 1024

    /// The deepest element nesting accepted: a cnf.xml nests seven deep (`device` … `mgcpPorts`); the bound keeps
    /// the tree shallow whatever the input, so that walking it recursively (`first(named:)`) stays cheap.
    static let maximumDepth = 32

    /// Reads `bytes` (UTF-8) into the root element.
    static func read(_ bytes: some Collection<UInt8>) throws(Failure) -> Element {
        guard bytes.count <= Self.maximumLength else {
            throw Failure(offset: 0, reason: "\(bytes.count) bytes, more than \(Self.maximumLength)")
        }
        var reader = XMLReader(bytes: Array(bytes))
        return try reader.document()
    }

    private let bytes: [UInt8]
    private var index = 0

    private init(bytes: [UInt8]) {
        self.bytes = bytes
    }

    // MARK: Document structure

    private mutating func document() throws(Failure) -> Element {
        if self.bytes.starts(with: [0xEF, 0xBB, 0xBF]) { self.index = 3 }
        var root: Element?
        // Open elements, innermost last; each collects its text and children until its end tag.
        var open: [Element] = []
        while self.index < self.bytes.count {
            if self.bytes[self.index] != UInt8(ascii: "<") {
                let text = try self.characterData()
                if open.isEmpty {
                    guard text.allSatisfy(\.isXMLWhitespace) else {
                        throw self.failure("text outside the root element")
                    }
                } else {
                    open[open.count - 1].text += text
                }
                continue
            }
            if self.skip("<?") {
                try self.skipPast("?>", what: "processing instruction")
            } else if self.skip("<!--") {
                try self.skipPast("-->", what: "comment")
            } else if self.skip("<![CDATA[") {
                guard !open.isEmpty else { throw self.failure("CDATA outside the root element") }
                let start = self.index
                try self.skipPast("]]>", what: "CDATA section")
                open[open.count - 1].text += try self.string(start..<(self.index - 3))
            } else if self.skip("<!") {
                throw self.failure("a document type declaration or other <! markup (not accepted)")
            } else if self.skip("</") {
                let name = try self.name()
                self.skipWhitespace()
                guard self.skip(">") else { throw self.failure("expected > to end </\(name)") }
                guard let element = open.popLast() else { throw self.failure("</\(name)> without an open element") }
                guard element.name == name else { throw self.failure("</\(name)> closes <\(element.name)>") }
                if open.isEmpty {
                    root = element
                } else {
                    open[open.count - 1].children.append(element)
                }
            } else {
                self.index += 1
                guard root == nil || !open.isEmpty else { throw self.failure("a second root element") }
                let (element, isEmpty) = try self.startTag()
                if isEmpty {
                    if open.isEmpty {
                        root = element
                    } else {
                        open[open.count - 1].children.append(element)
                    }
                } else {
                    guard open.count < Self.maximumDepth else {
                        throw self.failure("elements nested deeper than \(Self.maximumDepth)")
                    }
                    open.append(element)
                }
            }
        }
        if let element = open.last { throw self.failure("<\(element.name)> is never closed") }
        guard let root else { throw self.failure("no root element") }
        return root
    }

    /// After `<`: the name, the attributes, and `>` or `/>`.
    private mutating func startTag() throws(Failure) -> (Element, isEmpty: Bool) {
        let name = try self.name()
        var element = Element(name: name, attributes: [], text: "", children: [])
        while true {
            let hadWhitespace = self.skipWhitespace()
            if self.skip("/>") { return (element, true) }
            if self.skip(">") { return (element, false) }
            guard hadWhitespace else { throw self.failure("expected whitespace, > or /> in <\(name)>") }
            let attribute = try self.name()
            self.skipWhitespace()
            guard self.skip("=") else { throw self.failure("expected = after attribute \(attribute)") }
            self.skipWhitespace()
            guard self.index < self.bytes.count,
                self.bytes[self.index] == UInt8(ascii: "\"") || self.bytes[self.index] == UInt8(ascii: "'")
            else { throw self.failure("expected a quoted value for attribute \(attribute)") }
            let quote = self.bytes[self.index]
            self.index += 1
            let value = try self.characterData(until: quote)
            guard self.index < self.bytes.count else { throw self.failure("attribute \(attribute) is never closed") }
            self.index += 1
            guard !element.attributes.contains(where: { $0.name == attribute }) else {
                throw self.failure("attribute \(attribute) twice in <\(name)>")
            }
            element.attributes.append((attribute, value))
        }
    }

    // MARK: Pieces

    /// A name (XML 1.0 §2.3, simplified to ASCII letters, digits, `_ - . :` and any non-ASCII character).
    private mutating func name() throws(Failure) -> String {
        let start = self.index
        while self.index < self.bytes.count {
            let byte = self.bytes[self.index]
            let isStart =
                (byte >= UInt8(ascii: "a") && byte <= UInt8(ascii: "z"))
                || (byte >= UInt8(ascii: "A") && byte <= UInt8(ascii: "Z"))
                || byte == UInt8(ascii: "_") || byte == UInt8(ascii: ":") || byte >= 0x80
            let isLater =
                (byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9")) || byte == UInt8(ascii: "-")
                || byte == UInt8(ascii: ".")
            guard isStart || (isLater && self.index > start) else { break }
            self.index += 1
        }
        guard self.index > start else { throw self.failure("expected a name") }
        return try self.string(start..<self.index)
    }

    /// Text up to the next `<` (or, in an attribute value, up to `terminator`), with references replaced.
    private mutating func characterData(until terminator: UInt8? = nil) throws(Failure) -> String {
        var text = ""
        var start = self.index
        while self.index < self.bytes.count {
            let byte = self.bytes[self.index]
            if byte == terminator { break }
            if byte == UInt8(ascii: "<") {
                guard terminator == nil else { throw self.failure("< in an attribute value") }
                break
            }
            if byte == UInt8(ascii: "&") {
                text += try self.string(start..<self.index)
                text.unicodeScalars.append(try self.reference())
                start = self.index
                continue
            }
            self.index += 1
        }
        text += try self.string(start..<self.index)
        return text
    }

    /// After `&`: `amp;`, `lt;`, `gt;`, `quot;`, `apos;`, `#NNN;` or `#xHHH;`.
    private mutating func reference() throws(Failure) -> Unicode.Scalar {
        let start = self.index
        self.index += 1
        // The longest reference is `&#x10FFFF;` or `&#1114111;`: a semicolon further away is no reference.
        guard
            let semicolon = self.bytes[self.index..<min(self.bytes.count, self.index + 10)]
                .firstIndex(of: UInt8(ascii: ";"))
        else {
            self.index = start
            throw self.failure("& without a reference (write &amp;)")
        }
        let body = self.bytes[self.index..<semicolon]
        self.index = semicolon + 1
        switch String(decoding: body, as: UTF8.self) {
        case "amp": return "&"
        case "lt": return "<"
        case "gt": return ">"
        case "quot": return "\""
        case "apos": return "'"
        case let name where name.hasPrefix("#x"):
            if let value = UInt32(name.dropFirst(2), radix: 16), let scalar = Self.characterScalar(value) {
                return scalar
            }
        case let name where name.hasPrefix("#"):
            if let value = UInt32(name.dropFirst()), let scalar = Self.characterScalar(value) { return scalar }
        default:
            break
        }
        self.index = start
        throw self.failure("unknown or invalid reference &\(String(decoding: body, as: UTF8.self));")
    }

    /// A character XML 1.0 allows (§2.2): tab, LF, CR, and everything from U+0020 but U+FFFE and U+FFFF.
    private static func characterScalar(_ value: UInt32) -> Unicode.Scalar? {
        guard value == 0x9 || value == 0xA || value == 0xD || (value >= 0x20 && value != 0xFFFE && value != 0xFFFF)
        else { return nil }
        return Unicode.Scalar(value)
    }

    @discardableResult
    private mutating func skipWhitespace() -> Bool {
        let start = self.index
        while self.index < self.bytes.count, Character(Unicode.Scalar(self.bytes[self.index])).isXMLWhitespace {
            self.index += 1
        }
        return self.index > start
    }

    /// Skips `literal` if the input continues with it.
    private mutating func skip(_ literal: StaticString) -> Bool {
        let count = literal.utf8CodeUnitCount
        guard self.bytes.count - self.index >= count else { return false }
        let matches = literal.withUTF8Buffer { literal in
            self.bytes[self.index..<(self.index + count)].elementsEqual(literal)
        }
        if matches { self.index += count }
        return matches
    }

    /// Skips past the next `terminator`.
    private mutating func skipPast(_ terminator: StaticString, what: String) throws(Failure) {
        while self.index < self.bytes.count {
            if self.skip(terminator) { return }
            self.index += 1
        }
        throw self.failure("\(what) is never closed")
    }

    private func string(_ range: Range<Int>) throws(Failure) -> String {
        guard let string = String(validating: self.bytes[range], as: UTF8.self) else {
            throw Failure(offset: range.lowerBound, reason: "invalid UTF-8")
        }
        return string
    }

    private func failure(_ reason: String) -> Failure {
        Failure(offset: self.index, reason: reason)
    }
}

extension Character {
    /// XML 1.0's white space (§2.3 `S`): space, tab, CR, LF.
    fileprivate var isXMLWhitespace: Bool {
        self == " " || self == "\t" || self == "\n" || self == "\r" || self == "\r\n"
    }
}
