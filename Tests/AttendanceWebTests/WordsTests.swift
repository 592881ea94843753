import AttendanceCore
import Foundation
import Testing

@testable import AttendanceStore
@testable import AttendanceWeb

/// Words, not keys: every action, why it is due, every status and every note the program writes reaches a reader
/// in their language, never as stored text or a catalogue key, and a Welsh page carries no English-only word.
extension PageModelTests {
    /// One of each kind of basis the core knows, every criterion name among them: a new one is covered here
    /// once `ActionBasis.examples` has it, which its switch makes part of adding the case.
    static let bases = ActionBasis.examples

    static let notes: [ActionNote] = [
        .written("Iawn"), .call(outcome: "spoke", note: "Iawn"), .call(outcome: "message", note: ""),
        .call(outcome: "noAnswer", note: "Iawn"), .meeting(on: LocalDate(iso: "2025-11-28")!, note: "Iawn"),
        .notNow("Iawn"), .letterProduced(batch: nil), .letterProduced(batch: "2025-11-24-1"), .overtaken(by: .letter3),
        .dueAgain, .noLongerDue(on: LocalDate(iso: "2025-11-24")!, because: nil),
        .noLongerDue(
            on: LocalDate(iso: "2025-11-24")!,
            because: .init(
                session: SchoolSession(LocalDate(iso: "2025-11-20")!, .am), from: "N", to: "I",
                by: "swyddfa@ysgol.cymru", reason: "Iawn")), .yearEnded,
    ]

    /// Everything a reader could be shown about the procedure: the queue with every action and why, and a
    /// timeline with every status and note.
    func everyActionInWords(_ language: Language) async throws -> String {
        var queue: [QueuedAction] = []
        var timeline: [QueuedAction] = []
        for (index, action) in ProcedureAction.allCases.enumerated() {
            let basis = Self.bases[index % Self.bases.count]
            queue.append(
                QueuedAction(
                    id: ActionID(index), pupil: Self.ann, action: action, basis: basis.stored, count: 9,
                    sessions: ["2025-11-20 AM", "2025-11-21 PM"], dueOn: LocalDate(iso: "2025-11-24")!,
                    status: .pending, statusChangedBy: nil, statusChangedAt: nil, statusNote: nil))
        }
        for (index, note) in Self.notes.enumerated() {
            for status in RecordedAction.Status.allCases {
                timeline.append(
                    QueuedAction(
                        id: ActionID(index), pupil: Self.ann, action: ProcedureAction.allCases[index],
                        basis: Self.bases[index % Self.bases.count].stored,
                        count: 9, sessions: [], dueOn: LocalDate(iso: "2025-11-24")!, status: status,
                        statusChangedBy: "swyddfa@ysgol.cymru",
                        statusChangedAt: Date(timeIntervalSince1970: 1_764_000_000),
                        statusNote: note.stored))
            }
        }
        let text = { (key: String, values: [String: String]) in strings(key, language, values) }
        let page = ActionsPage.make(
            school: "Ysgol Test", laestab: mainSchool, all: queue, shown: queue, admitted: queue.count, bands: [:],
            filters: .init(),
            evidence: [:], powers: .init(canRun: true, canDismiss: true, canDecidePenalty: true), policy: .wrexham2025,
            lastRun: nil, notice: nil, error: nil, text: text)
        let staff = PupilPage.Staff.make(
            corrections: [], actions: timeline, policy: .wrexham2025, codes: .wales2010, language: language, names: [:],
            text: text)
        let contacts = PupilPage.Contacts.make(
            ["Mother", "Father", "Grandmother", "Carer"].map {
                Contact(name: "Ann Jones", relationship: $0, parentalResponsibility: true, priority: 1, language: .both)
            }, text: text)
        // What a reader sees of the page: its text, not its tags and attributes.
        let visible = try await render(page, in: language).replacingOccurrences(
            of: "<[^>]+>", with: " ", options: .regularExpression)
        return visible + staff.timeline.joined(separator: "\n")
            + contacts.contacts.map { "\($0.relationship) \($0.language)" }.joined(separator: "\n")
    }

    /// Words the English catalogue uses and the Welsh one never does: on a Welsh page they are English.
    var englishOnlyWords: Set<String> { Self.englishOnlyWords(strings) }

    static func englishOnlyWords(_ strings: Strings) -> Set<String> {
        func words(_ language: Language) -> Set<String> {
            Set(
                strings.keys(language).flatMap { key in
                    strings(key, language).lowercased().split(whereSeparator: { !$0.isLetter }).map(String.init)
                })
        }
        return words(.en).subtracting(words(.cy)).filter { $0.count >= 3 }
    }

    /// A criterion a rule names is said in words in both languages, never as its stored name.
    @Test(arguments: Language.allCases)
    func everyCriterionHasItsWords(language: Language) {
        for name in ActionBasis.criterionNames {
            #expect(strings.keys(language).contains("criterion.\(name)"), "\(language): criterion.\(name)")
        }
        #expect(ActionBasis.criterionNames.count == Set(ActionBasis.criterionNames).count)
    }

    @Test(arguments: Language.allCases)
    func noKeyAndNoStoredTextReachesAReader(language: Language) async throws {
        let said = try await everyActionInWords(language)
        // Stored forms and keys: snake_case words, catalogue keys, placeholders, the stored notes' own words.
        for pattern in [
            #"\b[a-z]+_[a-z_]+\b"#, #"\b(action|note|basis|criterion|status|relationship|actions)\.[a-zA-Z]"#,
            #"\{[a-z]+\}"#,
        ] {
            let found = said.range(of: pattern, options: .regularExpression).map { String(said[$0]) }
            #expect(found == nil, "\(language): \(found ?? "")")
        }
        for stored in ["call: ", "overtaken by", "no longer due on", "missed 14 of", "letter produced"] {
            #expect(!said.contains(stored), "\(language): \(stored)")
        }
        if language == .cy {
            let english = englishOnlyWords
            let seen = Set(said.lowercased().split(whereSeparator: { !$0.isLetter }).map(String.init))
            // Proper nouns and data the fixture gives (the pupil's and school's names, an address).
            let allowed: Set<String> = ["ann", "jones", "ysgol", "test", "swyddfa", "cymru", "iawn"]
            #expect(seen.intersection(english).subtracting(allowed).sorted() == [])
        }
    }
}
