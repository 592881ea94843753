import AttendanceCore
import AttendanceLetters
import AttendanceStore
import Vapor

/// The authority's dashboard (issue 34, point 7): every school in one table against its target, sortable, with
/// the authority's week-by-week trend and how the schools are spread; for the Education Lead each school opens its
/// own page. The same figures are shared with every school (`compare`): its own line marked, the authority's and
/// its phase's beside it, other schools' figures without a way in.
enum DashboardController {
    enum Sort: String, CaseIterable {
        case name, phase, pupils, attendance, target, gap, persistent, trend
    }

    struct Standings {
        let range: DateRange
        let schools: [SchoolStanding]
        let authority: [AttendanceSummary]
        let weeks: [DateRange]
    }

    static func standings(_ request: Request) async throws -> Standings {
        let store = request.context.store
        let range = FigureViews.yearToDate(request)
        let figures = try await store.registers.everySchoolsFigures(in: range)
        let targets = try await store.targets.targets(for: range.end.academicYear)
        let schools = figures.map { figure in
            SchoolStanding(
                school: figure.school, pupils: figure.pupils.map(\.summary),
                weeks: figure.weeks.summaries(rules: store.rules), target: targets[figure.school.laestab],
                rules: store.rules)
        }
        let total = figures.map(\.weeks).reduce(WeeklyTally(range: range), +)
        return Standings(
            range: range, schools: schools, authority: total.summaries(rules: store.rules), weeks: total.weeks)
    }

    /// The Education Lead's dashboard, sorted as asked (the PDF keeps the page's order).
    static func model(_ request: Request) async throws -> DashboardPage {
        let sort = try Sort(rawValue: request.query[String.self, at: "sort"] ?? "attendance").orThrow("sort")
        let descending = request.query[String.self, at: "order"] == "desc"
        let order = [("sort", sort.rawValue)] + (descending ? [("order", "desc")] : [])
        return DashboardPage.make(
            standings: try await standings(request), sort: sort, descending: descending, own: nil,
            link: { SiteURL.school($0) }, sortHref: { SiteURL.dashboard.path(query: $0) },
            csv: SiteURL.dashboardCSV.path(), pdf: SiteURL.dashboardPDF.path(query: order),
            dataChecks: try await request.context.store.registers.lastDataChecks(), text: { request.text($0, $1) })
    }

    @Sendable static func page(_ request: Request) async throws -> Response {
        try Page.render(try await model(request), request: request)
    }

    /// The dashboard as a PDF, made by WeasyPrint from the same body with the print style: the charts as drawn
    /// on the page, every number in a table beside them.
    @Sendable static func pdf(_ request: Request) async throws -> Response {
        guard let maker = request.context.letters.pdf else { throw WebError.refused(.noPDF) }
        let html = try Page.document(
            DashboardDocument(dashboard: try await model(request), print: true), request: request)
        guard let pdf = try await maker.render([html]).each.first else { throw Abort(.internalServerError) }
        try await request.context.store.auditTrail.record(
            AuditEvent(actor: request.actor, action: "export", subject: "dashboard.pdf"))
        return LettersController.file(pdf, name: "attendance-dashboard-\(request.context.today.iso).pdf")
    }

    /// A school's view of the collated figures: every school's, its own marked, no way into another.
    @Sendable static func compare(_ request: Request) async throws -> Response {
        guard case .school(let laestab) = request.target else { throw Abort(.notFound) }
        let sort = try Sort(rawValue: request.query[String.self, at: "sort"] ?? "attendance").orThrow("sort")
        let descending = request.query[String.self, at: "order"] == "desc"
        let found = try await standings(request)
        let page = DashboardPage.make(
            standings: found, sort: sort, descending: descending, own: laestab,
            link: { $0 == laestab ? SiteURL.school($0) : nil },
            sortHref: { SiteURL.compareSchools.path(["laestab": laestab.description], query: $0) }, csv: nil,
            dataChecks: try await request.context.store.registers.lastDataChecks(), text: { request.text($0, $1) })
        return try Page.render(page, request: request)
    }

    static let csvColumns = [
        "laestab", "school", "phase", "from", "to", "pupils", "possible", "attended", "authorised", "unauthorised",
        "attendance_percent", "target_percent", "green", "amber", "red", "persistent_absentees",
        "latest_week_change_points",
    ]

