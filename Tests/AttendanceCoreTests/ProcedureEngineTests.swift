import Foundation
import Testing

@testable import AttendanceCore

/// Marks for the 2025/26 year on the autumn2025 calendar: every school day present unless given.
struct Pupil2025 {
    var marks = YearMarks(academicYear: AcademicYear(startYear: 2025))
    let calendar = autumn2025

    /// Fills every session of every school day from `from` to `to` with present marks.
    init(presentFrom from: String = "2025-09-02", to: String = "2026-03-27") {
        for session in calendar.sessions(in: range(from, to)) {
            marks.set(wales[session.half == .am ? "/" : "\\"], at: session)
        }
    }

    /// Sets `count` sessions to `code`, walking school days forward from `start` (AM then PM).
    mutating func mark(_ code: String, sessions count: Int, from start: String) {
        var remaining = count
        for session in calendar.sessions(in: range(start, "2026-03-27")) where remaining > 0 {
            marks.set(wales[code], at: session)
            remaining -= 1
        }
    }

    func run(
        _ asOf: String, recorded: [RecordedAction] = [], letter3: String? = nil, compulsoryAge: Bool = true,
        declined: [String] = []
    ) -> ProcedureEngine.Outcome {
        ProcedureEngine(policy: .wrexham2025, codes: wales)
            .run(
                marks: marks, calendar: calendar, asOf: day(asOf), recorded: recorded, letter3Sent: letter3.map(day),
                compulsoryAge: compulsoryAge, penaltyDeclined: declined.map(day))
    }
}

func actions(_ outcome: ProcedureEngine.Outcome) -> Set<ProcedureAction> { Set(outcome.due.map(\.action)) }

@Suite struct ProcedureEngineTests {
    @Test(arguments: [
        // absences, expected letters
        (9, [] as [ProcedureAction]), (10, [.letter1]), (15, [.letter1]), (16, [.letter1, .letter2]),
        (21, [.letter1, .letter2]), (22, [.letter1, .letter2, .phoneCall]),
        (25, [.letter1, .letter2, .phoneCall]), (26, [.letter1, .letter2, .phoneCall, .letter3]),
    ])
    func absenceThresholdsAtTheirEdges(absences: Int, expected: [ProcedureAction]) {
        var pupil = Pupil2025()
        pupil.mark("I", sessions: absences, from: "2025-11-03")
        let due = actions(pupil.run("2025-12-19"))
        let thresholds: Set<ProcedureAction> = [
            .letter1, .letter2, .phoneCall, .letter3, .attendanceMeeting, .eswReferral,
        ]
        #expect(due.intersection(thresholds) == Set(expected))
        if let letter = pupil.run("2025-12-19").due.first(where: { $0.action == .letter1 }) {
            #expect(letter.sessions.count == 10)
            #expect(letter.count == absences)
            #expect(letter.sessions.first == SchoolSession(day("2025-11-03"), .am))
        }
    }

    @Test func twentySixMixedIsLetterThreeButNotTheMeeting() {
        var pupil = Pupil2025()
        pupil.mark("I", sessions: 20, from: "2025-11-03")
        pupil.mark("O", sessions: 6, from: "2025-12-01")
        let due = actions(pupil.run("2025-12-19"))
        #expect(due.contains(.letter3))
        #expect(!due.contains(.attendanceMeeting) && !due.contains(.eswReferral))
        var truant = Pupil2025()
        truant.mark("O", sessions: 26, from: "2025-11-03")
        #expect(actions(truant.run("2025-12-19")).isSuperset(of: [.letter3, .attendanceMeeting, .eswReferral]))
    }

    @Test func lateBeforeCloseIsPresentLateAfterCloseIsAbsence() {
        var early = Pupil2025()
        early.mark("L", sessions: 12, from: "2025-11-03")
        // Present, so no absence action; but late in 12 sessions this term: persistently late (issue 31, 14).
        #expect(actions(early.run("2025-12-19")) == [.persistentLateness])
        var late = Pupil2025()
        late.mark("U", sessions: 10, from: "2025-11-03")
        let outcome = late.run("2025-12-19")
        #expect(actions(outcome).contains(.letter1))
        // U is an unauthorised absence and late after close: it counts under both criteria (DOMAIN.md §7).
        #expect(outcome.due.contains { $0.action == .fpnEligible && $0.basis == "unauthorised,late_after_close" })
    }

