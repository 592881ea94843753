import Testing

@testable import AttendanceCore

/// A due action's key is compared as a value (`DueKey`) and written as text only when recorded: the two must
/// agree exactly, or a run would record an action twice or never.
struct DueKeyTests {
    @Test func everyKindOfKeyReadsBackAsTheValueThatWritesIt() throws {
        let day = try #require(LocalDate(iso: "2026-01-05"))
        let later = try #require(LocalDate(iso: "2026-02-10"))
        let cases: [(ProcedureAction, DueKey.Start, String)] = [
            (.letter1, .year(2025), "letter_1/2025"),
            (.firstDayContact, .day(day), "first_day_contact/2026-01-05"),
            (.continuousAbsenceReport, .day(day), "continuous_absence_report/2026-01-05"),
            (.fpnEligible, .term(day, countingFrom: nil), "fpn_eligible/2026-01-05"),
            (.fpnEligible, .term(day, countingFrom: later), "fpn_eligible/2026-01-05+2026-02-10"),
            (.legalActionReview, .term(day, countingFrom: nil), "legal_action_review/2026-01-05"),
            (.nToO, .session(SchoolSession(day, .pm)), "n_to_o/2026-01-05 PM"),
        ]
        for (action, start, text) in cases {
            let value = DueKey(action: action, start: start)
            #expect(value.text == text)
            #expect(DueKey(action: action, text: text) == value, "\(text)")
        }
    }

    @Test func textThisProgramDidNotWriteEqualsOnlyItself() {
        // A key another version wrote differently (no leading zeros, another action's prefix, lower-case half):
        // kept as text, never equal to a key the engine finds.
        for text in ["letter_1/02025", "first_day_contact/2026-1-5", "letter_2/2025", "n_to_o/2026-01-05 pm", "x"] {
            let key = DueKey(action: .letter1, text: text)
            #expect(key.start == .other(text))
            #expect(key.text == text)
        }
        #expect(
            DueKey(action: .nToO, text: "n_to_o/2026-01-05 pm")
                != DueKey(action: .nToO, start: .session(SchoolSession(LocalDate(iso: "2026-01-05")!, .pm))))
    }

    @Test func aDueActionMadeFromSlotsEqualsTheSameMadeFromSessions() throws {
        let year = AcademicYear(startYear: 2025)
        let slots = [2, 3, 10]
        let coded = DueAction(
            action: .letter1, basis: "absence", count: 3, year: year, slots: slots[...], start: .year(2025))
        let listed = DueAction(
            action: .letter1, basis: "absence", count: 3,
            sessions: slots.map { SchoolSession(academicYear: year, slot: $0) }, key: "letter_1/2025")
        #expect(coded == listed)
        #expect(Set([coded, listed]).count == 1)
        #expect(coded.sessions.map(\.description) == ["2025-09-02 AM", "2025-09-02 PM", "2025-09-06 AM"])
    }
}
