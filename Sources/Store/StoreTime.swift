import CallControl
import Foundation

/// How the Store turns times into column values: integer milliseconds since 1970, rounded (GRDB's built-in
/// strategy floors, so a `Date` made from whole milliseconds could come back a millisecond early).
enum StoreTime {
    @Sendable
    static func milliseconds(since1970 date: Date) -> Int64 {
        Int64((date.timeIntervalSince1970 * 1000).rounded())
    }

    /// `date` as it will read back from the database: rounded to the millisecond.
    static func normalized(_ date: Date) -> Date {
        Date(timeIntervalSince1970: Double(milliseconds(since1970: date)) / 1000)
    }

    /// A CallControl timestamp (a duration since the Unix epoch) as a date.
    static func date(_ timestamp: Timestamp) -> Date {
        let (seconds, attoseconds) = timestamp.sinceEpoch.components
        return Date(timeIntervalSince1970: Double(seconds) + Double(attoseconds) / 1e18)
    }
}
