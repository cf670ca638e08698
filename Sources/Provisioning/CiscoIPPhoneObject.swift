/// The XML objects of Cisco IP Phone Services that the phone's own buttons show: `CiscoIPPhoneMenu`,
/// `CiscoIPPhoneInput`, `CiscoIPPhoneDirectory` and `CiscoIPPhoneText`.
///
/// Limits are those of Cisco's IP Phone Services developer notes for the 79xx generation; text that is longer is cut
/// (a phone refuses or truncates the object otherwise):
///
/// | element | at most |
/// |---|---|
/// | `Title`, `Prompt`, directory `Name` and `Telephone`, input `DisplayName`/`QueryStringParam`/`DefaultValue`, softkey `Name` | 32 characters |
/// | `MenuItem` `Name` | 64 characters |
/// | a `URL` | 256 characters |
/// | `Text` | 4000 characters |
/// | `DirectoryEntry` | 32 per object |
/// | `MenuItem` | 100 per object |
/// | `InputItem` | 5 per object |
/// | `SoftKeyItem` | 8 per object |
///
/// The bytes are ISO-8859-1 (``encoded()``): see ``Charset`` for why.
public enum CiscoIPPhoneObject: Hashable, Sendable {
    case menu(Menu)
    case input(Input)
    case directory(Directory)
    case text(Text)

    /// A list of items; choosing one opens its URL.
    public struct Menu: Hashable, Sendable {
        public var title: String
        public var prompt: String
        public var items: [MenuItem]
        public var softKeys: [SoftKey]

        public init(title: String, prompt: String = "", items: [MenuItem], softKeys: [SoftKey] = []) {
            self.title = title
            self.prompt = prompt
            self.items = items
            self.softKeys = softKeys
        }
    }

    public struct MenuItem: Hashable, Sendable {
        public var name: String
        public var url: String

        public init(name: String, url: String) {
            self.name = name
            self.url = url
        }
    }

    /// A form: the phone asks for each field, then opens `url` with `?param=value&…` appended.
    public struct Input: Hashable, Sendable {
        public var title: String
        public var prompt: String
        public var url: String
        public var items: [InputItem]

        public init(title: String, prompt: String, url: String, items: [InputItem]) {
            self.title = title
            self.prompt = prompt
            self.url = url
            self.items = items
        }
    }

    public struct InputItem: Hashable, Sendable {
        /// How the keypad types: `A` letters, `T` a telephone number, `N` digits, `U` upper case, `L` lower case.
        public enum Flags: String, Hashable, Sendable {
            case ascii = "A"
            case telephone = "T"
            case numeric = "N"
        }

        public var displayName: String
        public var queryStringParameter: String
        public var defaultValue: String
        public var flags: Flags

        public init(displayName: String, queryStringParameter: String, defaultValue: String = "", flags: Flags) {
            self.displayName = displayName
            self.queryStringParameter = queryStringParameter
            self.defaultValue = defaultValue
            self.flags = flags
        }
    }

    /// Names with numbers; the phone's Dial softkey calls the selected one.
    public struct Directory: Hashable, Sendable {
        public var title: String
        public var prompt: String
        public var entries: [DirectoryEntry]
        public var softKeys: [SoftKey]

        public init(title: String, prompt: String, entries: [DirectoryEntry], softKeys: [SoftKey] = []) {
            self.title = title
            self.prompt = prompt
            self.entries = entries
            self.softKeys = softKeys
        }
    }

    public struct DirectoryEntry: Hashable, Sendable {
        public var name: String
        public var telephone: String

        public init(name: String, telephone: String) {
            self.name = name
            self.telephone = telephone
        }
    }

    /// A page of text.
    public struct Text: Hashable, Sendable {
        public var title: String
        public var prompt: String
        public var text: String
        public var softKeys: [SoftKey]

        public init(title: String, prompt: String = "", text: String, softKeys: [SoftKey] = []) {
            self.title = title
            self.prompt = prompt
            self.text = text
            self.softKeys = softKeys
        }
    }

    /// A softkey: `url` is a URL, `SoftKey:Exit`/`SoftKey:Dial`/`SoftKey:EditDial`/`SoftKey:Select`, or
    /// `Dial:<number>`.
    public struct SoftKey: Hashable, Sendable {
        public var name: String
        public var url: String
        /// 1-based position on the phone's softkey row.
        public var position: Int

        public init(name: String, url: String, position: Int) {
            self.name = name
            self.url = url
            self.position = position
        }
    }

