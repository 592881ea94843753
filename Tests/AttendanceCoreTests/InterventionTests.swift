import Testing

@testable import AttendanceCore

/// Interventions (issue 35): a new one's checks, the impact windows and figures, and when a sanction may be
/// recorded.
@Suite struct InterventionTests {
    static func day(_ iso: String) -> LocalDate { LocalDate(iso: iso)! }

    /// Autumn 2026 with half term 26–30 October (Monday 26th).
    static let calendar = SchoolCalendar(entries: [
        CalendarEntry(kind: .term, range: DateRange(day("2026-09-01"), day("2026-12-18"))!, name: "Autumn"),
        CalendarEntry(kind: .halfTerm, range: DateRange(day("2026-10-26"), day("2026-10-30"))!, name: "Half term"),
    ])

    static func upn(_ serial: Int) -> UPN { UPN.make(la: 665, estab: 4001, year: 2025, serial: serial) }

    @Test func aNewInterventionIsCheckedInOnePlace() throws {
        let today = Self.day("2026-11-25")
        func draft(
            _ kind: Intervention.Kind = .mentoring, title: String = "", pupils: [UPN] = [Self.upn(1)],
            start: String = "2026-11-02", end: String? = nil
        ) throws(Intervention.Problem) -> Intervention.Draft {
            try Intervention.Draft(
                kind: kind, title: title, leader: "hoy@demo.example", pupils: pupils, start: Self.day(start),
                end: end.map(Self.day), notes: "", today: today)
        }
        #expect(try draft(pupils: [Self.upn(1), Self.upn(1), Self.upn(2)]).pupils == [Self.upn(1), Self.upn(2)])
        #expect(throws: Intervention.Problem.noPupils) { try draft(pupils: []) }
        #expect(throws: Intervention.Problem.unnamed) { try draft(.other) }
        #expect(try draft(.other, title: "Clwb brecwast").title == "Clwb brecwast")
        #expect(throws: Intervention.Problem.outOfOrder) { try draft(start: "2026-11-10", end: "2026-11-09") }
        // The same day is a day: a parents' evening starts and ends on it.
        #expect(try draft(.parentsEvening, start: "2026-11-24", end: "2026-11-24").end == Self.day("2026-11-24"))
        // A day from outside is bounded: more than a year from today is refused, not kept.
        #expect(throws: Intervention.Problem.outOfRange) { try draft(start: "2024-11-02") }
        #expect(throws: Intervention.Problem.tooLong) { try draft(.other, title: String(repeating: "a", count: 121)) }
    }

