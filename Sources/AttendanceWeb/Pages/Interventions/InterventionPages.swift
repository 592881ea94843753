import AttendanceCore
import AttendanceStore

/// A school's interventions: what each kind did for attendance, the list, and the form to start one.
struct InterventionsPage: PageModel {
    static let template = "interventions"

    struct Row: Sendable {
        let href: String
        let kind: String
        let leader: String
        let pupils: String
        let days: String
        let sessions: String
        let before: String
        let after: String
        let change: String
        let open: Bool
    }

    struct Choice: Sendable {
        let upn: String
        let name: String
        let form: String
        let figure: String
    }

    struct Option: Sendable {
        let value: String
        let label: String
        let selected: Bool
    }

    let title: String
    let notice: String?
    let error: String?
    let impact: ImpactTable
    let rows: [Row]
    let hasRows: Bool
    let noRows: String
    let chosen: [Choice]
    let hasChosen: Bool
    let lineLabel: String?
    let kinds: [Option]
    let leaders: [Option]
    let action: String
    let start: String
    let parentsEvening: String
    let programme: [Topic]
    let programmeAction: String
    let groupAnalysis: String

    struct Topic: Sendable {
        let week: String
        let topic: String
    }
}

/// What each kind of intervention did: counts, the pupils' attendance before and since, the change (the whole
/// and the mean of each pupil's), the target, and similar pupils without one; with a chart of before and since.
struct ImpactTable: Sendable {
    struct Row: Sendable {
        let kind: String
        let count: String
        let pupils: String
        let before: String
        let after: String
        let change: String
        let averageChange: String
        let target: String
        let comparison: String
    }

    let rows: [Row]
    let chart: String
    let empty: String?

    static func make(
        _ items: [Intervention], measured: [Int: InterventionImpact.Measured],
        text: @escaping (String, [String: String]) -> String
    ) -> ImpactTable {
        var rows: [Row] = []
        var bars: [BarChart.Bar] = []
        var target: Int?
        for kind in Intervention.Kind.allCases {
            let those = items.filter { $0.kind == kind }.compactMap { measured[$0.id] }
            guard !those.isEmpty else { continue }
            let before = those.map(\.figures.before).reduce(AttendanceSummary.empty(), +)
            let after = those.map(\.figures.after).reduce(AttendanceSummary.empty(), +)
            let pupils = those.map(\.figures.pupils).reduce(0, +)
            let averages = those.compactMap(\.figures.averageChangeTenths)
            let compared = those.compactMap(\.comparison)
            let comparisonChange =
                compared.isEmpty
                ? nil
                : compared.map(\.after).reduce(AttendanceSummary.empty(), +).change(
                    since: compared.map(\.before).reduce(AttendanceSummary.empty(), +))
            target = target ?? those.compactMap(\.targetTenths).first
            let label = text("interventions.kind.\(kind.rawValue)", [:])
            let short = text("interventions.short.\(kind.rawValue)", [:])
            rows.append(
                Row(
                    kind: label, count: String(those.count), pupils: String(pupils),
                    before: before.attendancePercentText, after: after.attendancePercentText,
                    change: Tenths.pointsText(after.change(since: before)),
                    averageChange: Tenths.pointsText(InterventionImpact.average(averages)),
                    target: those.compactMap(\.targetTenths).first.map { Tenths.percentText($0) } ?? "–",
                    comparison: compared.isEmpty
                        ? text("interventions.tooFewToCompare", [:]) : Tenths.pointsText(comparisonChange)))
            bars.append(
                BarChart.Bar(
                    label: text("interventions.chartBefore", ["kind": short]), tenths: before.attendanceTenths,
                    missing: "–", isBelow: target.map { (before.attendanceTenths ?? 0) < $0 } ?? false))
            bars.append(
                BarChart.Bar(
                    label: text("interventions.chartSince", ["kind": short]), tenths: after.attendanceTenths,
                    missing: "–", isBelow: target.map { (after.attendanceTenths ?? 0) < $0 } ?? false))
        }
        let chart = BarChart(
            id: "impact-chart", title: text("interventions.chartTitle", [:]),
            description: text("interventions.chartDescription", [:]), bars: bars,
            references: target.map {
                [
                    .init(
                        kind: "target", label: text("groups.chartTarget", ["target": Tenths.percentText($0)]),
                        tenths: $0)
                ]
            } ?? [])
        return ImpactTable(
            rows: rows, chart: rows.isEmpty ? "" : chart.svg,
            empty: rows.isEmpty ? text("interventions.noMeasures", [:]) : nil)
    }

