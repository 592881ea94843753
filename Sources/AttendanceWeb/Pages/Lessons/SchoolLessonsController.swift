import AttendanceCore
import AttendanceInterop
import AttendanceStore
import Vapor

/// The office's lessons page (issue 38): the day's lessons with each register's state, the registers missing (past
/// their lesson and the grace, naming the teacher), cover for a lesson, the school's grace, and its timetable:
/// what is in force, the whole cycle to read, and an upload of a new one (all or nothing, errors naming the line).
enum SchoolLessonsController {
    typealias Text = (String, [String: String]) -> String

    @Sendable static func page(_ request: Request) async throws -> Response {
        try await render(request)
    }

    static func render(_ request: Request, error: String? = nil, status: HTTPStatus = .ok) async throws -> Response {
        guard case .school(let laestab) = request.target else { throw Abort(.notFound) }
        let store = request.context.store
        let text: Text = { request.text($0, $1) }
        let date = try request.queryDate("date") ?? request.context.today
        let school = try await store.reference.requireSchool(laestab).school
        let grace = try await store.lessons.graceMinutes(school: laestab)
        let names = try await request.names()
        let lessons = try await store.lessons.lessonsOfDay(school: laestab, on: date)
        let rows = lessons.map { lesson -> SchoolLessonsPage.Row in
            let state = LessonWindow.state(
                day: date, start: lesson.lesson.start, end: lesson.lesson.end, now: request.context.now,
                graceMinutes: grace)
            let missing = lesson.takenBy == nil && state == .closed
            return SchoolLessonsPage.Row(
                id: String(lesson.id), name: LessonWords.name(lesson.lesson, text),
                times: LessonWords.times(lesson.lesson), teacher: LessonWords.teacher(lesson, names: names, text),
                status: lesson.takenBy.map {
                    text("lesson.takenBy", ["by": RecordWords.actor($0, names: names, text: text)])
                } ?? (missing ? text("lesson.missing", [:]) : LessonWords.state(state, grace: grace, text)),
                missing: missing, href: SiteURL.lessonRegister(laestab, date: date, id: lesson.id))
        }
        let timetable = try await store.lessons.timetable(school: laestab, on: date)
        let page = SchoolLessonsPage(
            title: text("schoolLessons.title", ["school": school.name, "date": DateText.day(date, text)]),
            date: date.iso, action: SiteURL.school(.schoolLessons, laestab),
            notice: request.query[String.self, at: "done"].flatMap {
                Catalogue.known("schoolLessons.done.\($0)", text)
            },
            error: error, missing: rows.filter(\.missing), rows: rows,
            timetable: inForce(timetable, text: text),
            timetableHref: SiteURL.school(.timetable, laestab), coverAction: SiteURL.school(.lessonCover, laestab),
            grace: String(grace), graceAction: SiteURL.school(.lessonSettings, laestab),
            uploadAction: SiteURL.school(.timetable, laestab), today: request.context.today.iso,
            checkHref: SiteURL.school(.sameDayCheck, laestab, query: ["date": date.iso]))
        return try Page.render(page, request: request, status: status)
    }

    /// The timetable in force in words: its first day, cycle, lessons and classes.
    static func inForce(_ timetable: StoredTimetable?, text: Text) -> String {
        guard let timetable else { return text("schoolLessons.noTimetable", [:]) }
        return text(
            "schoolLessons.inForce",
            [
                "from": DateText.day(timetable.cycle.startsOn, text), "weeks": String(timetable.cycle.weeks),
                "lessons": String(timetable.lessons.count), "classes": String(timetable.classes.count),
            ])
    }

    /// Names a teacher to cover a lesson of a day (an empty email takes the cover away).
    @Sendable static func cover(_ request: Request) async throws -> Response {
        guard case .school(let laestab) = request.target else { throw Abort(.notFound) }
        let form = try request.form(CoverForm.self)
        do {
            try await request.context.store.lessons.assignCover(
                school: laestab, lessonID: form.lesson, on: form.date, teacher: form.teacher, by: request.actor)
        } catch StoreError.notFound {
            throw WebError.badField("lesson", .missingOrInvalid)
        }
        return Page.redirect(
            SiteURL.school(.schoolLessons, laestab, query: ["date": form.date.iso, "done": "cover"]))
    }

    struct CoverForm: Form {
        let date: LocalDate
        let lesson: Int
        let teacher: String

        init(_ fields: FormFields) throws {
            date = try fields.date("date")
            lesson = try fields.number("lesson", in: 1...Int(Int32.max))
            let teacher = try fields.words("teacher", limit: 200, required: false)
            guard teacher.isEmpty || (teacher.contains("@") && !teacher.contains(" ")) else {
                throw WebError.badField("teacher", .missingOrInvalid)
            }
            self.teacher = teacher
        }

        static let labels = ["lesson": "schoolLessons.lesson", "teacher": "schoolLessons.coverTeacher"]
    }

    /// Sets how long after a lesson's end its register may still be taken.
    @Sendable static func settings(_ request: Request) async throws -> Response {
        guard case .school(let laestab) = request.target else { throw Abort(.notFound) }
        let minutes = try request.form(GraceForm.self).minutes
        try await request.context.store.lessons.setGraceMinutes(minutes, school: laestab, by: request.actor)
        return Page.redirect(SiteURL.school(.schoolLessons, laestab, query: ["done": "grace"]))
    }

