import AttendanceCore
import Foundation
import Testing

@testable import AttendanceWeb

@Suite struct StringsTests {
    let strings = try! Strings(directory: WebServer.resources.appendingPathComponent("strings"))

    @Test func bothLanguagesHaveEveryKeyAndNoneIsEmpty() {
        #expect(strings.keys(.cy) == strings.keys(.en))
        for language in Language.allCases {
            for key in strings.keys(language) {
                #expect(!strings(key, language).trimmingCharacters(in: .whitespaces).isEmpty, "\(language) \(key)")
            }
        }
    }

    @Test func everyKeyTheCodeNamesExists() throws {
        // Literal keys in the web sources, plus the ones built from data (phases and bands).
        let sources = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
            .appendingPathComponent("../../Sources/AttendanceWeb").standardized
        var used = Set<String>()
        let pattern = try Regex(#"(?:strings|text)\("([a-zA-Z.]+)""#)
        let files = FileManager.default.enumerator(atPath: sources.path)!.compactMap { $0 as? String }
        for file in files where file.hasSuffix(".swift") {
            let text = try String(contentsOf: sources.appendingPathComponent(file), encoding: .utf8)
            for match in text.matches(of: pattern) { used.insert(String(match.output[1].substring!)) }
        }
        used.formUnion(School.Phase.allCases.map { "phase.\($0.rawValue)" })
        used.formUnion(Band.allCases.map { "band.\($0.rawValue)" })
        used.formUnion(Role.allCases.map { "role.\($0.rawValue)" })
        used.formUnion(SessionHalf.allCases.map { "session.\($0.rawValue)" })
        used.formUnion(LetterDetails.Field.allCases.map(LettersController.label))
        // Keys built from the procedure's enums: every action, status and call outcome has its words.
        used.formUnion(ProcedureAction.allCases.flatMap { [$0.labelKey, $0.explanationKey] })
        used.formUnion(RecordedAction.Status.allCases.map { "status.\($0.rawValue)" })
        used.formUnion(["spoke", "message", "noAnswer"].map { "actions.callOutcome.\($0)" })
        used.formUnion(LetterKind.allCases.map { "letters.kind.\($0.rawValue)" })
        used.formUnion(LetterDetails.Reason.allCases.map { "letterDetail.\($0.rawValue)" })
        #expect(used.count > 100)
        #expect(used.subtracting(strings.keys(.en)).isEmpty, "missing: \(used.subtracting(strings.keys(.en)))")
    }

    /// Every action the store writes to the audit trail has its words: the audit page never shows a raw key such
    /// as `user.absence_delegate_named` (issue 33, point 7).
    @Test func everyAuditActionTheStoreWritesHasItsWords() throws {
        let sources = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
            .appendingPathComponent("../../Sources/AttendanceStore").standardized
        var used = Set<String>()
        // `action: "user.created"`, and `action: delegate ? "user.a" : "user.b"`.
        let pattern = try Regex(#"action: (?:[a-zA-Z.]+ \? )?"([a-z_]+\.[a-z_]+)"(?: : "([a-z_]+\.[a-z_]+)")?"#)
        let files = FileManager.default.enumerator(atPath: sources.path)!.compactMap { $0 as? String }
        for file in files where file.hasSuffix(".swift") {
            let text = try String(contentsOf: sources.appendingPathComponent(file), encoding: .utf8)
            for match in text.matches(of: pattern) {
                used.insert(String(match.output[1].substring!))
                if let other = match.output[2].substring { used.insert(String(other)) }
            }
        }
        #expect(used.count > 30 && used.contains("user.absence_delegate_named"))
        let missing = used.map { "audit.action.\($0)" }.filter { !strings.keys(.en).contains($0) }
        #expect(missing.isEmpty, "missing: \(missing.sorted())")
    }

    /// Welsh that read as word-for-word translations is gone (issue 33, point 15, decided in its note): the late
    /// book is "Cyrraedd yn hwyr", minutes late are counted ("faint o funudau"), a UPN is "Rhif Unigryw'r
    /// Disgybl", and the contact sentence says whose letters it means.
    @Test func theWelshReadsAsWelsh() {
        let welsh = strings.keys(.cy).map { strings($0, .cy) }.joined(separator: "\n")
        for phrase in ["Llyfr hwyr", "llyfr hwyr", "gyda'r munudau'n hwyr", "teipiwch eu UPN", "ac iaith ei llythyrau"]
        {
            #expect(!welsh.contains(phrase), "\(phrase)")
        }
        #expect(strings("pupil.upn", .cy) == "Rhif Unigryw'r Disgybl (UPN)")
        #expect(strings("late.title", .cy) == "Cyrraedd yn hwyr")
        // A day after "ar" takes its soft mutation once the sentence is filled; after "erbyn" it does not.
        #expect(
            strings("cme.line", .cy, ["date": "dydd Llun 7 Rhagfyr 2026", "reason": "x"]).contains("ar ddydd Llun"))
        #expect(WelshGrammar.softenDays("erbyn dydd Iau 17 Rhagfyr") == "erbyn dydd Iau 17 Rhagfyr")
        #expect(WelshGrammar.softenDays("o dydd Llun i dydd Gwener") == "o ddydd Llun i ddydd Gwener")
    }

    /// Every action's label and explanation fill every placeholder they name from the policy, in both languages.
    @Test(arguments: ProcedureAction.allCases)
    func actionWordsNameOnlyWhatThePolicyGives(action: ProcedureAction) {
        for language in Language.allCases {
            for key in [action.labelKey, action.explanationKey] {
                let text = strings(key, language, action.wordValues(.wrexham2025))
                #expect(!text.contains("{"), "\(key) \(language): \(text)")
                #expect(text != key, "\(key) \(language) is missing")
            }
        }
    }

    /// A template's own labels (`{{catalogue.account.title}}`) are keys in both catalogues: the page model no longer
    /// carries them, so nothing else checks them.
    @Test func everyKeyATemplateNamesExists() throws {
        let directory = WebServer.resources.appendingPathComponent("templates")
        let names = try FileManager.default.contentsOfDirectory(atPath: directory.path)
            .filter { $0.hasSuffix(".mustache") }
        let pattern = try NSRegularExpression(pattern: #"\{\{[#^/]?catalogue\.([A-Za-z0-9_.\-]+)\}\}"#)
        var named = 0
        for name in names {
            let template = try String(contentsOf: directory.appendingPathComponent(name), encoding: .utf8)
            for match in pattern.matches(in: template, range: NSRange(template.startIndex..., in: template)) {
                guard let range = Range(match.range(at: 1), in: template) else { continue }
                let key = String(template[range])
                named += 1
                for language in Language.allCases {
                    #expect(strings.has(key, language), "\(name) names \(key), missing in \(language)")
                }
            }
        }
        #expect(named > 0)
    }

    /// A key the templates ask for through `catalogue` reads as the catalogue's text; a part of a key reads as the
    /// rest of the way; anything else is absent (an empty gap the test above prevents).
    @Test func theCatalogueReadsInTheReadersLanguage() {
        let words = TemplateCatalogue(strings: strings, language: .cy)
        let account = words.child(named: "account") as? TemplateCatalogue
        #expect(account?.child(named: "title") as? String == strings("account.title", .cy))
        #expect(words.child(named: "nothing") == nil)
        #expect(account?.child(named: "nothing") == nil)
    }

    @Test func placeholdersAreFilled() {
        #expect(
            strings("home.week", .cy, ["from": "2026-11-23", "to": "2026-11-27"]) == "Wythnos 2026-11-23 i 2026-11-27")
    }
}
