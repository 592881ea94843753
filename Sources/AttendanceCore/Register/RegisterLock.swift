/// "By the end of the school week the schools overall attendance registers will be completed" and "The school's
/// register is a legal document" (DOMAIN.md §8): a week's registers lock when the week is over and the policy
/// file's grace in school days has passed. After that a form tutor changes nothing; the office may still replace
/// N with the reason it learns (and the procedure still turns N into O); any other change is for the head or a
/// delegate who may authorise absence, with a reason, recorded as made after the lock.
public enum RegisterLock {
    /// The last day a session's register may be changed freely: the `grace`-th school day after the end of its
    /// week (Sunday), or that many days after the Sunday where the calendar has run out.
    public static func lastOpenDay(for date: LocalDate, calendar: SchoolCalendar, grace: Int) -> LocalDate {
        let sunday = date.adding(days: 7 - date.weekday.rawValue)
        guard grace > 0 else { return sunday }
        return calendar.schoolDay(grace, after: sunday) ?? sunday.adding(days: grace)
    }

    /// Whether the register of a day is locked on `today`.
    public static func isLocked(_ date: LocalDate, today: LocalDate, calendar: SchoolCalendar, grace: Int) -> Bool {
        today > lastOpenDay(for: date, calendar: calendar, grace: grace)
    }

    /// Who is changing a locked register, by what they may do at the school.
    public enum Changer: Sendable {
        /// May authorise absence (the head, or a delegate the head named): any change, with a reason.
        case authoriser
        /// The attendance office: only an N replaced with the reason learned.
        case office
        /// A form tutor, or anyone else: nothing.
        case other
    }

    public enum Refusal: Error, Sendable, Equatable {
        /// The register is locked and this change is not the changer's to make (the code that was asked).
        case locked(String)
    }

    /// A change to a locked register: the authoriser's any, the office's only from N, nobody else's.
    public static func check(from old: AttendanceCode?, to new: AttendanceCode, by changer: Changer) throws(Refusal) {
        guard old?.code != new.code else { return }
        switch changer {
        case .authoriser: return
        case .office: if old?.means(.noReasonYet) == true { return }
        case .other: break
        }
        throw .locked(new.code)
    }

    /// The words kept with a change to a locked register, so its history shows it as such.
    public static func reason(_ given: String) -> String { "After the register locked: " + given }
}
