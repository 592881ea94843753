import AttendanceCore
import AttendanceStore
import Foundation

/// An action's why, what became of it, and its line in a pupil's timeline, in the reader's language: the one
/// place a page turns the procedure's record into words (never the stored text or a catalogue key).
enum ActionWords {
    typealias Text = (String, [String: String]) -> String

    /// Why the procedure called for it: "14 sessions of unauthorised absence", "absent 14 of 114 sessions".
    static func why(_ stored: String, count: Int, text: Text) -> String {
        let count = String(count)
        switch ActionBasis(stored: stored) {
        case .threshold(let counting): return text("basis.threshold.\(counting.rawValue)", ["count": count])
        case .missed(let absent, let possible):
            return text("basis.missed", ["absent": String(absent), "possible": String(possible)])
        case .beforeHolidays(let holidays): return text("basis.beforeHolidays", ["count": String(holidays)])
        case .noReason: return text("basis.noReason", ["count": count])
        case .criteria(let names):
            let words = names.map { Catalogue.known("criterion.\($0)", text) ?? $0 }
            return text("basis.criteria", ["criteria": words.joined(separator: ", "), "count": count])
        case .other(let words): return text("basis.other", ["text": words, "count": count])
        }
    }

    /// What became of it: a person's note as written, the program's own notes in words.
    static func note(_ stored: String, names: [String: String], text: Text) -> String {
        switch ActionNote(stored: stored) {
        case .written(let words): return words
        case .call(let outcome, let note):
            return text("note.call", ["outcome": text("actions.callOutcome.\(outcome)", [:]), "note": note])
        case .meeting(let date, let note):
            return text("note.meeting", ["date": DateText.day(date, text), "note": note])
        case .notNow(let reason): return text("note.notNow", ["note": reason])
        case .letterProduced(let batch):
            // A batch is named by the day it was made ("2026-11-25-…"): the reader is told the day.
            return batch.flatMap { LocalDate(iso: $0.prefix(10)) }.map {
                text("note.letterProducedBatch", ["date": DateText.day($0, text)])
            } ?? text("note.letterProduced", [:])
        case .overtaken(let kind): return text("note.overtaken", ["letter": text("letters.kind.\(kind.rawValue)", [:])])
        case .dueAgain: return text("note.dueAgain", [:])
        case .noLongerDue(let date, let correction):
            guard let correction else { return text("note.noLongerDue", ["date": DateText.day(date, text)]) }
            return text(
                "note.noLongerDueBecause",
                [
                    "date": DateText.day(date, text),
                    "session": session(correction.session.description, text: text),
                    "from": correction.from, "to": correction.to,
                    "by": RecordWords.actor(correction.by, names: names, text: text),
                    "reason": RecordWords.reason(correction.reason, text: text),
                ])
        case .yearEnded: return text("note.yearEnded", [:])
        }
    }

    /// A session as the record writes it ("2026-11-20 AM") in words: "Friday 20 November 2026, morning".
    static func session(_ stored: String, text: Text) -> String {
        guard let session = SchoolSession(text: stored) else { return DateText.day(stored: stored, text) }
        return DateText.day(session.date, text) + ", " + text("session.\(session.half.rawValue)", [:])
    }

    /// A pupil's timeline entry: when it fell due, what, why, and what became of it, by whom and when.
    static func timeline(_ item: QueuedAction, policy: Policy, names: [String: String], text: Text) -> String {
        var line =
            "\(DateText.day(item.dueOn, text)): \(text(item.action.labelKey, item.action.wordValues(policy))) ("
            + why(item.basis, count: item.count, text: text) + ") – " + text("status.\(item.status.rawValue)", [:])
        if let by = item.statusChangedBy, let at = item.statusChangedAt {
            line += ", \(RecordWords.actor(by, names: names, text: text)), \(DateText.moment(at, text))"
        }
        if let note = item.statusNote { line += ": " + Self.note(note, names: names, text: text) }
        return line
    }
}
