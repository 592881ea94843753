/// Persistent absence: missing the policy's share of possible sessions or more this school year.
struct PersistentAbsenceRule: ProcedureRule {
    var actions: [ProcedureAction] { [.persistentAbsence] }

    func example(_ base: RuleExample) -> RuleExample {
        // Absent on half the days and more, whatever the policy's percentage below that.
        var example = base
        example.mark("I", days: 0..<12)
        example.runOn(schoolDay: 20)
        return example
    }

    func due(_ pupil: PupilYear, found: [DueAction]) -> [DueAction] {
        let summary = AttendanceSummary(counts: pupil.counts, rules: pupil.policy.summaryRules)
        guard summary.persistentAbsence else { return [] }
        return [
            DueAction(
                action: .persistentAbsence,
                basis: ActionBasis.missed(absent: summary.absent, possible: summary.possible).stored,
                count: summary.absent, year: pupil.year, slots: pupil.absences[...],
                start: .year(pupil.year.startYear))
        ]
    }
}
