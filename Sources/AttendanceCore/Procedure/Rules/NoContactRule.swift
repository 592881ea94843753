/// No contact by day three: a spell of school days absent with no reason, running up to the day and at least
/// the policy's days long, in which nobody reached a parent or recorded a reason. Once per spell: its key is the
/// spell's first day, so the days after the third add nothing.
struct NoContactRule: ProcedureRule {
    var actions: [ProcedureAction] { [.noContactDay3] }

    func example(_ base: RuleExample) -> RuleExample {
        // No reason for the policy's days up to the day, and no one reached.
        var example = base
        example.mark("N", days: (11 - base.policy.noContactSchoolDays)..<11)
        example.runOn(schoolDay: 10)
        return example
    }

    func due(_ pupil: PupilYear, found: [DueAction]) -> [DueAction] {
        let year = pupil.year
        guard !pupil.noReason.isEmpty, let today = pupil.days.schoolDayOffsets.last,
            today == year.firstDay.days(until: pupil.asOf)
        else { return [] }
        let dates = Set(pupil.noReason.map { $0 / 2 })
        var spell: [Int] = []
        for day in pupil.days.schoolDayOffsets.reversed() {
            guard dates.contains(day) else { break }
            spell.insert(day, at: 0)
        }
        guard spell.count >= pupil.policy.noContactSchoolDays,
            !spell.contains(where: { pupil.contacted.contains(year.firstDay.adding(days: $0)) })
        else { return [] }
        let inSpell = Set(spell)
        return [
            DueAction(
                action: .noContactDay3, basis: ActionBasis.noReason.stored, count: spell.count,
                year: year, slots: pupil.noReason.filter { inSpell.contains($0 / 2) }[...],
                start: .day(year.firstDay.adding(days: spell[0])))
        ]
    }
}
