import AttendanceCore

/// One pupil's report: their figures at schools this record holds, and beside them (never added in) their years at
/// other schools that transfer files brought, over the same window.
public struct PupilReportRow: Encodable, Sendable, Equatable {
    /// A year at another school in the window.
    public struct Elsewhere: Encodable, Sendable, Equatable {
        public let school: String
        public let schoolName: String
        public let year: String
        public let possible: Int
        public let attended: Int
        public let authorised: Int
        public let unauthorised: Int
        /// `marks` when counted from its marks on the window's days; `totals` for a year the file gave as totals.
        public let countedFrom: String

        enum CodingKeys: String, CodingKey {
            case school
            case schoolName = "school_name"
            case year, possible, attended, authorised, unauthorised
            case countedFrom = "counted_from"
        }
    }

    public let row: SummaryRow
    public let elsewhere: [Elsewhere]

    public init(row: SummaryRow, history: [OtherSchoolYear], range: DateRange, welsh: CodeTable, rules: SummaryRules) {
        self.row = row
        elsewhere = history.compactMap { year in
            guard let figures = year.figures(in: range, welsh: welsh, rules: rules) else { return nil }
            return Elsewhere(
                school: year.school.laestab.description, schoolName: year.school.name,
                year: year.academicYear.description, possible: figures.totals.possible,
                attended: figures.totals.attended, authorised: figures.totals.authorised,
                unauthorised: figures.totals.unauthorised, countedFrom: figures.fromMarks ? "marks" : "totals")
        }
    }

    enum CodingKeys: String, CodingKey { case elsewhere }

    /// The school report's row as it is, with `elsewhere` only when there is a year at another school to give: a
    /// pupil with none reads exactly as their line in the school report.
    public func encode(to encoder: any Encoder) throws {
        try row.encode(to: encoder)
        guard !elsewhere.isEmpty else { return }
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(elsewhere, forKey: .elsewhere)
    }
}
