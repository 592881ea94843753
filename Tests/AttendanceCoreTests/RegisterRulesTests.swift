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
        ("N", "O", false, false, false),  // office: unauthorised to unauthorised
        (nil, "V", false, true, true),  // a tutor uses the register's own codes
        (nil, "V", false, false, false),
        ("H", "H", false, true, false),  // unchanged is always fine
    ])
    func whoMayChangeWhat(from: String?, to: String, canAuthorise: Bool, registerOnly: Bool, refused: Bool) {
        let table = CodeTable.wales2010
        let outcome = Result {
            try RegisterRules.check(
                from: from.flatMap { table[$0] }, to: table[to]!, canAuthorise: canAuthorise,
                registerCodesOnly: registerOnly)
        }
        #expect((try? outcome.get()) == nil ? refused : !refused, "\(from ?? "-") → \(to)")
    }

    @Test func plannedMarksAreTheOnesATutorDoesNotChoose() {
        let planned = CodeTable.wales2010.codes.filter(RegisterRules.isPlanned).map(\.code)
        #expect(planned.contains("H") && planned.contains("G") && planned.contains("E") && planned.contains("M"))
        #expect(!planned.contains("/") && !planned.contains("N") && !planned.contains("L") && !planned.contains("U"))
    }
}