    @Sendable static func csv(_ request: Request) async throws -> Response {
        let found = try await standings(request)
        let rows = found.schools.map { standing -> [String] in
            let s = standing.summary
            return [
                standing.school.laestab.description, standing.school.name, standing.school.phase.rawValue,
                found.range.start.iso, found.range.end.iso, String(standing.pupils), String(s.possible),
                String(s.attended), String(s.authorised), String(s.unauthorised),
                Tenths.decimalText(s.attendanceTenths), Tenths.decimalText(standing.target?.tenths),
                String(standing.bands[.green] ?? 0), String(standing.bands[.amber] ?? 0),
                String(standing.bands[.red] ?? 0), String(standing.persistent),
                standing.trend.map { Tenths.pointsText($0).replacingOccurrences(of: "−", with: "-") } ?? "",
            ]
        }
        return try await ReturnsController.file(request, columns: csvColumns, rows: rows, name: "schools.csv")
    }
}

extension Optional {
    /// The value, or a bad query naming the parameter.
    func orThrow(_ name: String) throws -> Wrapped {
        guard let self else { throw WebError.badQuery(name, .missingOrInvalid) }
        return self
    }
}

struct DashboardPage: PageModel {
    static let template = "dashboard"

    struct Column: Sendable {
        let label: String
        let href: String
        /// "ascending" or "descending" on the column the table is sorted by.
        let sorted: String?
        let number: Bool
    }

    struct Row: Sendable {
        let name: String
        let href: String?
        let own: Bool
        let phase: String
        let pupils: String
        let attendance: String
        let target: String
        let gap: String
        let below: Bool
        let bands: String
        let persistent: String
        let trend: String
        let trendWords: String
        /// The school's latest data check, in short.
        let dataCheck: String
    }

    struct Summary: Sendable {
        let label: String
        let attendance: String
        let persistent: String
    }

    struct Week: Sendable {
        let week: String
        let attendance: String
    }

    struct Bucket: Sendable {
        let label: String
        let count: Int
    }

    let title: String
    let period: String
    let csv: String?
    /// The dashboard as a PDF (the Education Lead's; a school's view has neither file).
    let pdf: String?
    /// The concerns raised with heads (the lead's view only, beside the files).
    let concernsHref: String
    let columns: [Column]
    let rows: [Row]
    let summaries: [Summary]
    let trendChart: String
    let weeks: [Week]
    let distributionChart: String
    let buckets: [Bucket]

