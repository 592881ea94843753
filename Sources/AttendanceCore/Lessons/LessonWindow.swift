/// When a lesson register may be taken, and by whom (issue 38): the class's teacher, or the cover named for the
/// day, from the lesson's start until its end and the school's grace; the school's office later too, keeping any
/// change with its reason. Nobody takes a register before its lesson has started.
public enum LessonWindow {
    public enum Taker: Sendable, Equatable {
        /// The lesson's teacher or its cover.
        case teacher
        /// The school's attendance office and leaders: they correct a register after the lesson.
        case office
    }

    public enum State: Sendable, Equatable {
        /// The lesson has not started yet.
        case notYet
        /// Open to the teacher now.
        case open
        /// Past its end and the grace: the office may still take or correct it.
        case closed
    }

    /// Where a lesson on `day` from `start` to `end` stands at `now`.
    public static func state(
        day: LocalDate, start: TimeOfDay, end: TimeOfDay, now: (date: LocalDate, time: TimeOfDay), graceMinutes: Int
    ) -> State {
        if day > now.date { return .notYet }
        if day < now.date { return .closed }
        if now.time < start { return .notYet }
        return LessonRules.isOpen(start: start, end: end, now: now.time, graceMinutes: graceMinutes) ? .open : .closed
    }

    /// Whether this taker may save the register in this state.
    public static func mayTake(_ state: State, by taker: Taker) -> Bool {
        switch (state, taker) {
        case (.notYet, _): false
        case (.open, _): true
        case (.closed, .office): true
        case (.closed, .teacher): false
        }
    }

    /// The grace a school may set, in minutes after a lesson's end.
    public static let graceRange = 0...240
}

/// What the office or the head of year found when they looked for a pupil the same-day check named.
public enum SameDayOutcome: String, Sendable, CaseIterable, Codable {
    case foundOnSite = "found_on_site"
    case leftSite = "left_site"
    case parentContacted = "parent_contacted"
}
