/// "Those parents of pupils who are persistently late will be contacted by the Class Teacher/Head of Year/Senior
/// Management Team": late (L or U) in at least the policy file's number of sessions in the term that contains
/// the day, once a term, for the head of year to contact the parents.
struct PersistentLatenessRule: ProcedureRule {
    var actions: [ProcedureAction] { [.persistentLateness] }

    func due(_ pupil: PupilYear, found: [DueAction]) -> [DueAction] {
        guard let term = pupil.days.term?.range else { return [] }
        let needed = pupil.policy.casework.persistentLatenessSessions
        let first = max(0, pupil.year.firstDay.days(until: term.start) * 2)
        let last = min(pupil.limit, (pupil.year.firstDay.days(until: term.end) + 1) * 2)
        guard last - first >= needed else { return [] }
        let late = pupil.engine.lateByID
        let slots = (first..<last).filter { late[Int(pupil.bytes[$0])] }
        guard slots.count >= needed else { return [] }
        return [
            DueAction(
                action: .persistentLateness, basis: ActionBasis.criteria(["late"]).stored, count: slots.count,
                year: pupil.year, slots: slots[...], start: .term(term.start, countingFrom: nil))
        ]
    }
}
