/// "Those parents of pupils who are persistently late will be contacted by the Class Teacher/Head of Year/Senior
/// Management Team": late (L or U) in at least the policy file's number of sessions in the term that contains
/// the day, once a term, for the head of year to contact the parents.
struct PersistentLatenessRule: ProcedureRule {
    var actions: [ProcedureAction] { [.persistentLateness] }
    var codeKinds: [CodeKind] { [Self.late] }

    /// A late arrival, before or after the register closed (L or U).
    static let late = CodeKind("late") { $0.isLate }
    /// The basis it writes.
    static let criterion = "late"

    func example(_ base: RuleExample) -> RuleExample {
        var example = base
        let days = base.policy.casework.persistentLatenessSessions / 2 + 1
        example.mark("L", days: 0..<days)
        example.runOn(schoolDay: days + 1)
        return example
    }

    func due(_ pupil: PupilYear, found: [DueAction]) -> [DueAction] {
        guard let term = pupil.days.term?.range else { return [] }
        let needed = pupil.policy.casework.persistentLatenessSessions
        let inTerm = pupil.slots(of: term)
        guard inTerm.count >= needed else { return [] }
        let late = pupil.engine.table(Self.late)
        let slots = inTerm.filter { late[Int(pupil.bytes[$0])] }
        guard slots.count >= needed else { return [] }
        return [
            DueAction(
                action: .persistentLateness, basis: ActionBasis.criteria([Self.criterion]).stored, count: slots.count,
                year: pupil.year, slots: slots[...], start: .term(term.start, countingFrom: nil))
        ]
    }
}
