/// Device names from a printf-like pattern: one `%d`, `%x` or `%X` conversion, optionally zero-padded to a width
/// (`SEP%012d`, `SEP%012X`), applied to `offset + index`.
///
/// Cisco phones are named `SEP` + their MAC in 12 hex digits; Strowger's auto-registration accepts exactly that
/// shape, and decimal digits are hex digits, so `SEP%012d` gives names that any call manager takes for phones.
struct DevicePattern: Sendable, CustomStringConvertible {
    enum Radix: Sendable {
        case decimal
        case lowerHex
        case upperHex
    }

    private let prefix: String
    private let suffix: String
    private let width: Int
    private let zeroPadded: Bool
    private let radix: Radix
    let description: String

    /// Parses `pattern`; nil when it does not hold exactly one supported conversion.
    init?(_ pattern: String) {
        let characters = Array(pattern)
        guard let percent = characters.firstIndex(of: "%") else { return nil }
        var index = percent + 1
        var zeroPadded = false
        if index < characters.count, characters[index] == "0" {
            zeroPadded = true
            index += 1
        }
        var width = 0
        while index < characters.count, let digit = characters[index].wholeNumberValue {
            width = width * 10 + digit
            index += 1
            guard width <= 64 else { return nil }
        }
        guard index < characters.count else { return nil }
        switch characters[index] {
        case "d": self.radix = .decimal
        case "x": self.radix = .lowerHex
        case "X": self.radix = .upperHex
        default: return nil
        }
        let suffix = String(characters[(index + 1)...])
        guard !suffix.contains("%") else { return nil }
        self.prefix = String(characters[..<percent])
        self.suffix = suffix
        self.width = width
        self.zeroPadded = zeroPadded
        self.description = pattern
    }

    /// The name for `value`.
    func name(_ value: Int) -> String {
        var digits: String
        switch self.radix {
        case .decimal: digits = String(value)
        case .lowerHex: digits = String(value, radix: 16, uppercase: false)
        case .upperHex: digits = String(value, radix: 16, uppercase: true)
        }
        if digits.count < self.width {
            let padding = String(repeating: self.zeroPadded ? "0" : " ", count: self.width - digits.count)
            digits = padding + digits
        }
        return self.prefix + digits + self.suffix
    }
}
