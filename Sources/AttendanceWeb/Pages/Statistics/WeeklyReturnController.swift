import AttendanceCore
import AttendanceInterop
import AttendanceStore
import Vapor

/// Welsh Government's weekly management information for the Education Lead (issue 34, point 8): every school's
/// week by sex, year group and free school meals, as a page (the authority's totals and each school's figure)
/// and as the return's CSV (`WeeklyReturnRow`), the same rows `attendance export weekly` writes.
enum WeeklyReturnController {
    /// The week asked for (any day in it), by default the week of today; never a week that has not begun.
    static func week(_ request: Request) throws -> DateRange {
        let today = request.context.today
        let day = try request.queryDate("week") ?? today
        let week = SchoolWeek.of(day)
        guard week.start <= today else { throw WebError.badQuery("week", .future) }
        return week
    }

    static func rows(_ request: Request, week: DateRange) async throws -> [(School, [WeeklyReturnRow])] {
        try await request.context.store.groups.everySchool(in: week).map { school, analysis in
            (school, WeeklyReturnRow.rows(school.laestab, week: week, analysis: analysis))
        }
    }

    @Sendable static func page(_ request: Request) async throws -> Response {
        let week = try week(request)
        let page = WeeklyReturnPage.make(
            week: week, schools: try await rows(request, week: week), rules: request.context.store.rules,
            csv: SiteURL.weeklyReturnCSV.path(query: [("week", week.start.iso)]),
            action: SiteURL.weeklyReturn.path(),
            dataChecks: try await request.context.store.registers.lastDataChecks(), text: { request.text($0, $1) })
        return try Page.render(page, request: request)
    }

    @Sendable static func csv(_ request: Request) async throws -> Response {
        let week = try week(request)
        return try await ReturnsController.file(
            request, columns: WeeklyReturnRow.columns,
            rows: try await rows(request, week: week).flatMap { $0.1.map(\.cells) },
            name: "weekly-attendance-\(week.start.iso).csv")
    }
}

struct WeeklyReturnPage: PageModel {
    static let template = "weekly-return"

    struct Line: Sendable {
        let label: String
        let pupils: String
        let possible: String
        let attended: String
        let authorised: String
        let unauthorised: String
        let attendance: String
        /// A school's line: its latest data check, in short.
        let dataCheck: String?
    }

    struct Section: Sendable {
        let heading: String
        let lines: [Line]
    }

    let title: String
    let weekLine: String
    let week: String
    let action: String
    let csv: String
    let authority: [Section]
    let schools: [Line]

    static func make(
        week: DateRange, schools: [(School, [WeeklyReturnRow])], rules: SummaryRules, csv: String, action: String,
        dataChecks: [LAESTAB: DataCheckRun] = [:], text: @escaping (String, [String: String]) -> String
    ) -> WeeklyReturnPage {
        let plain = { (key: String) in text(key, [:]) }
        struct Sum {
            var pupils = 0
            var summary: AttendanceSummary
            mutating func add(_ row: WeeklyReturnRow) {
                pupils += row.pupils
                summary = summary + row.summary
            }
        }
        let empty = Sum(summary: .empty(rules: rules))
        func line(_ label: String, _ sum: Sum, dataCheck: String? = nil) -> Line {
            Line(
                label: label, pupils: String(sum.pupils), possible: String(sum.summary.possible),
                attended: String(sum.summary.attended), authorised: String(sum.summary.authorised),
                unauthorised: String(sum.summary.unauthorised), attendance: sum.summary.attendancePercentText,
                dataCheck: dataCheck)
        }
        var totals: [String: [String: Sum]] = [:]
        var schoolLines: [Line] = []
        for (school, rows) in schools {
            var whole = empty
            for row in rows {
                totals[row.breakdown, default: [:]][row.value, default: empty].add(row)
                if row.breakdown == "all" { whole.add(row) }
            }
            schoolLines.append(
                line(
                    "\(school.name) (\(school.laestab))", whole,
                    dataCheck: DataCheckWords.short(dataChecks[school.laestab], text)))
        }
        func label(_ breakdown: String, _ value: String) -> String {
            switch breakdown {
            case "all": plain("weekly.authority")
            case "sex": plain("groups.sex.\(value)")
            case "year_group": text("groups.yearLabel", ["year": value])
            default: plain(value == "yes" ? "groups.short.with.fsm" : "groups.short.without.fsm")
            }
        }
        let authority = ["all", "sex", "year_group", "fsm"].map { breakdown in
            let values = (totals[breakdown] ?? [:]).keys.sorted(by: NaturalOrder.precedes)
            return Section(
                heading: plain("weekly.by.\(breakdown)"),
                lines: values.map { line(label(breakdown, $0), totals[breakdown]?[$0] ?? empty) })
        }
        return WeeklyReturnPage(
            title: plain("weekly.title"),
            weekLine: text("weekly.week", ["dates": DateText.range(week, text)]), week: week.start.iso,
            action: action, csv: csv, authority: authority, schools: schoolLines)
    }
}
