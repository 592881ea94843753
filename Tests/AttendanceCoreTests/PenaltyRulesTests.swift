import AttendanceCore
import Testing

/// The penalty notice process's rules at their edges: each step from each standing, the wait after the warning,
/// the limits on approval, the day of receipt, and what is due on days 28, 29, 42 and 43.
@Suite struct PenaltyRulesTests {
    @Test func eachStepFollowsOnlyWhereThePolicyPutsIt() throws {
        let path: [(PenaltyStep, PenaltyStatus)] = [
            (.warn, .warned), (.request, .requested), (.approve, .approved), (.issue, .issued),
        ]
        var status = PenaltyStatus.eligible
        for (step, next) in path {
            status = try PenaltyRules.apply(step, to: status)
            #expect(status == next)
        }
        #expect(try PenaltyRules.apply(.decline, to: .requested) == .declined)
        for from in [PenaltyStatus.eligible, .warned, .requested, .approved] {
            #expect(try PenaltyRules.apply(.withdraw, to: from) == .withdrawn)
        }
        // Everything else is refused, naming where the case stands.
        for from in PenaltyStatus.allCases {
            for step in PenaltyStep.allCases where !PenaltyRules.allowed(from: from).contains(step) {
                #expect(throws: PenaltyRules.Problem.notNow(from, step)) { try PenaltyRules.apply(step, to: from) }
            }
        }
        // Only the Education Lead's two answers follow a request; nothing follows a decline, an issue or a withdrawal.
        #expect(PenaltyRules.allowed(from: .requested) == [.approve, .decline, .withdraw])
        #expect(PenaltyRules.allowed(from: .declined).isEmpty && PenaltyRules.allowed(from: .issued).isEmpty)
    }

    @Test func theHeadWaitsAfterTheWarningForContinuedAbsence() throws {
        let ten = { (_: PenaltyCriterion) in 10 }
        #expect(throws: PenaltyRules.Problem.tooSoonAfterWarning(schoolDaysWaited: 9, needed: 10)) {
            try PenaltyRules.checkRequest(
                criteria: [.unauthorised], wait: ten, schoolDaysSinceWarning: 9, sessionsSinceWarning: 4)
        }
        try PenaltyRules.checkRequest(
            criteria: [.unauthorised], wait: ten, schoolDaysSinceWarning: 10, sessionsSinceWarning: 1)
        #expect(throws: PenaltyRules.Problem.noAbsenceSinceWarning) {
            try PenaltyRules.checkRequest(
                criteria: [.unauthorised], wait: ten, schoolDaysSinceWarning: 30, sessionsSinceWarning: 0)
        }
    }

    /// DOMAIN.md §7: "0 for term-time holiday, whose absence has already happened". A case that met the holiday
    /// criterion may be requested the day of the warning, with no further absence; one that met only another
    /// criterion waits, and the standing says how long and for what.
    @Test func aHolidayCaseWaitsForNothingMore() throws {
        let casework = Policy.wrexham2025.casework
        #expect(casework.penaltyWait(.unagreedHoliday) == 0 && casework.penaltyWait(.unauthorised) == 10)
        let holiday = PenaltyRules.requestStanding(
            criteria: [.unauthorised, .unagreedHoliday], wait: casework.penaltyWait, schoolDaysSinceWarning: 0,
            sessionsSinceWarning: 0)
        #expect(holiday.isReady)
        let unauthorised = PenaltyRules.requestStanding(
            criteria: [.unauthorised], wait: casework.penaltyWait, schoolDaysSinceWarning: 3, sessionsSinceWarning: 0)
        #expect(!unauthorised.isReady && unauthorised.schoolDaysLeft == 7 && unauthorised.needsFurtherAbsence)
        let waited = PenaltyRules.requestStanding(
            criteria: [.lateAfterClose], wait: casework.penaltyWait, schoolDaysSinceWarning: 12, sessionsSinceWarning: 0
        )
        #expect(!waited.isReady && waited.schoolDaysLeft == 0 && waited.needsFurtherAbsence)
    }

    @Test func theLeadCannotApproveOverTheParentLimitOrBesideAProsecution() throws {
        try PenaltyRules.checkApproval(
            noticesInLastYear: ["Ann Jones": 1, "Huw Jones": 0], limit: 2, prosecutionBegun: false)
        #expect(throws: PenaltyRules.Problem.overParentLimit(parent: "Ann Jones")) {
            try PenaltyRules.checkApproval(
                noticesInLastYear: ["Ann Jones": 2, "Huw Jones": 0], limit: 2, prosecutionBegun: false)
        }
        #expect(throws: PenaltyRules.Problem.prosecutionBegun) {
            try PenaltyRules.checkApproval(noticesInLastYear: [:], limit: 2, prosecutionBegun: true)
        }
    }

    @Test func aNoticeIsReceivedOnTheDayHandedOrTwoWorkingDaysAfterPosting() {
        let thursday = LocalDate(iso: "2026-01-08")!
        #expect(PenaltyRules.deemedReceipt(issuedOn: thursday, method: .hand, postWorkingDays: 2) == thursday)
        #expect(
            PenaltyRules.deemedReceipt(issuedOn: thursday, method: .post, postWorkingDays: 2)
                == LocalDate(iso: "2026-01-12")!)  // Friday, then Monday
        #expect(
            PenaltyRules.deemedReceipt(issuedOn: LocalDate(iso: "2026-01-05")!, method: .post, postWorkingDays: 2)
                == LocalDate(iso: "2026-01-07")!)
    }

    @Test func sixtyToDay28ThenAHundredAndTwentyToDay42ThenUnpaid() throws {
        let received = LocalDate(iso: "2026-01-05")!
        let terms = Policy.wrexham2025.penaltyNotice.terms(receivedOn: received)
        let day = { (n: Int) in received.adding(days: n) }
        #expect(terms.amountDue(on: day(0)) == 6000 && terms.amountDue(on: day(28)) == 6000)
        #expect(terms.dueDate(on: day(28)) == LocalDate(iso: "2026-02-02")!)
        #expect(terms.amountDue(on: day(29)) == 12000 && terms.amountDue(on: day(42)) == 12000)
        #expect(terms.dueDate(on: day(29)) == LocalDate(iso: "2026-02-16")!)
        #expect(terms.amountDue(on: day(43)) == nil && terms.dueDate(on: day(43)) == nil)
        #expect(!terms.hasLapsed(on: day(42)) && terms.hasLapsed(on: day(43)))
        try terms.checkPayment(pence: 6000, on: day(28))
        #expect(throws: PenaltyRules.Problem.wrongAmount(due: 12000)) {
            try terms.checkPayment(pence: 6000, on: day(29))
        }
        try terms.checkPayment(pence: 12000, on: day(42))
        #expect(throws: PenaltyRules.Problem.lapsed) { try terms.checkPayment(pence: 12000, on: day(43)) }
    }

    @Test func afterADeclineOnlyNewSessionsCount() {
        let term = LocalDate(iso: "2026-01-05")!
        #expect(PenaltyRules.countsFrom(termStart: term, declinedOn: []) == term)
        #expect(
            PenaltyRules.countsFrom(
                termStart: term, declinedOn: [LocalDate(iso: "2025-12-01")!, LocalDate(iso: "2026-02-10")!])
                == LocalDate(iso: "2026-02-11")!)
    }
}
