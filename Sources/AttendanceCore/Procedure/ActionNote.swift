import Foundation

/// What became of an action, as the record keeps it (`procedure_actions.status_note`): the program's own notes
/// read into values, so that a page says them in the reader's language; a person's words are kept as written.
public enum ActionNote: Hashable, Sendable {
    /// The correction that made an action no longer due.
    public struct Correction: Hashable, Sendable {
        public let session: SchoolSession
        public let from: String
        public let to: String
        public let by: String
        public let reason: String

        public init(session: SchoolSession, from: String, to: String, by: String, reason: String) {
            self.session = session
            self.from = from
            self.to = to
            self.by = by
            self.reason = reason
        }
    }

    /// A person's note as written.
    case written(String)
    /// The call's outcome (`spoke`, `message`, `noAnswer`) and what was said.
    case call(outcome: String, note: String)
    /// The meeting's date and the note.
    case meeting(on: LocalDate, note: String)
    /// The head's "not now" on a penalty notice flag, with the reason.
    case notNow(String)
    /// Done by a letter, produced alone or in a batch.
    case letterProduced(batch: String?)
    /// Done because a later letter went in the same batch.
    case overtaken(by: LetterKind)
    /// Withdrawn and now due again.
    case dueAgain
    /// Withdrawn after a correction to the register (which, when known).
    case noLongerDue(on: LocalDate, because: Correction?)
    /// Closed when the school year ended.
    case yearEnded

    public init(stored text: String) {
        if text == "due again" {
            self = .dueAgain
        } else if text == "school year ended" {
            self = .yearEnded
        } else if text == "letter produced" {
            self = .letterProduced(batch: nil)
        } else if let batch = text.between("letter produced (batch ", ")") {
            self = .letterProduced(batch: batch)
        } else if let kind = text.between("overtaken by ", ", sent in the same batch").flatMap(LetterKind.init) {
            self = .overtaken(by: kind)
        } else if let rest = text.after("not now: ") {
            self = .notNow(rest)
        } else if let rest = text.after("call: "), let stop = rest.range(of: ". ") ?? rest.range(of: ".") {
            self = .call(outcome: String(rest[..<stop.lowerBound]), note: String(rest[stop.upperBound...]))
        } else if let rest = text.after("meeting arranged for "), let date = LocalDate(iso: rest.prefix(10)) {
            self = .meeting(on: date, note: String(rest.dropFirst(10).drop { $0 == "." || $0 == " " }))
        } else if let rest = text.after("no longer due on "), let date = LocalDate(iso: rest.prefix(10)),
            rest.dropFirst(10).hasPrefix(" after a correction to the register")
        {
            let cause = rest.between(" (", ")", last: true).flatMap(Correction.init(stored:))
            self = .noLongerDue(on: date, because: cause)
        } else {
            self = .written(text)
        }
    }

    /// The text kept in the record, in the form earlier versions wrote.
    public var stored: String {
        switch self {
        case .written(let text): text
        case .call(let outcome, let note): "call: \(outcome). \(note)"
        case .meeting(let date, let note): "meeting arranged for \(date.iso). \(note)"
        case .notNow(let reason): "not now: \(reason)"
        case .letterProduced(let batch): "letter produced" + (batch.map { " (batch \($0))" } ?? "")
        case .overtaken(let kind): "overtaken by \(kind.rawValue), sent in the same batch"
        case .dueAgain: "due again"
        case .noLongerDue(let date, let cause):
            "no longer due on \(date.iso) after a correction to the register" + (cause.map { " (\($0.stored))" } ?? "")
        case .yearEnded: "school year ended"
        }
    }
}

extension ActionNote.Correction {
    /// "2026-11-20 AM N → I by office@school: note from the doctor", as the procedure run writes it.
    public var stored: String { "\(session) \(from) → \(to) by \(by): \(reason)" }

    init?(stored text: String) {
        let parts = text.split(separator: " ", maxSplits: 6, omittingEmptySubsequences: false)
        guard parts.count == 7, let session = SchoolSession(text: "\(parts[0]) \(parts[1])"), parts[3] == "→",
            parts[5] == "by", let colon = parts[6].range(of: ": ")
        else { return nil }
        self.init(
            session: session, from: String(parts[2]), to: String(parts[4]),
            by: String(parts[6][..<colon.lowerBound]), reason: String(parts[6][colon.upperBound...]))
    }
}

extension String {
    func after(_ prefix: String) -> String? {
        hasPrefix(prefix) ? String(dropFirst(prefix.count)) : nil
    }

    /// The text between a prefix and a suffix; with `last`, between the first `open` and a final `close`.
    func between(_ open: String, _ close: String, last: Bool = false) -> String? {
        if last {
            guard hasSuffix(close), let start = range(of: open) else { return nil }
            return String(self[start.upperBound..<index(endIndex, offsetBy: -close.count)])
        }
        guard hasPrefix(open), hasSuffix(close), count >= open.count + close.count else { return nil }
        return String(dropFirst(open.count).dropLast(close.count))
    }
}
