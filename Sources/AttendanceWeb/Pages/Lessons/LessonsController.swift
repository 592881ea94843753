import AttendanceCore
import AttendanceStore
import Vapor

/// "My lessons": a teacher's lessons of a day (their own and those they cover) with each register's state, and for
/// the office and leaders a link to the school's lessons page.
enum LessonsController {
    @Sendable static func list(_ request: Request) async throws -> Response {
        let principal = try request.signedIn
        let store = request.context.store
        let date = try request.queryDate("date") ?? request.context.today
        let names = try await request.names()
        let schoolNames = try await request.schoolNames()
        let text = { (key: String, values: [String: String]) in request.text(key, values) }
        var sections: [LessonsPage.Section] = []
        for school in Set(principal.grants.compactMap(\.school)).sorted() {
            let office = principal.allows(.manageAttendance, .school(school))
            guard office || principal.grants.contains(where: { $0.role == .teacher && $0.school == school }) else {
                continue
            }
            let grace = try await store.lessons.graceMinutes(school: school)
            let mine = try await store.lessons.lessonsOfDay(school: school, on: date).filter {
                principal.allows(
                    .takeLesson, .lesson(LessonPlacement(school: school, teachers: $0.teachers)))
                    && (!office || $0.teachers.contains(principal.user.email.lowercased()))
            }
            let taker: LessonWindow.Taker = office ? .office : .teacher
            sections.append(
                LessonsPage.Section(
                    name: schoolNames[school] ?? school.description,
                    officeHref: office ? SiteURL.school(.schoolLessons, school, query: ["date": date.iso]) : nil,
                    checkHref: principal.allows(.checkLessons, .school(school))
                        ? SiteURL.school(.sameDayCheck, school, query: ["date": date.iso]) : nil,
                    lessons: mine.map { lesson in
                        let state = LessonWindow.state(
                            day: date, start: lesson.lesson.start, end: lesson.lesson.end, now: request.context.now,
                            graceMinutes: grace)
                        return LessonsPage.Lesson(
                            id: lesson.id, name: LessonWords.name(lesson.lesson, text),
                            times: LessonWords.times(lesson.lesson), room: lesson.lesson.room ?? "",
                            covering: lesson.cover?.lowercased() == principal.user.email.lowercased()
                                ? request.text("lesson.covering") : nil,
                            status: lesson.takenBy.map {
                                request.text(
                                    "lesson.takenBy", ["by": RecordWords.actor($0, names: names, text: text)])
                            } ?? LessonWords.state(state, grace: grace, text),
                            taken: lesson.takenBy != nil,
                            href: SiteURL.lessonRegister(school, date: date, id: lesson.id),
                            mayTake: LessonWindow.mayTake(state, by: taker))
                    }))
        }
        let saved = request.query[String.self, at: "saved"] != nil
        let page = LessonsPage(
            title: request.text("lessons.title", ["date": DateText.day(date, text)]), date: date.iso,
            action: SiteURL.lessons.path(), notice: saved ? request.text("lessons.saved") : nil, schools: sections)
        return try Page.render(page, request: request)
    }
}

struct LessonsPage: PageModel {
    static let template = "lessons"

    struct Lesson: Sendable {
        let id: Int
        let name: String
        let times: String
        let room: String
        let covering: String?
        let status: String
        let taken: Bool
        let href: String
        let mayTake: Bool
    }

    struct Section: Sendable {
        let name: String
        let officeHref: String?
        let checkHref: String?
        let lessons: [Lesson]
    }

    let title: String
    let date: String
    let action: String
    let notice: String?
    let schools: [Section]
}
