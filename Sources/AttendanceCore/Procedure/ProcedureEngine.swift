/// The Wrexham Attendance Procedure as a pure function: a pupil's marks for the school year, the calendar, the
/// policy and what is already recorded in, the actions now due out. Deterministic: the same input gives the
/// same output, and an action already recorded is never due again (unless it was withdrawn and the line is
/// crossed again).
public struct ProcedureEngine: Sendable {
    public let policy: Policy
    public let codes: CodeTable

    /// What each code id means to the rules, worked out once (see `Flag`).
    let flagsByID: [UInt8]
    let classByID: [SummaryClass]

    public init(policy: Policy, codes: CodeTable) {
        self.policy = policy
        self.codes = codes
        var flags = [UInt8](repeating: 0, count: 256)
        var penalty = [Bool](repeating: false, count: 256)
        for code in codes.codes {
            var value = Flag.known
            if code.category.countsAsAbsence { value |= Flag.absence }
            if code.category == .unauthorised { value |= Flag.unauthorised }
            if code.category == .unauthorised && !code.means(.lateAfterClose) { value |= Flag.unauthorisedNotLate }
            // For a penalty notice, "unauthorised" is an absence found unauthorised: not U (its own criterion),
            // not G (the holiday criterion) and not N, which waits for a reason and is not yet unauthorised.
            if code.category == .unauthorised && !code.means(.lateAfterClose) && !code.means(.noReasonYet)
                && !code.means(.holidayNotAgreed)
            {
                penalty[Int(code.id)] = true
            }
            if code.means(.lateAfterClose) { value |= Flag.lateAfterClose }
            if code.means(.noReasonYet) { value |= Flag.noReason }
            if code.means(.holidayNotAgreed) { value |= Flag.holidayNotAgreed }
            if code.means(.illness) || code.means(.medical) { value |= Flag.illnessOrMedical }
            flags[Int(code.id)] = value
        }
        flagsByID = flags
        classByID = codes.classByID
        penaltyByID = penalty
    }

    /// Whether each code id counts as unauthorised for a penalty notice (the byte's flag bits are all used).
    let penaltyByID: [Bool]

    enum Flag {
        static let known: UInt8 = 1
        static let absence: UInt8 = 2
        static let unauthorised: UInt8 = 4
        static let unauthorisedNotLate: UInt8 = 8
        static let lateAfterClose: UInt8 = 16
        static let noReason: UInt8 = 32
        static let holidayNotAgreed: UInt8 = 64
        static let illnessOrMedical: UInt8 = 128
    }

    public struct Outcome: Sendable, Hashable {
        /// Everything due as of the day, recorded or not.
        public let due: [DueAction]
        /// Due and not yet recorded: what a run records.
        public let new: [DueAction]
        /// Recorded, still pending, and no longer due (a correction took the pupil back under the line).
        public let withdraw: [RecordedAction]
    }

    /// - Parameters:
    ///   - recorded: this school year's recorded actions for the pupil (an earlier year's never count).
    ///   - letter3Sent: when Letter 3 was carried out, if it was: medical evidence is needed after it.
    ///   - compulsoryAge: whether the pupil is of compulsory school age on the day: only then can the parents
    ///     face a penalty notice, legal action or an ESW referral for the child's absence.
    ///   - contacted: days on which the school reached a parent or recorded a reason for the pupil's absence.
    public func run(
        marks: YearMarks, calendar: SchoolCalendar, asOf: LocalDate, recorded: [RecordedAction],
        letter3Sent: LocalDate? = nil, compulsoryAge: Bool = true, contacted: Set<LocalDate> = []
    ) -> Outcome {
        run(
            marks: marks, days: Days(calendar: calendar, year: marks.academicYear, asOf: asOf, policy: policy),
            recorded: recorded, letter3Sent: letter3Sent, compulsoryAge: compulsoryAge, contacted: contacted)
    }

    /// Actions that only concern a pupil of compulsory school age.
    public static let compulsoryAgeOnly: Set<ProcedureAction> = [.eswReferral, .fpnEligible, .legalActionReview]

