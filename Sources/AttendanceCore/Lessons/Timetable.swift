import Foundation

/// A school's timetable from a day on (issue 38): its lessons, each on a day of a one- or two-week cycle, and the
/// pupils of each class. A later timetable takes over from its own first day; the lessons before it stay as they
/// were.
public struct TimetableCycle: Sendable, Hashable {
    /// One or two weeks.
    public let weeks: Int
    /// The timetable's first day; week 1 of the cycle is the week it falls in.
    public let startsOn: LocalDate

    public enum Problem: Error, Sendable, Equatable {
        case weeks
    }

    public init(weeks: Int, startsOn: LocalDate) throws(Problem) {
        guard (1...2).contains(weeks) else { throw .weeks }
        self.weeks = weeks
        self.startsOn = startsOn
    }

    /// The days of the cycle: Monday of week 1 is 1, Friday of week 1 is 5, Friday of week 2 is 10.
    public var days: ClosedRange<Int> { 1...(5 * weeks) }

    /// The cycle's day a date falls on, or nil (a weekend, or before the timetable starts).
    public func day(of date: LocalDate) -> Int? {
        guard date >= startsOn, date.weekday.rawValue <= 5 else { return nil }
        let firstMonday = startsOn.adding(days: 1 - startsOn.weekday.rawValue)
        let week = (date.dayNumber - firstMonday.dayNumber) / 7
        return (week % weeks) * 5 + date.weekday.rawValue
    }
}

/// A lesson of the timetable: a class, its subject, when in the cycle, who teaches it and where.
public struct TimetableLesson: Sendable, Hashable {
    /// The class as the school names it ("10X/Ma1"): its pupils are the class list's.
    public let className: String
    public let subject: String
    /// The day of the cycle (see `TimetableCycle.day(of:)`).
    public let cycleDay: Int
    public let period: Int
    public let start: TimeOfDay
    public let end: TimeOfDay
    /// The teacher's email: their account, once they have one, takes the class's registers.
    public let teacher: String
    public let room: String?

    public init(
        className: String, subject: String, cycleDay: Int, period: Int, start: TimeOfDay, end: TimeOfDay,
        teacher: String, room: String?
    ) {
        self.className = className
        self.subject = subject
        self.cycleDay = cycleDay
        self.period = period
        self.start = start
        self.end = end
        self.teacher = teacher
        self.room = room
    }
}

/// A pupil in a class of the timetable.
public struct ClassMember: Sendable, Hashable {
    public let className: String
    public let upn: UPN

    public init(className: String, upn: UPN) {
        self.className = className
        self.upn = upn
    }
}