    @Test func sessionsFallOnTheInterventionsDaysAndNotAhead() throws {
        let today = Self.day("2026-11-25")
        let item = Intervention(
            id: 1, school: LAESTAB(la: 665, estab: 4001), kind: .workshop, title: "", leader: "x", pupils: [],
            start: Self.day("2026-11-02"), end: Self.day("2026-11-20"), notes: "", sessions: [], createdBy: "x",
            createdAt: "")
        try item.checkSession(on: Self.day("2026-11-02"), topic: "Pam?", today: today)
        #expect(throws: Intervention.Problem.outOfOrder) {
            try item.checkSession(on: Self.day("2026-11-23"), topic: "Pam?", today: today)
        }
        #expect(throws: Intervention.Problem.outOfRange) {
            try item.checkSession(on: Self.day("2026-11-26"), topic: "Pam?", today: today)
        }
        #expect(throws: Intervention.Problem.unnamed) {
            try item.checkSession(on: Self.day("2026-11-03"), topic: "  ", today: today)
        }
    }

    @Test func theWindowsAreTheSameSchoolWeeksEitherSideCappedByTheYearBefore() throws {
        // Started Monday 16 November, today Wednesday 25th: two school weeks so far; the two before are 2–13
        // November (half term is not a school week, so it is skipped, not counted).
        let windows = try #require(
            InterventionImpact.windows(
                start: Self.day("2026-11-16"), end: nil, today: Self.day("2026-11-25"), calendar: Self.calendar))
        #expect(windows.weeks == 2)
        #expect(windows.before == DateRange(Self.day("2026-11-02"), Self.day("2026-11-15")))
        #expect(windows.after == DateRange(Self.day("2026-11-16"), Self.day("2026-11-25")))
        // Over half term: the week of 2 November looks back past 26–30 October to the week of the 19th.
        let overHalfTerm = try #require(
            InterventionImpact.windows(
                start: Self.day("2026-11-02"), end: Self.day("2026-11-06"), today: Self.day("2026-11-25"),
                calendar: Self.calendar))
        #expect(overHalfTerm.weeks == 1)
        #expect(overHalfTerm.before == DateRange(Self.day("2026-10-19"), Self.day("2026-11-01")))
        #expect(overHalfTerm.after == DateRange(Self.day("2026-11-02"), Self.day("2026-11-06")))
        // A long intervention early in the year is capped by the weeks before it: three weeks each side.
        let capped = try #require(
            InterventionImpact.windows(
                start: Self.day("2026-09-21"), end: nil, today: Self.day("2026-11-25"), calendar: Self.calendar))
        #expect(capped.weeks == 3)
        #expect(capped.before == DateRange(Self.day("2026-09-01"), Self.day("2026-09-20")))
        #expect(capped.after == DateRange(Self.day("2026-09-21"), Self.day("2026-10-09")))
        // In the year's first school week, or not yet started: nothing to compare with.
        #expect(
            InterventionImpact.windows(
                start: Self.day("2026-09-02"), end: nil, today: Self.day("2026-11-25"), calendar: Self.calendar)
                == nil)
        #expect(
            InterventionImpact.windows(
                start: Self.day("2026-11-30"), end: nil, today: Self.day("2026-11-25"), calendar: Self.calendar)
                == nil)
    }

    /// A pupil on roll all year with a code every school day of the windows: `before` then `after`.
    static func pupil(_ serial: Int, year: String, before: String, after: String, windows: InterventionImpact.Windows)
        -> RollYear
    {
        var marks = YearMarks(academicYear: AcademicYear(startYear: 2026))
        for (range, code) in [(windows.before, before), (windows.after, after)] {
            for session in calendar.sessions(in: range) {
                _ = marks.set(CodeTable.wales2010[code], at: session)
            }
        }
        let pupil = Pupil(
            upn: upn(serial), legalSurname: "Jones", legalForename: "P\(serial)",
            dateOfBirth: day("2014-01-01"), sex: .female, yearGroup: year, registrationGroup: year + "A")
        return RollYear(
            pupil: pupil, spells: [AcademicYear(startYear: 2026).range], marks: marks)
    }

    @Test func theImpactAddsSessionsAndAveragesPupilsAndComparesOnlyWithTenSimilarPupils() throws {
        let windows = try #require(
            InterventionImpact.windows(
                start: Self.day("2026-11-16"), end: nil, today: Self.day("2026-11-25"), calendar: Self.calendar))
        // Two mentored pupils absent before (red), present since.
        let mentored = [
            Self.pupil(1, year: "9", before: "O", after: "/", windows: windows),
            Self.pupil(2, year: "9", before: "O", after: "/", windows: windows),
        ]
        // Nine similar pupils (Year 9, red before) with no intervention, one in Year 8: too few to compare.
        var roll =
            mentored + (3...11).map { Self.pupil($0, year: "9", before: "O", after: "O", windows: windows) }
            + [Self.pupil(12, year: "8", before: "O", after: "/", windows: windows)]
        let untouched = Set(roll.map(\.pupil.upn)).subtracting([Self.upn(1), Self.upn(2)])
        var measured = InterventionImpact.measure(
            pupils: [Self.upn(1), Self.upn(2)], roll: roll, untouched: untouched, windows: windows,
            targetTenths: 950, table: .wales2010, rules: .wrexham2025)
        #expect(measured.figures.before.attendanceTenths == 0)
        #expect(measured.figures.after.attendanceTenths == 1000)
        #expect(measured.figures.changeTenths == 1000)
        #expect(measured.figures.averageChangeTenths == 1000)
        #expect(measured.meetsTarget == true)
        #expect(measured.comparison == nil)
        // The tenth similar pupil: now compared, and the Year 8 pupil is still not among them.
        roll.append(Self.pupil(13, year: "9", before: "O", after: "O", windows: windows))
        measured = InterventionImpact.measure(
            pupils: [Self.upn(1), Self.upn(2)], roll: roll, untouched: untouched.union([Self.upn(13)]),
            windows: windows, targetTenths: 950, table: .wales2010, rules: .wrexham2025)
        #expect(measured.comparison?.pupils == 10)
        #expect(measured.comparison?.changeTenths == 0)
        // The mean of pupils' changes rounds half away from zero.
        #expect(InterventionImpact.average([5, 10]) == 8)
        #expect(InterventionImpact.average([-5, -10]) == -8)
        #expect(InterventionImpact.average([]) == nil)
    }

    @Test func aSanctionNeedsASecondaryPupilTruancyAndAnEarlierInterventionThatDidNotWork() throws {
        func evidence(
            missed: [LocalDate] = [Self.day("2026-11-18")], patrols: [LocalDate] = [], unauthorised: Int = 4,
            earlier: Int? = -5, had: Bool = true
        ) -> SanctionRule.Evidence {
            SanctionRule.Evidence(
                missedAfterRegistration: missed, patrolSightings: patrols, unauthorisedSessions: unauthorised,
                earlierChangeTenths: earlier, hadEarlierIntervention: had)
        }
        try SanctionRule.check(phase: .secondary, yearGroup: "9", evidence: evidence())
        try SanctionRule.check(phase: .allThrough, yearGroup: "10", evidence: evidence(earlier: 0))
        try SanctionRule.check(
            phase: .secondary, yearGroup: "9", evidence: evidence(missed: [], patrols: [Self.day("2026-11-18")]))
        #expect(throws: SanctionRule.Refusal.notSecondary) {
            try SanctionRule.check(phase: .primary, yearGroup: "6", evidence: evidence())
        }
        #expect(throws: SanctionRule.Refusal.notSecondary) {
            try SanctionRule.check(phase: .allThrough, yearGroup: "5", evidence: evidence())
        }
        // Authorised absence only: never sanctioned, whatever else the record shows.
        #expect(throws: SanctionRule.Refusal.noUnauthorisedAbsence) {
            try SanctionRule.check(phase: .secondary, yearGroup: "9", evidence: evidence(unauthorised: 0))
        }
        #expect(throws: SanctionRule.Refusal.noTruancyEvidence) {
            try SanctionRule.check(phase: .secondary, yearGroup: "9", evidence: evidence(missed: []))
        }
        #expect(throws: SanctionRule.Refusal.noEarlierIntervention) {
            try SanctionRule.check(phase: .secondary, yearGroup: "9", evidence: evidence(earlier: nil, had: false))
        }
        #expect(throws: SanctionRule.Refusal.noEarlierIntervention) {
            try SanctionRule.check(phase: .secondary, yearGroup: "9", evidence: evidence(earlier: nil, had: true))
        }
        #expect(throws: SanctionRule.Refusal.improved) {
            try SanctionRule.check(phase: .secondary, yearGroup: "9", evidence: evidence(earlier: 12))
        }
    }

    @Test func missingAfterRegistrationIsAMorningPresentAndAnAfternoonUnauthorised() {
        var marks = YearMarks(academicYear: AcademicYear(startYear: 2026))
        let monday = Self.day("2026-11-16")
        _ = marks.set(CodeTable.wales2010["/"], at: SchoolSession(monday, .am))
        _ = marks.set(CodeTable.wales2010["O"], at: SchoolSession(monday, .pm))
        let tuesday = monday.adding(days: 1)
        _ = marks.set(CodeTable.wales2010["/"], at: SchoolSession(tuesday, .am))
        _ = marks.set(CodeTable.wales2010["I"], at: SchoolSession(tuesday, .pm))  // ill: authorised
        let wednesday = monday.adding(days: 2)
        _ = marks.set(CodeTable.wales2010["O"], at: SchoolSession(wednesday, .am))
        _ = marks.set(CodeTable.wales2010["O"], at: SchoolSession(wednesday, .pm))  // never came
        #expect(
            SanctionRule.missedAfterRegistration(
                marks, in: DateRange(monday, wednesday)!, table: .wales2010) == [monday])
    }

    @Test func theWorkshopRunsOnTheFirstSchoolDayOfSixSchoolWeeks() throws {
        let days = WorkshopProgramme.policy.days(from: Self.day("2026-10-14"), calendar: Self.calendar)
        #expect(
            days.map(\.iso) == [
                "2026-10-14", "2026-10-19", "2026-11-02", "2026-11-09", "2026-11-16", "2026-11-23",
            ])
        #expect(throws: Intervention.Problem.unnamed) { try WorkshopProgramme(topics: ["a", "b"]) }
    }
}

