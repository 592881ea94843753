import AttendanceCore

/// Welsh-style term dates for an academic year, in the pattern local authorities publish: three terms, a
/// half-term in each, two weeks at Christmas and Easter, the May Day bank holiday, and 195 days of which
/// five are INSET days, so pupils have 190 days (380 sessions).
public enum WelshTermDates {
    public static let pupilDays = 190

    public static func entries(for year: AcademicYear) -> [CalendarEntry] {
        // 31 July: the last day of August less a month (every year has both).
        let draft = draftEntries(for: year, summerEnd: year.lastDay.adding(days: -31))
        // End the summer term on the day that gives exactly 190 pupil days (the last day is an INSET day).
        let calendar = SchoolCalendar(entries: draft + insetDays(in: draft, includingLast: false))
        let days = calendar.schoolDays(in: year.range)
        let lastPupilDay = days[min(pupilDays, days.count) - 1]
        let summerEnd = calendar.schoolDay(1, after: lastPupilDay) ?? lastPupilDay
        return draftEntries(for: year, summerEnd: summerEnd)
    }

    static func draftEntries(for year: AcademicYear, summerEnd: LocalDate) -> [CalendarEntry] {
        let y = year.startYear
        // Only real days are named below; the fallback keeps a mistake here from stopping the demo.
        func date(_ year: Int, _ month: Int, _ day: Int) -> LocalDate {
            LocalDate(year: year, month: month, day: day) ?? AcademicYear(startYear: year).firstDay
        }
        func range(_ start: LocalDate, _ end: LocalDate) -> DateRange { DateRange(start: start, notBefore: end) }
        func monday(onOrAfter day: LocalDate) -> LocalDate {
            var d = day
            while d.weekday != .monday { d = d.adding(days: 1) }
            return d
        }
        func friday(onOrBefore day: LocalDate) -> LocalDate {
            var d = day
            while d.weekday != .friday { d = d.adding(days: -1) }
            return d
        }
        func week(containing day: LocalDate) -> DateRange {
            let monday = day.adding(days: -(day.weekday.rawValue - 1))
            return range(monday, monday.adding(days: 4))
        }
        func entry(_ kind: CalendarEntryKind, _ range: DateRange, _ name: String) -> CalendarEntry {
            CalendarEntry(kind: kind, range: range, name: name)
        }
        var autumnStart = date(y, 9, 1)
        while autumnStart.isWeekend { autumnStart = autumnStart.adding(days: 1) }
        let autumnEnd = friday(onOrBefore: date(y, 12, 20))
        let springStart = monday(onOrAfter: date(y + 1, 1, 5))
        let springEnd = friday(onOrBefore: date(y + 1, 4, 3))
        let summerStart = monday(onOrAfter: springEnd.adding(days: 17))
        let mayDay = monday(onOrAfter: date(y + 1, 5, 1))
        return [
            entry(.term, range(autumnStart, autumnEnd), "Autumn term \(year)"),
            entry(.halfTerm, week(containing: date(y, 10, 29)), "Autumn half-term"),
            entry(.term, range(springStart, springEnd), "Spring term \(year)"),
            entry(.halfTerm, week(containing: date(y + 1, 2, 17)), "Spring half-term"),
            entry(.term, range(summerStart, summerEnd), "Summer term \(year)"),
            entry(.holiday, DateRange(day: mayDay), "May Day bank holiday"),
            entry(.halfTerm, week(containing: date(y + 1, 5, 28)), "Summer half-term"),
        ]
    }

    /// A school's five INSET days: the first two days of the autumn term, the first of spring and summer,
    /// and the last day of the summer term.
    public static func insetDays(for year: AcademicYear) -> [CalendarEntry] {
        insetDays(in: entries(for: year), includingLast: true)
    }

    static func insetDays(in entries: [CalendarEntry], includingLast: Bool) -> [CalendarEntry] {
        let calendar = SchoolCalendar(entries: entries)
        let terms = calendar.terms
        var days = [
            terms[0].range.start, calendar.schoolDay(1, after: terms[0].range.start) ?? terms[0].range.start,
            terms[1].range.start,
            terms[2].range.start,
        ]
        if includingLast { days.append(terms[2].range.end) }
        return days.map { CalendarEntry(kind: .inset, range: DateRange(day: $0), name: "INSET day") }
    }
}
