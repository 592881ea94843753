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

    static let csvColumns = [
        "laestab", "scope", "group", "from", "to", "pupils", "possible", "attended", "authorised", "unauthorised",
        "attendance_percent", "persistent_absentees",
    ]

    /// The school page's tables as one file: the school year to date for the whole school, each year group and
    /// each form, then the weeks of the trend (a week's line has no pupil count or persistent absentees).
    @Sendable static func csv(_ request: Request) async throws -> Response {
        guard case .school(let laestab) = request.target else { throw Abort(.notFound) }
        let store = request.context.store
        let range = FigureViews.yearToDate(request)
        let figures = try await store.registers.schoolFigures(laestab, in: range)
        func cells(_ total: AttendanceSummary) -> [String] {
            [
                String(total.possible), String(total.attended), String(total.authorised), String(total.unauthorised),
                Tenths.decimalText(total.attendanceTenths),
            ]
        }
        func row(_ scope: String, _ group: String, _ pupils: [PupilSummary]) -> [String] {
            let total = pupils.map(\.summary).reduce(AttendanceSummary.empty(rules: store.rules), +)
            return [laestab.description, scope, group, range.start.iso, range.end.iso, String(pupils.count)]
                + cells(total) + [String(pupils.filter(\.summary.persistentAbsence).count)]
        }
        var rows = [row("school", "", figures.pupils)]
        for (scope, key) in [("year_group", \Pupil.yearGroup), ("form", \Pupil.registrationGroup)] {
            let grouped = Dictionary(grouping: figures.pupils, by: { $0.pupil[keyPath: key] })
            for group in grouped.keys.sorted(by: NaturalOrder.precedes) {
                rows.append(row(scope, group, grouped[group] ?? []))
            }
        }
        for (week, total) in zip(figures.weeks.weeks, figures.weeks.summaries(rules: store.rules)) {
            rows.append([laestab.description, "week", "", week.start.iso, week.end.iso, ""] + cells(total) + [""])
        }
        return try await ReturnsController.file(
            request, columns: csvColumns, rows: rows, name: "school-\(laestab)-\(range.end.iso).csv")
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
