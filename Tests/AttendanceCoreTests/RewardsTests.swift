import Testing

@testable import AttendanceCore

/// Rewards (issue 34, point 9): who qualifies, the periods, and a draw anyone can repeat.
@Suite struct RewardsTests {
    static func summary(present: Int, absent: Int) -> AttendanceSummary {
        AttendanceSummary(
            codes: Array(repeating: CodeTable.wales2010["/"]!, count: present)
                + Array(repeating: CodeTable.wales2010["O"]!, count: absent))
    }

    static func upn(_ serial: Int) -> UPN { UPN.make(la: 665, estab: 4001, year: 2025, serial: serial) }

    @Test func fullAttendanceIsEverySessionOfAPeriodWithOne() {
        #expect(Rewards.fullAttendance(Self.summary(present: 120, absent: 0)))
        #expect(!Rewards.fullAttendance(Self.summary(present: 119, absent: 1)))
        // No possible session (joined today, or a period of holidays): nothing to reward.
        #expect(!Rewards.fullAttendance(Self.summary(present: 0, absent: 0)))
    }

    @Test func mostImprovedNeedsFivePointsAndTwentySessionsInEachPeriod() {
        // 80.0% to 85.0%: exactly five points.
        #expect(
            Rewards.isMostImproved(
                earlier: Self.summary(present: 80, absent: 20), later: Self.summary(present: 85, absent: 15)))
        // 80.0% to 84.9%: just short.
        #expect(
            !Rewards.isMostImproved(
                earlier: Self.summary(present: 80, absent: 20), later: Self.summary(present: 849, absent: 151)))
        // A big rise on too few sessions, before or after, is arithmetic, not improvement.
        #expect(
            !Rewards.isMostImproved(
                earlier: Self.summary(present: 10, absent: 9), later: Self.summary(present: 60, absent: 0)))
        #expect(
            !Rewards.isMostImproved(
                earlier: Self.summary(present: 50, absent: 50), later: Self.summary(present: 19, absent: 0)))
        let earlier = [
            Self.upn(1): Self.summary(present: 70, absent: 30), Self.upn(2): Self.summary(present: 90, absent: 10),
            Self.upn(3): Self.summary(present: 80, absent: 20), Self.upn(4): Self.summary(present: 99, absent: 1),
        ]
        let later = [
            Self.upn(1): Self.summary(present: 90, absent: 10), Self.upn(2): Self.summary(present: 100, absent: 0),
            Self.upn(3): Self.summary(present: 100, absent: 0), Self.upn(4): Self.summary(present: 100, absent: 0),
            Self.upn(5): Self.summary(present: 100, absent: 0),  // not in the earlier period: not compared
        ]
        let found = Rewards.mostImproved(earlier: earlier, later: later)
        // The largest rise first; equal rises by UPN.
        let tied = [Self.upn(1), Self.upn(3)].sorted { $0.value < $1.value }
        #expect(found.map(\.upn) == tied + [Self.upn(2)])
        #expect(found.map(\.riseTenths) == [200, 200, 100])
    }

    @Test func theGeneratorIsSplitMix64() {
        // The published first outputs of SplitMix64 from seed 0, so a draw can be checked with any implementation.
        var generator = RewardDraw.SplitMix64(seed: 0)
        #expect(generator.next() == 0xE220_A839_7B1D_CDAF)
        #expect(generator.next() == 0x6E78_9E6A_A1B9_65F4)
    }

    @Test func aDrawGivesTheSameWinnersForTheSameSeedWhateverTheOrderOfEntrants() {
        let entrants = (1...40).map(Self.upn)
        let first = RewardDraw.winners(from: entrants, seed: 20_261_206, count: 5)
        #expect(first.count == 5 && Set(first).count == 5 && Set(first).isSubset(of: Set(entrants)))
        #expect(RewardDraw.winners(from: entrants.reversed(), seed: 20_261_206, count: 5) == first)
        #expect(RewardDraw.winners(from: entrants + entrants, seed: 20_261_206, count: 5) == first)
        // Another seed, other winners (for these forty, at least one differs).
        #expect(RewardDraw.winners(from: entrants, seed: 20_261_207, count: 5) != first)
        // More winners than entrants: everyone, once; none asked: none.
        #expect(Set(RewardDraw.winners(from: Array(entrants.prefix(3)), seed: 1, count: 10)) == Set(entrants.prefix(3)))
        #expect(RewardDraw.winners(from: entrants, seed: 1, count: 0).isEmpty)
        #expect(RewardDraw.winners(from: [], seed: 1, count: 3).isEmpty)
    }

    @Test func everyEntrantCanWin() {
        // Over many seeds each of five entrants is drawn first about a fifth of the time.
        let entrants = (1...5).map(Self.upn)
        var firsts: [UPN: Int] = [:]
        for seed in 0..<5000 {
            firsts[RewardDraw.winners(from: entrants, seed: UInt64(seed), count: 1)[0], default: 0] += 1
        }
        #expect(firsts.count == 5)
        #expect(firsts.values.allSatisfy { (850...1150).contains($0) }, "\(firsts.values.sorted())")
    }

    @Test func periodsComeFromTheCalendar() throws {
        func term(_ from: String, _ to: String, _ name: String) -> CalendarEntry {
            CalendarEntry(kind: .term, range: DateRange(LocalDate(iso: from)!, LocalDate(iso: to)!)!, name: name)
        }
        let calendar = SchoolCalendar(entries: [
            term("2026-04-20", "2026-07-20", "Summer"), term("2026-09-01", "2026-12-18", "Autumn"),
            term("2027-01-05", "2027-03-26", "Spring"),
        ])
        let today = LocalDate(iso: "2026-11-25")!
        let now = try #require(ReportPeriod.term.ranges(calendar: calendar, today: today))
        #expect(now.period == DateRange(LocalDate(iso: "2026-09-01")!, today))
        #expect(now.earlier == DateRange(LocalDate(iso: "2026-04-20")!, LocalDate(iso: "2026-07-20")!))
        let last = try #require(ReportPeriod.lastTerm.ranges(calendar: calendar, today: today))
        #expect(last.period == DateRange(LocalDate(iso: "2026-04-20")!, LocalDate(iso: "2026-07-20")!))
        #expect(last.earlier == nil)  // the calendar holds no term before it
        // Between terms, this term is the one just ended, whole.
        let christmas = try #require(ReportPeriod.term.ranges(calendar: calendar, today: LocalDate(iso: "2026-12-28")!))
        #expect(christmas.period == DateRange(LocalDate(iso: "2026-09-01")!, LocalDate(iso: "2026-12-18")!))
        let year = try #require(ReportPeriod.year.ranges(calendar: calendar, today: today))
        #expect(year.period.start == LocalDate(iso: "2026-09-01")! && year.period.end == today)
        #expect(ReportPeriod.year.span == .year && ReportPeriod.lastTerm.span == .term)
        // Before the calendar's first term there is no term to reward.
        #expect(ReportPeriod.term.ranges(calendar: calendar, today: LocalDate(iso: "2026-01-01")!) == nil)
    }
}
