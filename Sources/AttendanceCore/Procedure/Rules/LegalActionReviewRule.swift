/// Continued deterioration once the ESW referral is due or made: a penalty criterion met this term as well calls
/// for the head to consider a penalty notice or prosecution. Judged on this run's own findings too, so a second
/// run the same day adds nothing.
struct LegalActionReviewRule: ProcedureRule {
    var actions: [ProcedureAction] { [.legalActionReview] }

    func example(_ base: RuleExample) -> RuleExample {
        // A penalty flag this term for a pupil already referred to the ESW service.
        var example = PenaltyNoticeRule().example(base)
        example.recorded = [
            RecordedAction(
                key: ProcedureAction.eswReferral.key(base.year.startYear), action: .eswReferral, status: .done)
        ]
        return example
    }

    func due(_ pupil: PupilYear, found: [DueAction]) -> [DueAction] {
        guard let penalty = found.first(where: { $0.action == .fpnEligible }), let term = pupil.days.term,
            found.contains(where: { $0.action == .eswReferral })
                || pupil.recorded.contains(where: { $0.action == .eswReferral && $0.status != .withdrawn })
        else { return [] }
        return [
            DueAction(
                action: .legalActionReview, as: penalty, start: .term(term.range.start, countingFrom: nil))
        ]
    }
}
