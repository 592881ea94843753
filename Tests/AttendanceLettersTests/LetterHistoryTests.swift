import AttendanceCore
import Foundation
import Testing

@testable import AttendanceLetters
@testable import AttendanceStore

/// Issue 12, point 7: a letter says only what the record shows about the past.
@Suite struct LetterHistoryTests {
    static let letter1 = LocalDate(iso: "2026-10-05")!
    static let letter2 = LocalDate(iso: "2026-11-02")!
    static let call = LocalDate(iso: "2026-11-16")!

    /// nothing, Letter 1 only, Letters 1 and 2; each with the call (reaching a parent) recorded or not.
    static let histories: [LetterHistory] = [false, true].flatMap { called in
        [[:], [LetterKind.letter1: letter1], [.letter1: letter1, .letter2: letter2]].map { sent in
            LetterHistory(sent: sent, call: called ? (call, "spoke") : nil)
        }
    }

    static func text(_ kind: LetterKind, _ history: LetterHistory, _ language: Language) throws -> String {
        var facts = LetterWelshTests.facts(.female)
        facts.history = history
        let recipient = LetterRecipient(names: ["Rhian Jones"], address: nil, email: nil, languages: [language])
        return try LetterTemplates().render(kind, to: recipient, facts: facts)
            .replacingOccurrences(of: "<[^>]+>", with: "", options: .regularExpression)
            .replacingOccurrences(of: "&#39;", with: "'")
    }

    @Test(arguments: histories)
    func lettersTwoAndThreeSayOnlyWhatHappened(history: LetterHistory) throws {
        let wrote1 = history.sent[.letter1] != nil, wrote2 = history.sent[.letter2] != nil
        let spoke = history.call != nil
        for language in Language.allCases {
            let two = try Self.text(.letter2, history, language)
            let three = try Self.text(.letter3, history, language)
            let d1 = Self.letter1.letterText(language), d2 = Self.letter2.letterText(language)
            let dc = Self.call.letterText(language)
            // Letter 2 names Letter 1's date exactly when Letter 1 was sent.
            #expect(two.contains(d1) == wrote1, "\(language) letter 2 \(history.sent)")
            let earlier = language == .en ? "We wrote to you" : "Ysgrifenasom atoch"
            #expect(two.contains(earlier) == wrote1, "\(language) letter 2")
            // Letter 3 names each letter sent, and the call only when a parent was reached.
            #expect(three.contains(d1) == wrote1, "\(language) letter 3 \(history.sent)")
            #expect(three.contains(d2) == wrote2, "\(language) letter 3 \(history.sent)")
            #expect(three.contains(dc) == spoke, "\(language) letter 3 call")
            #expect(three.contains(earlier) == (wrote1 || wrote2), "\(language) letter 3")
            let spokeWords = language == .en ? "spoke to you" : "iaradom â chi"
            #expect(three.contains(spokeWords) == spoke, "\(language) letter 3")
            if !wrote1 && !wrote2 && !spoke {
                #expect(three.contains(language == .en ? "We are writing to you" : "Rydym yn ysgrifennu atoch"))
            }
        }
    }

    @Test func theReferralListsWhatWasRecordedAndNothingElse() throws {
        let history = LetterHistory(
            sent: [.letter1: Self.letter1, .meetingInvitation: LocalDate(iso: "2026-11-20")!],
            call: (Self.call, "noAnswer"), meeting: LocalDate(iso: "2026-12-01")!)
        let english = try Self.text(.eswReferral, history, .en)
        #expect(english.contains("Attendance Letter 1 sent on 5 October 2026"))
        #expect(!english.contains("Attendance Letter 2") && !english.contains("Attendance Letter 3"))
        #expect(english.contains("Telephone call on 16 November 2026: no answer"))
        #expect(english.contains("sent on 20 November 2026, for 1 December 2026"))
        let welsh = try Self.text(.eswReferral, history, .cy)
        #expect(welsh.contains("dim ateb") && !welsh.contains("Llythyr Presenoldeb 2"))
    }

