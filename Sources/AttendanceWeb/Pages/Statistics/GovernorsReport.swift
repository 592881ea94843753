import AttendanceCore
import AttendanceLetters
import AttendanceStore
import Vapor

/// The governors' termly report (issue 34, point 6): aggregates only, as a page and a PDF, in the reader's
/// language: the data check's state first, the school against its target and the same weeks last year, the term
/// week by week, its groups with small ones hidden whoever reads it, persistent absence, and the procedure's
/// activity as counts. No pupil is named anywhere in it.
enum GovernorsReportController {
    static func model(_ request: Request) async throws -> GovernorsReportPage {
        guard case .school(let laestab) = request.target else { throw Abort(.notFound) }
        let store = request.context.store
        let today = request.context.today
        let school = try await store.reference.requireSchool(laestab).school
        let calendar = try await store.reference.calendar(for: school)
        // This term so far (between terms, the term just ended), or the term before; the school year so far when
        // the calendar has no term.
        let asked = request.query[String.self, at: "period"] ?? ReportPeriod.term.rawValue
        let choice = try ReportPeriod(rawValue: asked).flatMap { $0 == .year ? nil : $0 }.orThrow("period")
        let term = choice.ranges(calendar: calendar, today: today)?.period ?? .yearToDate(today)
        // The same weeks a year before: 52 weeks back keeps each weekday.
        let lastYear = DateRange(term.start.adding(days: -364), term.end.adding(days: -364)) ?? term
        let termFigures = try await store.registers.schoolFigures(laestab, in: term)
        let lastYearFigures = try await store.registers.schoolFigures(laestab, in: lastYear)
        let year = try await store.registers.schoolReport(laestab, in: .yearToDate(today))
        let analysis = try await store.groups.analysis(laestab, in: term)
        let target = try await store.targets.target(laestab, for: today.academicYear)
        let text = { (key: String, values: [String: String]) in request.text(key, values) }
        let groups = GroupAnalysisPage.make(
            school: school.name, analysis: analysis, range: term, target: target, suppress: true, groups: [],
            manageHref: nil, action: "", csv: "", text: text)
        return GovernorsReportPage.make(
            school: school.name, term: term, lastYear: lastYear, termFigures: termFigures,
            lastYearFigures: lastYearFigures, year: year.map(\.summary), target: target,
            dataCheck: try await store.registers.lastDataCheck(laestab), groups: groups,
            activity: try await store.procedure.activity(laestab, in: term), policy: request.context.policy,
            rules: store.rules, rewards: try await rewardsLine(request, laestab, choice: choice, text: text),
            termLabel: text(choice == .term ? "governors.thisTerm" : "governors.lastTerm", [:]),
            periods: [ReportPeriod.term, .lastTerm].map {
                RewardsPage.PeriodLink(
                    label: text("rewards.period.\($0.rawValue)", [:]),
                    href: SiteURL.school(.governorsReport, laestab, query: ["period": $0.rawValue]),
                    current: $0 == choice)
            },
            pdf: SiteURL.school(.governorsReportPDF, laestab, query: ["period": choice.rawValue]),
            interventions: try await interventionLines(request, school: school, text: text), text: text)
    }

    /// This school year's interventions as counts and average change by kind: no pupil is named.
    static func interventionLines(
        _ request: Request, school: School, text: @escaping (String, [String: String]) -> String
    ) async throws -> [String] {
        let year = request.context.today.academicYear
        let items = try await request.context.store.interventions.interventions(school.laestab).filter {
            $0.start.academicYear == year
        }
        let measured = try await InterventionsController.measure(items, school: school, request: request)
        return ImpactTable.governorLines(items, measured: measured, text: text)
    }

    /// This term's rewards as counts, by the rewards page's own lists and the draws made for the term.
    static func rewardsLine(
        _ request: Request, _ laestab: LAESTAB, choice: ReportPeriod,
        text: @escaping (String, [String: String]) -> String
    ) async throws -> String {
        guard let found = try await RewardsController.found(request, laestab, period: choice)
        else { return text("governors.noRewards", [:]) }
        let draws = try await request.context.store.rewards.draws(laestab).filter {
            $0.span == .term && $0.period.start == found.period.start
        }
        return text(
            "governors.rewards",
            [
                "full": String(found.full.count), "improved": String(found.improved.count),
                "draws": String(draws.count), "winners": String(draws.map(\.winners.count).reduce(0, +)),
                "points": RewardsPage.points(Rewards.minimumRiseTenths),
            ])
    }

    @Sendable static func page(_ request: Request) async throws -> Response {
        try Page.render(try await model(request), request: request)
    }

    /// The same report as a PDF, made by WeasyPrint from the report's print document.
    @Sendable static func pdf(_ request: Request) async throws -> Response {
        guard case .school(let laestab) = request.target else { throw Abort(.notFound) }
        guard let maker = request.context.letters.pdf else { throw WebError.refused(.noPDF) }
        let model = try await model(request)
        let html = try Page.document(GovernorsReportDocument(report: model), request: request)
        guard let pdf = try await maker.render([html]).each.first else { throw Abort(.internalServerError) }
        try await request.context.store.auditTrail.record(
            AuditEvent(actor: request.actor, action: "export", school: laestab, subject: "governors-report.pdf"))
        return LettersController.file(pdf, name: "governors-report-\(laestab)-\(request.context.today.iso).pdf")
    }
}

