/// An N still without a reason the policy's school days later becomes O: one action per session, carried out
/// by the run itself (see `PupilYear.converting`).
struct NoReasonRule: ProcedureRule {
    var actions: [ProcedureAction] { [.nToO] }

    func due(_ pupil: PupilYear, found: [DueAction]) -> [DueAction] {
        pupil.converting.map { slot in
            let session = pupil.session(slot)
            return DueAction(
                action: .nToO, basis: ActionBasis.noReason.stored, count: 1, sessions: [session],
                key: ProcedureAction.nToO.key(session)
            )
        }
    }
}