    @Test func letterThreeWaitsForTheCallAndTheReferralForTheInvitation() async throws {
        try await withLetters { service, store in
            let stored = try await store.reference.requireSchool(school)
            let schoolID = stored.id
            // A pupil with thirty unauthorised sessions this term: Letters 1–3, the call, the meeting, the referral.
            let pupil = try await store.reference.roll(of: schoolID, in: DateRange(today, today)!)[0].pupil
            let pupilID = try await store.reference.requirePupil(pupil.upn).id
            let calendar = try await store.reference.calendar(for: stored.school)
            let sessions = calendar.sessions(in: DateRange(LocalDate(iso: "2026-11-02")!, today.adding(days: -1))!)
            try await store.registers.writeMarks(
                sessions.prefix(30).map {
                    MarkEntry(pupilID: pupilID, schoolID: schoolID, mark: Mark(upn: pupil.upn, session: $0, code: "O"))
                }, by: AuditActor("head@demo.example"), reason: "unauthorised")
            try await store.procedure.runProcedure(policy: .wrexham2025, asOf: today, dryRun: false)
            let before = try await store.procedure.actions(schoolID: schoolID)
            let calls = Set(before.filter { $0.action == .phoneCall }.map(\.pupil.upn))
            let waitingThree = before.filter { $0.action == .letter3 && calls.contains($0.pupil.upn) }
            let referrals = before.filter { $0.action == .eswReferral }
            try #require(!waitingThree.isEmpty && !referrals.isEmpty)
            let batch = try await service.produceDue(
                school: school, today: today, by: AuditActor("office@demo.example"), signatory: "Swyddfa")
            #expect(batch.waiting == waitingThree.count + referrals.count)
            let after = Set(try await store.procedure.actions(schoolID: schoolID).map(\.id))
            #expect(waitingThree.allSatisfy { after.contains($0.id) })
            #expect(referrals.allSatisfy { after.contains($0.id) })
            let made = try await store.letters.letters(batch: batch.id, school: school)
            #expect(!made.contains { $0.kind == .eswReferral })
            for item in waitingThree { #expect(!made.contains { $0.upn == item.pupil.upn && $0.kind == .letter3 }) }
            // Once the head of year records the call, Letter 3 goes, and says they spoke.
            if let item = waitingThree.first {
                let call = try #require(
                    try await store.procedure.actions(schoolID: schoolID).first {
                        $0.action == .phoneCall && $0.pupil.upn == item.pupil.upn
                    })
                try await store.procedure.closeAction(
                    id: call.id, schoolID: schoolID, as: .done, note: "call: spoke. Mum says he will be in",
                    by: AuditActor("hoy@demo.example"))
                let next = try await service.produceDue(
                    school: school, today: today, by: AuditActor("office@demo.example"), signatory: "Swyddfa"
                )
                let three = try #require(
                    try await store.letters.letters(batch: next.id, school: school).first {
                        $0.upn == item.pupil.upn && $0.kind == .letter3
                    })
                let html = try #require(three.html)
                #expect(html.contains("spoke to you by telephone") || html.contains("a siaradom â chi ar y ffôn"))
            }
        }
    }

    /// Issue 12, point 13: the warning quotes the term's figures and names each criterion met, lateness included.
    @Test func aPenaltyNoticeWarningQuotesTheTermAndNamesLateness() async throws {
        try await withLetters { service, store in
            let stored = try await store.reference.requireSchool(school)
            let pupil = try await store.reference.roll(of: stored.id, in: DateRange(today, today)!)[1].pupil
            let pupilID = try await store.reference.requirePupil(pupil.upn).id
            let calendar = try await store.reference.calendar(for: stored.school)
            let mornings = calendar.schoolDays(in: DateRange(LocalDate(iso: "2026-11-02")!, today.adding(days: -1))!)
                .prefix(12).map { SchoolSession($0, .am) }
            try await store.registers.writeMarks(
                mornings.map {
                    MarkEntry(
                        pupilID: pupilID, schoolID: stored.id,
                        mark: Mark(upn: pupil.upn, session: $0, code: "U", minutesLate: 45))
                }, by: AuditActor("office@demo.example"), reason: "late book")
            let ids = try await service.produce(
                .fpnWarning, for: pupil.upn, school: school, details: [:], today: today,
                by: AuditActor("head@demo.example"), signatory: "Mair Hughes")
            let html = try #require(try await store.letters.letter(id: ids[0])?.html)
            let text = html.replacingOccurrences(of: "<[^>]+>", with: "", options: .regularExpression)
            let term = try #require(calendar.term(containing: today)).range.start
            #expect(text.contains(term.letterText(.en)) || text.contains(term.letterText(.cy)))
            let late = try #require(
                ProcedureEngine(policy: .wrexham2025, codes: store.codes).penaltyTerm(
                    marks: try await store.registers.yearMarks(of: pupil.upn, year: today.academicYear),
                    calendar: calendar,
                    asOf: today))
            #expect(late.met.contains("late_after_close") && late.counts["late_after_close"]! >= 12)
            #expect(
                text.contains("\(late.counts["late_after_close"]!) arrivals after the register had closed")
                    || text.contains("cyrraedd ar ôl i'r gofrestr gau \(late.counts["late_after_close"]!) gwaith"))
        }
    }
}

extension LetterHistoryTests {
    /// Each documented placeholder has a value (so a wording the editor accepts can be filled), and nothing else
    /// is visible to a wording.
    @Test func everyDocumentedPlaceholderHasAValueAndNoOtherNameDoes() throws {
        var facts = LetterWelshTests.facts(.female)
        facts.history = LetterHistory(sent: [.letter1: Self.letter1], call: (Self.call, "spoke"))
        let recipient = LetterRecipient(names: ["Rhian Jones"], address: nil, email: nil, languages: [.en])
        let values = facts.values(.en, recipient: recipient) { $0 }
        for placeholder in LetterPlaceholder.all {
            #expect(values.child(named: placeholder.name) != nil, "\(placeholder.name)")
        }
        #expect(values.child(named: "letter1_sent") as? Bool == true)
        #expect(values.child(named: "letter2_sent") as? Bool == false)
        #expect(values.child(named: "letter1_date") as? String == Self.letter1.letterText(.en))
        #expect(values.child(named: "call_outcome") as? String == "spoke")
        for unknown in ["pupilName", "letter4_sent", "letter1_when", "sent", "details", "_sent"] {
            #expect(values.child(named: unknown) == nil, "\(unknown)")
        }
    }
}