struct GovernorsReportPage: PageModel {
    static let template = "governors-report"

    struct Figure: Sendable {
        let label: String
        let attendance: String
        let authorised: String
        let unauthorised: String
        let persistent: String
    }

    let title: String
    let period: String
    let dataCheck: String
    /// Said first when the latest data check found problems.
    let dataWarning: String?
    let targetLine: String
    let figures: [Figure]
    let trendChart: String
    let groups: GroupAnalysisPage
    let activity: [SchoolPage.ActivityRow]
    let letters: String
    let penalties: String
    /// The term's rewards as counts: no pupil is named.
    let rewards: String
    let pdf: String
    /// The terms the report can cover (the page's links; not printed).
    let periods: [RewardsPage.PeriodLink]
    /// This year's interventions by kind, as counts and average change.
    let interventions: [String]
    let hasInterventions: Bool

    static func make(
        school: String, term: DateRange, lastYear: DateRange, termFigures: SchoolFigures,
        lastYearFigures: SchoolFigures, year: [AttendanceSummary], target: AttendanceTarget?,
        dataCheck: DataCheckRun?, groups: GroupAnalysisPage, activity: ProcedureActivity, policy: Policy,
        rules: SummaryRules, rewards: String, termLabel: String, periods: [RewardsPage.PeriodLink], pdf: String,
        interventions: [String] = [], text: @escaping (String, [String: String]) -> String
    ) -> GovernorsReportPage {
        let plain = { (key: String) in text(key, [:]) }
        func figure(_ label: String, _ pupils: [AttendanceSummary]) -> Figure {
            let total = pupils.reduce(AttendanceSummary.empty(rules: rules), +)
            let persistent = pupils.filter(\.persistentAbsence).count
            return Figure(
                label: label, attendance: total.attendancePercentText,
                authorised: Tenths.percentText(total.authorisedTenths),
                unauthorised: Tenths.percentText(total.unauthorisedTenths),
                persistent: pupils.isEmpty
                    ? "–"
                    : text(
                        "governors.persistentCell",
                        [
                            "count": String(persistent),
                            "share": Tenths.percentText(Tenths.share(persistent, of: pupils.count)),
                        ]))
        }
        func days(_ range: DateRange) -> String {
            text("governors.days", ["from": DateText.day(range.start, text), "to": DateText.day(range.end, text)])
        }
        let thisTerm = termFigures.weeks.summaries(rules: rules)
        let before = lastYearFigures.weeks.summaries(rules: rules)
        let counted = thisTerm.indices.filter { thisTerm[$0].possible > 0 }
        let trend = LineChart(
            id: "governors-trend", title: text("governors.trendTitle", ["period": days(term)]),
            description: plain("school.trendDescription"),
            columns: counted.map {
                "\(termFigures.weeks.weeks[$0].start.day)/\(termFigures.weeks.weeks[$0].start.month)"
            },
            series: [
                .init(
                    kind: "this-year", label: plain("dashboard.thisYear"),
                    points: counted.map { thisTerm[$0].attendanceTenths }),
                .init(
                    kind: "last-year", label: plain("school.lastYear"),
                    points: counted.map { $0 < before.count ? before[$0].attendanceTenths : nil }),
            ],
            references: target.map {
                [
                    .init(
                        kind: "target", label: text("groups.chartTarget", ["target": $0.percentText]), tenths: $0.tenths
                    )
                ]
            } ?? [])
        let penaltyWords = SchoolPage.ActivityRow.penaltyWords(activity, text: text)
        return GovernorsReportPage(
            title: text("governors.title", ["school": school]), period: days(term),
            dataCheck: DataCheckWords.line(dataCheck, text),
            dataWarning: dataCheck.flatMap {
                $0.problems.isEmpty ? nil : text("governors.dataWarning", ["count": String($0.problems.count)])
            } ?? (dataCheck == nil ? plain("governors.notChecked") : nil),
            targetLine: target.map { text("groups.targetLine", ["target": $0.percentText]) }
                ?? plain("groups.noTarget"),
            figures: [
                figure(termLabel, termFigures.pupils.map(\.summary)),
                figure(
                    text("governors.lastYear", ["period": DateText.range(lastYear, text)]),
                    lastYearFigures.pupils.map(\.summary)),
                figure(plain("governors.yearToDate"), year),
            ], trendChart: counted.isEmpty ? "" : trend.svg, groups: groups,
            activity: SchoolPage.ActivityRow.rows(activity, policy: policy, text: text),
            letters: text("school.letters", ["count": String(activity.letters)]),
            penalties: penaltyWords.isEmpty
                ? plain("school.noPenalties")
                : text("school.penalties", ["cases": penaltyWords.joined(separator: "; ")]),
            rewards: rewards, pdf: pdf, periods: periods, interventions: interventions,
            hasInterventions: !interventions.isEmpty)
    }
}

/// The report as a whole document for print: the same body, the print style, no site frame.
struct GovernorsReportDocument: PageModel {
    static let template = "governors-report-document"
    let report: GovernorsReportPage
}
