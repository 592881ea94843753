import AttendanceCore
import AttendanceStore
import Vapor

/// A school's aggregate figures (see `SchoolPage`), against the year's attendance target, which the head sets.
enum SchoolController {
    @Sendable static func page(_ request: Request) async throws -> Response {
        let saved = request.query[String.self, at: "target"] == "saved"
        return try await render(request, notice: saved ? request.text("target.saved") : nil, error: nil, status: .ok)
    }

    static func render(_ request: Request, notice: String?, error: String?, status: HTTPStatus) async throws
        -> Response
    {
        guard case .school(let laestab) = request.target else { throw Abort(.notFound) }
        let store = request.context.store
        let school = try await store.reference.requireSchool(laestab).school
        let range = FigureViews.yearToDate(request)
        let week = SchoolWeek.current(on: request.context.today)
        let mayDecide = try request.signedIn.allows(.setTarget, .school(laestab))
        let page = SchoolPage.make(
            school: school.name, year: try await store.registers.schoolReport(laestab, in: range),
            week: try await store.registers.schoolReport(laestab, in: week),
            onRoll: try await store.reference.onRoll(laestab, on: request.context.today), today: request.context.today,
            weekRange: week, yearRange: range, rules: store.rules,
            target: try await store.targets.target(laestab, for: range.end.academicYear),
            targetAction: mayDecide ? SiteURL.school(.schoolTarget, laestab) : nil, names: try await request.names(),
            notice: notice, error: error, text: { request.text($0, $1) })
        return try Page.render(page, request: request, status: status)
    }

    /// The head sets the school's target for this school year (or confirms the one the authority proposed).
    @Sendable static func setTarget(_ request: Request) async throws -> Response {
        guard case .school(let laestab) = request.target else { throw Abort(.notFound) }
        let typed = (try? request.content.get(String.self, at: "target")) ?? ""
        let tenths: Int
        do { tenths = try AttendanceTarget.tenths(typed: typed) } catch {
            return try await render(
                request, notice: nil, error: request.text("error.target.\(error.rawValue)"),
                status: .unprocessableEntity)
        }
        try await request.context.store.targets.setTarget(
            laestab, for: request.context.today.academicYear, tenths: tenths, by: request.actor)
        return Page.redirect(SiteURL.school(laestab) + "?target=saved#target")
    }
}
