import Foundation
import Testing

@testable import AttendanceCore

/// Days and moments as people read them (issue 33, point 7), and pupils of one name told apart (point 12).
@Suite struct DateWordsTests {
    let friday = LocalDate(iso: "2026-12-04")!

    @Test func aDayHasItsWeekdayAndItsMonthInEachLanguage() {
        #expect(friday.readable(.en) == "Friday 4 December 2026")
        #expect(friday.readable(.cy) == "dydd Gwener 4 Rhagfyr 2026")
        #expect(friday.readableDay(.cy) == "dydd Gwener 4 Rhagfyr")
        #expect(LocalDate(iso: "2026-03-03")!.readable(.cy) == "dydd Mawrth 3 Mawrth 2026")
    }

    @Test func aRangeSoftensItsSecondDayInWelsh() {
        let week = DateRange(LocalDate(iso: "2026-11-30")!, friday)!
        #expect(week.readable(.en) == "Monday 30 November 2026 to Friday 4 December 2026")
        #expect(week.readable(.cy) == "dydd Llun 30 Tachwedd 2026 i ddydd Gwener 4 Rhagfyr 2026")
        #expect(DateRange(friday, friday)!.readable(.en) == "Friday 4 December 2026")
    }

    @Test func daysSoftenOnlyAfterThePrepositionsThatSoftenThem() {
        #expect(
            WelshGrammar.softenDays("Atgyfeiriwyd ar dydd Llun 7 Rhagfyr") == "Atgyfeiriwyd ar ddydd Llun 7 Rhagfyr")
        #expect(WelshGrammar.softenDays("(o dydd Llun)") == "(o ddydd Llun)")
        #expect(WelshGrammar.softenDays("erbyn dydd Iau") == "erbyn dydd Iau")
        #expect(WelshGrammar.softenDays("Nid yw dydd Sul yn ddiwrnod ysgol.") == "Nid yw dydd Sul yn ddiwrnod ysgol.")
    }

    /// UK time: GMT in winter, BST in summer, whatever the machine's zone.
    @Test func aMomentIsReadInUKTime() {
        let winter = Date(timeIntervalSince1970: 1_764_000_000)  // 2025-11-24 16:00 UTC
        #expect(UKTime.readable(winter, .en) == "Monday 24 November 2025, 16:00")
        let summer = Date(timeIntervalSince1970: 1_751_371_200)  // 2025-07-01 12:00 UTC
        #expect(UKTime.readable(summer, .cy) == "dydd Mawrth 1 Gorffennaf 2025, 13:00")
        // Just before midnight UTC in summer is the next day in Wales.
        let late = Date(timeIntervalSince1970: 1_751_411_400)  // 2025-07-01 23:10 UTC
        #expect(UKTime.parts(late).date == LocalDate(iso: "2025-07-02"))
    }

    static func pupil(_ serial: Int, _ forename: String, _ surname: String, born: String) -> Pupil {
        Pupil(
            upn: UPN.make(la: 665, estab: 4001, year: 26, serial: serial), legalSurname: surname,
            legalForename: forename, dateOfBirth: LocalDate(iso: born)!, sex: .female, yearGroup: "7",
            registrationGroup: "7A")
    }

    @Test func twoPupilsOfOneNameAreToldApartWithNoMoreThanNeeded() {
        let grace = Self.pupil(1, "Grace", "Vaughan", born: "2014-03-04")
        let other = Self.pupil(2, "Grace", "Vaughan", born: "2014-09-21")
        let ann = Self.pupil(3, "Ann", "Jones", born: "2014-05-05")
        let told = NamesOnAList.tellApart([grace, other, ann], language: .en)
        #expect(told == [grace.upn: "born 4 March", other.upn: "born 21 September"])
        #expect(NamesOnAList.tellApart([grace, other], language: .cy)[grace.upn] == "ganwyd 4 Mawrth")
        // A second forename that differs is enough: its initial, and no birthday.
        var elizabeth = Self.pupil(4, "Grace Elizabeth", "Vaughan", born: "2014-03-04")
        var mair = Self.pupil(5, "Grace Mair", "Vaughan", born: "2014-03-04")
        (elizabeth.preferredForename, mair.preferredForename) = ("Grace", "Grace")
        #expect(NamesOnAList.tellApart([elizabeth, mair], language: .en) == [elizabeth.upn: "E.", mair.upn: "M."])
    }
}

/// A target as a head types it, and a figure against it exactly (issue 34, point 1).
@Suite struct AttendanceTargetTests {
    @Test(arguments: [
        ("95", 950), ("95.5", 955), ("95,5", 955), ("94.5%", 945), (" 100 ", 1000), ("50", 500),
    ])
    func aTargetIsReadAsTyped(typed: String, tenths: Int) throws {
        #expect(try AttendanceTarget.tenths(typed: typed) == tenths)
    }

    @Test(arguments: ["", "abc", "95.55", "9 5", "-95", "95.", ".5", "1e2"])
    func anythingElseIsNotAPercentage(typed: String) {
        #expect(throws: AttendanceTarget.Problem.notAPercentage) { try AttendanceTarget.tenths(typed: typed) }
    }

    @Test(arguments: ["49.9", "100.1", "101", "0"])
    func aTargetOutsideHalfToAllIsRefused(typed: String) {
        #expect(throws: AttendanceTarget.Problem.outOfRange) { try AttendanceTarget.tenths(typed: typed) }
    }

    @Test func aFigureIsBelowTheTargetExactly() {
        let target = AttendanceTarget(
            school: LAESTAB(la: 665, estab: 4001), year: AcademicYear(startYear: 2026), tenths: 920, state: .set,
            by: "head", at: "")
        // 2299 of 2500 is 91.96%: shown as 92.0%, but below a 92.0% target.
        func summary(present: Int, unauthorised: Int) -> AttendanceSummary {
            var counts = Array(repeating: 0, count: SummaryClass.allCases.count)
            counts[Int(SummaryClass.present.rawValue)] = present
            counts[Int(SummaryClass.unauthorised.rawValue)] = unauthorised
            return AttendanceSummary(counts: counts, rules: .wrexham2025)
        }
        let justBelow = summary(present: 2299, unauthorised: 201)
        let onIt = summary(present: 2300, unauthorised: 200)
        #expect(justBelow.attendancePercentText == "92.0%")
        #expect(target.isMissed(by: justBelow) && !target.isMissed(by: onIt))
        #expect(!target.isMissed(by: AttendanceSummary.empty()))
    }
}
