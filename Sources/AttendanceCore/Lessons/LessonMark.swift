import Foundation

/// The marks a lesson register takes (issue 38): a table of their own beside the statutory codes. A lesson mark is
/// never a session's mark and never changes one.
public enum LessonCode: String, Sendable, CaseIterable, Codable {
    case present = "/"
    /// Arrived after the lesson began (with the minutes).
    case late = "L"
    /// Not in the lesson, and not accounted for: the same-day check asks where the pupil is.
    case absent = "N"
    /// On an educational visit.
    case educationalVisit = "V"
    /// With another member of staff (a music lesson, the nurse, a meeting).
    case withStaff = "S"

    /// Not in the lesson and not accounted for.
    public var missing: Bool { self == .absent }
}

/// A pupil's mark in one lesson.
public struct LessonMark: Sendable, Hashable {
    public let upn: UPN
    public let code: LessonCode
    public let minutesLate: Int?

    public init(upn: UPN, code: LessonCode, minutesLate: Int? = nil) {
        self.upn = upn
        self.code = code
        self.minutesLate = minutesLate
    }
}

/// The lesson register's rules.
public enum LessonRules {
    /// How long after a lesson ends its register may still be taken, unless the school says otherwise.
    public static let defaultGraceMinutes = 30

    public enum Problem: Error, Sendable, Equatable {
        /// Before the lesson starts, or after its end and the grace: the register is not open.
        case notOpen
        /// Late without minutes, minutes beyond the lesson's length, or minutes with another mark.
        case minutes(UPN)
        /// Not a pupil of the class.
        case notInClass(UPN)
        /// A pupil given twice.
        case twice(UPN)
        /// A mark already recorded would change: a change needs a reason.
        case needReason(UPN)

        /// The catalogue key's last part (`error.lesson.KEY`).
        public var key: String {
            switch self {
            case .notOpen: "notOpen"
            case .minutes: "minutes"
            case .notInClass: "notInClass"
            case .twice: "twice"
            case .needReason: "needReason"
            }
        }
    }

    /// Whether a lesson's register may be taken at `now` on its day: from its start until its end and the grace.
    public static func isOpen(start: TimeOfDay, end: TimeOfDay, now: TimeOfDay, graceMinutes: Int) -> Bool {
        now >= start && now.minutesSinceMidnight <= end.minutesSinceMidnight + graceMinutes
    }

    /// Checks a lesson register's marks against its class and its length.
    public static func check(
        _ marks: [LessonMark], classList: Set<UPN>, start: TimeOfDay, end: TimeOfDay
    ) throws(Problem) {
        var seen = Set<UPN>()
        let length = end.minutesSinceMidnight - start.minutesSinceMidnight
        for mark in marks {
            guard classList.contains(mark.upn) else { throw .notInClass(mark.upn) }
            guard seen.insert(mark.upn).inserted else { throw .twice(mark.upn) }
            switch (mark.code, mark.minutesLate) {
            case (.late, let minutes?) where (1...max(1, length)).contains(minutes): continue
            case (.late, _): throw .minutes(mark.upn)
            case (_, nil): continue
            case (_, .some): throw .minutes(mark.upn)
            }
        }
    }

    /// The session a lesson falls in: the afternoon's once its register has started, else the morning's.
    public static func half(of lessonStart: TimeOfDay, afternoonStarts: TimeOfDay) -> SessionHalf {
        lessonStart >= afternoonStarts ? .pm : .am
    }

    /// Whether a session's mark says the pupil was on site at registration: present, or late.
    public static func onSiteAtRegistration(_ code: AttendanceCode) -> Bool {
        code.category == .present || code.isLate
    }
}
