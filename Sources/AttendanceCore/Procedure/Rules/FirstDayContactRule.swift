/// First-day contact: an absence with no reason on the day itself calls for contact with the parents that day.
struct FirstDayContactRule: ProcedureRule {
    var actions: [ProcedureAction] { [.firstDayContact] }

    func due(_ pupil: PupilYear, found: [DueAction]) -> [DueAction] {
        let asOfSlot = pupil.year.firstDay.days(until: pupil.asOf) * 2
        let today = pupil.noReason.filter { $0 == asOfSlot || $0 == asOfSlot + 1 }.map(pupil.session)
        guard !today.isEmpty else { return [] }
        return [
            DueAction(
                action: .firstDayContact, basis: ActionBasis.noReason.stored, count: today.count, sessions: today,
                key: ProcedureAction.firstDayContact.key(pupil.asOf.iso))
        ]
    }
}