    @Test func notCountedCodesAreNotAbsence() {
        var pupil = Pupil2025()
        pupil.mark("#", sessions: 12, from: "2025-11-03")
        pupil.mark("X", sessions: 12, from: "2025-12-01")
        #expect(actions(pupil.run("2025-12-19")).isEmpty)
    }

    /// Issue 12, point 2: what counts towards a penalty notice flag, at the edges.
    @Test(arguments: [
        // marks (code, sessions), compulsory school age, the flag's basis (nil: no flag)
        ([("O", 10)], true, "unauthorised" as String?),
        ([("O", 9)], true, nil),
        // A session may count under more than one criterion (DOMAIN.md §7, decided 2026-12-05).
        ([("G", 10)], true, "unauthorised,unagreed_holiday"),
        ([("U", 10)], true, "unauthorised,late_after_close"),
        ([("O", 10), ("U", 10)], true, "unauthorised,late_after_close"),  // one flag naming both
        ([("O", 10), ("G", 10), ("U", 10)], true, "unauthorised,late_after_close,unagreed_holiday"),
        // Issue 31, point 1: "Minimum of 10 unauthorised absences in the current term" counts O, G and U together.
        ([("O", 6), ("G", 5)], true, "unauthorised"),
        ([("O", 5), ("U", 5)], true, "unauthorised"),
        ([("O", 5), ("N", 5)], true, "unauthorised"),  // an N counts once it has become O (10 school days on)
        ([("O", 30)], false, nil),  // a pupil past compulsory school age (Year 12)
    ])
    func aPenaltyNoticeFlagIsOneATermNamingEachCriterion(
        marks: [(String, Int)], compulsoryAge: Bool, basis: String?
    ) {
        var pupil = Pupil2025()
        var start = day("2026-01-05")
        for (code, count) in marks {
            pupil.mark(code, sessions: count, from: start.iso)
            start = start.adding(days: 14)
        }
        let flags = pupil.run("2026-03-20", compulsoryAge: compulsoryAge).due.filter { $0.action == .fpnEligible }
        #expect(flags.count == (basis == nil ? 0 : 1))
        #expect(flags.first?.basis == basis)
        #expect(flags.first.map { $0.sessions.count == $0.count } ?? true)
    }

