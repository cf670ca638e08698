public import NIOCore

extension SkinnyMessage {
    /// TimeDateRes (0x0094), call manager to phone: the date and time the phone shows, answering TimeDateReq
    /// (reference §3, §5.2). 36 bytes, nine `u32` fields. The fields are the local time of the call manager's
    /// choosing; `systemTime` is Unix time.
    public struct TimeDateRes: SkinnyMessageBody {
        public static let id = SkinnyMessageID.timeDateRes

        /// Four digits, e.g. 2026.
        public var year: UInt32
        /// 1 to 12.
        public var month: UInt32
        /// 0 Sunday to 6 Saturday (CUCM sent 5 for a Friday).
        public var dayOfWeek: UInt32
        /// 1 to 31.
        public var day: UInt32
        public var hour: UInt32
        public var minute: UInt32
        public var second: UInt32
        public var millisecond: UInt32
        /// Seconds since 1970-01-01 00:00 UTC.
        public var systemTime: UInt32

        public init(
            year: UInt32,
            month: UInt32,
            dayOfWeek: UInt32,
            day: UInt32,
            hour: UInt32,
            minute: UInt32,
            second: UInt32,
            millisecond: UInt32 = 0,
            systemTime: UInt32
        ) {
            self.year = year
            self.month = month
            self.dayOfWeek = dayOfWeek
            self.day = day
            self.hour = hour
            self.minute = minute
            self.second = second
            self.millisecond = millisecond
            self.systemTime = systemTime
        }

        /// The time `unixTime`, shown as local time `utcOffset` seconds ahead of UTC (negative west of Greenwich).
        public init(unixTime: UInt32, utcOffset: Int32 = 0) {
            let local = Int64(unixTime) + Int64(utcOffset)
            let days = local >= 0 ? local / 86_400 : (local - 86_399) / 86_400
            let secondsOfDay = local - days * 86_400
            let civil = civilDate(daysSince1970: days)
            self.init(
                year: UInt32(clamping: civil.year),
                month: UInt32(civil.month),
                dayOfWeek: UInt32(((days % 7) + 11) % 7),
                day: UInt32(civil.day),
                hour: UInt32(secondsOfDay / 3600),
                minute: UInt32(secondsOfDay / 60 % 60),
                second: UInt32(secondsOfDay % 60),
                systemTime: unixTime
            )
        }

        public init(from body: SkinnyBodyReader, version: SkinnyProtocolVersion) {
            self.year = body.u32(at: 0)
            self.month = body.u32(at: 4)
            self.dayOfWeek = body.u32(at: 8)
            self.day = body.u32(at: 12)
            self.hour = body.u32(at: 16)
            self.minute = body.u32(at: 20)
            self.second = body.u32(at: 24)
            self.millisecond = body.u32(at: 28)
            self.systemTime = body.u32(at: 32)
        }

        public func encode(into buffer: inout ByteBuffer, version: SkinnyProtocolVersion) {
            buffer.writeSkinnyU32(self.year)
            buffer.writeSkinnyU32(self.month)
            buffer.writeSkinnyU32(self.dayOfWeek)
            buffer.writeSkinnyU32(self.day)
            buffer.writeSkinnyU32(self.hour)
            buffer.writeSkinnyU32(self.minute)
            buffer.writeSkinnyU32(self.second)
            buffer.writeSkinnyU32(self.millisecond)
            buffer.writeSkinnyU32(self.systemTime)
        }
    }
}

/// The proleptic Gregorian date `days` days after 1970-01-01, by counting 400-year eras that start on 1 March
/// (H. Hinnant's `civil_from_days`).
private func civilDate(daysSince1970 days: Int64) -> (year: Int64, month: Int64, day: Int64) {
    let shifted = days + 719_468
    let era = (shifted >= 0 ? shifted : shifted - 146_096) / 146_097
    let dayOfEra = shifted - era * 146_097
    let yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36_524 - dayOfEra / 146_096) / 365
    let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
    let monthFromMarch = (5 * dayOfYear + 2) / 153
    let day = dayOfYear - (153 * monthFromMarch + 2) / 5 + 1
    let month = monthFromMarch < 10 ? monthFromMarch + 3 : monthFromMarch - 9
    let year = yearOfEra + era * 400 + (month <= 2 ? 1 : 0)
    return (year, month, day)
}