    /// The same, with the calendar worked out once for every pupil of a school (a run over an authority).
    public func run(
        marks: YearMarks, days: Days, recorded: [RecordedAction], letter3Sent: LocalDate? = nil,
        compulsoryAge: Bool = true, contacted: Set<LocalDate> = []
    ) -> Outcome {
        let year = marks.academicYear
        let asOf = days.asOf
        let bytes = marks.bytes
        let limit = days.slotLimit(bytes.count)
        func session(_ slot: Int) -> Session { Session(academicYear: year, slot: slot) }
        // One pass over the year's bytes: what each rule counts, as slots.
        var absences: [Int] = []
        var unauthorised: [Int] = []
        var noReason: [Int] = []
        var unexplainedOrUnauthorised: [Int] = []
        var counts = Array(repeating: 0, count: SummaryClass.allCases.count)
        var firstMarked: Int?
        for slot in 0..<limit {
            let id = bytes[slot]
            guard id != 0 else { continue }
            let flags = flagsByID[Int(id)]
            guard flags & Flag.known != 0 else { continue }
            if firstMarked == nil { firstMarked = slot }
            counts[Int(classByID[Int(id)].rawValue)] += 1
            if flags & Flag.absence != 0 { absences.append(slot) }
            if flags & Flag.unauthorised != 0 { unauthorised.append(slot) }
            if flags & Flag.noReason != 0 { noReason.append(slot) }
            if flags & Flag.unauthorisedNotLate != 0 { unexplainedOrUnauthorised.append(slot) }
        }
        var due: [DueAction] = []

        for threshold in policy.thresholds where compulsoryAge || !Self.compulsoryAgeOnly.contains(threshold.action) {
            let counted = threshold.of == .absence ? absences : unauthorised
            if counted.count >= threshold.sessions {
                due.append(
                    DueAction(
                        action: threshold.action, basis: threshold.of.rawValue, count: counted.count,
                        sessions: counted.prefix(threshold.sessions).map(session),
                        key: threshold.action.key(year.startYear)))
            }
        }

        let summary = AttendanceSummary(counts: counts, rules: policy.summaryRules)
        if summary.persistentAbsence {
            due.append(
                DueAction(
                    action: .persistentAbsence, basis: "missed \(summary.absent) of \(summary.possible)",
                    count: summary.absent, sessions: absences.map(session),
                    key: ProcedureAction.persistentAbsence.key(year.startYear))
            )
        }

        // N marks past the policy's days become O in this run: the other rules see them as O already, so a second
        // run finds nothing new.
        let converting = noReason.filter { days.schoolDays(afterSlot: $0) >= policy.noReasonSchoolDays }
        for slot in converting {
            let noted = session(slot)
            due.append(
                DueAction(
                    action: .nToO, basis: "no_reason", count: 1, sessions: [noted], key: ProcedureAction.nToO.key(noted)
                ))
        }
        let asOfSlot = year.firstDay.days(until: asOf) * 2
        let today = noReason.filter { $0 == asOfSlot || $0 == asOfSlot + 1 }.map(session)
        if !today.isEmpty {
            due.append(
                DueAction(
                    action: .firstDayContact, basis: "no_reason", count: today.count, sessions: today,
                    key: ProcedureAction.firstDayContact.key(asOf.iso)))
        }
        due += noContact(noReason: noReason, days: days, year: year, contacted: contacted)
        let fixedPenalty =
            compulsoryAge
            ? fixedPenalty(bytes: bytes, limit: limit, days: days, year: year, converting: Set(converting)) : nil
        if let fixedPenalty { due.append(fixedPenalty) }
        let referred =
            due.contains { $0.action == .eswReferral }
            || recorded.contains { $0.action == .eswReferral && $0.status != .withdrawn }
        if let fixedPenalty, referred, let term = days.term {
            // Continued deterioration once the ESW referral is due or made: consider a penalty notice or
            // prosecution. Judged on this run's own findings too, so a second run the same day adds nothing.
            due.append(
                DueAction(
                    action: .legalActionReview, basis: fixedPenalty.basis, count: fixedPenalty.count,
                    sessions: fixedPenalty.sessions, key: ProcedureAction.legalActionReview.key(term.range.start.iso)))
        }
        if let firstMarked {
            due += continuous(bytes: bytes, limit: limit, from: firstMarked, days: days, year: year)
        }
        due += preHoliday(absences: unexplainedOrUnauthorised, days: days, year: year)
        if let letter3Sent {
            // After Letter 3, each absence for illness or an appointment (a run of I or M sessions with no other
            // mark between) is one flag for the head: authorise only with medical evidence.
            let after = max(0, (year.firstDay.days(until: letter3Sent) + 1) * 2)
            var absence: [Int] = []
            func close() {
                guard let first = absence.first else { return }
                let kinds = absence.map { codes.code(id: bytes[$0])!.code }
                due.append(
                    DueAction(
                        action: .medicalEvidenceRequired,
                        basis: kinds.reduce(into: [String]()) { if !$0.contains($1) { $0.append($1) } }.joined(
                            separator: ","), count: absence.count, sessions: absence.map(session),
                        key: ProcedureAction.medicalEvidenceRequired.key(session(first))))
                absence = []
            }
            for slot in after..<max(after, limit) where bytes[slot] != 0 {
                if flagsByID[Int(bytes[slot])] & Flag.illnessOrMedical != 0 { absence.append(slot) } else { close() }
            }
            close()
        }

        let live = Set(recorded.filter { $0.status != .withdrawn }.map(\.key))
        let dueKeys = Set(due.map(\.key))
        let withdraw = recorded.filter { action in
            action.status == .pending && !dueKeys.contains(action.key)
                && action.action.mayWithdraw(key: action.key, asOf: asOf, term: days.term?.range)
        }
        return Outcome(due: due, new: due.filter { !live.contains($0.key) }, withdraw: withdraw)
    }

