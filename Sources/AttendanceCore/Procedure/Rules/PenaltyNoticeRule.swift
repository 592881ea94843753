/// The penalty-notice criteria, counted within the term that contains the day: one flag a term for the head,
/// naming each criterion met ("unauthorised,late_after_close"), with the sessions behind them. Each session
/// counts under one criterion only: O under unauthorised, U under lateness, G under the holiday; an N only once
/// it becomes O.
struct PenaltyNoticeRule: ProcedureRule {
    var actions: [ProcedureAction] { [.fpnEligible] }

    func due(_ pupil: PupilYear, found: [DueAction]) -> [DueAction] {
        let policy = pupil.policy.fixedPenaltyPerTerm
        let candidates = pupil.penaltyCandidates
        // No term can count more than the year so far: below every criterion there, nothing to read.
        guard
            candidates.unauthorised >= policy.unauthorisedSessions || candidates.late >= policy.lateAfterCloseSessions
                || candidates.holiday >= policy.unagreedHolidaySessions,
            let term = pupil.days.term, let counting = Self.counting(term.range, declined: pupil.penaltyDeclined)
        else { return [] }
        var met: [String] = []
        var slots: [Int] = []
        for criterion in Self.criteria(
            engine: pupil.engine, bytes: pupil.bytes, limit: pupil.limit, term: counting, year: pupil.year,
            converting: pupil.converting)
        where criterion.found.count >= criterion.needed {
            met.append(criterion.basis)
            slots += criterion.found
        }
        guard !met.isEmpty else { return [] }
        return [
            DueAction(
                action: .fpnEligible, basis: ActionBasis.criteria(met).stored, count: slots.count,
                year: pupil.year, slots: slots.sorted()[...], start: Self.start(term: term.range, counting: counting))
        ]
    }

    /// The part of a term whose sessions count: all of it, or after a declined request only the days after the
    /// latest decline (nil when that leaves nothing of the term).
    static func counting(_ term: DateRange, declined: [LocalDate]) -> DateRange? {
        DateRange(PenaltyRules.countsFrom(termStart: term.start, declinedOn: declined), term.end)
    }

    /// Once a term, and once again after each decline: "fpn_eligible/2026-09-01", "fpn_eligible/2026-09-01+2026-10-16".
    static func start(term: DateRange, counting: DateRange) -> DueKey.Start {
        .term(term.start, countingFrom: counting.start == term.start ? nil : counting.start)
    }

    /// Each criterion with the number it needs and the term's slots that count towards it: what the flag and a
    /// warning letter's figures (`ProcedureEngine.penaltyTerm`) both read.
    static func criteria(
        engine: ProcedureEngine, bytes: [UInt8], limit: Int, term: DateRange, year: AcademicYear, converting: [Int]
    ) -> [(basis: String, needed: Int, found: [Int])] {
        let first = max(0, year.firstDay.days(until: term.start) * 2)
        let last = min(limit, (year.firstDay.days(until: term.end) + 1) * 2)
        guard first < last else { return [] }
        let policy = engine.policy.fixedPenaltyPerTerm
        typealias Flag = ProcedureEngine.Flag
        // One pass over the term, each criterion read from the code's flags.
        var unauthorised: [Int] = []
        var late: [Int] = []
        var holiday: [Int] = []
        // `converting` is in slot order: walk it beside the term.
        var next = converting.firstIndex { $0 >= first } ?? converting.endIndex
        for slot in first..<last {
            let id = Int(bytes[slot])
            guard id != 0 else { continue }
            while next < converting.endIndex && converting[next] < slot { next += 1 }
            let converted = next < converting.endIndex && converting[next] == slot
            if engine.penaltyByID[id] || converted { unauthorised.append(slot) }
            let flags = engine.flagsByID[id]
            if flags & Flag.lateAfterClose != 0 { late.append(slot) }
            if flags & Flag.holidayNotAgreed != 0 { holiday.append(slot) }
        }
        return [
            ("unauthorised", policy.unauthorisedSessions, unauthorised),
            ("late_after_close", policy.lateAfterCloseSessions, late),
            ("unagreed_holiday", policy.unagreedHolidaySessions, holiday),
        ]
    }
}
