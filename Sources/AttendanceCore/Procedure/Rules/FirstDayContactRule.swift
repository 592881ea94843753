/// First-day contact: an absence with no reason on the day itself calls for contact with the parents that day.
struct FirstDayContactRule: ProcedureRule {
    var actions: [ProcedureAction] { [.firstDayContact] }

    func example(_ base: RuleExample) -> RuleExample {
        var example = base
        example.mark("N", days: 10..<11)
        example.runOn(schoolDay: 10)
        return example
    }

    func due(_ pupil: PupilYear, found: [DueAction]) -> [DueAction] {
        let asOfSlot = pupil.year.firstDay.days(until: pupil.asOf) * 2
        // The slots are in order and none is after the day: the day's are at the end.
        let today = pupil.noReason[pupil.noReason.firstIndex(notBelow: asOfSlot)...]
        guard !today.isEmpty else { return [] }
        return [
            DueAction(
                action: .firstDayContact, basis: ActionBasis.noReason.stored, count: today.count, year: pupil.year,
                slots: today, start: .day(pupil.asOf))
        ]
    }
}
