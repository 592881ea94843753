/// The penalty-notice criteria, counted within the term that contains the day: one flag a term for the head,
/// naming each criterion met ("unauthorised,late_after_close"), with the sessions behind them. A session may count
/// under more than one criterion (DOMAIN.md §7): every unauthorised session (O, G, U, and an N once it becomes O)
/// counts as unauthorised, U as lateness too and G as holiday too. The police and engagement criteria count
/// what the school recorded beyond the register (`PenaltyEvidence`).
struct PenaltyNoticeRule: ProcedureRule {
    var actions: [ProcedureAction] { [.fpnEligible] }
    var codeKinds: [CodeKind] { [Self.unauthorised] }

    /// For a penalty notice, "unauthorised" is every session found unauthorised, U and G as well as O (DOMAIN.md
    /// §7), but not N, which waits for a reason and counts once it becomes O.
    static let unauthorised = CodeKind("penalty unauthorised") {
        $0.category == .unauthorised && !$0.means(.noReasonYet)
    }

    func example(_ base: RuleExample) -> RuleExample {
        // Every criterion met in the first term: unauthorised days, late after close, a holiday not agreed,
        // police contact on unauthorised days, meetings missed and calls unanswered.
        var example = base
        let terms = base.policy.fixedPenaltyPerTerm
        let casework = base.policy.casework
        var next = 0
        for (code, sessions) in [
            ("O", terms.unauthorisedSessions), ("U", terms.lateAfterCloseSessions),
            ("G", terms.unagreedHolidaySessions),
        ] {
            let days = sessions / 2 + 1
            example.mark(code, days: next..<(next + days))
            next += days
        }
        let police = (0..<casework.policeContactDays).map { base.day($0) }
        let meetings = (0..<casework.missedMeetings).map { base.day(next + $0) }
        let calls = (0..<casework.unansweredContactAttempts).map { base.day(next + $0) }
        example.evidence = PenaltyEvidence(policeDays: police, missedMeetings: meetings, unansweredContacts: calls)
        example.runOn(schoolDay: next + max(casework.missedMeetings, casework.unansweredContactAttempts) + 2)
        return example
    }

    func due(_ pupil: PupilYear, found: [DueAction]) -> [DueAction] {
        let policy = pupil.policy.fixedPenaltyPerTerm
        let candidates = pupil.penaltyCandidates
        // No term can count more than the year so far: below every criterion there, nothing to read.
        guard
            candidates.unauthorised >= policy.unauthorisedSessions || candidates.late >= policy.lateAfterCloseSessions
                || candidates.holiday >= policy.unagreedHolidaySessions || !pupil.penaltyEvidence.isEmpty,
            let term = pupil.days.term, let counting = Self.counting(term.range, declined: pupil.penaltyDeclined)
        else { return [] }
        var met: [String] = []
        var slots = Set<Int>()
        var evidence = 0
        for criterion in Self.criteria(
            engine: pupil.engine, bytes: pupil.bytes, limit: pupil.limit, term: counting, year: pupil.year,
            converting: pupil.converting, evidence: pupil.penaltyEvidence, asOf: pupil.asOf)
        where criterion.isMet {
            met.append(criterion.basis)
            slots.formUnion(criterion.found)
            if criterion.found.isEmpty { evidence += criterion.count }
        }
        guard !met.isEmpty else { return [] }
        // Each session once, however many criteria it counts under; a case on engagement alone counts its events.
        return [
            DueAction(
                action: .fpnEligible, basis: ActionBasis.criteria(met).stored,
                count: slots.isEmpty ? evidence : slots.count,
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

    /// One criterion as counted in a term: the sessions behind it (none for engagement), what it counts (sessions,
    /// days or events) and whether it is met.
    struct Counted {
        let basis: String
        let found: [Int]
        let count: Int
        let isMet: Bool
        /// Figures a letter or a case quotes beside the count ("missed_meetings", "unanswered_contacts").
        var parts: [String: Int] = [:]
    }

    /// Each criterion with the term's slots that count towards it: what the flag and a warning letter's figures
    /// (`ProcedureEngine.penaltyTerm`) both read.
    static func criteria(
        engine: ProcedureEngine, bytes: [UInt8], limit: Int, term: DateRange, year: AcademicYear, converting: [Int],
        evidence: PenaltyEvidence, asOf: LocalDate
    ) -> [Counted] {
        let slots = PupilYear.slots(of: term, year: year, limit: limit)
        guard !slots.isEmpty else { return [] }
        let counts = engine.table(Self.unauthorised)
        let policy = engine.policy.fixedPenaltyPerTerm
        let casework = engine.policy.casework
        typealias Flag = ProcedureEngine.Flag
        // One pass over the term, each criterion read from the code's flags.
        var unauthorised: [Int] = []
        var late: [Int] = []
        var holiday: [Int] = []
        // `converting` is in slot order: walk it beside the term.
        var next = converting.firstIndex { $0 >= slots.lowerBound } ?? converting.endIndex
        for slot in slots {
            let id = Int(bytes[slot])
            guard id != 0 else { continue }
            while next < converting.endIndex && converting[next] < slot { next += 1 }
            let converted = next < converting.endIndex && converting[next] == slot
            if counts[id] || converted { unauthorised.append(slot) }
            let flags = engine.flagsByID[id]
            if flags & Flag.lateAfterClose != 0 { late.append(slot) }
            if flags & Flag.holidayNotAgreed != 0 { holiday.append(slot) }
        }
        var counted = [
            Counted(
                basis: PenaltyCriterion.unauthorised.rawValue, found: unauthorised, count: unauthorised.count,
                isMet: unauthorised.count >= policy.unauthorisedSessions),
            Counted(
                basis: PenaltyCriterion.lateAfterClose.rawValue, found: late, count: late.count,
                isMet: late.count >= policy.lateAfterCloseSessions),
            Counted(
                basis: PenaltyCriterion.unagreedHoliday.rawValue, found: holiday, count: holiday.count,
                isMet: holiday.count >= policy.unagreedHolidaySessions),
        ]
        // What was recorded beyond the register counts in the same part of the term, up to the day.
        let seen = { (days: [LocalDate]) in Set(days.filter { term.contains($0) && $0 <= asOf }) }
        // Police contact: days seen on which an absence was unauthorised (the sessions of those days count).
        var policeDays = 0
        var policeSlots: [Int] = []
        for day in seen(evidence.policeDays).sorted() {
            let slot = year.firstDay.days(until: day) * 2
            let onDay = [slot, slot + 1].filter { unauthorised.contains($0) }
            guard !onDay.isEmpty else { continue }
            policeDays += 1
            policeSlots += onDay
        }
        counted.append(
            Counted(
                basis: PenaltyCriterion.policeContact.rawValue, found: policeSlots, count: policeDays,
                isMet: policeDays >= casework.policeContactDays))
        let missed = seen(evidence.missedMeetings).count
        let unanswered = evidence.unansweredContacts.filter { term.contains($0) && $0 <= asOf }.count
        counted.append(
            Counted(
                basis: PenaltyCriterion.nonEngagement.rawValue, found: [], count: missed + unanswered,
                isMet: !evidence.prosecutionBegun
                    && (missed >= casework.missedMeetings || unanswered >= casework.unansweredContactAttempts),
                parts: ["missed_meetings": missed, "unanswered_contacts": unanswered]))
        return counted
    }
}
