/// A year of a pupil's attendance at another school, as that school's Common Transfer File gave it: the school's own
/// totals and, when the file carried them, its marks (two characters a day from `marksFrom`, morning then afternoon,
/// `#` for a session not held). Kept as that school's history beside the pupil: shown on the pupil's page and in
/// the pupil's report, never counted in this school's figures.
public struct OtherSchoolYear: Sendable, Hashable {
    /// The school by its LA and establishment numbers and name, as the file gave them.
    public struct School: Sendable, Hashable {
        public let la: Int
        public let estab: Int
        public let name: String

        public init(la: Int, estab: Int, name: String) { (self.la, self.estab, self.name) = (la, estab, name) }

        public var laestab: LAESTAB { LAESTAB(la: la, estab: estab) }
        /// A school in England keeps England's codes.
        public var isWelsh: Bool { CodeTable.isWelsh(localAuthority: la) }
    }

    /// Sessions as a school's totals give them.
    public struct Totals: Sendable, Hashable {
        public let possible: Int
        public let attended: Int
        public let authorised: Int
        public let unauthorised: Int

        public init(possible: Int, attended: Int, authorised: Int, unauthorised: Int) {
            (self.possible, self.attended, self.authorised, self.unauthorised) =
                (possible, attended, authorised, unauthorised)
        }

        public init(_ summary: AttendanceSummary) {
            self.init(
                possible: summary.possible, attended: summary.attended, authorised: summary.authorised,
                unauthorised: summary.unauthorised)
        }

        /// Attendance as a share of possible sessions, in tenths of a percent (nil with nothing possible).
        public var attendanceTenths: Int? { Tenths.share(attended, of: possible) }
    }

    /// A mark no code table of the school's country (or the other's) knows.
    public struct UnknownCode: Error, Sendable, Hashable {
        public let session: SchoolSession
        public let code: String
    }

    public let upn: UPN
    public let school: School
    /// The school year, by its starting year (2025 for 2025/26).
    public let year: Int
    /// As the file gave them.
    public let totals: Totals
    public let marksFrom: LocalDate?
    public let marks: String?

    public init(
        upn: UPN, school: School, year: Int, totals: Totals, marksFrom: LocalDate?, marks: String?
    ) {
        (self.upn, self.school, self.year, self.totals) = (upn, school, year, totals)
        (self.marksFrom, self.marks) = (marksFrom, marks)
    }

    /// The table its marks are counted with: this authority's for a Welsh school, England's for any other.
    public func table(welsh: CodeTable) -> CodeTable { school.isWelsh ? welsh : .england2024 }

    /// Each session with a mark, from `marksFrom`; a `#` (not in session) is left out.
    public var sessions: [(session: SchoolSession, code: String)] {
        guard let marksFrom, let marks else { return [] }
        var result: [(SchoolSession, String)] = []
        for (index, character) in marks.enumerated() where character != "#" {
            let day = marksFrom.adding(days: index / 2)
            result.append((SchoolSession(day, index.isMultiple(of: 2) ? .am : .pm), String(character)))
        }
        return result
    }

    /// The first mark that neither its own country's table nor the other's knows (a file is refused for it).
    public func unknownCode(welsh: CodeTable) -> UnknownCode? {
        let own = table(welsh: welsh)
        let other = school.isWelsh ? CodeTable.england2024 : welsh
        return sessions.first { own[$0.code] == nil && other[$0.code] == nil }.map {
            UnknownCode(session: $0.session, code: $0.code)
        }
    }

    /// The marks counted over a range (all of them without one), with the school's own country's table, or the
    /// other's for a code only it has; nil when the file carried totals only.
    public func counted(in range: DateRange? = nil, welsh: CodeTable, rules: SummaryRules) -> AttendanceSummary? {
        guard marks != nil else { return nil }
        let own = table(welsh: welsh)
        let other = school.isWelsh ? CodeTable.england2024 : welsh
        let codes = sessions.lazy.filter { range?.contains($0.session.date) ?? true }.compactMap {
            own[$0.code] ?? other[$0.code]
        }
        return AttendanceSummary(codes: codes, rules: rules)
    }

    /// The marks' count beside the file's totals, when the file has marks and they disagree.
    public func disagreement(welsh: CodeTable, rules: SummaryRules) -> (marks: Totals, file: Totals)? {
        guard let counted = counted(welsh: welsh, rules: rules).map(Totals.init), counted != totals else { return nil }
        return (counted, totals)
    }

    /// The school year's days, for a window that asks whether this year falls in it.
    public var academicYear: AcademicYear { AcademicYear(startYear: year) }

    /// Its figures over a window that overlaps its year: counted from the marks on the window's days, or, for a
    /// year the file gave as totals only, the whole year's totals (`fromMarks` false); nil outside the window.
    public func figures(
        in range: DateRange, welsh: CodeTable, rules: SummaryRules
    ) -> (totals: Totals, fromMarks: Bool)? {
        guard academicYear.range.overlaps(range) else { return nil }
        if let counted = counted(in: range, welsh: welsh, rules: rules) { return (Totals(counted), true) }
        return (totals, false)
    }
}
