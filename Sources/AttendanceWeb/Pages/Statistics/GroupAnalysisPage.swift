import AttendanceCore
import AttendanceStore

/// A school's attendance by group over a period (half-term to date unless asked), each group against the target
/// and the whole school, with a chart per breakdown. A reader who may not pick out a pupil (`AccessPolicy
/// .seesSmallGroups`) sees small groups and the lines that would reveal them hidden; the school's leaders see
/// them marked.
struct GroupAnalysisPage: PageModel {
    static let template = "group-analysis"

    struct Row: Sendable {
        let label: String
        let pupils: String
        let attendance: String
        let authorised: String
        let unauthorised: String
        let persistent: String
        let persistentRate: String
        let gapToTarget: String
        let gapToSchool: String
        /// "Fewer than 5 pupils" for a reader who sees it; nil otherwise.
        let small: String?
        let hidden: Bool
        let below: Bool
        /// Where to plan an intervention for the line's pupils below target (for those who record them).
        let interventionHref: String?
    }

    struct Section: Sendable {
        let id: String
        let heading: String
        let firstColumn: String
        let chart: String
        let rows: [Row]
        /// Said when a breakdown has no line (a school with no groups of its own).
        let empty: String?
    }

    struct Group: Sendable {
        let name: String
        let members: String
        let href: String
    }

    let title: String
    let period: String
    let from: String
    let to: String
    let action: String
    let csv: String
    let targetLine: String
    /// The data check's state and when it ran, with a link for those who may run it.
    let dataCheck: String
    let dataCheckHref: String?
    let flagsNote: String
    let smallNote: String
    let whole: Row
    let sections: [Section]
    /// The school's own groups and the form to make one, for those who may.
    let manage: Bool
    let groups: [Group]
    let hasGroups: Bool
    /// The school's interventions and their impact, for those who record them.
    let interventionsHref: String?
    let notice: String?
    let error: String?

    /// A line's name as a person reads it: "Year 8", "Girls", "With free school meals", a school's own group.
    static func lineLabel(
        _ breakdown: GroupAnalysis.Breakdown, _ key: String, text: (String, [String: String]) -> String
    ) -> String {
        switch breakdown {
        case .yearGroup: text("groups.yearLabel", ["year": key])
        case .sex: text("groups.sex.\(key)", [:])
        case .schoolGroup: key
        default: text("groups.\(key == "yes" ? "with" : "without").\(breakdown.rawValue)", [:])
        }
    }

    static func make(
        school: String, analysis: GroupAnalysis, range: DateRange, target: AttendanceTarget?, suppress: Bool,
        groups: [SchoolGroup], manageHref: ((String) -> String)?, action: String, csv: String,
        interventionHref: ((GroupAnalysis.Breakdown, String) -> String)? = nil, interventionsPage: String? = nil,
        dataCheck: DataCheckRun? = nil, dataCheckHref: String? = nil,
        notice: String? = nil, error: String? = nil, text: @escaping (String, [String: String]) -> String
    ) -> GroupAnalysisPage {
        let plain = { (key: String) in text(key, [:]) }
        let hiddenWord = plain("groups.hidden")
        let wholeTenths = analysis.whole.summary.attendanceTenths
        func row(_ label: String, _ line: GroupAnalysis.Line, _ breakdown: GroupAnalysis.Breakdown? = nil) -> Row {
            let hidden = suppress && line.isSuppressed
            func figure(_ value: String) -> String { hidden ? hiddenWord : value }
            let summary = line.summary
            return Row(
                label: label, pupils: figure(String(line.pupils)),
                attendance: figure(summary.attendancePercentText),
                authorised: figure(Tenths.percentText(summary.authorisedTenths)),
                unauthorised: figure(Tenths.percentText(summary.unauthorisedTenths)),
                persistent: figure(String(line.persistent)),
                persistentRate: figure(Tenths.percentText(line.persistentTenths)),
                gapToTarget: figure(Tenths.pointsText(target.flatMap { line.gap(to: $0.tenths) })),
                gapToSchool: figure(Tenths.pointsText(wholeTenths.flatMap { line.gap(to: $0) })),
                small: !suppress && line.isSmall ? plain("groups.small") : nil, hidden: hidden,
                below: !hidden && target?.isMissed(by: summary) == true,
                interventionHref: hidden || line.pupils == 0
                    ? nil : breakdown.flatMap { breakdown in interventionHref?(breakdown, line.key) })
        }
        func label(_ breakdown: GroupAnalysis.Breakdown, _ key: String) -> String {
            lineLabel(breakdown, key, text: text)
        }
        // A chart's labels are short (the table beside has the whole words).
        func chartLabel(_ breakdown: GroupAnalysis.Breakdown, _ key: String, _ label: String) -> String {
            switch breakdown {
            case .freeSchoolMeals, .lookedAfter, .additionalLearningNeeds:
                plain("groups.short.\(key == "yes" ? "with" : "without").\(breakdown.rawValue)")
            default: label
            }
        }
        var references: [BarChart.Reference] = []
        if let target {
            references.append(
                .init(
                    kind: "target", label: text("groups.chartTarget", ["target": target.percentText]),
                    tenths: target.tenths))
        }
        if let wholeTenths {
            references.append(
                .init(
                    kind: "school", label: text("groups.chartSchool", ["figure": Tenths.percentText(wholeTenths)]),
                    tenths: wholeTenths)
            )
        }
        let period = text(
            "groups.period", ["from": DateText.day(range.start, text), "to": DateText.day(range.end, text)])
        let sections = analysis.sections.map { section in
            let heading = plain("groups.by.\(section.breakdown.rawValue)")
            let rows = section.lines.map { row(label(section.breakdown, $0.key), $0, section.breakdown) }
            let chart = BarChart(
                id: "chart-\(section.breakdown.rawValue)",
                title: text("groups.chartTitle", ["by": heading, "period": period]),
                description: plain("groups.chartDescription"),
                bars: zip(section.lines, rows).map { line, row in
                    BarChart.Bar(
                        label: chartLabel(section.breakdown, line.key, row.label),
                        tenths: row.hidden ? nil : line.summary.attendanceTenths,
                        missing: row.hidden ? hiddenWord : "–", isBelow: row.below)
                }, references: references)
            return Section(
                id: section.breakdown.rawValue, heading: heading, firstColumn: plain("groups.column.group"),
                chart: rows.isEmpty ? "" : chart.svg, rows: rows,
                empty: rows.isEmpty ? plain("groups.noneOfYourOwn") : nil)
        }
        return GroupAnalysisPage(
            title: text("groups.title", ["school": school]), period: period, from: range.start.iso, to: range.end.iso,
            action: action, csv: csv,
            targetLine: target.map { text("groups.targetLine", ["target": $0.percentText]) }
                ?? plain("groups.noTarget"),
            dataCheck: DataCheckWords.line(dataCheck, text), dataCheckHref: dataCheckHref,
            flagsNote: plain("groups.flagsNote"),
            smallNote: plain(suppress ? "groups.suppressedNote" : "groups.smallNote"),
            whole: row(school, analysis.whole), sections: sections, manage: manageHref != nil,
            groups: manageHref.map { href in
                groups.map {
                    Group(
                        name: $0.name, members: text("groups.members", ["count": String($0.members.count)]),
                        href: href($0.name))
                }
            } ?? [], hasGroups: manageHref != nil && !groups.isEmpty, interventionsHref: interventionsPage,
            notice: notice, error: error)
    }
}