    struct GraceForm: Form {
        let minutes: Int
        init(_ fields: FormFields) throws { minutes = try fields.number("grace", in: LessonWindow.graceRange) }
        static let labels = ["grace": "schoolLessons.grace"]
    }

    /// The timetable in force on a day, the whole cycle by day and period.
    @Sendable static func timetable(_ request: Request) async throws -> Response {
        guard case .school(let laestab) = request.target else { throw Abort(.notFound) }
        let store = request.context.store
        let text: Text = { request.text($0, $1) }
        let date = try request.queryDate("date") ?? request.context.today
        let school = try await store.reference.requireSchool(laestab).school
        let found = try await store.lessons.timetable(school: laestab, on: date)
        let names = try await request.names()
        let days = (found.map { Array($0.cycle.days) } ?? []).map { day in
            TimetablePage.Day(
                heading: text("timetable.day", ["day": String(day)]),
                lessons: (found?.lessons ?? []).filter { $0.cycleDay == day }.map { lesson in
                    TimetablePage.Lesson(
                        name: LessonWords.name(lesson, text), times: LessonWords.times(lesson),
                        teacher: names[lesson.teacher] ?? lesson.teacher, room: lesson.room ?? "",
                        pupils: String(found?.classes[lesson.className]?.count ?? 0))
                })
        }
        let page = TimetablePage(
            title: text("timetable.title", ["school": school.name]),
            inForce: inForce(found, text: text), days: days,
            backHref: SiteURL.school(.schoolLessons, laestab))
        return try Page.render(page, request: request)
    }

    /// The timetable and its class lists, uploaded as two CSV files: imported from its first day, all or nothing.
    struct Upload: Content {
        var timetable: File?
        var classes: File?
        var from: String?
        var weeks: String?
    }

    @Sendable static func upload(_ request: Request) async throws -> Response {
        guard case .school(let laestab) = request.target else { throw Abort(.notFound) }
        let text: Text = { request.text($0, $1) }
        guard let upload = try? request.content.decode(Upload.self), let timetable = upload.timetable,
            let classes = upload.classes, timetable.data.readableBytes > 0, classes.data.readableBytes > 0
        else {
            return try await render(request, error: text("schoolLessons.noFiles", [:]), status: .unprocessableEntity)
        }
        guard let from = LocalDate(entered: upload.from ?? ""), let weeks = Int(upload.weeks ?? ""),
            let cycle = try? TimetableCycle(weeks: weeks, startsOn: from)
        else {
            return try await render(request, error: text("schoolLessons.badCycle", [:]), status: .unprocessableEntity)
        }
        func read(_ file: File) -> String? { String(data: Data(file.data.readableBytesView), encoding: .utf8) }
        guard let timetableText = read(timetable), let classesText = read(classes) else {
            return try await render(request, error: text("schoolLessons.notText", [:]), status: .unprocessableEntity)
        }
        // Each file's problems say which file and line; nothing is written while any is found.
        do {
            let lessons: [Numbered<TimetableLesson>]
            do { lessons = try ImportParser.timetable(timetableText, weeks: weeks) } catch {
                throw Refused(file: timetable.filename, problems: error)
            }
            let members: [Numbered<ClassMember>]
            do { members = try ImportParser.classes(classesText) } catch {
                throw Refused(file: classes.filename, problems: error)
            }
            do {
                try await request.context.store.lessons.importTimetable(
                    lessons, classes: members, school: laestab, cycle: cycle, by: request.actor,
                    source: String(timetable.filename.prefix(200)))
            } catch let problems as ImportProblems {
                throw Refused(file: classes.filename, problems: problems)
            }
        } catch let refused as Refused {
            let lines = refused.problems.problems.prefix(20).map {
                text(
                    $0.line > 0 ? "schoolLessons.problemLine" : "schoolLessons.problemFile",
                    ["file": String(refused.file.prefix(100)), "line": String($0.line), "problem": $0.message])
            }
            return try await render(
                request, error: ([text("schoolLessons.refused", [:])] + lines).joined(separator: " "),
                status: .unprocessableEntity)
        }
        return Page.redirect(SiteURL.school(.schoolLessons, laestab, query: ["date": from.iso, "done": "imported"]))
    }

    struct Refused: Error {
        let file: String
        let problems: ImportProblems
    }
}

struct SchoolLessonsPage: PageModel {
    static let template = "school-lessons"

    struct Row: Sendable {
        let id: String
        let name: String
        let times: String
        let teacher: String
        let status: String
        let missing: Bool
        let href: String
    }

    let title: String
    let date: String
    let action: String
    let notice: String?
    let error: String?
    let missing: [Row]
    let rows: [Row]
    let timetable: String
    let timetableHref: String
    let coverAction: String
    let grace: String
    let graceAction: String
    let uploadAction: String
    let today: String
    let checkHref: String
}

struct TimetablePage: PageModel {
    static let template = "timetable"

    struct Lesson: Sendable {
        let name: String
        let times: String
        let teacher: String
        let room: String
        let pupils: String
    }

    struct Day: Sendable {
        let heading: String
        let lessons: [Lesson]
    }

    let title: String
    let inForce: String
    let days: [Day]
    let backHref: String
}
