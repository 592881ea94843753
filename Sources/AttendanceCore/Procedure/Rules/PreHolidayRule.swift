/// Unexplained or unauthorised absence (not illness, not an agreed absence, not lateness) in the last school days
/// before the calendar's breaks (terms' ends, half-terms), repeated across breaks this year. Due only in the last
/// school days before the next break, so the letter reaches parents before the holiday it is about.
struct PreHolidayRule: ProcedureRule {
    var actions: [ProcedureAction] { [.preHolidayPattern] }

    func due(_ pupil: PupilYear, found: [DueAction]) -> [DueAction] {
        guard !pupil.unexplainedOrUnauthorised.isEmpty, let toBreak = pupil.days.schoolDaysToNextBreak,
            toBreak <= pupil.policy.preHolidayNoticeSchoolDays
        else { return [] }
        var holidays: [[SchoolSession]] = []
        for window in pupil.days.preHolidayWindows {
            // A window is a few school days in order, as the slots are: the slots on its days, in order.
            let sessions = window.flatMap { day in
                pupil.unexplainedOrUnauthorised.filter { $0 / 2 == day }
            }.map(pupil.session)
            if !sessions.isEmpty { holidays.append(sessions) }
        }
        guard holidays.count >= pupil.policy.preHolidayRepeats else { return [] }
        return [
            DueAction(
                action: .preHolidayPattern, basis: ActionBasis.beforeHolidays(holidays.count).stored,
                count: holidays.count,
                sessions: holidays.flatMap { $0 }, key: ProcedureAction.preHolidayPattern.key(pupil.year.startYear))
        ]
    }
}
