import AttendanceCore
import AttendanceStore
import Foundation

/// A request's evidence pack as a printable document in one language: made once when the head sends the request
/// (and kept, with its PDF, exactly as sent), from the pack's data alone.
struct PenaltyPackPage: PageModel {
    static let template = "penalty-pack"

    struct Fact: Sendable {
        let label: String
        let value: String
    }

    struct Day: Sendable {
        let date: String
        let am: String
        let amCounted: Bool
        let pm: String
        let pmCounted: Bool
    }

    struct Line: Sendable {
        let cells: [String]
    }

    struct Table: Sendable {
        let title: String
        let columns: [String]
        let rows: [Line]
        let empty: String
        let hasRows: Bool

        init(title: String, columns: [String], rows: [Line], empty: String) {
            self.title = title
            self.columns = columns
            self.rows = rows
            self.empty = empty
            hasRows = !rows.isEmpty
        }
    }

    let lang: String
    let title: String
    let made: String
    let facts: [Fact]
    let figures: [Fact]
    let days: [Day]
    let tables: [Table]
    let notes: [Fact]

    static func make(
        _ pack: PenaltyPack, policy: Policy, language: Language, names: [String: String],
        text: @escaping PupilPage.Text
    ) -> PenaltyPackPage {
        let plain = { (key: String) in text(key, [:]) }
        let yes = { (flag: Bool) in plain(flag ? "common.yes" : "common.no") }
        let term = DateText.day(stored: pack.termStart, text) + " – " + DateText.day(stored: pack.termEnd, text)
        let facts: [Fact] = [
            Fact(label: plain("pack.pupil"), value: "\(pack.pupil.name) (\(pack.pupil.legalName))"),
            Fact(label: plain("pack.upn"), value: pack.pupil.upn),
            Fact(label: plain("pack.dateOfBirth"), value: DateText.day(stored: pack.pupil.dateOfBirth, text)),
            Fact(
                label: plain("pack.group"),
                value: text(
                    "pack.groupValue", ["year": pack.pupil.yearGroup, "group": pack.pupil.registrationGroup])),
            Fact(label: plain("penalty.fact.school"), value: "\(pack.schoolName) (\(pack.schoolLAESTAB))"),
            Fact(
                label: plain("pack.term"),
                value: text("pack.termValue", ["term": term, "through": DateText.day(stored: pack.through, text)])),
            Fact(
                label: plain("pack.criteria"),
                value: pack.criteria.map { criterion in
                    plain("criterion.\(criterion)") + (pack.counts[criterion].map { " (\($0))" } ?? "")
                }.joined(separator: "; ")),
            Fact(label: plain("pack.aln"), value: yes(pack.pupil.additionalLearningNeeds)),
            Fact(label: plain("pack.fsm"), value: yes(pack.pupil.freeSchoolMeals)),
            Fact(label: plain("pack.lac"), value: yes(pack.pupil.lookedAfter)),
        ]
        let f = pack.figures
        let figures = [
            ("column.possible", String(f.possible)), ("column.attended", String(f.attended)),
            ("column.authorised", String(f.authorised)), ("column.unauthorised", String(f.unauthorised)),
            ("pack.figure.lateBeforeClose", String(f.lateBeforeClose)),
            ("pack.figure.lateAfterClose", String(f.lateAfterClose)), ("column.attendance", f.percent),
        ].map { Fact(label: plain($0.0), value: $0.1) }
        return PenaltyPackPage(
            lang: language.rawValue,
            title: text("pack.title", ["name": pack.pupil.name, "term": term]),
            made: text(
                "pack.made",
                [
                    "by": RecordWords.actor(pack.madeBy, names: names, text: text),
                    "at": DateText.moment(stored: pack.madeAt, text),
                ]), facts: facts, figures: figures, days: days(pack.sessions),
            tables: [
                changes(pack.changes, names: names, text: text),
                timeline(pack.steps, policy: policy, names: names, text: text),
                parents(pack.parents, text: text), siblings(pack.siblings, text: text),
            ],
            notes: [
                Fact(label: plain("penalty.form.engagement"), value: pack.engagement),
                Fact(label: plain("penalty.form.equality"), value: pack.equality),
            ])
    }

