/// Runs of school days on which every mark is an unauthorised absence, at least the policy's days long: the
/// regulations' return to the local authority, once per run of days.
struct ContinuousAbsenceRule: ProcedureRule {
    var actions: [ProcedureAction] { [.continuousAbsenceReport] }

    func example(_ base: RuleExample) -> RuleExample {
        var example = base
        let days = base.policy.continuousAbsenceSchoolDays + 1
        example.mark("O", days: 5..<(5 + days))
        example.runOn(schoolDay: 5 + days + 3)
        return example
    }

    func due(_ pupil: PupilYear, found: [DueAction]) -> [DueAction] {
        // Every day of a run has an unauthorised absence that is not lateness: fewer of those than the policy's
        // days, and no run can be long enough.
        guard let firstSlot = pupil.firstMarked,
            pupil.unexplainedOrUnauthorised.count >= pupil.policy.continuousAbsenceSchoolDays
        else { return [] }
        typealias Flag = ProcedureEngine.Flag
        let limit = pupil.limit
        var result: [DueAction] = []
        var run: [Int] = []
        func marked(_ day: Int) -> [Int] {
            [day * 2, day * 2 + 1].filter { $0 < limit && pupil.bytes[$0] != 0 && pupil.flags($0) & Flag.known != 0 }
        }
        func close() {
            if run.count >= pupil.policy.continuousAbsenceSchoolDays {
                result.append(
                    DueAction(
                        action: .continuousAbsenceReport, basis: ActionBasis.threshold(.unauthorised).stored,
                        count: run.count,
                        year: pupil.year, slots: run.flatMap(marked)[...],
                        start: .day(pupil.year.firstDay.adding(days: run[0]))))
            }
            run.removeAll(keepingCapacity: true)
        }
        // Each school day's marks read in place (a day is in a run when it has a mark and every mark is an
        // unauthorised absence): this loop runs for every school day of every pupil.
        for day in pupil.days.schoolDayOffsets where day * 2 + 1 >= firstSlot {
            var marks = 0
            var unauthorised = 0
            for slot in (day * 2)...(day * 2 + 1) where slot < limit && pupil.bytes[slot] != 0 {
                let flags = pupil.flags(slot)
                guard flags & Flag.known != 0 else { continue }
                marks += 1
                if flags & Flag.unauthorisedNotLate != 0 { unauthorised += 1 }
            }
            if marks > 0 && unauthorised == marks {
                run.append(day)
            } else if !run.isEmpty {
                close()
            }
        }
        close()
        return result
    }
}
