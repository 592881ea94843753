/// An N still without a reason the policy's school days later becomes O: one action per session, carried out
/// by the run itself (see `PupilYear.converting`).
struct NoReasonRule: ProcedureRule {
    var actions: [ProcedureAction] { [.nToO] }

    func due(_ pupil: PupilYear, found: [DueAction]) -> [DueAction] {
        pupil.converting.indices.map { index in
            DueAction(
                action: .nToO, basis: ActionBasis.noReason.stored, count: 1, year: pupil.year,
                slots: pupil.converting[index...index], start: .session(pupil.session(pupil.converting[index])))
        }
    }
}