    /// The governors' lines: for each kind, how many interventions and pupils, and the pupils' average change; the
    /// average is left out below the small-group size, as the group analysis hides small groups from governors.
    static func governorLines(
        _ items: [Intervention], measured: [Int: InterventionImpact.Measured],
        text: (String, [String: String]) -> String
    ) -> [String] {
        Intervention.Kind.allCases.compactMap { kind in
            let those = items.filter { $0.kind == kind }
            guard !those.isEmpty else { return nil }
            let pupils = Set(those.flatMap(\.pupils)).count
            let changes = those.compactMap { measured[$0.id]?.figures.averageChangeTenths }
            let values = [
                "kind": text("interventions.kind.\(kind.rawValue)", [:]), "count": String(those.count),
                "pupils": String(pupils), "change": Tenths.pointsText(InterventionImpact.average(changes)),
            ]
            return pupils < GroupAnalysis.smallGroup || changes.isEmpty
                ? text("governors.interventionsFew", values) : text("governors.interventionsLine", values)
        }
    }

    /// One intervention's impact in a sentence each: the windows, the change, the target, similar pupils.
    static func summary(_ measured: InterventionImpact.Measured, text: (String, [String: String]) -> String)
        -> [String]
    {
        let figures = measured.figures
        var lines = [
            text(
                "interventions.windows",
                [
                    "weeks": String(measured.windows.weeks),
                    "before": DateText.range(measured.windows.before, text),
                    "after": DateText.range(measured.windows.after, text),
                ]),
            text(
                "interventions.moved",
                [
                    "before": figures.before.attendancePercentText, "after": figures.after.attendancePercentText,
                    "change": Tenths.pointsText(figures.changeTenths),
                    "average": Tenths.pointsText(figures.averageChangeTenths),
                ]),
        ]
        if let target = measured.targetTenths {
            lines.append(
                text(
                    measured.meetsTarget == true ? "interventions.atTarget" : "interventions.belowTarget",
                    ["target": Tenths.percentText(target)]))
        }
        if let comparison = measured.comparison {
            lines.append(
                text(
                    "interventions.compared",
                    [
                        "pupils": String(comparison.pupils), "before": comparison.before.attendancePercentText,
                        "after": comparison.after.attendancePercentText,
                        "change": Tenths.pointsText(comparison.changeTenths),
                    ]))
        } else {
            lines.append(
                text("interventions.tooFew", ["minimum": String(InterventionImpact.comparisonMinimum)]))
        }
        return lines
    }
}

/// One intervention: its pupils with their figures before and since, its sessions, and the forms to record a
/// session and to end it.
struct InterventionPage: PageModel {
    static let template = "intervention"

    struct PupilRow: Sendable {
        let upn: String
        let name: String
        let href: String
        let form: String
        let before: String
        let after: String
        let change: String
        let came: String
    }

    struct SessionRow: Sendable {
        let on: String
        let topic: String
        let came: String
        let count: String
    }

    let title: String
    let notice: String?
    let leader: String
    let days: String
    let started: String
    let notes: String?
    let impact: [String]?
    let noImpact: String?
    let pupils: [PupilRow]
    let sessions: [SessionRow]
    let hasSessions: Bool
    let noSessions: String
    let sessionAction: String
    let today: String
    let topic: String
    let endAction: String?
    /// A workshop's pupils whose attendance improved (nil for other kinds, or before it can be measured).
    let improved: [String]?
    let hasImproved: Bool
    let certificatesAction: String
    let rewardRule: String
    let back: String
}
