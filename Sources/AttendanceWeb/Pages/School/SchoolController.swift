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
        let today = request.context.today
        let week = SchoolWeek.current(on: today)
        let principal = try request.signedIn
        let figures = try await store.registers.schoolFigures(laestab, in: range)
        // The same days of last school year, for the trend's second line.
        let lastYear = AcademicYear(startYear: range.start.academicYear.startYear - 1)
        let lastYearRange = DateRange(lastYear.firstDay, lastYear.firstDay.adding(days: range.dayCount - 1))
        var lastYearWeeks: [AttendanceSummary] = []
        if let lastYearRange {
            lastYearWeeks = try await store.registers.schoolFigures(laestab, in: lastYearRange).weeks.summaries(
                rules: store.rules)
        }
        // The procedure this term (the school year so far between terms).
        let calendar = try await store.reference.calendar(for: school)
        let term = calendar.term(containing: today).flatMap { DateRange($0.range.start, today) } ?? range
        let onRoll = try await store.reference.onRoll(laestab, on: today)
        let formYears = Dictionary(grouping: onRoll, by: \.registrationGroup).mapValues { Set($0.map(\.yearGroup)) }
        let page = SchoolPage.make(
            school: school.name, laestab: laestab, year: figures.pupils,
            week: try await store.registers.schoolReport(laestab, in: week), onRoll: onRoll, today: today,
            weekRange: week, yearRange: range, rules: store.rules,
            target: try await store.targets.target(laestab, for: range.end.academicYear),
            targetAction: principal.allows(.setTarget, .school(laestab)) ? SiteURL.school(.schoolTarget, laestab) : nil,
            dataCheck: try await store.registers.lastDataCheck(laestab),
            dataCheckHref: principal.allows(.manageAttendance, .school(laestab))
                ? SiteURL.school(.dataCheck, laestab) : nil,
            weeks: Array(zip(figures.weeks.weeks, figures.weeks.summaries(rules: store.rules))),
            lastYearWeeks: lastYearWeeks, activity: try await store.procedure.activity(laestab, in: term),
            activityRange: term, policy: request.context.policy,
            formHref: { group in
                let placement = GroupPlacement(school: laestab, group: group, yearGroups: formYears[group] ?? [])
                return principal.allows(.viewRegister, .registrationGroup(placement))
                    ? SiteURL.printRegister(laestab, group: group) : nil
            }, names: try await request.names(), notice: notice, error: error, text: { request.text($0, $1) })
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
