import AttendanceCore
import AttendanceStore
import Vapor

/// A lesson's register (issue 38): opened and saved by the class's teacher or the day's cover while the lesson
/// runs and for the school's grace after it, and by the school's office later (a change then needs a reason). A
/// lesson mark never writes a session's mark.
enum LessonRegisterController {
    /// The lesson the address names, as the authorisation read it.
    struct Context {
        let school: LAESTAB
        let lesson: LessonOfDay
        let pupils: [UPN]
    }

    static func context(_ request: Request) throws -> Context {
        guard case .lesson(let placement) = request.target, let found = request.storage[LessonKey.self] else {
            throw Abort(.notFound)
        }
        return Context(school: placement.school, lesson: found.lesson, pupils: found.pupils)
    }

    /// Who is taking the register: the office (and leaders), or the lesson's teacher.
    static func taker(_ request: Request, _ school: LAESTAB) throws -> LessonWindow.Taker {
        try request.signedIn.grants.contains {
            $0.school == school && [.attendanceAdministrator, .seniorManagement, .headTeacher].contains($0.role)
        } ? .office : .teacher
    }

    static func window(_ request: Request, _ context: Context) async throws -> (LessonWindow.State, grace: Int) {
        let grace = try await request.context.store.lessons.graceMinutes(school: context.school)
        let lesson = context.lesson.lesson
        return (
            LessonWindow.state(
                day: context.lesson.date, start: lesson.start, end: lesson.end, now: request.context.now,
                graceMinutes: grace), grace
        )
    }

    @Sendable static func page(_ request: Request) async throws -> Response {
        try await render(request, try context(request), asked: LessonRegisterPage.Asked(), status: .ok)
    }

    static func render(
        _ request: Request, _ context: Context, asked: LessonRegisterPage.Asked, status: HTTPStatus
    ) async throws -> Response {
        let store = request.context.store
        let (state, grace) = try await window(request, context)
        let lesson = context.lesson
        let pupils = try await store.reference.pupils(context.pupils)
        let marks = try await store.lessons.lessonMarks(
            school: context.school, on: lesson.date, className: lesson.lesson.className, period: lesson.lesson.period)
        let page = LessonRegisterPage.make(
            lesson: lesson,
            pupils: context.pupils.compactMap { pupils[$0] }.sorted {
                ($0.legalSurname, $0.legalForename, $0.upn.value) < ($1.legalSurname, $1.legalForename, $1.upn.value)
            }, marks: marks, state: state, grace: grace,
            mayTake: LessonWindow.mayTake(state, by: try taker(request, context.school)),
            action: SiteURL.lessonRegister(context.school, date: lesson.date, id: lesson.id),
            backHref: SiteURL.lessons.path(query: ["date": lesson.date.iso]), names: try await request.names(),
            asked: asked, language: request.language, text: { request.text($0, $1) })
        return try Page.render(page, request: request, status: status)
    }

    /// The marks a form or an API body chose, checked for their shape: a late mark needs its minutes. Pupils with
    /// no choice are left as they are.
    static func marks(
        _ choices: [UPN: (kind: String?, minutes: String?)], request: Request
    ) -> (marks: [LessonMark], errors: [UPN: String]) {
        var marks: [LessonMark] = []
        var errors: [UPN: String] = [:]
        for (upn, choice) in choices.sorted(by: { $0.key.value < $1.key.value }) {
            guard let kind = choice.kind, !kind.isEmpty else { continue }
            guard let code = LessonWords.code(choice: kind) else {
                errors[upn] = request.text("lesson.needMark")
                continue
            }
            var minutes: Int? = nil
            if code == .late {
                guard let late = choice.minutes.flatMap({ Int($0.trimmingCharacters(in: .whitespaces)) }), late > 0
                else {
                    errors[upn] = request.text("lesson.needMinutes")
                    continue
                }
                minutes = late
            }
            marks.append(LessonMark(upn: upn, code: code, minutesLate: minutes))
        }
        return (marks, errors)
    }

    @Sendable static func save(_ request: Request) async throws -> Response {
        let context = try context(request)
        let fields = try request.form(LessonRegisterForm.self)
        var asked = LessonRegisterPage.Asked(reason: fields.reason)
        for upn in context.pupils { asked.choices[upn] = fields.choice(for: upn) }
        let (state, _) = try await window(request, context)
        guard LessonWindow.mayTake(state, by: try taker(request, context.school)) else {
            asked.summary = request.text("error.lesson.notOpen")
            return try await render(request, context, asked: asked, status: .unprocessableEntity)
        }
        let (marks, errors) = marks(asked.choices, request: request)
        guard errors.isEmpty else {
            asked.errors = errors
            asked.summary = request.text("lesson.errors")
            return try await render(request, context, asked: asked, status: .unprocessableEntity)
        }
        let lesson = context.lesson
        if !marks.isEmpty {
            do {
                try await request.context.store.lessons.saveLessonRegister(
                    school: context.school, on: lesson.date, className: lesson.lesson.className,
                    period: lesson.lesson.period, marks: marks, by: request.actor,
                    reason: fields.reason.isEmpty ? nil : fields.reason)
            } catch StoreError.lesson(let problem) {
                asked.summary = request.text("error.lesson.\(problem.key)")
                if case .minutes(let upn) = problem { asked.errors[upn] = request.text("lesson.needMinutes") }
                return try await render(
                    request, context, asked: asked,
                    status: problem.key == "needReason" ? .conflict : .unprocessableEntity)
            }
        }
        return Page.redirect(SiteURL.lessons.path(query: ["date": lesson.date.iso, "saved": String(lesson.id)]))
    }
}

/// A lesson register as the page sends it back: each pupil's choice ("mark-UPN") and minutes late ("late-UPN"), and
/// a reason for changing what was recorded.
struct LessonRegisterForm: Form {
    let fields: FormFields
    let reason: String

    init(_ fields: FormFields) throws {
        self.fields = fields
        reason = String((fields.sent("reason") ?? "").trimmingCharacters(in: .whitespaces).prefix(500))
    }

    func choice(for upn: UPN) -> (kind: String?, minutes: String?) {
        (fields.sent("mark-\(upn.value)"), fields.sent("late-\(upn.value)"))
    }
}

/// The lesson the authorisation read for a lesson register's route, passed on to the route.
struct LessonKey: StorageKey {
    typealias Value = (lesson: LessonOfDay, pupils: [UPN])
}
