import AttendanceCore

/// Welsh Government's weekly management information: for each school and school week, the sessions possible,
/// attended, authorised and unauthorised for the whole school and by sex, year group and free school meals. The
/// groups are `GroupAnalysis`'s; this type only lays them out as the return's rows.
public struct WeeklyReturnRow: Sendable, Hashable {
    /// "all" (the whole school), "sex", "year_group" or "fsm".
    public let breakdown: String
    /// Empty for "all"; the sex's letter (F, M, U), the year group, or "yes"/"no" for free school meals.
    public let value: String
    public let laestab: LAESTAB
    public let week: DateRange
    public let pupils: Int
    public let summary: AttendanceSummary

    public static let columns = [
        "laestab", "week_start", "week_end", "breakdown", "value", "pupils", "sessions_possible",
        "sessions_attended", "sessions_authorised_absence", "sessions_unauthorised_absence",
    ]

    public var cells: [String] {
        [
            laestab.description, week.start.iso, week.end.iso, breakdown, value, String(pupils),
            String(summary.possible), String(summary.attended), String(summary.authorised),
            String(summary.unauthorised),
        ]
    }

    /// A school's rows for a week: the whole school first, then sex, year group and free school meals in the
    /// analysis's order. A group with no pupil has no row.
    public static func rows(_ laestab: LAESTAB, week: DateRange, analysis: GroupAnalysis) -> [WeeklyReturnRow] {
        func row(_ breakdown: String, _ line: GroupAnalysis.Line) -> WeeklyReturnRow {
            WeeklyReturnRow(
                breakdown: breakdown, value: line.key, laestab: laestab, week: week, pupils: line.pupils,
                summary: line.summary)
        }
        let names: [GroupAnalysis.Breakdown: String] = [.sex: "sex", .yearGroup: "year_group", .freeSchoolMeals: "fsm"]
        var rows = [row("all", analysis.whole)]
        for breakdown in [GroupAnalysis.Breakdown.sex, .yearGroup, .freeSchoolMeals] {
            guard let name = names[breakdown],
                let section = analysis.sections.first(where: { $0.breakdown == breakdown })
            else { continue }
            rows += section.lines.filter { $0.pupils > 0 }.map { row(name, $0) }
        }
        return rows
    }
}
