import Testing

@testable import AttendanceCore

/// The group analysis (issue 34, point 5): each group the sum of its pupils' counts, small groups marked, and the
/// line that would give a hidden one away hidden too.
@Suite struct GroupAnalysisTests {
    static func member(
        _ serial: Int, year: String = "7", sex: Sex = .female, fsm: Bool = false, lac: Bool = false,
        present: Int, absent: Int, groups: Set<String> = []
    ) -> GroupAnalysis.Member {
        let pupil = Pupil(
            upn: UPN.make(la: 665, estab: 4001, year: 2025, serial: serial), legalSurname: "S", legalForename: "F",
            dateOfBirth: LocalDate(iso: "2013-01-01")!, sex: sex, yearGroup: year, registrationGroup: year + "A",
            freeSchoolMeals: fsm, lookedAfter: lac)
        let codes =
            Array(repeating: CodeTable.wales2010["/"]!, count: present)
            + Array(repeating: CodeTable.wales2010["O"]!, count: absent)
        return GroupAnalysis.Member(pupil: pupil, summary: AttendanceSummary(codes: codes), schoolGroups: groups)
    }

    @Test func groupsAddTheirPupilsCountsAndHideWhatWouldIdentifyAPupil() throws {
        // Twelve pupils: eight in Year 7, four in Year 8 (small); one looked after (small, and "not looked after"
        // is the whole less one pupil, so it is hidden too); seven girls and five boys (both shown).
        var members: [GroupAnalysis.Member] = []
        for serial in 0..<12 {
            members.append(
                Self.member(
                    serial, year: serial < 8 ? "7" : "8", sex: serial < 7 ? .female : .male, fsm: serial % 2 == 0,
                    lac: serial == 3, present: serial == 3 ? 18 : 19, absent: serial == 3 ? 10 : 1,
                    groups: serial < 3 ? ["Nurture"] : []))
        }
        let analysis = GroupAnalysis.make(members, schoolGroups: ["Nurture", "Empty"], rules: .wrexham2025)
        #expect(analysis.whole.pupils == 12 && analysis.whole.summary.possible == 12 * 20 + 8)
        #expect(analysis.whole.persistent == 1 && !analysis.whole.isSuppressed)
        func section(_ breakdown: GroupAnalysis.Breakdown) throws -> [String: GroupAnalysis.Line] {
            let found = try #require(analysis.sections.first { $0.breakdown == breakdown })
            return Dictionary(uniqueKeysWithValues: found.lines.map { ($0.key, $0) })
        }
        let years = try section(.yearGroup)
        #expect(years["7"]?.pupils == 8 && years["8"]?.pupils == 4)
        // Year 8 is small; Year 7 would then be the whole less Year 8, so it is hidden as well.
        #expect(years["8"]?.isSmall == true && years["8"]?.isSuppressed == true)
        #expect(years["7"]?.isSmall == false && years["7"]?.isSuppressed == true)
        let sex = try section(.sex)
        #expect(sex["F"]?.pupils == 7 && sex["M"]?.pupils == 5)
        #expect(sex.values.allSatisfy { !$0.isSuppressed })
        let lac = try section(.lookedAfter)
        #expect(lac["yes"]?.pupils == 1 && lac["yes"]?.summary.attendanceTenths == 643)
        #expect(lac["yes"]?.isSuppressed == true && lac["no"]?.isSuppressed == true)
        // No pupil with ALN: the empty line hides nothing, so "without" is shown.
        let aln = try section(.additionalLearningNeeds)
        #expect(aln["yes"]?.pupils == 0 && aln["no"]?.pupils == 12 && aln["no"]?.isSuppressed == false)
        let fsm = try section(.freeSchoolMeals)
        #expect(fsm["yes"]?.pupils == 6 && fsm["no"]?.pupils == 6 && fsm["yes"]?.persistent == 0)
        #expect(fsm["no"]?.persistent == 1 && fsm["no"]?.persistentTenths == 167)
        // The school's own groups overlap and need not cover the school: only a small one is hidden.
        let own = try #require(analysis.sections.first { $0.breakdown == .schoolGroup })
        #expect(own.lines.map(\.key) == ["Nurture", "Empty"])
        #expect(own.lines[0].pupils == 3 && own.lines[0].isSuppressed && own.lines[1].pupils == 0)
        #expect(analysis.hasSmallGroups)
        // Each breakdown that shares out the school adds up to the whole.
        for found in analysis.sections where found.breakdown.partitionsTheSchool {
            #expect(found.lines.map(\.pupils).reduce(0, +) == 12)
            #expect(found.lines.map(\.summary).reduce(.empty(), +) == analysis.whole.summary)
        }
    }

