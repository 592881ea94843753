/// The kinds of line in a school calendar.
public enum CalendarEntryKind: String, Sendable, Codable, CaseIterable {
    /// A term: weekdays inside it are school days unless something below says otherwise.
    case term
    /// A holiday inside or between terms (Christmas, a bank holiday).
    case holiday
    /// A half-term holiday: marked as such in the calendar data, so the rules that look at the days before a
    /// holiday know it from a bank holiday.
    case halfTerm = "half_term"
    /// A staff training day: no pupils.
    case inset
    /// The school closed to pupils (snow, an election, a boiler).
    case closure
}

public struct CalendarEntry: Hashable, Sendable, Codable {
    public let kind: CalendarEntryKind
    public let range: DateRange
    public let name: String

    public init(kind: CalendarEntryKind, range: DateRange, name: String) {
        self.kind = kind
        self.range = range
        self.name = name
    }
}

/// A school's calendar: the local authority's term dates plus the school's own INSET days and closures.
///
/// A day is a school day when it is a weekday inside a term and no holiday, INSET day or closure covers it.
public struct SchoolCalendar: Sendable {
    public let entries: [CalendarEntry]
    public let terms: [CalendarEntry]
    /// Day numbers inside a term that are not school days (holidays, INSET, closures).
    private let closedDays: Set<Int>

    public init(entries: [CalendarEntry]) {
        self.entries = entries
        self.terms = entries.filter { $0.kind == .term }.sorted { $0.range.start < $1.range.start }
        var closed = Set<Int>()
        for entry in entries where entry.kind != .term {
            for number in entry.range.start.dayNumber...entry.range.end.dayNumber { closed.insert(number) }
        }
        self.closedDays = closed
    }

    /// The term a date falls in, if any (a holiday inside a term still belongs to that term).
    public func term(containing date: LocalDate) -> CalendarEntry? {
        terms.first { $0.range.contains(date) }
    }

    public func isSchoolDay(_ date: LocalDate) -> Bool {
        !date.isWeekend && !closedDays.contains(date.dayNumber) && term(containing: date) != nil
    }

    /// Why a weekday inside a term is not a school day, if it is not.
    public func closure(on date: LocalDate) -> CalendarEntry? {
        entries.first { $0.kind != .term && $0.range.contains(date) }
    }

    /// The first day of each break in the year the pupils notice as a holiday: the day after each term ends and
    /// the first day of each half-term, in order. A bank holiday or an INSET day is not one.
    public var breakStarts: [LocalDate] {
        let halfTerms = entries.filter { $0.kind == .halfTerm }.map(\.range.start)
        let termEnds = terms.map { $0.range.end.adding(days: 1) }
        return Array(Set(halfTerms + termEnds)).sorted()
    }

    /// The first school day after the latest break that began on or before `date` in its school year: the start
    /// of the current half-term (nil before the year's first break, or with no school day since it).
    public func currentHalfTermStart(on date: LocalDate) -> LocalDate? {
        guard let latest = breakStarts.last(where: { $0 <= date && $0 >= date.academicYear.firstDay }),
            let first = schoolDay(after: latest), first <= date
        else { return nil }
        return first
    }

    /// School days from `date` (itself included, if one) until the next break starts; nil when none follows.
    public func schoolDaysToNextBreak(from date: LocalDate) -> Int? {
        guard let next = breakStarts.first(where: { $0 > date }) else { return nil }
        return DateRange(date, next.adding(days: -1)).map { schoolDays(in: $0).count } ?? 0
    }

    /// The last `count` school days before a break starts (fewer if the term has fewer).
    public func schoolDays(_ count: Int, before breakStart: LocalDate) -> [LocalDate] {
        var days: [LocalDate] = []
        var day = breakStart.adding(days: -1)
        let stop = breakStart.adding(days: -60)
        while days.count < count, day > stop {
            if isSchoolDay(day) { days.insert(day, at: 0) }
            day = day.adding(days: -1)
        }
        return days
    }

    /// Every school day in a range, in order.
    public func schoolDays(in range: DateRange) -> [LocalDate] {
        range.dates.filter(isSchoolDay)
    }

    /// Every possible session (register) in a range, AM before PM.
    public func sessions(in range: DateRange) -> [SchoolSession] {
        schoolDays(in: range).flatMap { [SchoolSession($0, .am), SchoolSession($0, .pm)] }
    }

    /// School days after `start` up to and including `end`: the count behind "within 10 school days".
    /// Zero when `end` is not after `start`.
    public func schoolDays(after start: LocalDate, through end: LocalDate) -> Int {
        guard start < end, let range = DateRange(start.adding(days: 1), end) else { return 0 }
        return schoolDays(in: range).count
    }

    /// The school day that is `count` school days after `date` (the deadline of a "10 school days" rule).
    /// Nil when the calendar runs out first.
    public func schoolDay(_ count: Int, after date: LocalDate) -> LocalDate? {
        guard let lastTermDay = terms.last?.range.end else { return nil }
        var seen = 0
        var current = date
        while current < lastTermDay {
            current = current.adding(days: 1)
            if isSchoolDay(current) {
                seen += 1
                if seen == count { return current }
            }
        }
        return nil
    }

    /// The nearest school day before `date` (nil when the calendar has none, looking back a year at most).
    public func schoolDay(before date: LocalDate) -> LocalDate? {
        nearestSchoolDay(from: date, step: -1)
    }

    /// The nearest school day after `date` (nil when the calendar has none, looking ahead a year at most).
    public func schoolDay(after date: LocalDate) -> LocalDate? {
        nearestSchoolDay(from: date, step: 1)
    }

    /// `date` itself if it is a school day, else the school day before it: where a register page lands.
    public func lastSchoolDay(onOrBefore date: LocalDate) -> LocalDate? {
        isSchoolDay(date) ? date : schoolDay(before: date)
    }

    private func nearestSchoolDay(from date: LocalDate, step: Int) -> LocalDate? {
        var day = date
        for _ in 0..<366 {
            day = day.adding(days: step)
            if isSchoolDay(day) { return day }
        }
        return nil
    }
}
