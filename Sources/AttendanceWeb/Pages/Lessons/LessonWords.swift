import AttendanceCore
import AttendanceStore

/// Lessons in words, shared by the lesson pages.
enum LessonWords {
    typealias Text = (String, [String: String]) -> String

    /// "P3 · 7A/Ma · Mathemateg".
    static func name(_ lesson: TimetableLesson, _ text: Text) -> String {
        text("lesson.name", ["period": String(lesson.period), "class": lesson.className, "subject": lesson.subject])
    }

    /// "11:30–12:30".
    static func times(_ lesson: TimetableLesson) -> String { "\(lesson.start)–\(lesson.end)" }

    /// A lesson mark in words ("Present", "Late (5 min)", …).
    static func mark(_ mark: LessonMark, _ text: Text) -> String {
        let word = text("lessonCode.\(choice(mark.code))", [:])
        guard let minutes = mark.minutesLate else { return word }
        return text("lesson.lateMinutes", ["word": word, "minutes": String(minutes)])
    }

    /// The form's value for a code, and the catalogue key's last part.
    static func choice(_ code: LessonCode) -> String {
        switch code {
        case .present: "present"
        case .late: "late"
        case .absent: "absent"
        case .educationalVisit: "visit"
        case .withStaff: "staff"
        }
    }

    static func code(choice: String) -> LessonCode? {
        LessonCode.allCases.first { Self.choice($0) == choice }
    }

    /// The window's state in words, for whoever is looking.
    static func state(_ state: LessonWindow.State, grace: Int, _ text: Text) -> String {
        switch state {
        case .notYet: text("lesson.state.notYet", [:])
        case .open: text("lesson.state.open", ["minutes": String(grace)])
        case .closed: text("lesson.state.closed", [:])
        }
    }

    /// Who teaches the lesson: their name if they have an account, else the timetable's email; and the cover.
    static func teacher(_ lesson: LessonOfDay, names: [String: String], _ text: Text) -> String {
        let taught = names[lesson.lesson.teacher] ?? lesson.lesson.teacher
        guard let cover = lesson.cover else { return taught }
        return text("lesson.coveredBy", ["teacher": taught, "cover": names[cover] ?? cover])
    }
}
