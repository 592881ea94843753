import Testing

@testable import AttendanceCore

/// A year at another school as its transfer file gave it (issue 36): counted with its own country's codes, over a
/// window, beside its totals; and the admission the office confirms.
@Suite struct OtherSchoolYearTests {
    static let upn = UPN.make(la: 665, estab: 4001, year: 25, serial: 1)

    static func year(la: Int, marks: String, totals: OtherSchoolYear.Totals) -> OtherSchoolYear {
        OtherSchoolYear(
            upn: upn, school: OtherSchoolYear.School(la: la, estab: 2001, name: "Ysgol"), year: 2026, totals: totals,
            marksFrom: LocalDate(iso: "2026-11-02"), marks: marks)
    }

    @Test func englandsTableLoadsAndDiffersFromWalesWhereEnglandDoes() {
        let england = CodeTable.england2024
        #expect(england["K"]?.category == .approvedActivity && CodeTable.wales2010["K"] == nil)
        #expect(england["D"]?.category == .notCounted && CodeTable.wales2010["D"]?.category == .approvedActivity)
        #expect(england["T"]?.category == .authorised && england["Q"]?.category == .notCounted)
        #expect(CodeTable.isWelsh(localAuthority: 665) && !CodeTable.isWelsh(localAuthority: 340))
    }

    @Test func marksAreCountedWithTheSchoolsOwnCountrysCodesOverTheWindow() {
        // Monday to Wednesday: D at a Welsh school is attended; in England it is not a possible session.
        let totals = OtherSchoolYear.Totals(possible: 6, attended: 5, authorised: 0, unauthorised: 1)
        let welsh = Self.year(la: 665, marks: "/\\DON#", totals: totals)
        let english = Self.year(la: 340, marks: "/\\DON#", totals: totals)
        let all = welsh.counted(welsh: .wales2010, rules: .wrexham2025).map(OtherSchoolYear.Totals.init)
        #expect(all == OtherSchoolYear.Totals(possible: 5, attended: 3, authorised: 0, unauthorised: 2))
        #expect(
            english.counted(welsh: .wales2010, rules: .wrexham2025).map(OtherSchoolYear.Totals.init)
                == OtherSchoolYear.Totals(possible: 4, attended: 2, authorised: 0, unauthorised: 2))
        #expect(welsh.disagreement(welsh: .wales2010, rules: .wrexham2025)?.file == totals)
        // Tuesday alone.
        let tuesday = DateRange(day: LocalDate(iso: "2026-11-03")!)
        #expect(
            welsh.figures(in: tuesday, welsh: .wales2010, rules: .wrexham2025)?.totals
                == OtherSchoolYear.Totals(possible: 2, attended: 1, authorised: 0, unauthorised: 1))
        // A window outside its year: nothing.
        #expect(welsh.figures(in: AcademicYear(startYear: 2024).range, welsh: .wales2010, rules: .wrexham2025) == nil)
        // A code in neither set is found with its session.
        #expect(Self.year(la: 340, marks: "/A", totals: totals).unknownCode(welsh: .wales2010)?.code == "A")
    }

    @Test func anAdmissionNeedsAFormGroupAndADayWithinAYear() throws {
        let today = LocalDate(iso: "2026-11-25")!
        #expect(try Admission.check(group: " 8C ", firstDay: today, today: today) == "8C")
        #expect(throws: Admission.Problem.noGroup) { try Admission.check(group: "", firstDay: today, today: today) }
        #expect(throws: Admission.Problem.outOfRange) {
            try Admission.check(group: "8C", firstDay: today.adding(days: 400), today: today)
        }
        // Placed by age: born in the autumn of 2014, Year 7 in 2026/27; in the spring of 2015, the same year.
        #expect(Admission.yearGroup(bornOn: LocalDate(iso: "2014-09-30")!, in: AcademicYear(startYear: 2026)) == "7")
        #expect(Admission.yearGroup(bornOn: LocalDate(iso: "2015-02-14")!, in: AcademicYear(startYear: 2026)) == "7")
        #expect(Admission.yearGroup(bornOn: LocalDate(iso: "2021-10-01")!, in: AcademicYear(startYear: 2026)) == "R")
    }
}
