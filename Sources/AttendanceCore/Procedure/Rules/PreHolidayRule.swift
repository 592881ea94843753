/// Unexplained or unauthorised absence (not illness, not an agreed absence, not lateness) in the last school days
/// before the calendar's breaks (terms' ends, half-terms), repeated across breaks this year. Due only in the last
/// school days before the next break, so the letter reaches parents before the holiday it is about.
struct PreHolidayRule: ProcedureRule {
    var actions: [ProcedureAction] { [.preHolidayPattern] }

    func example(_ base: RuleExample) -> RuleExample {
        // Away without a reason just before the policy's number of breaks, and the next break near.
        var example = base
        let policy = base.policy
        let breaks = base.calendar.breakStarts.filter { $0 > base.days[0] }
        guard breaks.count > policy.preHolidayRepeats else { return example }
        for start in breaks.prefix(policy.preHolidayRepeats) {
            for day in base.calendar.schoolDays(policy.preHolidaySchoolDays, before: start) {
                example.mark("O", on: day)
            }
        }
        let next = breaks[policy.preHolidayRepeats]
        if let day = base.calendar.schoolDays(policy.preHolidayNoticeSchoolDays, before: next).first {
            example.asOf = day
        }
        return example
    }

    func due(_ pupil: PupilYear, found: [DueAction]) -> [DueAction] {
        guard !pupil.unexplainedOrUnauthorised.isEmpty, let toBreak = pupil.days.schoolDaysToNextBreak,
            toBreak <= pupil.policy.preHolidayNoticeSchoolDays
        else { return [] }
        var holidays = 0
        var found: [Int] = []
        let slots = pupil.unexplainedOrUnauthorised
        for window in pupil.days.preHolidayWindows {
            // A window is a few school days in order, as the slots are: the slots on its days, in order, read
            // from the first at or after the window's first day.
            var index = slots.firstIndex(notBelow: window[0] * 2)
            let before = found.count
            while index < slots.endIndex, slots[index] / 2 <= window[window.count - 1] {
                if window.contains(slots[index] / 2) { found.append(slots[index]) }
                index += 1
            }
            if found.count > before { holidays += 1 }
        }
        guard holidays >= pupil.policy.preHolidayRepeats else { return [] }
        return [
            DueAction(
                action: .preHolidayPattern, basis: ActionBasis.beforeHolidays(holidays).stored, count: holidays,
                year: pupil.year, slots: found[...], start: .year(pupil.year.startYear))
        ]
    }
}