    @Test func theSecondLineHiddenIsAlwaysTheSmallestOther() {
        // Year groups of 3, 6, 7 and 9: Year 8 (3) is small; the smallest other, Year 7 (6), goes with it.
        let sizes = [("7", 6), ("8", 3), ("9", 7), ("10", 9)]
        var members: [GroupAnalysis.Member] = []
        var serial = 0
        for (year, size) in sizes {
            for _ in 0..<size {
                members.append(Self.member(serial, year: year, present: 10, absent: 0))
                serial += 1
            }
        }
        let years = GroupAnalysis.make(members, rules: .wrexham2025).sections[0]
        #expect(years.lines.map(\.key) == ["7", "8", "9", "10"])
        #expect(years.lines.map(\.isSuppressed) == [true, true, false, false])
        // Two small lines already hide each other: nothing more is hidden.
        let two = GroupAnalysis.secondarySuppression(
            GroupAnalysis.make(Array(members.prefix(6 + 3)) + members.suffix(2), rules: .wrexham2025).sections[0]
                .lines)
        #expect(two.map(\.key) == ["7", "8", "10"] && two.map(\.isSuppressed) == [false, true, true])
    }

    @Test func gapsAndSharesAreInTenths() {
        let line = GroupAnalysis.make([Self.member(1, present: 19, absent: 1)], rules: .wrexham2025).whole
        #expect(line.gap(to: 950) == 0 && line.gap(to: 960) == -10)
        #expect(Tenths.pointsText(line.gap(to: 960)) == "−1.0" && Tenths.pointsText(12) == "+1.2")
        #expect(Tenths.pointsText(0) == "0.0" && Tenths.pointsText(nil) == "–")
        #expect(line.summary.unauthorisedTenths == 50 && line.summary.authorisedTenths == 0)
    }
}

/// The week-by-week tally behind the trends (issue 34, points 2 and 7): each week's figure is the marks of its
/// days, the weeks add up to the period, and a pupil's own figure is the period's.
@Suite struct WeeklyTallyTests {
    @Test func theWeeksShareOutThePeriodAndAddUpToEachPupilsFigure() throws {
        // Wednesday 3 September to Tuesday 16 September 2025: three weeks, the first and last cut short.
        let range = try #require(DateRange(LocalDate(iso: "2025-09-03")!, LocalDate(iso: "2025-09-16")!))
        var tally = WeeklyTally(range: range)
        #expect(
            tally.weeks.map { "\($0.start)…\($0.end)" } == [
                "2025-09-03…2025-09-05", "2025-09-08…2025-09-12", "2025-09-15…2025-09-16",
            ])
        let table = CodeTable.wales2010
        var marks = YearMarks(academicYear: AcademicYear(startYear: 2025))
        // Present every session from Monday 1st to Friday 19th but absent (O) on the mornings of the 4th and 15th.
        var day = LocalDate(iso: "2025-09-01")!
        while day <= LocalDate(iso: "2025-09-19")! {
            if !day.isWeekend {
                for half in SessionHalf.allCases {
                    let absent = half == .am && (day.iso == "2025-09-04" || day.iso == "2025-09-15")
                    marks.set(table[absent ? "O" : "/"], at: SchoolSession(day, half))
                }
            }
            day = day.adding(days: 1)
        }
        let own = tally.add(marks, in: range, table: table, rules: .wrexham2025)
        #expect(own == marks.summary(in: range, table: table))
        let weeks = tally.summaries(rules: .wrexham2025)
        #expect(weeks.map(\.possible) == [6, 10, 4] && weeks.map(\.unauthorised) == [1, 0, 1])
        #expect(weeks.reduce(.empty(), +) == own)
        // Two pupils' tallies add up.
        let twice = tally + tally
        #expect(twice.summaries(rules: .wrexham2025).map(\.possible) == [12, 20, 8])
    }
}
