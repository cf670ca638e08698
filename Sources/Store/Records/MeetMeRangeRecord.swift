public import CallControl

/// Meet-me conference numbers: one number or a range of numbers of the same length, each a conference room that
/// callers join by dialling it. Table `meetMeRange` (migration `addMediaServices`), keyed by its first number.
///
/// The call core routes these numbers to the conference bridge (``meetMeRange``, fed through the Store's directory
/// snapshot and its `replaceMeetMeRanges` changes).
public struct MeetMeRangeRecord: Codable, Hashable, Sendable {
    /// The most numbers one range holds: a room is a conference bridge in waiting, and a typo such as
    /// `8000-80000` should be an error, not 72,001 rooms.
    public static let maximumSize = 1_000

    /// The first number, 1–24 digits.
    public var first: String
    /// The last number, the same length as ``first`` and not below it; equal for a single number.
    public var last: String

    public init(first: String, last: String? = nil) {
        self.first = first
        self.last = last ?? first
    }

    /// `8000` or `8000-8009`.
    public var description: String { self.first == self.last ? self.first : "\(self.first)-\(self.last)" }

    /// How many numbers the range holds.
    public var count: Int {
        guard let first = Int(self.first), let last = Int(self.last) else { return 0 }
        return last - first + 1
    }

    /// Whether `number` is one of the range's.
    public func contains(_ number: String) -> Bool {
        number.count == self.first.count && number >= self.first && number <= self.last
            && number.utf8.allSatisfy { $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") }
    }

    /// Checks both numbers and their order; throws a ``StoreError`` naming the bad field.
    public func validate() throws(StoreError) {
        for (value, field) in [(self.first, "meetMe.first"), (self.last, "meetMe.last")] {
            guard !value.isEmpty, value.count <= 24, value.utf8.allSatisfy({ $0 >= 48 && $0 <= 57 }) else {
                throw .invalidValue(
                    field,
                    "\(Validation.label(field)) must be 1 to 24 digits, not \(Validation.quoted(value))"
                )
            }
        }
        guard self.first.count == self.last.count, self.first <= self.last else {
            throw .invalidValue(
                "meetMe.last",
                "meetMe last must have as many digits as the first number and not be below it, not"
                    + " \(Validation.quoted(self.last))"
            )
        }
        // Digit strings of up to 24 digits do not all fit an Int; their difference is taken digit-wise.
        if self.first.count > 18 {
            guard self.first.dropLast(3) == self.last.dropLast(3) else {
                throw Self.tooLarge(self)
            }
        } else if self.count > Self.maximumSize {
            throw Self.tooLarge(self)
        }
    }

    private static func tooLarge(_ range: Self) -> StoreError {
        .invalidValue(
            "meetMe.last",
            "a meet-me range holds at most \(Self.maximumSize) numbers, not \(range.description)"
        )
    }

    /// The range as CallControl routes it.
    public var meetMeRange: MeetMeRange {
        MeetMeRange(first: DirectoryNumber(self.first), last: DirectoryNumber(self.last))
    }

    /// Whether the two ranges share a number.
    public func overlaps(_ other: Self) -> Bool {
        self.first.count == other.first.count && self.first <= other.last && other.first <= self.last
    }
}

extension MeetMeRangeRecord: SQLRecord {
    static let tableName = "meetMeRange"
    static let primaryKey = "first"
}