/// The termly return's terms and the days it counts (issue 36, point 3).
@Suite struct TermlyReturnTests {
    @Test func termsComeFromTheCalendarAndAgeClipsTheDaysCounted() throws {
        func day(_ iso: String) -> LocalDate { LocalDate(iso: iso)! }
        func term(_ from: String, _ to: String) -> CalendarEntry {
            CalendarEntry(kind: .term, range: DateRange(day(from), day(to))!, name: "")
        }
        let calendar = SchoolCalendar(entries: [
            term("2026-09-01", "2026-12-18"), term("2027-01-05", "2027-03-26"), term("2027-04-12", "2027-07-20"),
        ])
        let year = AcademicYear(startYear: 2026)
        #expect(SchoolTerm.autumn.range(in: calendar, year: year) == DateRange(day("2026-09-01"), day("2026-12-18")))
        #expect(SchoolTerm.summer.range(in: calendar, year: year) == DateRange(day("2027-04-12"), day("2027-07-20")))
        #expect(SchoolTerm.spring.range(in: calendar, year: AcademicYear(startYear: 2027)) == nil)
        // Five on 10 October 2026: of compulsory school age from 31 December, so the spring term counts from its
        // first day and the autumn term not at all.
        let young = Pupil(
            upn: UPN.make(la: 665, estab: 2002, year: 2026, serial: 1), legalSurname: "Jones", legalForename: "Alaw",
            dateOfBirth: day("2021-10-10"), sex: .female, yearGroup: "R", registrationGroup: "R")
        let roll = [RollYear(pupil: young, spells: [year.range], marks: YearMarks(academicYear: year))]
        let autumn = try #require(SchoolTerm.autumn.range(in: calendar, year: year))
        #expect(
            TermlyReturnRow.rows(
                school: LAESTAB(la: 665, estab: 2002), year: year, term: .autumn, termDays: autumn, roll: roll,
                table: .wales2010, rules: .wrexham2025
            ).isEmpty)
        let spring = try #require(SchoolTerm.spring.range(in: calendar, year: year))
        let rows = TermlyReturnRow.rows(
            school: LAESTAB(la: 665, estab: 2002), year: year, term: .spring, termDays: spring, roll: roll,
            table: .wales2010, rules: .wrexham2025)
        #expect(rows.first?.counted == spring)
        #expect(rows.first?.cells.prefix(4) == ["665", "2002", "2026/27", "spring"])
    }
}
