import AttendanceCore
import AttendanceStore

/// The pupil page's lessons (issue 38): attendance by subject for the term, and the subjects or periods missed
/// repeatedly (shown with the session patterns). Lesson figures are the lessons' own and never enter the statutory
/// percentages above them.
struct PupilLessons: Sendable {
    struct Row: Sendable {
        let subject: String
        let lessons: Int
        let attended: Int
        let missed: Int
        let elsewhere: Int
        let percent: String
    }

    let title: String
    let rows: [Row]
    /// The patterns in words, for the page's patterns list.
    let patterns: [String]

    /// Nil when the pupil has no lesson marks in the term (a primary school, or no timetable yet).
    static func make(
        _ marks: [PupilLessonMark], term: DateRange, text: @escaping (String, [String: String]) -> String
    ) -> PupilLessons? {
        guard !marks.isEmpty else { return nil }
        return PupilLessons(
            title: text(
                "pupilLessons.title", ["from": DateText.day(term.start, text), "to": DateText.day(term.end, text)]),
            rows: LessonFigures.bySubject(marks).map {
                Row(
                    subject: $0.subject, lessons: $0.lessons, attended: $0.attended, missed: $0.missed,
                    elsewhere: $0.elsewhere, percent: Tenths.percentText($0.attendedTenths))
            },
            patterns: LessonFigures.patterns(marks).map {
                switch $0 {
                case .subject(let subject, let missed):
                    text("pattern.lessonSubject", ["subject": subject, "count": String(missed)])
                case .period(let period, let missed):
                    text("pattern.lessonPeriod", ["period": String(period), "count": String(missed)])
                }
            })
    }
}