    static func make(
        standings: DashboardController.Standings, sort: DashboardController.Sort, descending: Bool, own: LAESTAB?,
        link: (LAESTAB) -> String?, sortHref: ([(String, String)]) -> String, csv: String?, pdf: String? = nil,
        dataChecks: [LAESTAB: DataCheckRun] = [:],
        text: @escaping (String, [String: String]) -> String
    ) -> DashboardPage {
        let plain = { (key: String) in text(key, [:]) }
        func key(_ standing: SchoolStanding) -> (Int, String) {
            let missing = descending ? Int.min : Int.max
            switch sort {
            case .name: return (0, standing.school.name)
            case .phase: return (0, standing.school.phase.rawValue)
            case .pupils: return (standing.pupils, "")
            case .attendance: return (standing.summary.attendanceTenths ?? missing, "")
            case .target: return (standing.target?.tenths ?? missing, "")
            case .gap: return (standing.gapToTarget ?? missing, "")
            case .persistent: return (standing.persistentTenths ?? missing, "")
            case .trend: return (standing.trend ?? missing, "")
            }
        }
        let ordered = standings.schools.sorted { a, b in
            let (x, y) = (key(a), key(b))
            if x != y { return descending ? x > y : x < y }
            return (a.school.name, a.school.laestab) < (b.school.name, b.school.laestab)
        }
        let columns = DashboardController.Sort.allCases.map { column in
            let isSorted = column == sort
            let next = isSorted && !descending ? "desc" : "asc"
            return Column(
                label: plain("dashboard.column.\(column.rawValue)"),
                href: sortHref([("sort", column.rawValue), ("order", next)]),
                sorted: isSorted ? (descending ? "descending" : "ascending") : nil,
                number: ![.name, .phase].contains(column))
        }
        func share(_ count: Int, of total: Int) -> String {
            Tenths.percentText(Tenths.share(count, of: total))
        }
        let rows = ordered.map { standing in
            let counted = standing.bands.values.reduce(0, +)
            let trend = standing.trend
            return Row(
                name: standing.school.name, href: link(standing.school.laestab),
                own: standing.school.laestab == own, phase: plain("phase.\(standing.school.phase.rawValue)"),
                pupils: String(standing.pupils), attendance: standing.summary.attendancePercentText,
                target: standing.target?.percentText ?? "–", gap: Tenths.pointsText(standing.gapToTarget),
                below: standing.target?.isMissed(by: standing.summary) == true,
                bands: text(
                    "dashboard.bands",
                    [
                        "green": share(standing.bands[.green] ?? 0, of: counted),
                        "amber": share(standing.bands[.amber] ?? 0, of: counted),
                        "red": share(standing.bands[.red] ?? 0, of: counted),
                    ]), persistent: Tenths.percentText(standing.persistentTenths),
                trend: trend.map { ($0 > 0 ? "↑ " : $0 < 0 ? "↓ " : "→ ") + Tenths.pointsText($0) } ?? "–",
                trendWords: trend.map {
                    text(
                        $0 > 0 ? "dashboard.trendUp" : $0 < 0 ? "dashboard.trendDown" : "dashboard.trendSame",
                        ["points": Tenths.pointsText(abs($0))])
                } ?? plain("dashboard.trendNone"),
                dataCheck: DataCheckWords.short(dataChecks[standing.school.laestab], text))
        }
        // The authority, and for a school its own phase, beside the schools.
        func summary(_ label: String, _ schools: [SchoolStanding]) -> Summary {
            let total = schools.map(\.summary).reduce(.empty(rules: schools.first?.summary.rules ?? .wrexham2025), +)
            let pupils = schools.map(\.pupils).reduce(0, +)
            let persistent = schools.map(\.persistent).reduce(0, +)
            return Summary(
                label: label, attendance: total.attendancePercentText,
                persistent: Tenths.percentText(Tenths.share(persistent, of: pupils)))
        }
        var summaries = [summary(plain("dashboard.authority"), standings.schools)]
        if let own, let mine = standings.schools.first(where: { $0.school.laestab == own }) {
            summaries.append(
                summary(
                    text("dashboard.phaseLine", ["phase": plain("phase.\(mine.school.phase.rawValue)")]),
                    standings.schools.filter { $0.school.phase == mine.school.phase }))
            summaries.append(summary(mine.school.name, [mine]))
        }
        let period = text(
            "dashboard.period",
            ["from": DateText.day(standings.range.start, text), "to": DateText.day(standings.range.end, text)])
        // Weeks with registers (holidays leave none).
        let counted = zip(standings.weeks, standings.authority).filter { $0.1.possible > 0 }
        let weekLabel = { (week: DateRange) in DateText.day(week.start, text) }
        let trendChart = LineChart(
            id: "authority-trend", title: text("dashboard.trendTitle", ["period": period]),
            description: plain("dashboard.trendDescription"),
            columns: counted.map { "\($0.0.start.day)/\($0.0.start.month)" },
            series: [
                .init(
                    kind: "this-year", label: plain("dashboard.thisYear"),
                    points: counted.map { $0.1.attendanceTenths })
            ], references: [])
        // How the schools are spread: whole points from below 88% to 98% and over.
        let edges = [880, 900, 920, 940, 960, 980]
        var buckets = Array(repeating: 0, count: edges.count + 1)
        for standing in standings.schools {
            guard let tenths = standing.summary.attendanceTenths else { continue }
            buckets[edges.firstIndex { tenths < $0 } ?? edges.count] += 1
        }
        let labels =
            [text("dashboard.below", ["figure": "88%"])]
            + zip(edges, edges.dropFirst()).map { "\($0 / 10)–\($1 / 10)%" } + [
                text("dashboard.andOver", ["figure": "98%"])
            ]
        let columnsChart = ColumnChart(
            id: "schools-spread", title: text("dashboard.spreadTitle", ["period": period]),
            description: plain("dashboard.spreadDescription"),
            columns: zip(labels, buckets).map { ColumnChart.Column(label: $0, count: $1) })
        return DashboardPage(
            title: plain(own == nil ? "dashboard.title" : "dashboard.compareTitle"), period: period, csv: csv, pdf: pdf,
            concernsHref: SiteURL.concerns.path(),
            columns: columns, rows: rows, summaries: summaries, trendChart: trendChart.svg,
            weeks: counted.map { Week(week: weekLabel($0.0), attendance: $0.1.attendancePercentText) },
            distributionChart: columnsChart.svg,
            buckets: zip(labels, buckets).map { Bucket(label: $0, count: $1) })
    }
}

/// The dashboard as a whole document for print: the same body, the print style, no site frame.
struct DashboardDocument: PageModel {
    static let template = "dashboard-document"
    let dashboard: DashboardPage
    /// Read by the body: no links to files, no sort hint, the numbers shown rather than folded away.
    let print: Bool
}
