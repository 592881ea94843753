import AttendanceCore
import Foundation

/// What the school has already done about a pupil's attendance this school year, as the record shows it: the
/// letters kept, the call recorded with its outcome, the meeting arranged. A letter may say "we wrote to you on
/// …" or "we spoke to you on …" only from this.
public struct LetterHistory: Sendable, Hashable {
    /// When each letter of the series (and an invitation) was first produced this school year.
    public var sent: [LetterKind: LocalDate] = [:]
    /// The phone call at 22 sessions, when recorded done: its day and outcome (`spoke`; `unreached` after the
    /// policy's attempts; `message` or `noAnswer` in records kept before attempts were told apart).
    public var call: (date: LocalDate, outcome: String)?
    /// The attendance meeting's date, when one was arranged.
    public var meeting: LocalDate?
    /// For a call closed without reaching a parent: how many attempts were made.
    public var callAttempts: Int?

    public init(
        sent: [LetterKind: LocalDate] = [:], call: (date: LocalDate, outcome: String)? = nil, meeting: LocalDate? = nil
    ) {
        self.sent = sent
        self.call = call
        self.meeting = meeting
    }

    public static func == (lhs: LetterHistory, rhs: LetterHistory) -> Bool {
        lhs.sent == rhs.sent && lhs.call?.date == rhs.call?.date && lhs.call?.outcome == rhs.call?.outcome
            && lhs.meeting == rhs.meeting && lhs.callAttempts == rhs.callAttempts
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(sent)
        hasher.combine(call?.date)
        hasher.combine(call?.outcome)
        hasher.combine(meeting)
        hasher.combine(callAttempts)
    }
}
