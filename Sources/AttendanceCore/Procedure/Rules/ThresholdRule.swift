/// The policy's lines of sessions missed (Letters 1 to 3, the head of year's call, the meeting, the ESW
/// referral): each once a school year, when the count of absence, or of unauthorised absence, reaches the
/// policy's number.
struct ThresholdRule: ProcedureRule {
    /// The actions a policy's thresholds may name.
    static let actions: [ProcedureAction] = [
        .letter1, .letter2, .phoneCall, .letter3, .attendanceMeeting, .eswReferral,
    ]
    var actions: [ProcedureAction] { Self.actions }

    func example(_ base: RuleExample) -> RuleExample {
        // Absent without authority on enough days to pass the highest line.
        var example = base
        let days = (base.policy.thresholds.map(\.sessions).max() ?? 0) / 2 + 1
        example.mark("O", days: 0..<days)
        example.runOn(schoolDay: days + 2)
        return example
    }

    func due(_ pupil: PupilYear, found: [DueAction]) -> [DueAction] {
        pupil.policy.thresholds.compactMap { threshold in
            let counted = threshold.of == .absence ? pupil.absences : pupil.unauthorised
            guard counted.count >= threshold.sessions else { return nil }
            return DueAction(
                action: threshold.action, basis: ActionBasis.threshold(threshold.of).stored, count: counted.count,
                year: pupil.year, slots: counted.prefix(threshold.sessions), start: .year(pupil.year.startYear))
        }
    }
}
