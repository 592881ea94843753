import AttendanceCore
import AttendanceStore
import Foundation

/// A lesson's register: the class with each pupil's mark, tapped as on the session register (present, late with
/// minutes, absent, on a visit, with another member of staff). The session's statutory mark is never shown as
/// changeable here: this register is the lesson's own.
struct LessonRegisterPage: PageModel {
    static let template = "lesson-register"

    struct Line: Sendable {
        let upn: String
        let name: String
        let initials: String
        let current: String?
        let choices: [Choice]
        let minutes: String
        let error: String?
    }

    struct Choice: Sendable {
        let value: String
        let label: String
        let checked: Bool
    }

    /// What the form sent back, kept when the page is shown again.
    struct Asked: Sendable {
        var choices: [UPN: (kind: String?, minutes: String?)] = [:]
        var errors: [UPN: String] = [:]
        var summary: String? = nil
        var reason = ""
    }

    let title: String
    let details: String
    /// Who teaches it: a teacher without an account is named by the timetable's email.
    let teacher: String
    let state: String
    let mayTake: Bool
    let action: String
    let lines: [Line]
    let taken: Bool
    let reason: String
    let errorSummary: String?
    let backHref: String

    static func make(
        lesson: LessonOfDay, pupils: [Pupil], marks: [UPN: RecordedLessonMark], state: LessonWindow.State,
        grace: Int, mayTake: Bool, action: String, backHref: String, names: [String: String], asked: Asked,
        language: Language, text: @escaping (String, [String: String]) -> String
    ) -> LessonRegisterPage {
        // Named as the session register names them, two of one name told apart.
        let apart = NamesOnAList.tellApart(pupils, language: language)
        let lines = pupils.map { pupil -> Line in
            let upn = pupil.upn
            let recorded = marks[upn]
            let chosen = asked.choices[upn]?.kind ?? recorded.map { LessonWords.choice($0.mark.code) }
            let listed = NamesOnAList.registerName(pupil, told: apart[upn])
            return Line(
                upn: upn.value, name: listed.name, initials: listed.initials,
                current: recorded.map {
                    text(
                        "lesson.recorded",
                        [
                            "mark": LessonWords.mark($0.mark, text),
                            "by": RecordWords.actor($0.recordedBy, names: names, text: text),
                        ])
                },
                choices: LessonCode.allCases.map { code in
                    let value = LessonWords.choice(code)
                    return Choice(value: value, label: text("lessonCode.\(value)", [:]), checked: chosen == value)
                },
                minutes: asked.choices[upn]?.minutes ?? recorded?.mark.minutesLate.map(String.init) ?? "",
                error: asked.errors[upn])
        }
        var details = [DateText.day(lesson.date, text), LessonWords.times(lesson.lesson)]
        if let room = lesson.lesson.room, !room.isEmpty { details.append(text("lesson.room", ["room": room])) }
        return LessonRegisterPage(
            title: LessonWords.name(lesson.lesson, text), details: details.joined(separator: " · "),
            teacher: LessonWords.teacher(lesson, names: names, text),
            state: LessonWords.state(state, grace: grace, text), mayTake: mayTake, action: action, lines: lines,
            taken: !marks.isEmpty, reason: asked.reason, errorSummary: asked.summary,
            backHref: backHref)
    }
}
