/// A school year, 1 September to 31 August, named by the calendar year it starts in.
public struct AcademicYear: Hashable, Comparable, Sendable, CustomStringConvertible, Codable {
    public let startYear: Int

    public init(startYear: Int) { self.startYear = startYear }

    // Every year has a 1 September and a 31 August, so these need no check (and a year far outside the record's
    // still has them: a stray date must not stop the server).
    public var firstDay: LocalDate { LocalDate(known: startYear, month: 9, day: 1) }
    public var lastDay: LocalDate { LocalDate(known: startYear + 1, month: 8, day: 31) }
    public var range: DateRange { DateRange(ordered: firstDay, lastDay) }

    /// Days in the year: 366 when the February inside it is a leap one.
    public var dayCount: Int { firstDay.days(until: lastDay) + 1 }

    /// Slots in a compact one-byte-per-session mark string for this year: AM and PM for every day.
    public var sessionSlotCount: Int { dayCount * 2 }

    /// The places in the year's per-session strings (`YearMarks`, a pupil's recorders) covering a date range clipped
    /// to the year, or nil when they do not meet.
    public func slots(in range: DateRange) -> Range<Int>? {
        guard let clipped = range.clamped(to: self.range) else { return nil }
        let first = firstDay.days(until: clipped.start) * 2
        let last = firstDay.days(until: clipped.end) * 2 + 1
        return first..<(last + 1)
    }

    /// "2025/26", the way schools write it.
    public var description: String {
        let next = (startYear + 1) % 100
        return "\(startYear)/\(next < 10 ? "0" : "")\(next)"
    }

    public var previous: AcademicYear { AcademicYear(startYear: startYear - 1) }
    public var next: AcademicYear { AcademicYear(startYear: startYear + 1) }

    public static func < (lhs: AcademicYear, rhs: AcademicYear) -> Bool { lhs.startYear < rhs.startYear }
}
