import Testing

@testable import AttendanceCore

@Suite struct RegisterRulesTests {
    let am = RegisterTimes(start: TimeOfDay(text: "08:50")!, close: TimeOfDay(text: "09:20")!)!

    @Test(arguments: [(1, "L"), (30, "L"), (31, "U"), (95, "U"), (0, "L")])
    func lateBeforeCloseIsLAfterCloseIsU(minutes: Int, code: String) {
        #expect(RegisterRules.lateCode(minutesLate: minutes, times: am, codes: .wales2010).code == code)
    }

    @Test func presentIsSlashInTheMorningAndBackslashInTheAfternoon() {
        #expect(RegisterRules.presentCode(for: .am, codes: .wales2010).code == "/")
        #expect(RegisterRules.presentCode(for: .pm, codes: .wales2010).code == "\\")
    }

    @Test(arguments: [
        // from, to, may authorise, register codes only, refused
        (nil as String?, "/", false, true, false),
        (nil, "N", false, true, false),
        (nil, "U", false, true, false),  // the clock's decision, not a choice
        (nil, "I", false, true, true),  // authorised: head only
        ("N", "I", false, false, true),  // the office cannot authorise either
        ("N", "I", true, false, false),  // the head can
        ("I", "O", false, false, true),  // nor undo the head's authorisation
        ("N", "O", false, false, true),  // turning N into O is the head's decision, not the office's
        ("N", "G", false, false, true),
        (nil, "G", false, false, true),
        ("N", "O", true, false, false),  // the head decides
        ("N", "U", false, true, false),  // a late arrival after close: the clock's, not a decision
        (nil, "V", false, true, true),  // a tutor uses the register's own codes
        (nil, "V", false, false, false),
        ("H", "H", false, true, false),  // unchanged is always fine
    ])
    func whoMayChangeWhat(from: String?, to: String, canAuthorise: Bool, registerOnly: Bool, refused: Bool) {
        let table = CodeTable.wales2010
        let outcome = Result {
            try RegisterRules.check(
                from: from.flatMap { table[$0] }, to: table[to]!, canAuthorise: canAuthorise,
                registerCodesOnly: registerOnly, half: .am, begun: true, codes: table)
        }
        #expect((try? outcome.get()) == nil ? refused : !refused, "\(from ?? "-") → \(to)")
    }

    @Test func plannedMarksAreTheOnesATutorDoesNotChoose() {
        let planned = CodeTable.wales2010.codes.filter(RegisterRules.isPlanned).map(\.code)
        #expect(planned.contains("H") && planned.contains("G") && planned.contains("E") && planned.contains("M"))
        #expect(!planned.contains("/") && !planned.contains("N") && !planned.contains("L") && !planned.contains("U"))
    }

    @Test(arguments: [
        // code, half, begun, refusal
        ("/", SessionHalf.am, true, nil as RegisterRules.Refusal?),
        ("\\", .pm, true, nil),
        ("\\", .am, true, .wrongHalf("\\")),
        ("/", .pm, true, .wrongHalf("/")),
        ("/", .am, false, .notYet("/")),
        ("N", .am, false, .notYet("N")),
        ("L", .pm, false, .notYet("L")),
        ("H", .am, false, nil),  // an agreed holiday is entered ahead
        ("E", .pm, false, nil),
    ])
    func aSessionTakesItsOwnPresentCodeAndOnlyPlannedCodesAhead(
        code: String, half: SessionHalf, begun: Bool, refusal: RegisterRules.Refusal?
    ) {
        let table = CodeTable.wales2010
        let outcome = Result { () throws(RegisterRules.Refusal) in
            try RegisterRules.check(
                from: nil, to: table[code]!, canAuthorise: true, registerCodesOnly: false, half: half, begun: begun,
                codes: table)
        }
        switch outcome {
        case .success: #expect(refusal == nil, "\(code) \(half)")
        case .failure(let error): #expect(error == refusal, "\(code) \(half)")
        }
    }

    @Test func aRegisterOpensHalfAnHourBeforeItsSessionAndNeverOnALaterDay() {
        let session = SchoolSession(day("2026-11-25"), .am)
        func at(_ date: String, _ time: String) -> Bool {
            RegisterRules.hasBegun(session, times: am, now: (day(date), TimeOfDay(text: time)!))
        }
        #expect(!at("2026-11-24", "23:59"))
        #expect(!at("2026-11-25", "08:19"))
        #expect(at("2026-11-25", "08:20"))
        #expect(at("2026-11-26", "00:00"))
    }
}

