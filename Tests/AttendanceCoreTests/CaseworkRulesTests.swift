import Testing

@testable import AttendanceCore

/// Issue 31's rules that live in the core alone.
@Suite struct CaseworkRulesTests {
    static func plan(start: String, calendar: SchoolCalendar?) -> ImprovementPlan {
        ImprovementPlan(
            id: 1, caseID: 1, start: day(start), targetPercent: 95, schoolActions: "", familyActions: "",
            pupilActions: "", createdBy: "esw", reviews: [], outcome: nil, nextStep: nil, calendar: calendar)
    }

    /// 16. "Attendance Improvement Plans run in school weeks": a six-week plan starting 8 December runs six school
    /// weeks, over the Christmas holiday, to the end of January, not into the holiday.
    @Test func aPlanRunsSixSchoolWeeks() {
        let plan = Self.plan(start: "2025-12-08", calendar: autumn2025)
        #expect(plan.weeksDays.count == 6)
        #expect(plan.week(2) == range("2025-12-15", "2025-12-21"))
        #expect(plan.week(3) == range("2026-01-05", "2026-01-11"))
        #expect(plan.end == day("2026-02-01"))
        #expect(plan.weeksDays.allSatisfy { !autumn2025.schoolDays(in: $0).isEmpty })
        // A week is over, and may be reviewed, on its last day; the holiday is never one of them.
        #expect(plan.weeksToReview(today: day("2025-12-30")) == [1, 2])
        #expect(plan.weeksToReview(today: day("2026-01-11")) == [1, 2, 3])
        // Without school days in the way, six calendar weeks.
        #expect(Self.plan(start: "2025-09-08", calendar: autumn2025).end == day("2025-10-19"))
    }

    /// 14. "Those parents of pupils who are persistently late will be contacted by the Class Teacher/Head of
    /// Year/Senior Management Team": late (L or U) in 10 sessions of the term, once a term, with its sessions.
    @Test func persistentLatenessIsOnceATermWithItsSessions() {
        var pupil = Pupil2025()
        pupil.mark("L", sessions: 5, from: "2025-11-03")
        pupil.mark("U", sessions: 4, from: "2025-11-10")
        #expect(!pupil.run("2025-12-19").due.contains { $0.action == .persistentLateness })
        pupil.mark("U", sessions: 5, from: "2025-11-10")
        let late = pupil.run("2025-12-19").due.filter { $0.action == .persistentLateness }
        #expect(late.count == 1 && late.first?.count == 10 && late.first?.sessions.count == 10)
        #expect(late.first?.key == "persistent_lateness/2025-09-01" && late.first?.basis == "late")
        let recorded = [
            RecordedAction(key: "persistent_lateness/2025-09-01", action: .persistentLateness, status: .done)
        ]
        #expect(!pupil.run("2025-12-19", recorded: recorded).new.contains { $0.action == .persistentLateness })
        // A new term counts again from its first day: the autumn's lateness does not carry into spring.
        #expect(!pupil.run("2026-01-09").due.contains { $0.action == .persistentLateness })
        #expect(ProcedureAction.persistentLateness.wordValues(.wrexham2025) == ["sessions": "10"])
    }

    /// Forms in the order people read them: 7A before 10A, 10A before 10B (issue 33, point 8).
    @Test func formsSortAsPeopleReadThem() {
        let forms = ["10B", "7A", "10A", "11A", "7B", "9Z", "R1", "R"]
        #expect(forms.sorted(by: NaturalOrder.precedes) == ["7A", "7B", "9Z", "10A", "10B", "11A", "R", "R1"])
        #expect(!NaturalOrder.precedes("7A", "7A") && NaturalOrder.precedes("007A", "10A"))
    }

    /// A warned case opens on the criteria met on today's record and those the flag was raised on, each once.
    @Test func aWarnedCaseOpensOnTheFlagsCriteriaAndAnyMetSince() {
        let term = PenaltyTerm(
            range: range("2025-09-01", "2025-10-10"), counts: [:], met: ["late_after_close"], sessions: [:])
        #expect(term.caseCriteria(flaggedOn: "unauthorised,late_after_close") == [.lateAfterClose, .unauthorised])
        #expect(term.caseCriteria(flaggedOn: "") == [.lateAfterClose])
        #expect(term.caseCriteria(flaggedOn: "unknown") == [.lateAfterClose])
    }

    /// A pupil with two lines (a move of form) has one set of figures, the two added together.
    @Test func aPupilsLinesAreAddedIntoOneSummary() throws {
        let alys = try UPN("J665400126001")
        let cai = try UPN("B801200005001")
        let first = AttendanceSummary(codes: Array(repeating: try #require(wales["/"]), count: 4))
        let second = AttendanceSummary(codes: Array(repeating: try #require(wales["O"]), count: 4))
        let pupils = AttendanceSummary.byPupil([(alys, first), (cai, first), (alys, second)])
        #expect(pupils[alys] == first + second)
        #expect(pupils[cai] == first)
    }

    /// The evidence shown beside a flag after Letter 3 is what covers one of its days, and nothing else.
    @Test func evidenceCoversAFlagWhenItCoversOneOfItsDays() {
        let evidence = [range("2025-10-01", "2025-10-02"), range("2025-10-06", "2025-10-06")]
        #expect(
            MedicalEvidenceRule.covering([day("2025-10-02"), day("2025-10-03")], in: evidence) { $0 } == [evidence[0]])
        #expect(MedicalEvidenceRule.covering([day("2025-10-03")], in: evidence) { $0 }.isEmpty)
    }
}
