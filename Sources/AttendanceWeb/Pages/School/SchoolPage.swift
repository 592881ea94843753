import AttendanceCore
import AttendanceStore

/// A school's aggregate figures: the whole school, by year group, by form. No pupil is named, so governors may
/// see it.
struct SchoolPage: PageModel {
    static let template = "school"

    struct Row: Sendable {
        let label: String
        /// On roll on the page's day (as on the home page and the registers).
        let pupils: Int
        let week: String
        let year: String
        let persistent: Int
        /// Persistent absentees as a share of the pupils with a figure this year.
        let persistentRate: String
        let band: String?
        let bandClass: String?
        /// Said when the year's figure is below the school's target (exactly, as the bands are).
        let belowTarget: String?
        /// A form's printed register (its pupils and their marks), for those who may see it.
        let href: String?
    }

    /// A week of the trend: this year's figure beside the same week of last year.
    struct TrendWeek: Sendable {
        let week: String
        let thisYear: String
        let lastYear: String
    }

    /// One step of the procedure this term, by what became of it.
    struct ActivityRow: Sendable {
        let label: String
        let pending: Int
        let done: Int
        let dismissed: Int
        let closedOtherwise: Int

        /// Each step of the procedure in the period, in the policy's order (the governors' report reads the same).
        static func rows(_ activity: ProcedureActivity?, policy: Policy, text: (String, [String: String]) -> String)
            -> [ActivityRow]
        {
            (activity?.orderedActions ?? []).map { action in
                let counts = activity?.actions[action] ?? [:]
                return ActivityRow(
                    label: text(action.labelKey, action.wordValues(policy)), pending: counts[.pending] ?? 0,
                    done: counts[.done] ?? 0, dismissed: counts[.dismissed] ?? 0,
                    closedOtherwise: (counts[.withdrawn] ?? 0) + (counts[.yearEnded] ?? 0))
            }
        }

        /// Penalty notice cases by their stage: "warned: 2; issued: 1".
        static func penaltyWords(_ activity: ProcedureActivity?, text: (String, [String: String]) -> String)
            -> [String]
        {
            (activity?.penaltyCases ?? [:]).sorted { $0.key < $1.key }.map {
                "\(Catalogue.known("penalty.status.\($0.key)", text) ?? $0.key): \($0.value)"
            }
        }
    }

    /// The head's form to set the year's target, or to confirm the one the authority proposed.
    struct TargetForm: Sendable {
        let action: String
        let value: String
        let button: String
    }

    struct Section: Sendable {
        let heading: String
        let firstColumn: String
        let rows: [Row]
    }

    let title: String
    let period: String
    /// The year's target and who set it, or that there is none yet.
    let targetLine: String
    let targetForm: TargetForm?
    let notice: String?
    let error: String?
    let sections: [Section]
    let colPupils: String
    /// The school's attendance by group (`GroupAnalysisPage`).
    let groupsHref: String
    /// Every school's figures beside this one's (`DashboardPage`).
    let compareHref: String
    /// The governors' termly report (`GovernorsReportPage`).
    let governorsHref: String
    /// The data check's state and when it ran, with a link for those who may run it.
    let dataCheck: String
    let dataCheckHref: String?
    /// The rewards page, for the same people (it names pupils).
    let rewardsHref: String?
    /// Last week's figure for the newsletter and website.
    let newsletterHref: String
    /// The page's tables as CSV.
    let csvHref: String
    /// The authority's concerns about the school, answered by the head.
    let concernsHref: String
    let trendChart: String
    let trendWeeks: [TrendWeek]
    let activityPeriod: String
    let activity: [ActivityRow]
    let letters: String
    let penalties: String