    /// The extract a day to a line, as the printed register shows a pupil: each session's code, with minutes late.
    static func days(_ sessions: [PenaltyPack.Session]) -> [Day] {
        var days: [Day] = []
        for date in sessions.map(\.date).reduce(into: [String](), { if $0.last != $1 { $0.append($1) } }) {
            let am = sessions.first { $0.date == date && $0.half == SessionHalf.am.rawValue }
            let pm = sessions.first { $0.date == date && $0.half == SessionHalf.pm.rawValue }
            func shown(_ session: PenaltyPack.Session?) -> String {
                guard let session else { return "" }
                return session.code + (session.minutesLate.map { " (\($0)′)" } ?? "")
            }
            days.append(
                Day(
                    date: date, am: shown(am), amCounted: am?.counted == true, pm: shown(pm),
                    pmCounted: pm?.counted == true))
        }
        return days
    }

    static func changes(_ changes: [PenaltyPack.Change], names: [String: String], text: @escaping PupilPage.Text)
        -> Table
    {
        let plain = { (key: String) in text(key, [:]) }
        return Table(
            title: plain("pack.changesTitle"),
            columns: ["pack.session", "pack.from", "pack.to", "pack.by", "pack.at", "pack.reason"].map(plain),
            rows: changes.map { change in
                Line(cells: [
                    DateText.day(stored: change.date, text) + ", " + plain("session.\(change.half)"),
                    change.from ?? "–", change.to, RecordWords.actor(change.by, names: names, text: text),
                    DateText.moment(stored: change.at, text),
                    RecordWords.reason(change.reason, text: text),
                ])
            }, empty: plain("pack.noChanges"))
    }

    static func timeline(
        _ steps: [PenaltyPack.Step], policy: Policy, names: [String: String], text: @escaping PupilPage.Text
    ) -> Table {
        let plain = { (key: String) in text(key, [:]) }
        return Table(
            title: plain("pack.timelineTitle"),
            columns: ["pack.date", "pack.what", "pack.outcome", "pack.by", "pack.note"].map(plain),
            rows: steps.map { step in
                let what: String
                var outcome = step.outcome ?? ""
                var note = step.note ?? ""
                switch step.kind {
                case .letter:
                    what = Catalogue.known("letters.kind.\(step.what)", text) ?? step.what
                    outcome = Catalogue.known("channel.\(outcome)", text) ?? outcome
                case .contact:
                    what = Catalogue.known("contact.method.\(step.what)", text) ?? step.what
                    outcome = Catalogue.known("contact.outcome.\(outcome)", text) ?? outcome
                case .action:
                    what =
                        ProcedureAction(rawValue: step.what).map { text($0.labelKey, $0.wordValues(policy)) }
                        ?? step.what
                    outcome = Catalogue.known("status.\(outcome)", text) ?? outcome
                    note = step.note.map { ActionWords.note($0, names: names, text: text) } ?? ""
                }
                return Line(cells: [
                    DateText.day(stored: step.on, text), what, outcome,
                    step.by.map { RecordWords.actor($0, names: names, text: text) } ?? "", note,
                ])
            }, empty: plain("pack.noTimeline"))
    }

    static func parents(_ parents: [PenaltyPack.Parent], text: @escaping PupilPage.Text) -> Table {
        let plain = { (key: String) in text(key, [:]) }
        return Table(
            title: plain("pack.parentsTitle"),
            columns: ["pack.name", "pack.relationship", "pack.language", "pack.livesWith", "pack.notices"].map(plain),
            rows: parents.map { parent in
                Line(cells: [
                    parent.name, ContactWords.relationship(parent.relationship, text: text),
                    LanguagePreference(rawValue: parent.language).map { ContactWords.language($0, text: text) }
                        ?? parent.language,
                    plain(parent.livesWithPupil.map { $0 ? "common.yes" : "common.no" } ?? "pack.notRecorded"),
                    String(parent.noticesInLastYear),
                ])
            }, empty: plain("pack.noParents"))
    }

    static func siblings(_ siblings: [PenaltyPack.Sibling], text: @escaping PupilPage.Text) -> Table {
        let plain = { (key: String) in text(key, [:]) }
        return Table(
            title: plain("pack.siblingsTitle"), columns: ["pack.name", "pack.upn", "pack.school"].map(plain),
            rows: siblings.map { Line(cells: [$0.name, $0.upn, $0.school]) }, empty: plain("pack.noSiblings"))
    }
}
