/// One thing the data check finds wrong with a pupil's record at a school: what a report read from it would
/// count wrongly (issue 34, point 10).
public struct DataProblem: Sendable, Hashable, Codable {
    public enum Kind: String, Sendable, Hashable, Codable, CaseIterable {
        /// On roll for the policy's number of school days (`casework.no_marks_school_days`) with no mark at all.
        case noMarks = "no_marks"
        /// Sessions of past school days, while on roll, with no mark.
        case unmarkedSessions = "unmarked_sessions"
        /// On two rolls at once (a dual registration should be recorded as such, with its own codes).
        case overlappingEnrolments = "overlapping_enrolments"
        /// A leaving reason and no leaving date: still counted on roll.
        case leaverWithoutDate = "leaver_without_date"
        /// Marks for days that have not come.
        case futureMarks = "future_marks"
    }

    public let kind: Kind
    public let upn: UPN
    /// The first day concerned: the first unmarked session's, the overlap's start, the spell's start, the first
    /// future mark's.
    public let from: LocalDate
    /// School days with no mark, unmarked sessions, future marks; 1 for an overlap or a leaver.
    public let count: Int

    public init(kind: Kind, upn: UPN, from: LocalDate, count: Int) {
        (self.kind, self.upn, self.from, self.count) = (kind, upn, from, count)
    }
}

/// The data check's rules, one pupil at a time, as of a day: only the past is checked for missing marks (today's
/// registers may still be open), only the future for marks that cannot be there yet.
public enum DataCheck {
    /// - Parameters:
    ///   - enrolments: every spell of the pupil's, at any school (an overlap with another school's counts).
    ///   - years: the pupil's year strings for this school year and any later one.
    public static func problems(
        upn: UPN, at school: LAESTAB, enrolments: [Enrolment], years: [YearMarks], calendar: SchoolCalendar,
        today: LocalDate, noMarksSchoolDays: Int
    ) -> [DataProblem] {
        var found: [DataProblem] = []
        let here = enrolments.filter { $0.school == school }.sorted { $0.onRollFrom < $1.onRollFrom }
        for spell in here where spell.leavingReason != nil && spell.onRollTo == nil {
            found.append(DataProblem(kind: .leaverWithoutDate, upn: upn, from: spell.onRollFrom, count: 1))
        }
        // Each pair of spells that share a day, one of them here.
        let all = enrolments.sorted { ($0.onRollFrom, $0.school) < ($1.onRollFrom, $1.school) }
        for (index, first) in all.enumerated() {
            for second in all[(index + 1)...] where first.school == school || second.school == school {
                // In order of starting: they share a day when the first has not ended before the second starts.
                if first.onRollTo.map({ second.onRollFrom <= $0 }) ?? true {
                    found.append(DataProblem(kind: .overlappingEnrolments, upn: upn, from: second.onRollFrom, count: 1))
                }
            }
        }
        let year = today.academicYear
        let marks = years.first { $0.academicYear == year } ?? YearMarks(academicYear: year)
        func onRoll(_ day: LocalDate) -> Bool { here.contains { $0.isOnRoll(on: day) } }
        // Past sessions while on roll here with no mark.
        var unmarked: [SchoolSession] = []
        if let past = DateRange(year.firstDay, today.adding(days: -1)) {
            unmarked = calendar.sessions(in: past).filter { onRoll($0.date) && marks[$0] == 0 }
        }
        var recent: [LocalDate] = []
        var day = today
        while recent.count < noMarksSchoolDays, let before = calendar.schoolDay(before: day), before >= year.firstDay {
            recent.insert(before, at: 0)
            day = before
        }
        let missing = Set(unmarked)
        if let first = recent.first, recent.count == noMarksSchoolDays,
            recent.allSatisfy({ missing.contains(SchoolSession($0, .am)) && missing.contains(SchoolSession($0, .pm)) })
        {
            found.append(DataProblem(kind: .noMarks, upn: upn, from: first, count: recent.count))
            // Gaps before those days are a problem of their own.
            unmarked.removeAll { $0.date >= first }
        }
        if let first = unmarked.first {
            found.append(DataProblem(kind: .unmarkedSessions, upn: upn, from: first.date, count: unmarked.count))
        }
        // Marks on days after today, in this year's string or a later one's.
        var future: [LocalDate] = []
        for string in years where string.academicYear >= year {
            let start = string.academicYear == year ? today.adding(days: 1) : string.academicYear.firstDay
            guard let range = DateRange(start, string.academicYear.lastDay), let slots = string.slots(in: range)
            else { continue }
            for slot in slots where string[slot: slot] != 0 {
                future.append(string.academicYear.firstDay.adding(days: slot / 2))
            }
        }
        if let first = future.first {
            found.append(DataProblem(kind: .futureMarks, upn: upn, from: first, count: future.count))
        }
        return found
    }
}
