/// A pupil's lesson mark as their record shows it over a term: which lesson, which day.
public struct PupilLessonMark: Sendable, Hashable {
    public let date: LocalDate
    public let subject: String
    public let period: Int
    public let code: LessonCode

    public init(date: LocalDate, subject: String, period: Int, code: LessonCode) {
        self.date = date
        self.subject = subject
        self.period = period
        self.code = code
    }
}

/// Lesson attendance by subject, and the lessons missed repeatedly (issue 38). These figures are the lessons' own:
/// they never enter a statutory percentage, which is the sessions' alone.
public enum LessonFigures {
    /// One subject's lessons: how many were marked, attended (present or late), missed (absent and not accounted
    /// for) and spent elsewhere with the school's knowledge (a visit, another member of staff).
    public struct Line: Sendable, Hashable {
        public let subject: String
        public var lessons = 0
        public var attended = 0
        public var missed = 0
        public var elsewhere = 0

        /// Attended as a share of the lessons, in tenths of a per cent (rounded half up), or nil with none.
        public var attendedTenths: Int? {
            lessons == 0 ? nil : (attended * 2000 + lessons) / (2 * lessons)
        }
    }

    /// A subject or a period missed repeatedly.
    public enum Pattern: Sendable, Hashable {
        case subject(String, missed: Int)
        case period(Int, missed: Int)
    }

    /// How many missed lessons of one subject, or in one period, make a pattern.
    public static let repeatedMisses = 3

    /// The lines by subject, in the subjects' order.
    public static func bySubject(_ marks: [PupilLessonMark]) -> [Line] {
        var lines: [String: Line] = [:]
        for mark in marks {
            var line = lines[mark.subject] ?? Line(subject: mark.subject)
            line.lessons += 1
            switch mark.code {
            case .present, .late: line.attended += 1
            case .absent: line.missed += 1
            case .educationalVisit, .withStaff: line.elsewhere += 1
            }
            lines[mark.subject] = line
        }
        return lines.values.sorted { $0.subject < $1.subject }
    }

    /// The subjects and the periods missed `repeatedMisses` times or more, the most missed first.
    public static func patterns(_ marks: [PupilLessonMark]) -> [Pattern] {
        let missed = marks.filter { $0.code.missing }
        let subjects = Dictionary(grouping: missed, by: \.subject).mapValues(\.count)
            .filter { $0.value >= repeatedMisses }
            .sorted { ($1.value, $0.key) < ($0.value, $1.key) }
            .map { Pattern.subject($0.key, missed: $0.value) }
        let periods = Dictionary(grouping: missed, by: \.period).mapValues(\.count)
            .filter { $0.value >= repeatedMisses }
            .sorted { ($1.value, $0.key) < ($0.value, $1.key) }
            .map { Pattern.period($0.key, missed: $0.value) }
        return subjects + periods
    }
}
