import CallControl

/// The checks every record runs before it is written. Each throws a ``StoreError`` with code
/// ``StoreError/Code/invalidValue`` that names the field (`table.column`) and says what a valid value looks like.
enum Validation {
    /// Longest directory number: CUCM allows 24 digits in a DN.
    static let maximumDirectoryNumberLength = 24
    /// Longest dialled string (forward target, speed dial, voicemail number): CallControl treats more than 32 keys as
    /// an invalid number.
    static let maximumDialStringLength = 32
    /// Longest name shown on a phone: SCCP's display-name fields are 40 bytes.
    static let maximumDisplayNameLength = 40
    /// Longest free-text description: CUCM's device and pattern descriptions are 128 characters.
    static let maximumDescriptionLength = 128
    /// Longest identifier-like text (user name, model, CallManager group, token name).
    static let maximumNameLength = 64

    /// Keys a directory number may contain: what CallControl can dial (`#` only ends dialling).
    private static func isDialKey(_ character: Character) -> Bool {
        switch character {
        case "0"..."9", "*", "+", "A", "B", "C", "D": true
        default: false
        }
    }

    /// `SEP` followed by exactly 12 hex digits, the name a Cisco SCCP phone registers with.
    static func deviceName(_ value: String, field: String) throws(StoreError) {
        guard DeviceName(value).isAutoRegistrationCandidate else {
            throw .invalidValue(field, "\(label(field)) must be SEP followed by 12 hex digits, not \(quoted(value))")
        }
    }

    /// 1–24 of `0-9 * + A-D`.
    static func directoryNumber(_ value: String, field: String) throws(StoreError) {
        guard !value.isEmpty, value.count <= maximumDirectoryNumberLength, value.allSatisfy(isDialKey) else {
            throw .invalidValue(
                field,
                "\(label(field)) must be 1 to \(maximumDirectoryNumberLength) of 0-9, *, +, A-D, not \(quoted(value))"
            )
        }
    }

    /// 1–32 of `0-9 * + A-D`, optionally ending in `#` (dial now).
    static func dialString(_ value: String, field: String) throws(StoreError) {
        let keys = value.hasSuffix("#") ? value.dropLast() : Substring(value)
        guard !keys.isEmpty, keys.count <= maximumDialStringLength, keys.allSatisfy(isDialKey) else {
            throw .invalidValue(
                field,
                "\(label(field)) must be 1 to \(maximumDialStringLength) of 0-9, *, +, A-D, optionally ending in #,"
                    + " not \(quoted(value))"
            )
        }
    }

    /// A CallManager group's name: 1–64 of letters, digits, space, `.`, `_` and `-`, with no space at either end
    /// (CUCM's characters for group names; it goes into URLs and the cnf.xml as is).
    static func callManagerGroupName(_ value: String, field: String) throws(StoreError) {
        try text(value, field: field, maximumLength: maximumNameLength, allowsEmpty: false)
        let allowed = value.unicodeScalars.allSatisfy { scalar in
            switch scalar {
            case "a"..."z", "A"..."Z", "0"..."9", " ", ".", "_", "-": true
            default: false
            }
        }
        guard allowed, value.first != " ", value.last != " " else {
            throw .invalidValue(
                field,
                "\(label(field)) must be letters, digits, spaces, '.', '_' and '-' (no space at either end),"
                    + " not \(quoted(value))"
            )
        }
    }

    /// A web sign-in name: 1–64 of letters, digits, `.`, `_`, `-` and `@`, starting with a letter or digit (no
    /// spaces, so that it reads the same in a log line and a URL).
    static func accountName(_ value: String, field: String) throws(StoreError) {
        let valid =
            !value.isEmpty && value.utf8.count <= maximumNameLength
            && value.unicodeScalars.first.map { isLetter($0) || ("0"..."9").contains($0) } == true
            && value.unicodeScalars.allSatisfy { scalar in
                switch scalar {
                case "a"..."z", "A"..."Z", "0"..."9", ".", "_", "-", "@": true
                default: false
                }
            }
        guard valid else {
            throw .invalidValue(
                field,
                "\(label(field)) must be 1 to \(maximumNameLength) of letters, digits, '.', '_', '-' and '@',"
                    + " starting with a letter or digit, not \(quoted(value))"
            )
        }
    }

