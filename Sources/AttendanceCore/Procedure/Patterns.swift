/// Patterns in a pupil's year that deserve a conversation, each with the sessions that make it.
public struct PatternFlag: Sendable, Hashable {
    public enum Kind: String, Sendable, CaseIterable {
        /// Most absence falls on one day of the week.
        case dayOfWeek = "day_of_week"
        /// Late often (before or after the register closed).
        case persistentLateness = "persistent_lateness"
        /// Absent in the days just before holidays, more than once.
        case beforeHolidays = "before_holidays"
    }

    public let kind: Kind
    /// For a day-of-week cluster, the day.
    public let weekday: Weekday?
    public let count: Int
    public let sessions: [SchoolSession]
}

public enum Patterns {
    /// - Day of week: at least `minimumAbsences` absences, and one weekday holds at least half of them.
    /// - Persistent lateness: late (L or U) in at least `lateShare` percent of sessions attended, and at least 5 times.
    /// - Before holidays: the procedure's pre-holiday rule.
    public static func find(
        marks: YearMarks, calendar: SchoolCalendar, asOf: LocalDate, codes: CodeTable, policy: Policy,
        minimumAbsences: Int = 6, lateShare: Int = 10
    ) -> [PatternFlag] {
        let all = marks.marks(table: codes).filter { $0.0.date <= asOf }
        var flags: [PatternFlag] = []
        let absences = all.filter { $0.1.category.countsAsAbsence && !$0.1.means(.lateAfterClose) }.map(\.0)
        if absences.count >= minimumAbsences {
            let byDay = Dictionary(grouping: absences, by: \.date.weekday)
            if let (day, sessions) = byDay.max(by: {
                ($0.value.count, $1.key.rawValue) < ($1.value.count, $0.key.rawValue)
            }),
                sessions.count * 2 >= absences.count
            {
                flags.append(PatternFlag(kind: .dayOfWeek, weekday: day, count: sessions.count, sessions: sessions))
            }
        }
        let late = all.filter { $0.1.isLate }.map(\.0)
        let attendedOrLate = all.filter { $0.1.category.countsAsAttended || $0.1.means(.lateAfterClose) }.count
        if late.count >= 5, late.count * 100 >= attendedOrLate * lateShare {
            flags.append(PatternFlag(kind: .persistentLateness, weekday: nil, count: late.count, sessions: late))
        }
        let engine = ProcedureEngine(policy: policy, codes: codes)
        if let holiday = engine.run(marks: marks, calendar: calendar, asOf: asOf, recorded: []).due
            .first(where: { $0.action == .preHolidayPattern })
        {
            flags.append(
                PatternFlag(kind: .beforeHolidays, weekday: nil, count: holiday.count, sessions: holiday.sessions))
        }
        return flags
    }
}