extension RegisterRulesTests {
    /// A register is late when its first mark came after it closed (9:20 here), or on a later day.
    @Test(arguments: [
        ("2025-11-24", 9, 20, false), ("2025-11-24", 9, 21, true), ("2025-11-24", 8, 40, false),
        ("2025-11-25", 8, 0, true), ("2025-11-23", 23, 0, false),
    ])
    func aRegisterIsLateWhenFirstMarkedAfterItClosed(date: String, hour: Int, minute: Int, late: Bool) throws {
        let times = try #require(
            RegisterTimes(start: TimeOfDay(hour: 8, minute: 50)!, close: TimeOfDay(hour: 9, minute: 20)!))
        let session = SchoolSession(LocalDate(iso: "2025-11-24")!, .am)
        let recorded = (LocalDate(iso: date)!, TimeOfDay(hour: hour, minute: minute)!)
        #expect(RegisterRules.takenLate(session, times: times, recorded: recorded) == late)
    }
}

/// The procedure's record reads back into the values it was written from, and old records read the same.
@Suite struct ActionRecordTextTests {
    @Test func basesAndNotesRoundTripThroughTheirStoredText() {
        let bases: [ActionBasis] = [
            .threshold(.absence), .threshold(.unauthorised), .missed(absent: 14, possible: 114), .beforeHolidays(3),
            .noReason, .criteria(["unauthorised", "late_after_close"]), .criteria(["illness"]), .other("Something"),
        ]
        for basis in bases { #expect(ActionBasis(stored: basis.stored) == basis, "\(basis)") }
        let correction = ActionNote.Correction(
            session: SchoolSession(LocalDate(iso: "2025-11-20")!, .am), from: "N", to: "I", by: "office@school",
            reason: "a note (with brackets): and a colon")
        let notes: [ActionNote] = [
            .written("Spoke to mum"), .call(outcome: "spoke", note: "will come in"),
            .call(outcome: "noAnswer", note: ""),
            .meeting(on: LocalDate(iso: "2025-11-28")!, note: "with ESW"), .notNow("first warning given"),
            .letterProduced(batch: nil), .letterProduced(batch: "b-1"), .overtaken(by: .letter3), .dueAgain,
            .noLongerDue(on: LocalDate(iso: "2025-11-24")!, because: nil),
            .noLongerDue(on: LocalDate(iso: "2025-11-24")!, because: correction), .yearEnded,
        ]
        for note in notes { #expect(ActionNote(stored: note.stored) == note, "\(note)") }
        // As earlier versions wrote them.
        #expect(ActionBasis(stored: "missed 14 of 114") == .missed(absent: 14, possible: 114))
        #expect(
            ActionNote(stored: "call: spoke. Mum will call back") == .call(outcome: "spoke", note: "Mum will call back")
        )
        #expect(ActionNote(stored: "overtaken by letter_3, sent in the same batch") == .overtaken(by: .letter3))
    }

    @Test func aRecordedReasonOrGrantReadsBackAsItWasWritten() throws {
        let reasons: [AmendmentReason] = [
            .written("Parent phoned: illness"), .noReasonReceived(schoolDays: 10), .noLongerDueAfterCorrection,
            .imported(from: "today.csv"), .lateBook(arrived: "09:12"), .leaveDecision(request: 7),
            .parentReport(report: 3),
        ]
        for reason in reasons { #expect(AmendmentReason(stored: reason.stored) == reason, "\(reason)") }
        // As earlier versions wrote them, which the legal history keeps.
        let written = AmendmentReason(stored: "no reason received within 10 school days")
        #expect(written == .noReasonReceived(schoolDays: 10))
        #expect(AmendmentReason(stored: "imported from corrections.csv") == .imported(from: "corrections.csv"))
        let school = try #require(LAESTAB(text: "6654001"))
        let grants = [
            RoleGrant(role: .educationLead), RoleGrant(role: .headTeacher, school: school),
            RoleGrant(role: .headOfYear, school: school, yearGroups: ["7", "8"]),
            RoleGrant(role: .formTutor, school: school, registrationGroups: ["7A", "7B"]),
            RoleGrant(role: .parent, school: school, child: try UPN("A123456789012")),
        ]
        for grant in grants { #expect(RoleGrant(recorded: grant.recorded) == grant, "\(grant.recorded)") }
        #expect(grants[2].recorded == "head_of_year at 6654001 (years 7,8)")
        #expect(RoleGrant(recorded: "head_teacher at 6654001 and more") == nil)
        #expect(RoleGrant(recorded: "caretaker") == nil)
    }
}
