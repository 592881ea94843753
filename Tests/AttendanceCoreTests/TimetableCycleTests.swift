import AttendanceCore
import Testing

@Suite struct TimetableCycleTests {
    func day(_ text: String) -> LocalDate { LocalDate(iso: text)! }

    @Test func aOneWeekCycleIsTheWeekday() throws {
        let cycle = try TimetableCycle(weeks: 1, startsOn: day("2026-09-02"))  // a Wednesday
        #expect(cycle.days == 1...5)
        #expect(cycle.day(of: day("2026-09-01")) == nil)  // before the timetable
        #expect(cycle.day(of: day("2026-09-02")) == 3)
        #expect(cycle.day(of: day("2026-09-07")) == 1)
        #expect(cycle.day(of: day("2026-11-27")) == 5)
        #expect(cycle.day(of: day("2026-11-28")) == nil)  // Saturday
    }

    @Test func aTwoWeekCycleAlternatesFromTheWeekItStarts() throws {
        let cycle = try TimetableCycle(weeks: 2, startsOn: day("2026-09-02"))
        #expect(cycle.days == 1...10)
        #expect(cycle.day(of: day("2026-09-04")) == 5)  // week 1's Friday
        #expect(cycle.day(of: day("2026-09-07")) == 6)  // week 2's Monday
        #expect(cycle.day(of: day("2026-09-11")) == 10)  // week 2's Friday
        #expect(cycle.day(of: day("2026-09-14")) == 1)  // week 1 again
        #expect(cycle.day(of: day("2026-09-21")) == 6)
        #expect(cycle.day(of: day("2026-12-07")) == 1)  // 14 weeks on: week 1
        #expect(cycle.day(of: day("2026-12-14")) == 6)
        #expect(throws: TimetableCycle.Problem.weeks) { try TimetableCycle(weeks: 3, startsOn: day("2026-09-02")) }
    }
}
