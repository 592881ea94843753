import AttendanceCore
import Foundation
import Testing

@testable import AttendanceLetters

/// Issue 12, point 12: Welsh that agrees with the child, and names joined as Welsh joins them.
@Suite struct LetterWelshTests {
    static func facts(_ sex: Sex, forename: String = "Alys") -> LetterFacts {
        let pupil = Pupil(
            upn: UPN.make(la: 665, estab: 4001, year: 26, serial: 7), legalSurname: "Jones", legalForename: forename,
            dateOfBirth: LocalDate(iso: "2014-03-01")!, sex: sex, yearGroup: "7", registrationGroup: "7W")
        return LetterFacts(
            pupil: pupil,
            school: School(
                laNumber: 665, estabNumber: 4001, name: "Ysgol Prawf", phase: .secondary,
                am: RegisterTimes(start: TimeOfDay(text: "08:50")!, close: TimeOfDay(text: "09:20")!)!,
                pm: RegisterTimes(start: TimeOfDay(text: "13:30")!, close: TimeOfDay(text: "13:45")!)!),
            summary: AttendanceSummary(codes: ["/", "\\", "I", "O"].compactMap { CodeTable.wales2010[$0] }),
            period: DateRange(LocalDate(iso: "2026-09-01")!, LocalDate(iso: "2026-11-25")!)!,
            date: LocalDate(iso: "2026-11-25")!, signatory: "Mair Hughes",
            details: [
                "meeting_date": "2026-12-01", "meeting_time": "09:30", "meeting_place": "Neuadd",
                "holiday_from": "2027-02-01", "holiday_to": "2027-02-05", "holiday_decision": "agreed",
                "holiday_reason": "angladd",
            ])
    }

    /// Welsh text of a letter with the markup taken out.
    static func welsh(_ kind: LetterKind, _ facts: LetterFacts, names: [String] = ["Rhian Jones"]) throws -> String {
        let recipient = LetterRecipient(names: names, address: "1 Stryd y Capel", email: nil, languages: [.cy])
        let html = try LetterTemplates().render(kind, to: recipient, facts: facts)
        return html.replacingOccurrences(of: "<[^>]+>", with: "", options: .regularExpression)
            .replacingOccurrences(of: "&#39;", with: "'")
    }

    @Test(arguments: LetterKind.allCases)
    func everyWelshLetterAgreesWithABoyAndAGirl(kind: LetterKind) throws {
        let boy = try Self.welsh(kind, Self.facts(.male, forename: "Dafydd"))
        let girl = try Self.welsh(kind, Self.facts(.female))
        let unknown = try Self.welsh(kind, Self.facts(.unknown, forename: "Alex"))
        // Her attendance is "ei phresenoldeb", never his; his is never hers.
        #expect(!girl.contains("ei bresenoldeb") && !girl.contains("a'i bresenoldeb"))
        #expect(!boy.contains("ei phresenoldeb") && !boy.contains("a'i phresenoldeb"))
        #expect(!unknown.contains("ei bresenoldeb") && !unknown.contains("ei phresenoldeb"))
        for text in [boy, girl, unknown] {
            #expect(!text.contains("Ysgrifennom"), "\(kind)")
            #expect(!text.contains(" o ysgol"), "\(kind)")
        }
        let source = try LetterTemplates().shippedSource(kind, .cy)
        if source.contains("{{and_attendance}}") {
            #expect(boy.contains("a'i bresenoldeb yw"), "\(kind)")
            #expect(girl.contains("a'i phresenoldeb yw"), "\(kind)")
            #expect(unknown.contains("a phresenoldeb Alex yw"), "\(kind)")
        }
    }

    @Test func theLettersThatGiveTheFigureUseThePhraseThatAgrees() throws {
        let templates = try LetterTemplates()
        for kind in [LetterKind.letter1, .letter2, .letter3, .meetingInvitation, .meetingSecondInvitation] {
            #expect(templates.shippedSource(kind, .cy).contains("{{and_attendance}}"), "\(kind)")
        }
    }

    @Test(arguments: [
        (["Rhian"], "Rhian"), (["Rhian", "Dafydd"], "Rhian a Dafydd"), (["Rhian", "Eleri"], "Rhian ac Eleri"),
        (["Rhian", "Owain", "Ifan"], "Rhian, Owain ac Ifan"), (["Eleri", "Tomos"], "Eleri a Tomos"),
        (["Siân", "Ŵyn"], "Siân ac Ŵyn"),
    ])
    func namesAreJoinedWithAcBeforeAVowel(names: [String], joined: String) throws {
        #expect(WelshGrammar.and(names) == joined)
        #expect(try Self.welsh(.letter1, Self.facts(.female), names: names).contains("Annwyl \(joined),"))
    }
}
