/// What the school and the authority recorded of a pupil beyond the register that a penalty notice's police and
/// engagement criteria count (DOMAIN.md §7): the procedure reads it beside the marks.
public struct PenaltyEvidence: Sendable, Hashable {
    /// Days a patrol or the police saw the pupil during school hours (counted only on days of unauthorised
    /// absence).
    public var policeDays: [LocalDate]
    /// Days of panels or meetings the parents missed without notice.
    public var missedMeetings: [LocalDate]
    /// Days of contact attempts that reached nobody.
    public var unansweredContacts: [LocalDate]
    /// A prosecution has begun for the pupil's absence: non-engagement is then not a penalty criterion.
    public var prosecutionBegun: Bool

    public init(
        policeDays: [LocalDate] = [], missedMeetings: [LocalDate] = [], unansweredContacts: [LocalDate] = [],
        prosecutionBegun: Bool = false
    ) {
        self.policeDays = policeDays
        self.missedMeetings = missedMeetings
        self.unansweredContacts = unansweredContacts
        self.prosecutionBegun = prosecutionBegun
    }

    public static let none = PenaltyEvidence()

    var isEmpty: Bool { policeDays.isEmpty && missedMeetings.isEmpty && unansweredContacts.isEmpty }
}
