/// A minimal XML writer: elements, attributes and escaped text, indented by two spaces.
///
/// Written by hand rather than with Foundation's `XMLDocument`, which on Linux lives in FoundationXML and drags in
/// libxml2; the cnf.xml files need no more than this.
struct XMLWriter {
    private(set) var text: String
    private var open: [String] = []

    /// A document whose declaration names `encoding` (the caller encodes the text accordingly).
    init(encoding: String = "UTF-8") {
        self.text = "<?xml version=\"1.0\" encoding=\"" + encoding + "\"?>\n"
    }

    /// Opens `<name attr="value">` on its own line.
    mutating func start(_ name: String, attributes: KeyValuePairs<String, String> = [:]) {
        self.indent()
        self.text += "<" + name + Self.attributes(attributes) + ">\n"
        self.open.append(name)
    }

    /// Closes the innermost open element.
    mutating func end() {
        guard let name = self.open.popLast() else { return }
        self.indent()
        self.text += "</" + name + ">\n"
    }

    /// `<name attr="value">text</name>` on one line; `<name/>` when the text is empty.
    mutating func element(_ name: String, _ value: String, attributes: KeyValuePairs<String, String> = [:]) {
        self.indent()
        if value.isEmpty {
            self.text += "<" + name + Self.attributes(attributes) + "/>\n"
        } else {
            self.text += "<" + name + Self.attributes(attributes) + ">" + Self.escape(value) + "</" + name + ">\n"
        }
    }

    /// Closes every element still open.
    mutating func finish() -> String {
        while !self.open.isEmpty { self.end() }
        return self.text
    }

    private mutating func indent() {
        self.text += String(repeating: "  ", count: self.open.count)
    }

    private static func attributes(_ attributes: KeyValuePairs<String, String>) -> String {
        attributes.map { " " + $0.key + "=\"" + Self.escape($0.value) + "\"" }.joined()
    }

    /// Escapes the five XML special characters and drops characters XML 1.0 does not allow at all (C0 controls
    /// other than tab, LF and CR; U+FFFE and U+FFFF), so that no configured string can break or extend the
    /// document. Usable in text and in double- or single-quoted attributes.
    static func escape(_ value: String) -> String {
        var escaped = ""
        escaped.unicodeScalars.reserveCapacity(value.unicodeScalars.count)
        for scalar in value.unicodeScalars {
            switch scalar {
            case "&": escaped += "&amp;"
            case "<": escaped += "&lt;"
            case ">": escaped += "&gt;"
            case "\"": escaped += "&quot;"
            case "'": escaped += "&apos;"
            case "\t", "\n", "\r": escaped.unicodeScalars.append(scalar)
            default:
                if scalar.value < 0x20 || scalar.value == 0xFFFE || scalar.value == 0xFFFF { continue }
                escaped.unicodeScalars.append(scalar)
            }
        }
        return escaped
    }
}