    /// No contact by day three: a spell of school days absent with no reason, running up to the day and at least
    /// the policy's days long, in which nobody reached a parent or recorded a reason. Once per spell: its key is
    /// the spell's first day, so the days after the third add nothing.
    private func noContact(noReason: [Int], days: Days, year: AcademicYear, contacted: Set<LocalDate>)
        -> [DueAction]
    {
        guard !noReason.isEmpty, let today = days.schoolDayOffsets.last,
            today == year.firstDay.days(until: days.asOf)
        else { return [] }
        let dates = Set(noReason.map { $0 / 2 })
        var spell: [Int] = []
        for day in days.schoolDayOffsets.reversed() {
            guard dates.contains(day) else { break }
            spell.insert(day, at: 0)
        }
        guard spell.count >= policy.noContactSchoolDays,
            !spell.contains(where: { contacted.contains(year.firstDay.adding(days: $0)) })
        else { return [] }
        let inSpell = Set(spell)
        return [
            DueAction(
                action: .noContactDay3, basis: "no_reason", count: spell.count,
                sessions: noReason.filter { inSpell.contains($0 / 2) }.map { Session(academicYear: year, slot: $0) },
                key: ProcedureAction.noContactDay3.key(year.firstDay.adding(days: spell[0]).iso))
        ]
    }

    /// The penalty-notice criteria, counted within the term that contains the day: one flag a term, naming
    /// each criterion met ("unauthorised,late_after_close"), with the sessions behind them. Each session counts
    /// under one criterion only: O under unauthorised, U under lateness, G under the holiday; N not at all.
    private func fixedPenalty(bytes: [UInt8], limit: Int, days: Days, year: AcademicYear, converting: Set<Int>)
        -> DueAction?
    {
        guard let term = days.term else { return nil }
        var met: [String] = []
        var slots: [Int] = []
        for (basis, needed, found) in penaltyCriteria(
            bytes: bytes, limit: limit, term: term.range, year: year, converting: converting)
        where found.count >= needed {
            met.append(basis)
            slots += found
        }
        guard !met.isEmpty else { return nil }
        return DueAction(
            action: .fpnEligible, basis: met.joined(separator: ","), count: slots.count,
            sessions: slots.sorted().map { Session(academicYear: year, slot: $0) },
            key: ProcedureAction.fpnEligible.key(term.range.start.iso))
    }

    /// Each penalty-notice criterion with the number it needs and the term's slots that count towards it.
    private func penaltyCriteria(
        bytes: [UInt8], limit: Int, term: DateRange, year: AcademicYear, converting: Set<Int>
    ) -> [(basis: String, needed: Int, found: [Int])] {
        let first = max(0, year.firstDay.days(until: term.start) * 2)
        let last = min(limit, (year.firstDay.days(until: term.end) + 1) * 2)
        guard first < last else { return [] }
        let criteria: [(String, Int, (Int) -> Bool)] = [
            (
                "unauthorised", policy.fixedPenaltyPerTerm.unauthorisedSessions,
                { self.penaltyByID[Int(bytes[$0])] || converting.contains($0) }
            ),
            (
                "late_after_close", policy.fixedPenaltyPerTerm.lateAfterCloseSessions,
                { self.flagsByID[Int(bytes[$0])] & Flag.lateAfterClose != 0 }
            ),
            (
                "unagreed_holiday", policy.fixedPenaltyPerTerm.unagreedHolidaySessions,
                { self.flagsByID[Int(bytes[$0])] & Flag.holidayNotAgreed != 0 }
            ),
        ]
        return criteria.map { basis, needed, counts in
            (basis, needed, (first..<last).filter { bytes[$0] != 0 && counts($0) })
        }
    }