    /// - Parameters:
    ///   - year: each pupil's figures for the school year to date (every pupil on roll at any time in it).
    ///   - week: each pupil's figures for this week.
    ///   - onRoll: the pupils on roll today, counted in each row's "on roll".
    ///   - target: the school's target for the year, if any; `targetAction` the head's form to set it.
    static func make(
        school: String, laestab: LAESTAB, year: [PupilSummary], week: [PupilSummary], onRoll: [Pupil], today: LocalDate,
        weekRange: DateRange, yearRange: DateRange, rules: SummaryRules, target: AttendanceTarget? = nil,
        targetAction: String? = nil, dataCheck: DataCheckRun? = nil, dataCheckHref: String? = nil,
        weeks: [(DateRange, AttendanceSummary)] = [], lastYearWeeks: [AttendanceSummary] = [],
        activity: ProcedureActivity? = nil, activityRange: DateRange? = nil, policy: Policy = .wrexham2025,
        formHref: (String) -> String? = { _ in nil },
        names: [String: String] = [:], notice: String? = nil, error: String? = nil,
        text: @escaping (String, [String: String]) -> String
    ) -> SchoolPage {
        struct Group {
            var pupils = 0
            var week: AttendanceSummary
            var year: AttendanceSummary
            var persistent = 0
            /// Pupils with a figure this year (the persistent absence rate's base).
            var counted = 0
        }
        let empty = Group(week: .empty(rules: rules), year: .empty(rules: rules))
        let thisWeek = AttendanceSummary.byPupil(week.map { ($0.pupil.upn, $0.summary) })
        var whole = empty
        var byYear: [String: Group] = [:]
        var byForm: [String: Group] = [:]
        for line in year {
            func add(_ group: inout Group) {
                group.year = group.year + line.summary
                group.week = group.week + (thisWeek[line.pupil.upn] ?? .empty(rules: rules))
                if line.summary.persistentAbsence { group.persistent += 1 }
                group.counted += 1
            }
            add(&whole)
            add(&byYear[line.pupil.yearGroup, default: empty])
            add(&byForm[line.pupil.registrationGroup, default: empty])
        }
        for pupil in onRoll {
            whole.pupils += 1
            byYear[pupil.yearGroup, default: empty].pupils += 1
            byForm[pupil.registrationGroup, default: empty].pupils += 1
        }
        func row(_ label: String, _ group: Group, href: String? = nil) -> Row {
            Row(
                label: label, pupils: group.pupils, week: group.week.attendancePercentText,
                year: group.year.attendancePercentText, persistent: group.persistent,
                persistentRate: Tenths.percentText(
                    Tenths.share(group.persistent, of: group.counted)),
                band: group.year.band.map { text($0.textKey, [:]) }, bandClass: group.year.band?.cssClass,
                belowTarget: target?.isMissed(by: group.year) == true ? text("target.below", [:]) : nil, href: href)
        }
        let academicYear = yearRange.end.academicYear.description
        var targetLine = text("target.none", ["year": academicYear])
        if let target {
            // When, in UK time: the record keeps the moment in UTC.
            let on = Timestamp.date(target.at).map { DateText.day(UKTime.parts($0).date, text) } ?? ""
            targetLine =
                target.state == .set
                ? text(
                    "target.line",
                    [
                        "year": academicYear, "target": target.percentText, "on": on,
                        "by": RecordWords.actor(target.by, names: names, text: text),
                    ])
                : text("target.proposedLine", ["year": academicYear, "target": target.percentText, "on": on])
        }
        // Year groups and forms in school order: "7", "8", … "13", then anything else.
        func order(_ a: String, _ b: String) -> Bool {
            (Int(a.prefix { $0.isNumber }) ?? 99, a) < (Int(b.prefix { $0.isNumber }) ?? 99, b)
        }
        // The year week by week against the target and the same weeks of last year (weeks with registers only).
        let plain = { (key: String) in text(key, [:]) }
        let counted = weeks.enumerated().filter { $0.element.1.possible > 0 }
        func lastYear(_ index: Int) -> AttendanceSummary? {
            index < lastYearWeeks.count && lastYearWeeks[index].possible > 0 ? lastYearWeeks[index] : nil
        }
        let trend = LineChart(
            id: "school-trend", title: text("school.trendTitle", ["school": school]),
            description: plain("school.trendDescription"),
            columns: counted.map { "\($0.element.0.start.day)/\($0.element.0.start.month)" },
            series: [
                .init(
                    kind: "this-year", label: plain("dashboard.thisYear"),
                    points: counted.map { $0.element.1.attendanceTenths }),
                .init(
                    kind: "last-year", label: plain("school.lastYear"),
                    points: counted.map { lastYear($0.offset)?.attendanceTenths }),
            ],
            references: target.map {
                [
                    BarChart.Reference(
                        kind: "target", label: text("groups.chartTarget", ["target": $0.percentText]), tenths: $0.tenths
                    )
                ]
            } ?? [])
        let activityRows = ActivityRow.rows(activity, policy: policy, text: text)
        let penaltyWords = ActivityRow.penaltyWords(activity, text: text)
        return SchoolPage(
            title: text("school.title", ["school": school]),
            period: text(
                "school.period",
                [
                    "week": "\(DateText.day(weekRange.start, text)) – \(DateText.day(weekRange.end, text))",
                    "from": DateText.day(yearRange.start, text),
                    "to": DateText.day(yearRange.end, text), "today": DateText.day(today, text),
                ]),
            targetLine: targetLine,
            targetForm: targetAction.map {
                TargetForm(
                    action: $0, value: target.map { "\($0.tenths / 10).\($0.tenths % 10)" } ?? "",
                    button: text(target?.state == .proposed ? "target.confirm" : "target.set", [:]))
            }, notice: notice, error: error,
            sections: [
                Section(
                    heading: text("school.whole", [:]), firstColumn: text("home.column.school", [:]),
                    rows: [row(school, whole)]),
                Section(
                    heading: text("school.byYear", [:]), firstColumn: text("column.year", [:]),
                    rows: byYear.sorted { order($0.key, $1.key) }.map { row($0.key, $0.value) }),
                Section(
                    heading: text("school.byGroup", [:]), firstColumn: text("column.group", [:]),
                    rows: byForm.sorted { order($0.key, $1.key) }.map { row($0.key, $0.value, href: formHref($0.key)) }),
            ], colPupils: text("column.onRoll", ["date": DateText.day(today, text)]),
            groupsHref: SiteURL.school(.groupAnalysis, laestab), compareHref: SiteURL.school(.compareSchools, laestab),
            governorsHref: SiteURL.school(.governorsReport, laestab),
            dataCheck: DataCheckWords.line(dataCheck, text),
            dataCheckHref: dataCheckHref,
            rewardsHref: dataCheckHref == nil ? nil : SiteURL.school(.rewards, laestab),
            newsletterHref: SiteURL.school(.newsletter, laestab), csvHref: SiteURL.school(.schoolCSV, laestab),
            concernsHref: SiteURL.school(.schoolConcerns, laestab),
            trendChart: counted.isEmpty ? "" : trend.svg,
            trendWeeks: counted.map {
                TrendWeek(
                    week: DateText.day($0.element.0.start, text), thisYear: $0.element.1.attendancePercentText,
                    lastYear: lastYear($0.offset)?.attendancePercentText ?? "–")
            },
            activityPeriod: activityRange.map {
                text("school.activityPeriod", ["from": DateText.day($0.start, text), "to": DateText.day($0.end, text)])
            } ?? "", activity: activityRows,
            letters: text("school.letters", ["count": String(activity?.letters ?? 0)]),
            penalties: penaltyWords.isEmpty
                ? plain("school.noPenalties")
                : text("school.penalties", ["cases": penaltyWords.joined(separator: "; ")]))
    }
}
