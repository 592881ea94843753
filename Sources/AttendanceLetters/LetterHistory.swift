import AttendanceCore
import Foundation

/// What the school has already done about a pupil's attendance this school year, as the record shows it: the
/// letters kept, the call recorded with its outcome, the meeting arranged. A letter may say "we wrote to you on
/// …" or "we spoke to you on …" only from this.
public struct LetterHistory: Sendable, Hashable {
    /// When each letter of the series (and an invitation) was first produced this school year.
    public var sent: [LetterKind: LocalDate] = [:]
    /// The phone call at 22 sessions, when recorded done: its day and outcome (`spoke`, `message`, `noAnswer`).
    public var call: (date: LocalDate, outcome: String)?
    /// The attendance meeting's date, when one was arranged.
    public var meeting: LocalDate?

    public init(
        sent: [LetterKind: LocalDate] = [:], call: (date: LocalDate, outcome: String)? = nil, meeting: LocalDate? = nil
    ) {
        self.sent = sent
        self.call = call
        self.meeting = meeting
    }

    public static func == (lhs: LetterHistory, rhs: LetterHistory) -> Bool {
        lhs.sent == rhs.sent && lhs.call?.date == rhs.call?.date && lhs.call?.outcome == rhs.call?.outcome
            && lhs.meeting == rhs.meeting
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(sent)
        hasher.combine(call?.date)
        hasher.combine(call?.outcome)
        hasher.combine(meeting)
    }

    /// The values the templates read: `letter1_sent` / `letter1_date`, `letter2_…`, `letter3_…`,
    /// `invitation_…`, `call_recorded` / `call_date` / `call_outcome`, `call_spoke` (a parent was spoken to),
    /// `meeting_arranged` / `meeting_held_on`, and `wrote_before` (any letter of the series already sent).
    func values(_ language: Language, outcomes: (String) -> String) -> [String: Any] {
        var values: [String: Any] = [:]
        let names: [(LetterKind, String)] = [
            (.letter1, "letter1"), (.letter2, "letter2"), (.letter3, "letter3"), (.meetingInvitation, "invitation"),
        ]
        for (kind, name) in names {
            values["\(name)_sent"] = sent[kind] != nil
            values["\(name)_date"] = sent[kind]?.letterText(language) ?? ""
        }
        values["wrote_before"] = sent[.letter1] != nil || sent[.letter2] != nil || sent[.letter3] != nil
        values["call_recorded"] = call != nil
        values["call_date"] = call?.date.letterText(language) ?? ""
        values["call_outcome"] = call.map { outcomes($0.outcome) } ?? ""
        values["call_spoke"] = call?.outcome == "spoke"
        values["meeting_arranged"] = meeting != nil
        values["meeting_held_on"] = meeting?.letterText(language) ?? ""
        return values
    }
}
