/// After Letter 3, each absence for illness or an appointment (a run of I or M sessions with no other mark
/// between) is one flag for the head: authorise only with medical evidence (see `MedicalEvidenceRule`).
struct MedicalEvidenceFlagRule: ProcedureRule {
    var actions: [ProcedureAction] { [.medicalEvidenceRequired] }

    /// What a flag's basis names: the kinds of absence in it, in the order first met ("illness,medical").
    static let kinds: [CodeMeaning] = [.illness, .medical]

    func example(_ base: RuleExample) -> RuleExample {
        // Ill and at an appointment after Letter 3.
        var example = base
        example.letter3Sent = base.day(5)
        example.mark("I", days: 6..<8)
        example.mark("M", days: 8..<9)
        example.runOn(schoolDay: 12)
        return example
    }

    func due(_ pupil: PupilYear, found: [DueAction]) -> [DueAction] {
        guard let letter3Sent = pupil.letter3Sent else { return [] }
        let after = max(0, (pupil.year.firstDay.days(until: letter3Sent) + 1) * 2)
        var result: [DueAction] = []
        var absence: [Int] = []
        func close() {
            guard let first = absence.first else { return }
            var kinds: [String] = []
            for slot in absence {
                guard let code = pupil.engine.codes.code(id: pupil.bytes[slot]),
                    let kind = Self.kinds.first(where: code.means)
                else { continue }
                if !kinds.contains(kind.rawValue) { kinds.append(kind.rawValue) }
            }
            result.append(
                DueAction(
                    action: .medicalEvidenceRequired, basis: ActionBasis.criteria(kinds).stored, count: absence.count,
                    year: pupil.year, slots: absence[...], start: .session(pupil.session(first))))
            absence = []
        }
        for slot in after..<max(after, pupil.limit) where pupil.bytes[slot] != 0 {
            if pupil.flags(slot) & ProcedureEngine.Flag.illnessOrMedical != 0 { absence.append(slot) } else { close() }
        }
        close()
        return result
    }
}
