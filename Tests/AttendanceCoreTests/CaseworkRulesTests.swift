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
}
