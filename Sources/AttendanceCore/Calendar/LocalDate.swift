/// A calendar day with no time and no time zone: a school day is a date, never an instant.
///
/// Stored as ISO `YYYY-MM-DD` text. Arithmetic uses a proleptic Gregorian day number so that
/// comparisons and differences are integer operations (fast on the hot path of summaries).
public struct LocalDate: Hashable, Comparable, Sendable, CustomStringConvertible, Codable {
    public let year: Int
    public let month: Int
    public let day: Int

    /// Creates a date, or returns nil when the parts do not name a real day (31 April, 29 February 2025).
    public init?(year: Int, month: Int, day: Int) {
        guard (1...9999).contains(year), (1...12).contains(month),
            day >= 1, day <= LocalDate.daysInMonth(year: year, month: month)
        else { return nil }
        self.year = year
        self.month = month
        self.day = day
    }

    /// Parts already known to name a real day (1 September, 31 August), in any year the arithmetic reaches.
    init(known year: Int, month: Int, day: Int) {
        self.year = year
        self.month = month
        self.day = day
    }

    /// The years a date from outside (a path, a query, a form, JSON, CSV, XML) may name. A school's record has no
    /// day before 1990 or after 2100; anything further is a mistake, and arithmetic on it (an academic year, a
    /// notice's deadline) would leave the dates the store can write.
    public static let enteredYears = 1990...2100

    /// Parses a date that came from outside: strict ISO `YYYY-MM-DD` within `enteredYears`, or nil. The one
    /// parser for every path, query, form, JSON body and file.
    public init?(entered text: some StringProtocol) {
        guard let date = LocalDate(iso: text), LocalDate.enteredYears.contains(date.year) else { return nil }
        self = date
    }

    /// Parses strict ISO `YYYY-MM-DD` (years 1 to 9999): dates the store wrote. Outside input goes through
    /// `init(entered:)`.
    public init?(iso text: some StringProtocol) {
        // Read the bytes as they come: this runs for every date read from the database.
        var parts = (0, 0, 0)
        var count = 0
        for byte in text.utf8 {
            if count == 4 || count == 7 {
                guard byte == UInt8(ascii: "-") else { return nil }
            } else {
                guard count < 10, byte >= UInt8(ascii: "0"), byte <= UInt8(ascii: "9") else { return nil }
                let digit = Int(byte &- UInt8(ascii: "0"))
                if count < 4 {
                    parts.0 = parts.0 * 10 + digit
                } else if count < 7 {
                    parts.1 = parts.1 * 10 + digit
                } else {
                    parts.2 = parts.2 * 10 + digit
                }
            }
            count += 1
        }
        guard count == 10 else { return nil }
        self.init(year: parts.0, month: parts.1, day: parts.2)
    }

    public var iso: String {
        // Ten ASCII bytes written in place (a small string, no allocation): keys and exports make many.
        String(unsafeUninitializedCapacity: 10) { buffer in
            func put(_ value: Int, at end: Int, width: Int) {
                var rest = value
                for index in stride(from: end, to: end - width, by: -1) {
                    buffer[index] = UInt8(ascii: "0") &+ UInt8(rest % 10)
                    rest /= 10
                }
            }
            put(year, at: 3, width: 4)
            buffer[4] = UInt8(ascii: "-")
            put(month, at: 6, width: 2)
            buffer[7] = UInt8(ascii: "-")
            put(day, at: 9, width: 2)
            return 10
        }
    }

    public var description: String { iso }

    public static func isLeapYear(_ year: Int) -> Bool {
        (year % 4 == 0 && year % 100 != 0) || year % 400 == 0
    }

    public static func daysInMonth(year: Int, month: Int) -> Int {
        switch month {
        case 2: return isLeapYear(year) ? 29 : 28
        case 4, 6, 9, 11: return 30
        default: return 31
        }
    }

