import Testing

@testable import AttendanceCore

func day(_ text: String) -> LocalDate { LocalDate(iso: text)! }
func range(_ from: String, _ to: String) -> DateRange { DateRange(day(from), day(to))! }

/// Autumn term 2025 in Wrexham's pattern: half-term 27–31 October, an INSET day on 1 September.
let autumn2025 = SchoolCalendar(entries: [
    CalendarEntry(kind: .term, range: range("2025-09-01", "2025-12-19"), name: "Autumn"),
    CalendarEntry(kind: .inset, range: range("2025-09-01", "2025-09-01"), name: "INSET"),
    CalendarEntry(kind: .halfTerm, range: range("2025-10-27", "2025-10-31"), name: "Half term"),
    CalendarEntry(kind: .term, range: range("2026-01-05", "2026-03-27"), name: "Spring"),
    CalendarEntry(kind: .closure, range: range("2026-01-20", "2026-01-20"), name: "Snow"),
])

@Suite struct SchoolCalendarTests {
    @Test(arguments: [
        ("2025-09-01", false),  // INSET
        ("2025-09-02", true),
        ("2025-09-06", false),  // Saturday inside term
        ("2025-10-27", false),  // half-term
        ("2025-10-24", true),
        ("2025-11-03", true),
        ("2025-12-22", false),  // between terms
        ("2026-01-20", false),  // closure
        ("2026-01-21", true),
        ("2026-08-03", false),  // beyond the last term
    ])
    func schoolDays(text: String, open: Bool) {
        #expect(autumn2025.isSchoolDay(day(text)) == open)
    }

    @Test func sessionsInARangeSkipHalfTerm() {
        // 20 Oct – 7 Nov 2025: 3 weeks of weekdays less the half-term week = 10 days, 20 sessions.
        let sessions = autumn2025.sessions(in: range("2025-10-20", "2025-11-07"))
        #expect(sessions.count == 20)
        #expect(sessions.first == SchoolSession(day("2025-10-20"), .am))
        #expect(sessions[1] == SchoolSession(day("2025-10-20"), .pm))
        #expect(!sessions.contains { $0.date == day("2025-10-28") })
    }

    @Test func tenSchoolDaysAcrossHalfTerm() {
        // An absence on Monday 20 Oct: ten school days later is Monday 10 Nov, not Friday 31 Oct.
        let start = day("2025-10-20")
        #expect(autumn2025.schoolDay(10, after: start) == day("2025-11-10"))
        #expect(autumn2025.schoolDays(after: start, through: day("2025-11-07")) == 9)
        #expect(autumn2025.schoolDays(after: start, through: day("2025-11-10")) == 10)
        #expect(autumn2025.schoolDays(after: start, through: start) == 0)
        #expect(autumn2025.schoolDays(after: day("2025-11-10"), through: start) == 0)
    }

    @Test func termLookupIncludesItsHolidays() {
        #expect(autumn2025.term(containing: day("2025-10-28"))?.name == "Autumn")
        #expect(autumn2025.term(containing: day("2025-12-25")) == nil)
        #expect(autumn2025.closure(on: day("2026-01-20"))?.name == "Snow")
    }

    @Test func runsOutWhenTheCalendarEnds() {
        #expect(autumn2025.schoolDay(10, after: day("2026-03-25")) == nil)
    }
}

@Suite struct SchoolWeekTests {
    @Test(arguments: [
        ("2026-11-25", "2026-11-23", "2026-11-25"),  // Wednesday: Monday to today
        ("2026-11-23", "2026-11-23", "2026-11-23"),  // Monday
        ("2026-11-28", "2026-11-23", "2026-11-27"),  // Saturday: the week just ended
        ("2026-11-29", "2026-11-23", "2026-11-27"),  // Sunday
    ])
    func thisWeek(today: String, from: String, to: String) {
        #expect(SchoolWeek.current(on: day(today)) == range(from, to))
    }
}

extension SchoolCalendarTests {
    /// One tap to the previous or next school day skips weekends, half-term, closures and the holidays between terms.
    @Test(
        arguments: [
            ("2025-11-03", "2025-10-24", "2025-11-04"),  // a Monday after half-term
            ("2025-10-29", "2025-10-24", "2025-11-03"),  // inside half-term
            ("2026-01-19", "2026-01-16", "2026-01-21"),  // the day before a snow closure
            ("2025-12-19", "2025-12-18", "2026-01-05"),  // the last day of term
            ("2025-09-02", nil, "2025-09-03"),  // the first school day of the calendar
        ] as [(String, String?, String)])
    func theNearestSchoolDays(from: String, before: String?, after: String) {
        #expect(autumn2025.schoolDay(before: day(from)) == before.map(day))
        #expect(autumn2025.schoolDay(after: day(from)) == day(after))
    }

    @Test func aRegisterLandsOnTheLastSchoolDay() {
        #expect(autumn2025.lastSchoolDay(onOrBefore: day("2025-11-08")) == day("2025-11-07"))  // Saturday
        #expect(autumn2025.lastSchoolDay(onOrBefore: day("2025-11-07")) == day("2025-11-07"))
        #expect(autumn2025.schoolDay(after: day("2026-03-27")) == nil)  // the calendar ends
    }
}
