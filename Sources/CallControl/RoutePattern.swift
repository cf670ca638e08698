/// Where a matched route pattern sends the call.
public enum RouteTarget: Hashable, Sendable {
    /// Translate to this directory number and ring the line that carries it.
    case directoryNumber(DirectoryNumber)
    /// Refuse the call: the caller hears reorder.
    case blocked
    /// Send the call out over a SIP trunk, the number rewritten by the route's digit manipulation
    /// (``RoutePattern/outboundNumber(for:)``). The core places it in phase 2 of issue 15; until then such a call
    /// fails as unavailable.
    case trunk(TrunkRoute)
}

/// Where a trunk route sends a call and how it rewrites the dialled digits on the way (CUCM's route pattern
/// "Discard Digits: PreDot" and "Prefix Digits (Outgoing Calls)").
public struct TrunkRoute: Hashable, Sendable, CustomStringConvertible {
    /// The trunk's name.
    public var trunk: String
    /// Drop the digits matched before the pattern's `.` (the access code: `9.!` sends `0301234` for `90301234`).
    public var stripPreDot: Bool
    /// Put these in front of what is left (`+49`, `0`); empty for none.
    public var prefix: String

    public init(trunk: String, stripPreDot: Bool = false, prefix: String = "") {
        self.trunk = trunk
        self.stripPreDot = stripPreDot
        self.prefix = prefix
    }

    public var description: String {
        "trunk \(trunk)" + (stripPreDot ? " strip-pre-dot" : "") + (prefix.isEmpty ? "" : " prefix \(prefix)")
    }
}

/// A CUCM-style route pattern such as `9.1XXX`, `[2-5]XX`, `0!` or `00!#`, and where it routes.
///
/// Syntax (validated once, when the pattern is made, so the core never meets a bad pattern):
/// - `0`–`9`, `*`, `A`–`D`: that key; `\+` (or `+`): a literal plus.
/// - `X`: any digit 0–9.
/// - `[2-5]`, `[135]`, `[1-35-7]`: one digit from the set; `[^0]`: one digit 0–9 *not* in the set.
/// - `!`: one or more digits 0–9.
/// - `.`: separates an access code from the rest; it matches nothing and is ignored when matching.
/// - `#` (last character only): the pattern matches only when dialling ended with `#` or the number came en bloc,
///   never on the interdigit timeout.
///
/// When several patterns match, the one that matches the fewest strings of the dialled length wins (CUCM's rule:
/// `1XXX` beats `1!`, `10XX` beats `1XXX`); equally specific patterns rank by their order in the plan, and a
/// directory number dialled exactly beats every pattern.
public struct RoutePattern: Hashable, Sendable, CustomStringConvertible {
    /// The pattern as configured.
    public let text: String
    public let target: RouteTarget
    let elements: [PatternElement]
    let requiresEndOfDialing: Bool
    /// How many keys the part before the first `.` matches; nil when the pattern has no `.`, or `!` comes before
    /// it (then the count is not fixed).
    public let preDotLength: Int?

    public init(_ text: String, target: RouteTarget) throws(RoutePatternError) {
        self.text = text
        self.target = target
        (self.elements, self.requiresEndOfDialing) = try Self.parse(text)
        self.preDotLength = Self.preDotLength(of: text)
        if case .trunk(let route) = target {
            if route.stripPreDot, preDotLength == nil {
                throw RoutePatternError(pattern: text, reason: .stripPreDotWithoutDot)
            }
            guard route.prefix.allSatisfy({ DialAlphabet.index(of: $0) != nil }) else {
                throw RoutePatternError(pattern: text, reason: .invalidPrefix(route.prefix))
            }
        }
    }

    /// The number to send over the trunk for `dialed` digits this pattern matched: the pre-dot digits dropped if
    /// the route says so, then the prefix. nil for a target that is not a trunk.
    public func outboundNumber(for dialed: String) -> String? {
        guard case .trunk(let route) = target else { return nil }
        var digits = Substring(dialed)
        if route.stripPreDot, let length = preDotLength {
            digits = digits.dropFirst(length)
        }
        return route.prefix + digits
    }

    /// Keys matched before the first `.`: each element there matches exactly one key unless it is `!`.
    private static func preDotLength(of text: String) -> Int? {
        guard let dot = text.firstIndex(of: ".") else { return nil }
        let head = text[..<dot]
        guard !head.contains("!") else { return nil }
        var count = 0
        var inSet = false
        var escaped = false
        for character in head {
            if escaped {
                escaped = false
                continue
            }
            switch character {
            case "\\":
                escaped = true
                count += 1
            case "[":
                inSet = true
                count += 1
            case "]":
                inSet = false
            default:
                if !inSet { count += 1 }
            }
        }
        return count
    }

    public var description: String { "\(text) -> \(target)" }

    /// How many dialled strings of `length` keys this pattern matches, saturating at `UInt64.max`.
    ///
    /// `!` is counted as ten choices for every key it covers, so `1!` matches 10^(length-1) strings of that length.
    func matchCount(length: Int) -> UInt64 {
        var count: UInt64 = 1
        var fixed = 0
        for element in elements where !element.repeats {
            fixed += 1
            count = Self.saturatingMultiply(count, UInt64(element.mask.nonzeroBitCount))
        }
        if elements.contains(where: \.repeats) {
            for _ in 0..<max(0, length - fixed) {
                count = Self.saturatingMultiply(count, 10)
            }
        }
        return count
    }