    /// Days since 1970-01-01 (negative before). Algorithm from Howard Hinnant's `days_from_civil`.
    public var dayNumber: Int {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yoe = y - era * 400
        let mp = (month + 9) % 12
        let doy = (153 * mp + 2) / 5 + day - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        return era * 146097 + doe - 719468
    }

    /// The date for a day number (see `dayNumber`).
    public init(dayNumber: Int) {
        let z = dayNumber + 719468
        let era = (z >= 0 ? z : z - 146096) / 146097
        let doe = z - era * 146097
        let yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let d = doy - (153 * mp + 2) / 5 + 1
        let m = mp < 10 ? mp + 3 : mp - 9
        self.year = yoe + era * 400 + (m <= 2 ? 1 : 0)
        self.month = m
        self.day = d
    }

    public func adding(days: Int) -> LocalDate { LocalDate(dayNumber: dayNumber + days) }

    /// Whole days from `self` to `other` (positive when `other` is later).
    public func days(until other: LocalDate) -> Int { other.dayNumber - dayNumber }

    public var weekday: Weekday {
        // 1970-01-01 was a Thursday.
        let index = ((dayNumber % 7) + 7 + 3) % 7  // 0 = Monday
        return Weekday.allCases[index]
    }

    public var isWeekend: Bool { weekday == .saturday || weekday == .sunday }

    /// The academic year (1 September to 31 August) this date falls in.
    public var academicYear: AcademicYear { AcademicYear(startYear: month >= 9 ? year : year - 1) }

    public static func < (lhs: LocalDate, rhs: LocalDate) -> Bool {
        (lhs.year, lhs.month, lhs.day) < (rhs.year, rhs.month, rhs.day)
    }

    /// Decoded JSON is outside input (an API body, a policy file): the entered years only.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        let text = try container.decode(String.self)
        guard let date = LocalDate(entered: text) else {
            throw DecodingError.dataCorruptedError(
                in: container,
                debugDescription: "'\(text)' is not a date in the form YYYY-MM-DD between 1990 and 2100")
        }
        self = date
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(iso)
    }
}

/// ISO weekday numbering: Monday = 1 ... Sunday = 7.
public enum Weekday: Int, Sendable, CaseIterable, Codable {
    case monday = 1, tuesday, wednesday, thursday, friday, saturday, sunday
}

/// An inclusive range of dates.
public struct DateRange: Hashable, Sendable, Codable {
    public let start: LocalDate
    public let end: LocalDate

    /// Returns nil when `end` is before `start`.
    public init?(_ start: LocalDate, _ end: LocalDate) {
        guard start <= end else { return nil }
        self.start = start
        self.end = end
    }

    /// A range whose ends are in order by construction (a year's first and last day, a day and itself).
    init(ordered start: LocalDate, _ end: LocalDate) {
        self.start = start
        self.end = end
    }

    /// One day.
    public init(day: LocalDate) { self.init(ordered: day, day) }

    /// The academic year to a day, the day included: what "the year to date" means on every page and report.
    public static func yearToDate(_ day: LocalDate) -> DateRange {
        DateRange(ordered: day.academicYear.firstDay, day)
    }

    /// From `start` to `end`, or the single day `start` when `end` is before it.
    public init(start: LocalDate, notBefore end: LocalDate) { self.init(ordered: start, max(start, end)) }

    public func contains(_ date: LocalDate) -> Bool { date >= start && date <= end }

    public func overlaps(_ other: DateRange) -> Bool { start <= other.end && other.start <= end }

    public var dayCount: Int { start.days(until: end) + 1 }

    /// Every date from start to end inclusive.
    public var dates: [LocalDate] { (start.dayNumber...end.dayNumber).map(LocalDate.init(dayNumber:)) }

    /// The overlap of two ranges, if any.
    public func clamped(to other: DateRange) -> DateRange? {
        DateRange(max(start, other.start), min(end, other.end))
    }
}