    /// The limits of the table above.
    public enum Limit {
        public static let shortText = 32
        public static let menuItemName = 64
        public static let url = 256
        public static let text = 4000
        public static let directoryEntries = 32
        public static let menuItems = 100
        public static let inputItems = 5
        public static let softKeys = 8
    }

    /// The character set of the XML: ISO-8859-1.
    ///
    /// The 79xx firmware's XML parser reads bytes as ISO-8859-1 (the font of the Western locales) whatever the XML
    /// declaration says, so UTF-8 shows as two or three wrong characters for every non-ASCII letter; CUCM's own
    /// directory pages are ISO-8859-1 for that reason. Newer phones (89xx, 99xx) take UTF-8 too, but also read
    /// ISO-8859-1 when the declaration says so. Characters ISO-8859-1 cannot hold are written as `?`: the phone's
    /// font has no glyph for them either. (Japanese phones want Shift_JIS, which is not written.)
    public enum Charset {
        public static let name = "ISO-8859-1"
        /// The `Content-Type` the HTTP response carries.
        public static let contentType = "text/xml; charset=ISO-8859-1"
    }

    /// The document as text (declaration, root element, children), with every value escaped and cut to its limit.
    public func xml() -> String {
        var xml = XMLWriter(encoding: Charset.name)
        switch self {
        case .menu(let menu):
            xml.start("CiscoIPPhoneMenu")
            Self.writeHeading(menu.title, menu.prompt, to: &xml)
            for item in menu.items.prefix(Limit.menuItems) {
                xml.start("MenuItem")
                xml.element("Name", Self.cut(item.name, Limit.menuItemName))
                xml.element("URL", Self.cut(item.url, Limit.url))
                xml.end()
            }
            Self.writeSoftKeys(menu.softKeys, to: &xml)
        case .input(let input):
            xml.start("CiscoIPPhoneInput")
            Self.writeHeading(input.title, input.prompt, to: &xml)
            xml.element("URL", Self.cut(input.url, Limit.url))
            for item in input.items.prefix(Limit.inputItems) {
                xml.start("InputItem")
                xml.element("DisplayName", Self.cut(item.displayName, Limit.shortText))
                xml.element("QueryStringParam", Self.cut(item.queryStringParameter, Limit.shortText))
                xml.element("DefaultValue", Self.cut(item.defaultValue, Limit.shortText))
                xml.element("InputFlags", item.flags.rawValue)
                xml.end()
            }
        case .directory(let directory):
            xml.start("CiscoIPPhoneDirectory")
            Self.writeHeading(directory.title, directory.prompt, to: &xml)
            for entry in directory.entries.prefix(Limit.directoryEntries) {
                xml.start("DirectoryEntry")
                xml.element("Name", Self.cut(entry.name, Limit.shortText))
                xml.element("Telephone", Self.cut(entry.telephone, Limit.shortText))
                xml.end()
            }
            Self.writeSoftKeys(directory.softKeys, to: &xml)
        case .text(let text):
            xml.start("CiscoIPPhoneText")
            Self.writeHeading(text.title, text.prompt, to: &xml)
            xml.element("Text", Self.cut(text.text, Limit.text))
            Self.writeSoftKeys(text.softKeys, to: &xml)
        }
        return xml.finish()
    }

    /// ``xml()`` in ISO-8859-1: characters past U+00FF become `?`.
    public func encoded() -> [UInt8] {
        Self.latin1(self.xml())
    }

    /// `text` in ISO-8859-1, `?` for what it cannot hold.
    public static func latin1(_ text: String) -> [UInt8] {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(text.unicodeScalars.count)
        for scalar in text.unicodeScalars {
            bytes.append(scalar.value <= 0xFF ? UInt8(scalar.value) : UInt8(ascii: "?"))
        }
        return bytes
    }

    private static func writeHeading(_ title: String, _ prompt: String, to xml: inout XMLWriter) {
        xml.element("Title", Self.cut(title, Limit.shortText))
        xml.element("Prompt", Self.cut(prompt, Limit.shortText))
    }

    private static func writeSoftKeys(_ softKeys: [SoftKey], to xml: inout XMLWriter) {
        for key in softKeys.prefix(Limit.softKeys) {
            xml.start("SoftKeyItem")
            xml.element("Name", Self.cut(key.name, Limit.shortText))
            xml.element("URL", Self.cut(key.url, Limit.url))
            xml.element("Position", String(key.position))
            xml.end()
        }
    }

    /// The first `limit` characters of `text`.
    static func cut(_ text: String, _ limit: Int) -> String {
        text.count <= limit ? text : String(text.prefix(limit))
    }
}
