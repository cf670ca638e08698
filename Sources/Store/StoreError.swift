/// An error from the Store: a value that failed validation, a row that does not exist, a uniqueness conflict, or a
/// database failure.
///
/// Compare errors by ``code`` only. ``field`` names the offending column as `table.column` (e.g. `device.name`) so
/// that the admin API can point at the form field; ``message`` is a sentence for people, e.g. "device name must be
/// SEP followed by 12 hex digits, not \"SEP12\"".
public struct StoreError: Error, Hashable, Sendable, CustomStringConvertible {
    /// What went wrong, as an extensible set of codes.
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        private enum Base: Hashable, Sendable {
            case invalidValue
            case notFound
            case conflict
            case database
        }

        private let base: Base

        private init(_ base: Base) {
            self.base = base
        }

        /// A field holds a value the Store does not accept (wrong shape, out of range, too long).
        public static let invalidValue = Code(.invalidValue)
        /// The row the operation names (or one it refers to) does not exist.
        public static let notFound = Code(.notFound)
        /// The write would break a uniqueness rule, e.g. a second line with the same directory number.
        public static let conflict = Code(.conflict)
        /// SQLite itself failed (I/O, corruption, a constraint the Store did not check first).
        public static let database = Code(.database)

        public var description: String {
            switch self.base {
            case .invalidValue: "invalid value"
            case .notFound: "not found"
            case .conflict: "conflict"
            case .database: "database error"
            }
        }
    }

    public let code: Code
    /// The column at fault as `table.column`, or nil when the error is not about one field.
    public let field: String?
    /// What went wrong, in a sentence that names the field and the value.
    public let message: String

    private init(code: Code, field: String?, message: String) {
        self.code = code
        self.field = field
        self.message = message
    }

    public var description: String { message }

    /// A value failed validation.
    @inline(never)
    public static func invalidValue(_ field: String, _ message: String) -> StoreError {
        StoreError(code: .invalidValue, field: field, message: message)
    }

    /// The row named by `field` does not exist.
    @inline(never)
    public static func notFound(_ field: String?, _ message: String) -> StoreError {
        StoreError(code: .notFound, field: field, message: message)
    }

    /// The value of `field` is already taken.
    @inline(never)
    public static func conflict(_ field: String?, _ message: String) -> StoreError {
        StoreError(code: .conflict, field: field, message: message)
    }

    /// SQLite failed; `message` carries its description.
    @inline(never)
    public static func database(_ message: String) -> StoreError {
        StoreError(code: .database, field: nil, message: message)
    }
}
