/// An N still without a reason the policy's school days later becomes O: one action per session, carried out
/// by the run itself (see `PupilYear.converting`).
struct NoReasonRule: ProcedureRule {
    var actions: [ProcedureAction] { [.nToO] }

    func example(_ base: RuleExample) -> RuleExample {
        // Two days with no reason, then the policy's days pass.
        var example = base
        example.mark("N", days: 2..<4)
        example.runOn(schoolDay: 4 + base.policy.noReasonSchoolDays + 1)
        return example
    }

    func due(_ pupil: PupilYear, found: [DueAction]) -> [DueAction] {
        pupil.converting.indices.map { index in
            DueAction(
                action: .nToO, basis: ActionBasis.noReason.stored, count: 1, year: pupil.year,
                slots: pupil.converting[index...index], start: .session(pupil.session(pupil.converting[index])))
        }
    }
}
