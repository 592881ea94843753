import AttendanceCore
import AttendanceStore
import Vapor

/// A school's aggregate figures (see `SchoolPage`).
enum SchoolController {
    @Sendable static func page(_ request: Request) async throws -> Response {
        guard case .school(let laestab) = request.target else { throw Abort(.notFound) }
        let store = request.context.store
        let school = try await store.reference.requireSchool(laestab).school
        let range = FigureViews.yearToDate(request)
        let week = SchoolWeek.current(on: request.context.today)
        let page = SchoolPage.make(
            school: school.name, year: try await store.registers.schoolReport(laestab, in: range),
            week: try await store.registers.schoolReport(laestab, in: week),
            onRoll: try await store.reference.onRoll(laestab, on: request.context.today), today: request.context.today,
            weekRange: week, yearRange: range,
            rules: store.rules, text: { request.text($0, $1) })
        return try Page.render(page, request: request)
    }
}