    /// A firmware load name (`SCCP41.9-4-2SR3-1S`): 1 to `maximumLength` of letters, digits, `.`, `-` and `_`,
    /// the characters of Cisco's load names. It names files the phone then fetches, so nothing else is let through.
    static func loadName(_ value: String, field: String, maximumLength: Int) throws(StoreError) {
        guard !value.isEmpty, value.utf8.count <= maximumLength, value.utf8.allSatisfy(isLoadNameByte) else {
            throw .invalidValue(
                field,
                "\(label(field)) must be 1 to \(maximumLength) of letters, digits, '.', '-' and '_'"
                    + " (a load name like SCCP41.9-4-2SR3-1S), not \(quoted(value))"
            )
        }
    }

    private static func isLoadNameByte(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"),
            UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "."), UInt8(ascii: "-"), UInt8(ascii: "_"):
            true
        default:
            false
        }
    }

    /// An IANA time zone name (`Europe/Berlin`, `America/Argentina/Buenos_Aires`, `Etc/GMT+5`): 1–64 of letters,
    /// digits, `/`, `_`, `-` and `+`, starting with a letter, with no empty or `..` part.
    static func olsonTimeZone(_ value: String, field: String) throws(StoreError) {
        let parts = value.split(separator: "/", omittingEmptySubsequences: false)
        let valid =
            !value.isEmpty && value.utf8.count <= maximumNameLength
            && value.unicodeScalars.first.map(isLetter) == true
            && parts.allSatisfy { !$0.isEmpty && $0 != ".." }
            && value.unicodeScalars.allSatisfy { scalar in
                switch scalar {
                case "a"..."z", "A"..."Z", "0"..."9", "/", "_", "-", "+": true
                default: false
                }
            }
        guard valid else {
            throw .invalidValue(
                field,
                "\(label(field)) must be an IANA time zone name like Europe/Berlin (letters, digits, '/', '_', '-',"
                    + " '+'; at most \(maximumNameLength)), not \(quoted(value))"
            )
        }
    }

    /// An ASCII letter.
    private static func isLetter(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar {
        case "a"..."z", "A"..."Z": true
        default: false
        }
    }

    /// A locale name as CUCM spells them (`United_States`, `Germany`, `Korea_Republic`): 1–64 of letters, digits and
    /// `_`, starting with a letter.
    static func localeName(_ value: String, field: String) throws(StoreError) {
        let valid =
            !value.isEmpty && value.utf8.count <= maximumNameLength
            && value.unicodeScalars.first.map(isLetter) == true
            && value.unicodeScalars.allSatisfy { scalar in
                switch scalar {
                case "a"..."z", "A"..."Z", "0"..."9", "_": true
                default: false
                }
            }
        guard valid else {
            throw .invalidValue(
                field,
                "\(label(field)) must be a locale name of letters, digits and '_' like United_States (at most"
                    + " \(maximumNameLength)), not \(quoted(value))"
            )
        }
    }

    static func optionalDialString(_ value: String?, field: String) throws(StoreError) {
        if let value { try dialString(value, field: field) }
    }

    /// Text of at most `maximumLength` characters with no control characters; empty only if `allowsEmpty`.
    static func text(_ value: String, field: String, maximumLength: Int, allowsEmpty: Bool) throws(StoreError) {
        if !allowsEmpty && value.allSatisfy(\.isWhitespace) {
            throw .invalidValue(field, "\(label(field)) must not be empty")
        }
        if value.count > maximumLength {
            throw .invalidValue(
                field,
                "\(label(field)) must be at most \(maximumLength) characters, not \(value.count)"
            )
        }
        if value.unicodeScalars.contains(where: { $0.properties.generalCategory == .control }) {
            throw .invalidValue(field, "\(label(field)) must not contain control characters")
        }
    }

    static func range<Value: Comparable>(
        _ value: Value,
        _ bounds: ClosedRange<Value>,
        field: String,
        unit: String = ""
    ) throws(StoreError) {
        guard bounds.contains(value) else {
            let suffix = unit.isEmpty ? "" : " \(unit)"
            throw .invalidValue(
                field,
                "\(label(field)) must be between \(bounds.lowerBound) and \(bounds.upperBound)\(suffix), not \(value)"
            )
        }
    }

    /// `device.name` → "device name", `line.forwardAll` → "line forwardAll": the field as a reader sees it.
    static func label(_ field: String) -> String {
        field.replacingFirstDot(with: " ")
    }

    static func quoted(_ value: String) -> String {
        let shown = value.count > 40 ? String(value.prefix(40)) + "…" : value
        return "\"\(shown)\""
    }
}

extension String {
    fileprivate func replacingFirstDot(with replacement: String) -> String {
        guard let dot = firstIndex(of: ".") else { return self }
        return String(self[..<dot]) + replacement + String(self[index(after: dot)...])
    }
}