    @Test func afterADeclinedRequestOnlyNewSessionsCountTowardsAnotherFlag() {
        var pupil = Pupil2025()
        pupil.mark("O", sessions: 12, from: "2026-01-12")  // 12–17 January
        let first = pupil.run("2026-02-06").due.first { $0.action == .fpnEligible }
        #expect(first?.key == "fpn_eligible/2026-01-05" && first?.count == 12)
        // Declined on 2 February: the twelve before it no longer count; nine after it are not enough; ten are,
        // under a key of their own, counting only those ten.
        pupil.mark("O", sessions: 9, from: "2026-02-09")
        #expect(!pupil.run("2026-02-20", declined: ["2026-02-02"]).due.contains { $0.action == .fpnEligible })
        pupil.mark("O", sessions: 10, from: "2026-02-09")
        let again = pupil.run("2026-02-20", declined: ["2026-02-02"]).due.first { $0.action == .fpnEligible }
        #expect(again?.key == "fpn_eligible/2026-01-05+2026-02-03" && again?.count == 10)
        #expect(again?.sessions.first == SchoolSession(day("2026-02-09"), .am))
        // A decline in an earlier term changes nothing in this one.
        #expect(
            pupil.run("2026-02-20", declined: ["2025-12-01"]).due.first { $0.action == .fpnEligible }?.count == 22)
        // The warning's figures count the same way.
        let figures = ProcedureEngine(policy: .wrexham2025, codes: wales).penaltyTerm(
            marks: pupil.marks, calendar: pupil.calendar, asOf: day("2026-02-20"), penaltyDeclined: [day("2026-02-02")])
        #expect(figures?.counts["unauthorised"] == 10 && figures?.range.start == day("2026-02-03"))
    }

    @Test func tenNsWaitingForAReasonGiveNoFlagAndTheSameTenOnceTheyBecomeODo() {
        var pupil = Pupil2025()
        pupil.mark("N", sessions: 10, from: "2026-03-09")  // 9–13 March
        // On 20 March the newest is five school days old: still waiting for a reason.
        #expect(!pupil.run("2026-03-20").due.contains { $0.action == .fpnEligible })
        // On 27 March the oldest have waited ten school days: they become O in this run, and count.
        let flag = pupil.run("2026-03-27").due.first { $0.action == .fpnEligible }
        #expect(flag?.basis == "unauthorised")
        #expect(pupil.run("2026-03-27").due.filter { $0.action == .nToO }.count == flag?.count)
    }

    @Test func pastCompulsorySchoolAgeLettersGoButNoReferralPenaltyOrLegalReview() {
        var pupil = Pupil2025()
        pupil.mark("O", sessions: 40, from: "2026-01-05")
        let adult = actions(pupil.run("2026-03-20", compulsoryAge: false))
        #expect(adult.isSuperset(of: [.letter1, .letter2, .phoneCall, .letter3, .attendanceMeeting]))
        #expect(adult.isDisjoint(with: [.eswReferral, .fpnEligible, .legalActionReview]))
        let child = actions(pupil.run("2026-03-20"))
        #expect(child.isSuperset(of: [.eswReferral, .fpnEligible, .legalActionReview]))
    }

    /// Issue 12, point 4: the end of a term withdraws nothing.
    /// Each action declares its period once: its key and when it may be withdrawn follow from it.
    @Test(arguments: ProcedureAction.allCases)
    func everyActionDeclaresItsPeriodAndItsKeyAndWithdrawalFollow(action: ProcedureAction) {
        let term = range("2026-01-05", "2026-03-27")
        let asOf = day("2026-02-10")
        switch action.period {
        case .schoolYear:
            #expect(action.key(2025) == "\(action.rawValue)/2025")
            #expect(action.mayWithdraw(key: action.key(2025), asOf: asOf, term: term))
        case .term:
            #expect(action.mayWithdraw(key: action.key("2026-01-05"), asOf: asOf, term: term))
            #expect(!action.mayWithdraw(key: action.key("2025-09-01"), asOf: asOf, term: term))  // last term's
            #expect(!action.mayWithdraw(key: action.key("2026-01-05"), asOf: asOf, term: nil))
        case .day:
            #expect(action.mayWithdraw(key: action.key("2026-02-10"), asOf: asOf, term: term))
            #expect(!action.mayWithdraw(key: action.key("2026-02-09"), asOf: asOf, term: term))
        case .spell, .absence:
            #expect(action.isAboutItsSessions)
            #expect(action.mayWithdraw(key: action.key("2026-02-02"), asOf: asOf, term: term))
        }
        #expect(
            action.isAboutItsSessions
                == (action.period != .schoolYear && action.period != .term
                    || action == .preHolidayPattern))
    }

    @Test func theEndOfATermWithdrawsNothing() {
        var pupil = Pupil2025()
        pupil.mark("O", sessions: 12, from: "2025-11-03")
        let autumn = pupil.run("2025-12-12").due.filter { $0.action == .fpnEligible || $0.action == .legalActionReview }
        #expect(autumn.count == 1)
        let recorded = autumn.map { RecordedAction(key: $0.key, action: $0.action, status: .pending) }
        #expect(pupil.run("2026-01-09", recorded: recorded).withdraw.isEmpty)
        #expect(pupil.run("2025-12-12", recorded: recorded).withdraw.isEmpty)
    }

    @Test func penaltyNoticeCountsResetAtATermBoundary() {
        var pupil = Pupil2025()
        pupil.mark("O", sessions: 8, from: "2025-12-08")
        pupil.mark("O", sessions: 8, from: "2026-01-05")
        #expect(!actions(pupil.run("2026-01-30")).contains(.fpnEligible))  // 8 in spring, 8 in autumn
        pupil.mark("O", sessions: 10, from: "2026-01-05")
        let spring = pupil.run("2026-01-30").due.first { $0.action == .fpnEligible }
        #expect(spring?.basis == "unauthorised" && spring?.count == 10)
        #expect(spring?.key == "fpn_eligible/2026-01-05")
        var holiday = Pupil2025()
        holiday.mark("G", sessions: 10, from: "2026-02-02")
        #expect(
            holiday.run("2026-02-27").due.contains {
                $0.action == .fpnEligible && $0.basis == "unauthorised,unagreed_holiday"
            })
    }

    @Test func noReasonBecomesUnauthorisedAfterTenSchoolDaysAcrossHalfTerm() {
        var pupil = Pupil2025()
        pupil.mark("N", sessions: 1, from: "2025-10-20")
        #expect(!actions(pupil.run("2025-11-07")).contains(.nToO))  // nine school days later, over half-term
        let due = pupil.run("2025-11-10").due.filter { $0.action == .nToO }
        #expect(due.map(\.sessions) == [[SchoolSession(day("2025-10-20"), .am)]])
        // First-day contact only on the day itself.
        #expect(actions(pupil.run("2025-10-20")).contains(.firstDayContact))
        #expect(!actions(pupil.run("2025-10-21")).contains(.firstDayContact))
    }

    @Test func noContactByTheThirdSchoolDay() {
        var pupil = Pupil2025()
        pupil.mark("N", sessions: 6, from: "2025-11-13")  // Thursday, Friday, Monday
        #expect(!actions(pupil.run("2025-11-14")).contains(.noContactDay3))
        let due = pupil.run("2025-11-17").due.first { $0.action == .noContactDay3 }
        #expect(due?.key == "no_contact_day_3/2025-11-13")
    }

    /// Issue 12, point 8: once per spell, and not once a parent was reached or a reason recorded.
    @Test func noContactByDayThreeIsOncePerSpellAndNotAfterAParentWasReached() throws {
        var pupil = Pupil2025()
        pupil.mark("N", sessions: 12, from: "2025-11-13")  // Thursday 13 to Wednesday 19 November
        let third = try #require(pupil.run("2025-11-17").due.first { $0.action == .noContactDay3 })
        let recorded = [RecordedAction(key: third.key, action: .noContactDay3, status: .pending)]
        for later in ["2025-11-18", "2025-11-19"] {
            let outcome = pupil.run(later, recorded: recorded)
            #expect(outcome.due.filter { $0.action == .noContactDay3 }.map(\.key) == [third.key], "\(later)")
            #expect(!outcome.new.contains { $0.action == .noContactDay3 }, "\(later)")
        }
        // A call that reached a parent on the second day: no day-three action for this spell.
        let reached = ProcedureEngine(policy: .wrexham2025, codes: wales).run(
            marks: pupil.marks, calendar: pupil.calendar, asOf: day("2025-11-17"), recorded: [],
            contacted: [day("2025-11-14")])
        #expect(!reached.due.contains { $0.action == .noContactDay3 })
        // A new spell after a day back is a new action.
        pupil.mark("/", sessions: 2, from: "2025-11-20")
        pupil.mark("N", sessions: 6, from: "2025-11-21")
        #expect(pupil.run("2025-11-25").due.first { $0.action == .noContactDay3 }?.key == "no_contact_day_3/2025-11-21")
    }

    @Test func tenContinuousSchoolDaysOfUnauthorisedAbsenceAreReported() {
        var pupil = Pupil2025()
        pupil.mark("O", sessions: 18, from: "2025-11-03")
        #expect(!actions(pupil.run("2025-12-19")).contains(.continuousAbsenceReport))
        pupil.mark("O", sessions: 20, from: "2025-11-03")
        let report = pupil.run("2025-12-19").due.first { $0.action == .continuousAbsenceReport }
        #expect(report?.count == 10 && report?.sessions.count == 20)
    }

    /// The regulations' return: runs of at least ten school days on which every mark is unauthorised absence. A
    /// half-term is not a school day, so a run goes on across it; a day with any authorised (or present, or late
    /// after the close) mark ends it.
    @Test(
        arguments: [
            // marks from their first day (school days, AM then PM), the runs reported (first day, school days)
            ([("O", 20, "2025-11-03")], [("2025-11-03", 10)]),
            ([("O", 18, "2025-11-03")], []),
            // Thursday 16 October to Friday 7 November 2025 over half-term (27–31 October): 14 school days.
            ([("O", 28, "2025-10-16")], [("2025-10-16", 14)]),
            // Five days, a day of illness, five days: never ten together.
            ([("O", 10, "2025-11-03"), ("I", 2, "2025-11-10"), ("O", 10, "2025-11-11")], []),
            // One authorised afternoon breaks a day; the nine after it are not enough either.
            ([("O", 20, "2025-11-03"), ("M", 1, "2025-11-04")], []),
            // G (holiday not agreed) and N (no reason yet) are unauthorised; U (late after the close) is a pupil in school.
            ([("G", 10, "2025-11-03"), ("N", 10, "2025-11-10")], [("2025-11-03", 10)]),
            ([("O", 10, "2025-11-03"), ("U", 2, "2025-11-10"), ("O", 10, "2025-11-11")], []),
            // Two runs in a term are two reports.
            ([("O", 20, "2025-09-08"), ("O", 22, "2025-11-03")], [("2025-09-08", 10), ("2025-11-03", 11)]),
        ] as [([(String, Int, String)], [(String, Int)])])
    func theContinuousAbsenceReturnCountsSchoolDaysAcrossHalfTermAndStopsAtAnAuthorisedDay(
        marks: [(String, Int, String)], runs: [(String, Int)]
    ) {
        var pupil = Pupil2025()
        for (code, count, from) in marks { pupil.mark(code, sessions: count, from: from) }
        let reports = pupil.run("2025-12-19").due.filter { $0.action == .continuousAbsenceReport }
        #expect(reports.map { $0.sessions.first?.date.iso ?? "" } == runs.map(\.0))
        #expect(reports.map(\.count) == runs.map(\.1))
    }

    @Test func absenceBeforeHolidaysRepeatedIsAPattern() {
        var pupil = Pupil2025()
        pupil.mark("O", sessions: 2, from: "2025-10-24")  // Friday before half-term
        #expect(!actions(pupil.run("2026-01-30")).contains(.preHolidayPattern))
        pupil.mark("N", sessions: 1, from: "2025-12-19")  // unexplained, the last day before Christmas
        // Due in the last three school weeks before the next break (Easter, 28 March), not before.
        #expect(!actions(pupil.run("2026-01-30")).contains(.preHolidayPattern))
        #expect(!actions(pupil.run("2026-03-05")).contains(.preHolidayPattern))
        let pattern = pupil.run("2026-03-09").due.first { $0.action == .preHolidayPattern }
        #expect(pattern?.count == 2)
    }

    /// Issue 12, point 9: the calendar's breaks, and unexplained or unauthorised absence only.
    @Test func thePreHolidayPatternReadsTheCalendarsBreaksAndOnlyAbsenceWithoutAReason() {
        var ill = Pupil2025()
        ill.mark("I", sessions: 2, from: "2025-10-24")  // illness before half-term
        ill.mark("I", sessions: 2, from: "2025-12-19")  // and before Christmas: not a pattern to write about
        #expect(!actions(ill.run("2026-03-20")).contains(.preHolidayPattern))
        #expect(autumn2025.breakStarts == [day("2025-10-27"), day("2025-12-20"), day("2026-03-28")])
        // A bank holiday Monday is not a break: absence on the Friday before it is not "before a holiday".
        let withBankHoliday = SchoolCalendar(
            entries: autumn2025.entries + [
                CalendarEntry(kind: .holiday, range: range("2025-11-17", "2025-11-17"), name: "Bank holiday")
            ])
        var bank = Pupil2025()
        bank.mark("O", sessions: 2, from: "2025-11-14")
        bank.mark("O", sessions: 2, from: "2025-12-19")
        let outcome = ProcedureEngine(policy: .wrexham2025, codes: wales).run(
            marks: bank.marks, calendar: withBankHoliday, asOf: day("2026-03-20"), recorded: [])
        #expect(!outcome.due.contains { $0.action == .preHolidayPattern })
        #expect(withBankHoliday.breakStarts == autumn2025.breakStarts)
    }

    @Test func afterLetterThreeIllnessNeedsEvidence() {
        var pupil = Pupil2025()
        pupil.mark("I", sessions: 2, from: "2025-12-01")
        #expect(!actions(pupil.run("2025-12-19")).contains(.medicalEvidenceRequired))
        let due = pupil.run("2025-12-19", letter3: "2025-11-28").due.filter { $0.action == .medicalEvidenceRequired }
        #expect(due.count == 1 && due[0].count == 2)  // one absence, one flag
        // Issue 12, point 5: each absence after Letter 3 is one flag, never another Letter 3.
        pupil.mark("M", sessions: 1, from: "2025-12-03")
        pupil.mark("I", sessions: 4, from: "2025-12-10")
        let flags = pupil.run("2025-12-19", letter3: "2025-11-28").due.filter { $0.action == .medicalEvidenceRequired }
        #expect(flags.map(\.count) == [2, 1, 4])
        // The kinds of absence by meaning, so a page says them in words (they were the codes, shown as stored).
        #expect(flags.map(\.basis) == ["illness", "medical", "illness"])
        #expect(
            flags.map { ActionBasis(stored: $0.basis) } == [
                .criteria(["illness"]), .criteria(["medical"]), .criteria(["illness"]),
            ])
        #expect(LetterKind(action: .medicalEvidenceRequired) == nil)
    }

    @Test func runningTwiceAddsNothingAndACorrectionWithdrawsWhatIsPending() {
        var pupil = Pupil2025()
        pupil.mark("O", sessions: 10, from: "2025-11-03")
        let first = pupil.run("2025-12-19")
        #expect(first.new.contains { $0.action == .letter1 })
        let recorded = first.new.map { RecordedAction(key: $0.key, action: $0.action, status: .pending) }
        let second = pupil.run("2025-12-19", recorded: recorded)
        #expect(second.new.isEmpty && second.withdraw.isEmpty)
        // One absence was a mistake: back to 9, so Letter 1 (still pending) is withdrawn; a done one is not.
        pupil.mark("/", sessions: 1, from: "2025-11-03")
        let corrected = pupil.run("2025-12-19", recorded: recorded)
        #expect(corrected.withdraw.map(\.action).contains(.letter1))
        let done = recorded.map { RecordedAction(key: $0.key, action: $0.action, status: .done) }
        #expect(pupil.run("2025-12-19", recorded: done).withdraw.isEmpty)
        // Over the line again, a withdrawn action is due again.
        pupil.mark("O", sessions: 1, from: "2025-11-03")
        let withdrawn = recorded.map { RecordedAction(key: $0.key, action: $0.action, status: .withdrawn) }
        #expect(pupil.run("2025-12-19", recorded: withdrawn).new.contains { $0.action == .letter1 })
    }

    @Test func aPupilWhoJoinsMidYearCountsFromJoining() {
        var pupil = Pupil2025(presentFrom: "2026-01-05")
        pupil.mark("I", sessions: 9, from: "2026-01-05")
        #expect(!actions(pupil.run("2026-03-27")).contains(.letter1))
        pupil.mark("I", sessions: 10, from: "2026-01-05")
        #expect(actions(pupil.run("2026-03-27")).contains(.letter1))
    }

    @Test func persistentAbsenceAndLegalReviewFollowTheLines() {
        var pupil = Pupil2025(presentFrom: "2025-11-03", to: "2025-11-28")  // 20 days, 40 sessions
        pupil.mark("O", sessions: 4, from: "2025-11-03")
        #expect(actions(pupil.run("2025-11-28")).contains(.persistentAbsence))  // 4 of 40 = 10%
        pupil.mark("/", sessions: 1, from: "2025-11-03")
        #expect(!actions(pupil.run("2025-11-28")).contains(.persistentAbsence))
        var truant = Pupil2025()
        truant.mark("O", sessions: 20, from: "2025-11-03")
        #expect(actions(truant.run("2025-12-19")).contains(.fpnEligible))
        #expect(!actions(truant.run("2025-12-19")).contains(.legalActionReview))  // no ESW referral yet
        let referred = [RecordedAction(key: "esw_referral/2025", action: .eswReferral, status: .done)]
        #expect(actions(truant.run("2025-12-19", recorded: referred)).contains(.legalActionReview))
        truant.mark("O", sessions: 30, from: "2025-11-03")
        #expect(actions(truant.run("2025-12-19")).isSuperset(of: [.eswReferral, .legalActionReview]))
    }

    /// The rules are listed once, and every action belongs to exactly one of them.
    @Test func everyActionBelongsToExactlyOneRule() {
        let claimed = ProcedureEngine.rules.flatMap(\.actions)
        #expect(claimed.count == Set(claimed).count, "an action is claimed by two rules")
        #expect(Set(claimed) == Set(ProcedureAction.allCases))
        #expect(Policy.wrexham2025.thresholds.allSatisfy { ThresholdRule.actions.contains($0.action) })
    }

    /// The format has a version: a version 1 file (no `version`) written before a field existed still loads, with
    /// the field's default; a version 2 file must give it (and gets the penalty notice's defaults, added in version
    /// 3); a version 3 file must give those; a version from the future is refused.
    @Test func anOlderPolicyFileLoadsWithDefaultsForLaterFields() throws {
        // Version 4 added the casework's numbers: a version 3 file gets DOMAIN.md's defaults, with its own wait
        // after the warning for every criterion but term-time holiday (0); a version 4 file must give them.
        // Version 5 added the data check's number: a version 4 file without it gets the default (5 school days).
        let four = Policy.wrexham2025JSON.replacingOccurrences(of: #""version": 5"#, with: #""version": 4"#)
        let withoutNoMarks = four.replacingOccurrences(of: ",\n    \"no_marks_school_days\": 5", with: "")
        #expect(!withoutNoMarks.contains("no_marks") && withoutNoMarks != four)
        #expect(try Policy(json: Data(withoutNoMarks.utf8)).casework.noMarksSchoolDays == 5)
        let five = withoutNoMarks.replacingOccurrences(of: #""version": 4"#, with: #""version": 5"#)
        #expect(throws: Policy.Invalid.self) { try Policy(json: Data(five.utf8)) }
        let casework = try #require(four.range(of: #",\n  "casework": \{[\s\S]*?\n  \}"#, options: .regularExpression))
        let withoutCasework = four.replacingCharacters(in: casework, with: "")
        #expect(throws: Policy.Invalid.self) { try Policy(json: Data(withoutCasework.utf8)) }
        let three = withoutCasework.replacingOccurrences(of: #""version": 4"#, with: #""version": 3"#)
            .replacingOccurrences(
                of: #""wait_after_warning_school_days": 10"#, with: #""wait_after_warning_school_days": 7"#)
        let loadedThree = try Policy(json: Data(three.utf8))
        #expect(loadedThree.casework == .defaults(penaltyWait: 7))
        #expect(loadedThree.casework.penaltyWait(.unagreedHoliday) == 0)
        #expect(loadedThree.casework.penaltyWait(.policeContact) == 7)
        #expect(Policy.wrexham2025.casework == .defaults(penaltyWait: 10))
        let current = withoutCasework.replacingOccurrences(of: #""version": 4"#, with: #""version": 3"#)
        let penalty = try #require(current.range(of: #",\n  "penalty_notice": \{[^}]*\}"#, options: .regularExpression))
        let withoutPenalty = current.replacingCharacters(in: penalty, with: "")
        let two = withoutPenalty.replacingOccurrences(of: #""version": 3"#, with: #""version": 2"#)
        #expect(try Policy(json: Data(two.utf8)).penaltyNotice == .walesDefault)
        #expect(throws: Policy.Invalid.self) { try Policy(json: Data(withoutPenalty.utf8)) }
        let older = withoutPenalty.replacingOccurrences(of: #""version": 3,"#, with: "")
            .replacingOccurrences(of: #","pre_holiday_notice_school_days": 15"#, with: "")
            .replacingOccurrences(of: ",\n  \"pre_holiday_notice_school_days\": 15", with: "")
        #expect(!older.contains("pre_holiday_notice") && !older.contains("version"))
        let loaded = try Policy(json: Data(older.utf8))
        #expect(loaded.version == 1 && loaded.preHolidayNoticeSchoolDays == 15)
        #expect(loaded.thresholds == Policy.wrexham2025.thresholds)
        let missing = two.replacingOccurrences(of: ",\n  \"pre_holiday_notice_school_days\": 15", with: "")
        #expect(throws: Policy.Invalid.self) { try Policy(json: Data(missing.utf8)) }
        let future = current.replacingOccurrences(of: #""version": 3"#, with: #""version": 9"#)
        #expect(throws: Policy.Invalid.self) { try Policy(json: Data(future.utf8)) }
    }

    @Test func aBadPolicyFileIsRefusedNamingTheField() throws {
        let good = Policy.wrexham2025JSON
        #expect(try Policy(json: Data(good.utf8)) == .wrexham2025)
        #expect(Policy.wrexham2025.summaryRules == .wrexham2025)
        let cases = [
            (good.replacingOccurrences(of: #""sessions": 16"#, with: #""sessions": 0"#), "thresholds[1].sessions"),
            (
                good.replacingOccurrences(of: #""green_from_tenths": 970"#, with: #""green_from_tenths": 900"#),
                "green_from_tenths"
            ),
            (good.replacingOccurrences(of: #""letter_2""#, with: #""letter_9""#), "thresholds"),
            (good.replacingOccurrences(of: #""no_reason_school_days": 10,"#, with: ""), "no_reason_school_days"),
            // A threshold names a line of sessions missed, once: not an action another rule decides.
            (good.replacingOccurrences(of: #""letter_2""#, with: #""fpn_eligible""#), "thresholds[1].action"),
            (good.replacingOccurrences(of: #""letter_2""#, with: #""letter_1""#), "thresholds[1].action"),
        ]
        for (json, field) in cases {
            do {
                _ = try Policy(json: Data(json.utf8))
                Issue.record("accepted a bad policy (\(field))")
            } catch {
                #expect("\(error)".contains(field), "\(error)")
            }
        }
    }
}

@Suite struct PatternTests {
    @Test func mondaysAndLatenessAreFlaggedWithTheirSessions() {
        var pupil = Pupil2025()
        for monday in ["2025-11-03", "2025-11-10", "2025-11-17", "2025-11-24"] {
            pupil.mark("O", sessions: 2, from: monday)
        }
        pupil.mark("I", sessions: 2, from: "2025-11-05")
        let flags = Patterns.find(
            marks: pupil.marks, calendar: pupil.calendar, asOf: day("2025-12-19"), codes: wales, policy: .wrexham2025)
        let monday = flags.first { $0.kind == .dayOfWeek }
        #expect(monday?.weekday == .monday && monday?.count == 8)
        #expect(monday?.sessions.allSatisfy { $0.date.weekday == .monday } == true)
        #expect(!flags.contains { $0.kind == .persistentLateness })
        // Spread evenly, no day stands out.
        var spread = Pupil2025()
        for start in ["2025-11-03", "2025-11-04", "2025-11-05", "2025-11-06", "2025-11-07"] {
            spread.mark("O", sessions: 2, from: start)
        }
        #expect(
            !Patterns.find(
                marks: spread.marks, calendar: spread.calendar, asOf: day("2025-12-19"), codes: wales,
                policy: .wrexham2025
            )
            .contains { $0.kind == .dayOfWeek })
        var late = Pupil2025(presentFrom: "2025-11-03", to: "2025-11-28")  // 40 sessions
        for start in ["2025-11-03", "2025-11-05", "2025-11-07", "2025-11-11"] {
            late.mark("L", sessions: 1, from: start)
        }
        #expect(
            !Patterns.find(
                marks: late.marks, calendar: late.calendar, asOf: day("2025-11-28"), codes: wales, policy: .wrexham2025
            )
            .contains { $0.kind == .persistentLateness })
        late.mark("U", sessions: 1, from: "2025-11-13")
        let flag = Patterns.find(
            marks: late.marks, calendar: late.calendar, asOf: day("2025-11-28"), codes: wales, policy: .wrexham2025
        )
        .first { $0.kind == .persistentLateness }
        #expect(flag?.count == 5)
    }
}
