/// A pupil's marks for a school year with the spells they were on one school's roll in it: what a school's figures
/// over part of a year count (only the days on its roll, as the school's report does). Interventions' impact and
/// the Welsh Government's termly return read the roll this way, once for the year.
public struct RollYear: Sendable {
    public let pupil: Pupil
    public let spells: [DateRange]
    public let marks: YearMarks

    public init(pupil: Pupil, spells: [DateRange], marks: YearMarks) {
        (self.pupil, self.spells, self.marks) = (pupil, spells, marks)
    }

    /// The pupil's figures over a range, counting only the days on the roll.
    public func summary(in range: DateRange, table: CodeTable, rules: SummaryRules) -> AttendanceSummary {
        spells.compactMap { $0.clamped(to: range) }.reduce(AttendanceSummary.empty(rules: rules)) {
            $0 + marks.summary(in: $1, table: table, rules: rules)
        }
    }
}
