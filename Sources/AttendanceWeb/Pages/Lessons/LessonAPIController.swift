import AttendanceCore
import AttendanceInterop
import AttendanceStore
import Foundation
import Vapor

/// A lesson's register over JSON (issue 38): read it, save its marks by the same rules and window as the page.
/// The body is the session register's shape (`RegisterSaveBody`) with the lesson's codes: `/`, `L` (with
/// `minutes_late`), `N`, `V`, `S`.
enum LessonAPIController {
    struct LessonDTO: Content {
        struct Line: Content {
            let upn: String
            let name: String
            let code: String?
            let minutesLate: Int?
            let recordedBy: String?
            let recordedAt: String?

            enum CodingKeys: String, CodingKey {
                case upn, name, code
                case minutesLate = "minutes_late"
                case recordedBy = "recorded_by"
                case recordedAt = "recorded_at"
            }
        }
        let school: String
        let date: String
        let lesson: Int
        let className: String
        let subject: String
        let period: Int
        let start: String
        let end: String
        let teacher: String
        /// `not_yet`, `open` or `closed` for the caller.
        let state: String
        let pupils: [Line]

        enum CodingKeys: String, CodingKey {
            case school, date, lesson, subject, period, start, end, teacher, state, pupils
            case className = "class"
        }
    }

    struct ResultDTO: Content {
        struct Problem: Content {
            let upn: String
            let error: String
        }
        let inserted: Int
        let amended: Int
        let unchanged: Int
        let errors: [Problem]
    }

    static func stateName(_ state: LessonWindow.State) -> String {
        switch state {
        case .notYet: "not_yet"
        case .open: "open"
        case .closed: "closed"
        }
    }

    @Sendable static func read(_ request: Request) async throws -> Response {
        let context = try LessonRegisterController.context(request)
        let lesson = context.lesson
        let (state, _) = try await LessonRegisterController.window(request, context)
        let pupils = try await request.context.store.reference.pupils(context.pupils)
        let marks = try await request.context.store.lessons.lessonMarks(
            school: context.school, on: lesson.date, className: lesson.lesson.className, period: lesson.lesson.period)
        return try APIController.json(
            LessonDTO(
                school: context.school.description, date: lesson.date.iso, lesson: lesson.id,
                className: lesson.lesson.className, subject: lesson.lesson.subject, period: lesson.lesson.period,
                start: lesson.lesson.start.description, end: lesson.lesson.end.description, teacher: lesson.teacher,
                state: stateName(state),
                pupils: context.pupils.map { upn in
                    let mark = marks[upn]
                    return LessonDTO.Line(
                        upn: upn.value, name: pupils[upn]?.displayName ?? "", code: mark?.mark.code.rawValue,
                        minutesLate: mark?.mark.minutesLate, recordedBy: mark?.recordedBy,
                        recordedAt: mark.map { Timestamp.text($0.recordedAt) })
                }))
    }

    static func refuse(_ problems: [ResultDTO.Problem], status: HTTPStatus) throws -> Response {
        let response = try APIController.json(ResultDTO(inserted: 0, amended: 0, unchanged: 0, errors: problems))
        response.status = status
        return response
    }

    @Sendable static func save(_ request: Request) async throws -> Response {
        let context = try LessonRegisterController.context(request)
        guard let data = request.body.data, let body = RegisterSaveBody.read(Data(data.readableBytesView)) else {
            throw WebError.badBody(shape: "{\"marks\": [{\"upn\", \"code\", \"minutes_late\"}], \"reason\"}")
        }
        let (state, _) = try await LessonRegisterController.window(request, context)
        guard LessonWindow.mayTake(state, by: try LessonRegisterController.taker(request, context.school)) else {
            return try refuse(
                [.init(upn: "", error: request.text("error.lesson.notOpen"))], status: .unprocessableEntity)
        }
        let inClass = Set(context.pupils)
        var problems: [ResultDTO.Problem] = []
        var marks: [LessonMark] = []
        var seen = Set<UPN>()
        for entry in body.marks {
            guard let upn = try? UPN(entry.upn), inClass.contains(upn) else {
                problems.append(.init(upn: entry.upn, error: request.text("error.lesson.notInClass")))
                continue
            }
            guard seen.insert(upn).inserted else {
                problems.append(.init(upn: entry.upn, error: request.text("error.lesson.twice")))
                continue
            }
            guard let code = LessonCode(rawValue: entry.code.uppercased()) else {
                problems.append(.init(upn: entry.upn, error: request.text("lesson.needMark")))
                continue
            }
            marks.append(LessonMark(upn: upn, code: code, minutesLate: entry.minutesLate))
        }
        guard problems.isEmpty else { return try refuse(problems, status: .unprocessableEntity) }
        let reason = (body.reason ?? "").trimmingCharacters(in: .whitespaces)
        let lesson = context.lesson
        do {
            let result = try await request.context.store.lessons.saveLessonRegister(
                school: context.school, on: lesson.date, className: lesson.lesson.className,
                period: lesson.lesson.period, marks: marks, by: request.actor,
                reason: reason.isEmpty ? nil : String(reason.prefix(500)))
            return try APIController.json(
                ResultDTO(
                    inserted: result.inserted, amended: result.amended, unchanged: result.unchanged, errors: []))
        } catch StoreError.lesson(let problem) {
            var upn = ""
            switch problem {
            case .minutes(let who), .notInClass(let who), .twice(let who), .needReason(let who): upn = who.value
            case .notOpen: break
            }
            return try refuse(
                [.init(upn: upn, error: request.text("error.lesson.\(problem.key)"))],
                status: problem.key == "needReason" ? .conflict : .unprocessableEntity)
        }
    }
}
