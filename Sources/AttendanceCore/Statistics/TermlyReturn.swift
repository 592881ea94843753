/// A school year's three terms, as a return names them (`--term autumn`).
public enum SchoolTerm: String, Sendable, Hashable, CaseIterable {
    case autumn, spring, summer

    /// The term's days in a school year, from the school's calendar: from the first day of the terms that start in
    /// its months (autumn September to December, spring January to March, summer April to August) to the last day
    /// of them. Nil when the calendar has none.
    public func range(in calendar: SchoolCalendar, year: AcademicYear) -> DateRange? {
        let months: ClosedRange<Int> =
            switch self {
            case .autumn: 9...12
            case .spring: 1...3
            case .summer: 4...8
            }
        let terms = calendar.terms.filter {
            year.range.contains($0.range.start) && months.contains($0.range.start.month)
        }
        guard let first = terms.map(\.range.start).min(), let last = terms.map(\.range.end).max() else { return nil }
        return DateRange(first, min(last, year.lastDay))
    }
}

/// The Welsh Government's pupil-level termly attendance return (DOMAIN.md section 11): one row per pupil of
/// compulsory school age on the school's roll in the term, with the sessions counted on the days they were both on
/// the roll and of compulsory school age. The columns are data (`columns`), so the return can follow the
/// Government's next specification by changing the list, not the code that fills it.
public struct TermlyReturnRow: Sendable, Hashable {
    public let school: LAESTAB
    public let year: AcademicYear
    public let term: SchoolTerm
    public let termDays: DateRange
    public let pupil: Pupil
    /// The days counted: the term, from the day the pupil became of compulsory school age to the day they ceased.
    public let counted: DateRange
    public let summary: AttendanceSummary

    /// One column of the return: its header and how a row fills it.
    public struct Column: Sendable {
        public let name: String
        public let value: @Sendable (TermlyReturnRow) -> String
    }

    public static let columns: [Column] = [
        Column(name: "la") { String($0.school.la) },
        Column(name: "estab") { $0.school.estabText },
        Column(name: "school_year") { $0.year.description },
        Column(name: "term") { $0.term.rawValue },
        Column(name: "term_start") { $0.termDays.start.iso },
        Column(name: "term_end") { $0.termDays.end.iso },
        Column(name: "upn") { $0.pupil.upn.value },
        Column(name: "legal_surname") { $0.pupil.legalSurname },
        Column(name: "legal_forename") { $0.pupil.legalForename },
        Column(name: "date_of_birth") { $0.pupil.dateOfBirth.iso },
        Column(name: "sex") { $0.pupil.sex.rawValue },
        Column(name: "year_group") { $0.pupil.yearGroup },
        Column(name: "counted_from") { $0.counted.start.iso },
        Column(name: "counted_to") { $0.counted.end.iso },
        Column(name: "sessions_possible") { String($0.summary.possible) },
        Column(name: "sessions_attended") { String($0.summary.attended) },
        Column(name: "sessions_present") { String($0.summary.present) },
        Column(name: "sessions_approved_activity") { String($0.summary.approvedActivity) },
        Column(name: "sessions_authorised_absence") { String($0.summary.authorised) },
        Column(name: "sessions_unauthorised_absence") { String($0.summary.unauthorised) },
        Column(name: "sessions_late_before_close") { String($0.summary.lateBeforeClose) },
        Column(name: "sessions_late_after_close") { String($0.summary.lateAfterClose) },
        Column(name: "persistent_absentee") { $0.summary.persistentAbsence ? "Y" : "N" },
    ]

    public var cells: [String] { Self.columns.map { $0.value(self) } }

    /// The school's rows for a term: every pupil on the roll in it who was of compulsory school age on a day of
    /// it, in the roll's order; a pupil with no such day has no row.
    public static func rows(
        school: LAESTAB, year: AcademicYear, term: SchoolTerm, termDays: DateRange, roll: [RollYear], table: CodeTable,
        rules: SummaryRules
    ) -> [TermlyReturnRow] {
        roll.compactMap { entry in
            let age = CompulsorySchoolAge(dateOfBirth: entry.pupil.dateOfBirth)
            guard let counted = DateRange(max(termDays.start, age.starts), min(termDays.end, age.ends)),
                entry.spells.contains(where: { $0.overlaps(counted) })
            else { return nil }
            return TermlyReturnRow(
                school: school, year: year, term: term, termDays: termDays, pupil: entry.pupil, counted: counted,
                summary: entry.summary(in: counted, table: table, rules: rules))
        }
    }
}
