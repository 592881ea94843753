import Testing

@testable import AttendanceCore

@Suite struct LetterRecipientTests {
    func contact(
        _ name: String, _ priority: Int, pr: Bool = true, address: String?, _ language: LanguagePreference
    ) -> Contact {
        Contact(
            name: name, relationship: "parent", parentalResponsibility: pr, priority: priority, address: address,
            language: language)
    }

    @Test func separatedParentsEachGetTheirOwnLetterInTheirLanguage() {
        let recipients = LetterRecipient.parents(of: [
            contact("Dad", 2, address: "2 Ffordd y Parc, Wrecsam", .en),
            contact("Mam", 1, address: "1 Stryd y Capel, Wrecsam", .cy),
        ])
        #expect(recipients.map(\.names) == [["Mam"], ["Dad"]])
        #expect(recipients.map(\.languages) == [[.cy], [.en]])
    }

    @Test func parentsAtOneAddressShareALetterAndMixedPreferencesGetBothWelshFirst() {
        let recipients = LetterRecipient.parents(of: [
            contact("Mam", 1, address: "1 Stryd y Capel, Wrecsam", .cy),
            contact("Dad", 2, address: "1 stryd y capel  WRECSAM", .en),
            contact("Nain", 3, pr: false, address: "9 Lôn Fach", .cy),
        ])
        #expect(recipients.count == 1)
        #expect(recipients[0].names == ["Mam", "Dad"])
        #expect(recipients[0].languages == [.cy, .en])
    }

    @Test func anUnknownPreferenceMeansBothLanguagesWelshFirst() {
        let recipients = LetterRecipient.parents(of: [contact("Carer", 1, address: "3 High St", .both)])
        #expect(recipients[0].languages == [.cy, .en])
    }

    @Test func withNoParentalResponsibilityTheFirstContactIsWrittenTo() {
        let recipients = LetterRecipient.parents(of: [
            contact("Aunt", 2, pr: false, address: "5 Lon", .en), contact("Gran", 1, pr: false, address: nil, .cy),
        ])
        #expect(recipients.map(\.names) == [["Gran"]])
        #expect(LetterRecipient.parents(of: []).isEmpty)
    }

    @Test func contactsWithoutAnAddressAreNeverMergedTogether() {
        let recipients = LetterRecipient.parents(of: [
            contact("A", 1, address: nil, .en), contact("B", 2, address: nil, .en),
        ])
        #expect(recipients.count == 2)
    }

    @Test func templatesMayNameOnlyDocumentedPlaceholders() {
        #expect(LetterPlaceholder.unknownNames(in: "Dear {{recipient_names}}, {{pupil_name}} {{percent}}").isEmpty)
        #expect(LetterPlaceholder.unknownNames(in: "{{#holiday_agreed}}yes{{/holiday_agreed}}{{! a note }}").isEmpty)
        #expect(
            LetterPlaceholder.unknownNames(in: "{{pupil_nmae}} and {{{ raw }}} {{> partial}}") == [
                "pupil_nmae", "raw", "> partial",
            ])
        #expect(LetterPlaceholder.unknownNames(in: "unclosed {{pupil_name") == ["{{"])
    }

    @Test func eachProcedureLetterHasAKind() {
        #expect(LetterKind(action: .letter1) == .letter1)
        #expect(LetterKind(action: .attendanceMeeting) == .meetingInvitation)
        #expect(LetterKind(action: .fpnEligible) == .fpnWarning)
        #expect(LetterKind(action: .phoneCall) == nil)
        #expect(LocalDate(iso: "2026-11-25")!.letterText(.cy) == "25 Tachwedd 2026")
        #expect(LocalDate(iso: "2026-03-01")!.letterText(.en) == "1 March 2026")
    }
}