    private static func saturatingMultiply(_ lhs: UInt64, _ rhs: UInt64) -> UInt64 {
        let (product, overflow) = lhs.multipliedReportingOverflow(by: rhs)
        return overflow ? UInt64.max : product
    }

    private static func parse(_ text: String) throws(RoutePatternError) -> ([PatternElement], Bool) {
        var elements: [PatternElement] = []
        var requiresEnd = false
        var characters = text.makeIterator()
        func fail(_ reason: RoutePatternError.Reason) -> RoutePatternError {
            RoutePatternError(pattern: text, reason: reason)
        }
        while let character = characters.next() {
            if requiresEnd { throw fail(.endOfDialingNotLast) }
            switch character {
            case "X", "x":
                elements.append(PatternElement(mask: DialAlphabet.digitsMask, repeats: false))
            case "!":
                elements.append(PatternElement(mask: DialAlphabet.digitsMask, repeats: true))
            case ".":
                continue
            case "#":
                requiresEnd = true
            case "\\":
                guard characters.next() == "+" else { throw fail(.unexpectedCharacter("\\")) }
                elements.append(PatternElement(mask: DialAlphabet.mask(of: "+"), repeats: false))
            case "[":
                elements.append(PatternElement(mask: try parseSet(&characters, fail), repeats: false))
            default:
                guard DialAlphabet.index(of: character) != nil else { throw fail(.unexpectedCharacter(character)) }
                elements.append(PatternElement(mask: DialAlphabet.mask(of: character), repeats: false))
            }
        }
        if elements.isEmpty { throw fail(.empty) }
        return (elements, requiresEnd)
    }

    private static func parseSet(
        _ characters: inout String.Iterator,
        _ fail: (RoutePatternError.Reason) -> RoutePatternError
    ) throws(RoutePatternError) -> DialAlphabet.Mask {
        var mask: DialAlphabet.Mask = 0
        var negated = false
        var previous: UInt8?
        var pendingRange = false
        var first = true
        while true {
            guard let character = characters.next() else { throw fail(.unterminatedSet) }
            defer { first = false }
            switch character {
            case "]":
                if pendingRange { throw fail(.invalidRange) }
                if negated { mask = DialAlphabet.digitsMask & ~mask }
                if mask == 0 { throw fail(.emptySet) }
                return mask
            case "^" where first:
                negated = true
            case "-":
                guard previous != nil, !pendingRange else { throw fail(.invalidRange) }
                pendingRange = true
            default:
                guard let index = DialAlphabet.index(of: character) else {
                    throw fail(.unexpectedCharacter(character))
                }
                if pendingRange, let low = previous {
                    guard low <= 9, index <= 9, low <= index else { throw fail(.invalidRange) }
                    for digit in low...index { mask |= 1 << digit }
                    pendingRange = false
                    previous = nil
                } else {
                    mask |= 1 << index
                    previous = index
                }
            }
        }
    }
}

/// A route pattern that cannot be parsed, with the reason.
public struct RoutePatternError: Error, Hashable, Sendable, CustomStringConvertible {
    public enum Reason: Hashable, Sendable {
        /// No key to match (an empty string, or only `.`/`#`).
        case empty
        /// A character that is not part of the syntax.
        case unexpectedCharacter(Character)
        /// `[` without `]`.
        case unterminatedSet
        /// `[]`, or `[^0-9]`, which matches nothing.
        case emptySet
        /// A range that is not `digit-digit` in ascending order.
        case invalidRange
        /// `#` somewhere other than at the end.
        case endOfDialingNotLast
        /// A trunk route that strips the pre-dot digits, on a pattern without a `.` (or with `!` before it).
        case stripPreDotWithoutDot
        /// A trunk route prefix with a character that cannot be dialled.
        case invalidPrefix(String)
    }

    public let pattern: String
    public let reason: Reason

    public init(pattern: String, reason: Reason) {
        self.pattern = pattern
        self.reason = reason
    }

    public var description: String { "invalid route pattern \"\(pattern)\": \(reason)" }
}

/// One position of a pattern: the set of keys it accepts, and whether it repeats (`!`).
struct PatternElement: Hashable, Sendable {
    var mask: DialAlphabet.Mask
    var repeats: Bool
}

/// The keys a user can dial, numbered 0–15 so that a set of them fits a 16-bit mask.
///
/// `0`–`9` are 0–9, `*` is 10, `+` is 11, `A`–`D` are 12–15. `#` is not a key here: it ends dialling.
enum DialAlphabet {
    typealias Mask = UInt16

    /// The digits 0–9: what `X`, `!` and negated sets match.
    static let digitsMask: Mask = 0x03FF

    static let characters: [Character] = [
        "0", "1", "2", "3", "4", "5", "6", "7", "8", "9", "*", "+", "A", "B", "C", "D",
    ]

    static func index(of character: Character) -> UInt8? {
        guard let ascii = character.asciiValue else { return nil }
        switch ascii {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): return ascii - UInt8(ascii: "0")
        case UInt8(ascii: "*"): return 10
        case UInt8(ascii: "+"): return 11
        case UInt8(ascii: "A")...UInt8(ascii: "D"): return ascii - UInt8(ascii: "A") + 12
        case UInt8(ascii: "a")...UInt8(ascii: "d"): return ascii - UInt8(ascii: "a") + 12
        default: return nil
        }
    }

    static func mask(of character: Character) -> Mask {
        guard let index = index(of: character) else { return 0 }
        return 1 << index
    }

    /// The key in its canonical spelling (upper-case letters), or nil if it is not dialable.
    static func canonical(_ character: Character) -> Character? {
        index(of: character).map { characters[Int($0)] }
    }
}
