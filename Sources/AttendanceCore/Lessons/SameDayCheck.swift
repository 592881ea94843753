import Foundation

/// A lesson as the same-day check shows it: what the office needs to find a pupil missing from it.
public struct CheckedLesson: Sendable, Hashable {
    public let className: String
    public let subject: String
    public let period: Int
    public let start: TimeOfDay
    public let teacher: String

    public init(className: String, subject: String, period: Int, start: TimeOfDay, teacher: String) {
        self.className = className
        self.subject = subject
        self.period = period
        self.start = start
        self.teacher = teacher
    }
}

/// A lesson of a pupil's day and the mark its register gave them.
public struct MarkedLesson: Sendable, Hashable {
    public let lesson: CheckedLesson
    public let code: LessonCode

    public init(lesson: CheckedLesson, code: LessonCode) {
        self.lesson = lesson
        self.code = code
    }
}

/// A pupil's lesson marks of a day, in the order of their lessons.
public struct PupilLessonDay: Sendable, Hashable {
    public let upn: UPN
    public let lessons: [MarkedLesson]

    public init(upn: UPN, lessons: [MarkedLesson]) {
        self.upn = upn
        self.lessons = lessons.sorted { $0.lesson.start < $1.lesson.start }
    }
}

/// A pupil on site at registration and missing from a lesson of that session: post-registration truancy, or a child
/// who needs finding.
public struct SameDayConcern: Sendable, Hashable {
    public let upn: UPN
    /// The lessons missed in sessions the pupil was registered present or late for.
    public let missed: [CheckedLesson]
    /// Two of the pupil's lessons in a row missed: these come first.
    public let inARow: Bool
    /// The pupil's session marks that day, as recorded (the afternoon's may not be yet).
    public let sessionCodes: [SessionHalf: String]
}

/// The same-day check (issue 38): who was registered on site and is missing from a lesson.
public enum SameDayCheck {
    /// Pupils missing from a lesson of a session their session mark says they were on site for, those missing two
    /// lessons in a row first, then by their latest lesson missed (latest first). A lesson never changes the session
    /// mark: a pupil marked absent for the session is not a concern of this check.
    public static func concerns(
        _ days: [PupilLessonDay], sessionCodes: [UPN: [SessionHalf: AttendanceCode]], afternoonStarts: TimeOfDay
    ) -> [SameDayConcern] {
        var found: [SameDayConcern] = []
        for day in days {
            let codes = sessionCodes[day.upn] ?? [:]
            func counts(_ lesson: CheckedLesson) -> Bool {
                let half = LessonRules.half(of: lesson.start, afternoonStarts: afternoonStarts)
                return codes[half].map(LessonRules.onSiteAtRegistration) ?? false
            }
            let missed = day.lessons.filter { $0.code.missing && counts($0.lesson) }.map(\.lesson)
            guard !missed.isEmpty else { continue }
            let inARow = zip(day.lessons, day.lessons.dropFirst()).contains {
                $0.code.missing && $1.code.missing && counts($0.lesson) && counts($1.lesson)
            }
            found.append(
                SameDayConcern(
                    upn: day.upn, missed: missed, inARow: inARow, sessionCodes: codes.mapValues(\.code)))
        }
        return found.sorted {
            if $0.inARow != $1.inARow { return $0.inARow }
            let (a, b) = ($0.missed.last?.start ?? .midnight, $1.missed.last?.start ?? .midnight)
            return a != b ? a > b : $0.upn.value < $1.upn.value
        }
    }
}