    /// A term's figures for a penalty notice warning: each criterion's count this term, and which are met, by the
    /// same rule the procedure flags with. Nil outside a term.
    public func penaltyTerm(marks: YearMarks, calendar: SchoolCalendar, asOf: LocalDate) -> PenaltyTerm? {
        let days = Days(calendar: calendar, year: marks.academicYear, asOf: asOf, policy: policy)
        guard let term = days.term, let range = DateRange(term.range.start, min(term.range.end, asOf)) else {
            return nil
        }
        let year = marks.academicYear
        let criteria = penaltyCriteria(
            bytes: marks.bytes, limit: days.slotLimit(marks.bytes.count), term: term.range, year: year,
            converting: [])
        return PenaltyTerm(
            range: range, counts: Dictionary(uniqueKeysWithValues: criteria.map { ($0.basis, $0.found.count) }),
            met: criteria.filter { $0.found.count >= $0.needed }.map(\.basis))
    }
    /// Runs of school days on which every mark is an unauthorised absence, long enough to report.
    private func continuous(bytes: [UInt8], limit: Int, from firstSlot: Int, days: Days, year: AcademicYear)
        -> [DueAction]
    {
        var result: [DueAction] = []
        var run: [Int] = []
        func close() {
            if run.count >= policy.continuousAbsenceSchoolDays {
                var sessions: [Session] = []
                for day in run {
                    for slot in [day * 2, day * 2 + 1]
                    where slot < limit && bytes[slot] != 0
                        && flagsByID[Int(bytes[slot])] & Flag.known != 0
                    {
                        sessions.append(Session(academicYear: year, slot: slot))
                    }
                }
                result.append(
                    DueAction(
                        action: .continuousAbsenceReport, basis: "unauthorised", count: run.count, sessions: sessions,
                        key: ProcedureAction.continuousAbsenceReport.key(year.firstDay.adding(days: run[0]).iso)))
            }
            run = []
        }
        for day in days.schoolDayOffsets where day * 2 + 1 >= firstSlot {
            var marked = 0
            var all = true
            for slot in [day * 2, day * 2 + 1] where slot < limit && bytes[slot] != 0 {
                let flags = flagsByID[Int(bytes[slot])]
                guard flags & Flag.known != 0 else { continue }
                marked += 1
                if flags & Flag.unauthorisedNotLate == 0 { all = false }
            }
            if marked > 0 && all { run.append(day) } else { close() }
        }
        close()
        return result
    }

    /// Unexplained or unauthorised absence (not illness, not an agreed absence, not lateness) in the last school
    /// days before the calendar's breaks (terms' ends, half-terms), repeated across breaks this year.
    /// Due only in the last school days before the next break, so the letter reaches parents before the holiday
    /// it is about.
    private func preHoliday(absences: [Int], days: Days, year: AcademicYear) -> [DueAction] {
        guard !absences.isEmpty, let toBreak = days.schoolDaysToNextBreak,
            toBreak <= policy.preHolidayNoticeSchoolDays
        else { return [] }
        var byDay: [Int: [Int]] = [:]
        for slot in absences { byDay[slot / 2, default: []].append(slot) }
        var holidays: [[Session]] = []
        for window in days.preHolidayWindows {
            let sessions = window.flatMap { byDay[$0] ?? [] }.map { Session(academicYear: year, slot: $0) }
            if !sessions.isEmpty { holidays.append(sessions) }
        }
        guard holidays.count >= policy.preHolidayRepeats else { return [] }
        return [
            DueAction(
                action: .preHolidayPattern, basis: "before \(holidays.count) holidays", count: holidays.count,
                sessions: holidays.flatMap { $0 }, key: ProcedureAction.preHolidayPattern.key(year.startYear))
        ]
    }
}
