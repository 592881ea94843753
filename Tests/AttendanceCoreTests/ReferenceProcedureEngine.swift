import Testing

@testable import AttendanceCore

// The procedure as first written: a plain reading of the policy, per pupil, with the calendar asked afresh each
// time. The engine the program runs is rewritten for speed (slot by slot, the calendar worked out once per run);
// this copy stays here only as the oracle it is compared with on random data.
/// The Wrexham Attendance Procedure as a pure function: a pupil's marks for the school year, the calendar, the
/// policy and what is already recorded in, the actions now due out. Deterministic: the same input gives the
/// same output, and an action already recorded is never due again (unless it was withdrawn and the line is
/// crossed again).
struct ReferenceProcedureEngine: Sendable {
    let policy: Policy
    let codes: CodeTable

    init(policy: Policy, codes: CodeTable) {
        self.policy = policy
        self.codes = codes
    }

    typealias Outcome = ProcedureEngine.Outcome

    /// - Parameter letter3Sent: when Letter 3 was carried out, if it was: medical evidence is needed after it.
    func run(
        marks: YearMarks, calendar: SchoolCalendar, asOf: LocalDate, recorded: [RecordedAction],
        letter3Sent: LocalDate? = nil, compulsoryAge: Bool = true, contacted: Set<LocalDate> = [],
        penaltyEvidence: PenaltyEvidence = .none
    ) -> Outcome {
        let year = marks.academicYear
        let all = marks.marks(table: codes).filter { $0.0.date <= asOf }
        let absences = all.filter { $0.1.category.countsAsAbsence }.map(\.0)
        let unauthorised = all.filter { $0.1.category == .unauthorised }.map(\.0)
        var due: [DueAction] = []

        for threshold in policy.thresholds {
            // An ESW referral is for a child of compulsory school age.
            if threshold.action == .eswReferral && !compulsoryAge { continue }
            let counted = threshold.of == .absence ? absences : unauthorised
            if counted.count >= threshold.sessions {
                due.append(
                    DueAction(
                        action: threshold.action, basis: threshold.of.rawValue, count: counted.count,
                        sessions: Array(counted.prefix(threshold.sessions)),
                        key: threshold.action.key(year.startYear)))
            }
        }

        let summary = AttendanceSummary(codes: all.map(\.1), rules: policy.summaryRules)
        if summary.persistentAbsence {
            due.append(
                DueAction(
                    action: .persistentAbsence, basis: "missed \(summary.absent) of \(summary.possible)",
                    count: summary.absent, sessions: absences,
                    key: ProcedureAction.persistentAbsence.key(year.startYear)))
        }

        let noReason = all.filter { $0.1.means(.noReasonYet) }.map(\.0)
        for session in noReason
        where calendar.schoolDays(after: session.date, through: asOf) >= policy.noReasonSchoolDays {
            due.append(
                DueAction(
                    action: .nToO, basis: "no_reason", count: 1, sessions: [session],
                    key: ProcedureAction.nToO.key(session)))
        }
        let today = noReason.filter { $0.date == asOf }
        if !today.isEmpty {
            due.append(
                DueAction(
                    action: .firstDayContact, basis: "no_reason", count: today.count, sessions: today,
                    key: ProcedureAction.firstDayContact.key(asOf.iso)))
        }
        due += noContact(noReason: noReason, calendar: calendar, asOf: asOf, contacted: contacted)
        // N marks old enough to become O in this run count as O for the penalty notice.
        let converting = Set(
            noReason.filter { calendar.schoolDays(after: $0.date, through: asOf) >= policy.noReasonSchoolDays })
        let fixedPenalty =
            compulsoryAge
            ? fixedPenalty(
                all: all, calendar: calendar, asOf: asOf, converting: converting, evidence: penaltyEvidence) : nil
        if let fixedPenalty { due.append(fixedPenalty) }
        let referred =
            due.contains { $0.action == .eswReferral }
            || recorded.contains { $0.action == .eswReferral && $0.status != .withdrawn }
        if let fixedPenalty, referred, let term = calendar.term(containing: asOf) {
            // Continued deterioration once the ESW referral is due or made: consider a penalty notice or
            // prosecution. Judged on this run's own findings too, so a second run the same day adds nothing.
            due.append(
                DueAction(
                    action: .legalActionReview, basis: fixedPenalty.basis, count: fixedPenalty.count,
                    sessions: fixedPenalty.sessions, key: ProcedureAction.legalActionReview.key(term.range.start.iso)))
        }
        due += continuous(all: all, calendar: calendar, asOf: asOf)
        due += preHoliday(all: all, calendar: calendar, year: year, asOf: asOf)
        if let letter3Sent {
            // One flag per absence: consecutive I or M marks with no other mark between.
            var absences: [[(SchoolSession, AttendanceCode)]] = []
            var current: [(SchoolSession, AttendanceCode)] = []
            for (session, code) in all where session.date > letter3Sent {
                if code.means(.illness) || code.means(.medical) {
                    current.append((session, code))
                } else if !current.isEmpty {
                    absences.append(current)
                    current = []
                }
            }
            if !current.isEmpty { absences.append(current) }
            for absence in absences {
                var kinds: [String] = []
                for (_, code) in absence {
                    let kind = code.means(.illness) ? "illness" : "medical"
                    if !kinds.contains(kind) { kinds.append(kind) }
                }
                due.append(
                    DueAction(
                        action: .medicalEvidenceRequired, basis: kinds.joined(separator: ","), count: absence.count,
                        sessions: absence.map(\.0), key: ProcedureAction.medicalEvidenceRequired.key(absence[0].0)))
            }
        }
        // Persistently late: L or U in the term's sessions up to the day, at least the policy's number.
        if let term = calendar.term(containing: asOf) {
            let late = all.filter { term.range.contains($0.0.date) && $0.1.isLate }.map(\.0)
            if late.count >= policy.casework.persistentLatenessSessions {
                due.append(
                    DueAction(
                        action: .persistentLateness, basis: "late", count: late.count, sessions: late,
                        key: ProcedureAction.persistentLateness.key(term.range.start.iso)))
            }
        }

        let live = Set(recorded.filter { $0.status != .withdrawn }.map(\.key))
        let dueKeys = Set(due.map(\.key))
        let withdraw = recorded.filter { action in
            action.status == .pending && !dueKeys.contains(action.key)
                && action.action.mayWithdraw(key: action.key, asOf: asOf, term: calendar.term(containing: asOf)?.range)
        }
        return Outcome(due: due, new: due.filter { !live.contains($0.key) }, withdraw: withdraw)
    }

    /// No contact by day three: the spell of school days absent with no reason up to the day, once per spell.
    private func noContact(
        noReason: [SchoolSession], calendar: SchoolCalendar, asOf: LocalDate, contacted: Set<LocalDate>
    )
        -> [DueAction]
    {
        guard calendar.isSchoolDay(asOf) else { return [] }
        let byDate = Set(noReason.map(\.date))
        var spell: [LocalDate] = []
        var day = asOf
        while day >= asOf.academicYear.firstDay {
            if calendar.isSchoolDay(day) {
                guard byDate.contains(day) else { break }
                spell.insert(day, at: 0)
            }
            day = day.adding(days: -1)
        }
        guard spell.count >= policy.noContactSchoolDays, !spell.contains(where: contacted.contains) else { return [] }
        return [
            DueAction(
                action: .noContactDay3, basis: "no_reason", count: spell.count,
                sessions: noReason.filter { spell.contains($0.date) },
                key: ProcedureAction.noContactDay3.key(spell[0].iso))
        ]
    }

    /// The penalty-notice criteria, counted within the term that contains the day (DOMAIN.md §7): every
    /// unauthorised session (an N once it becomes O) under "unauthorised", U under lateness as well, G under the
    /// holiday as well; days seen by the police with an unauthorised absence; meetings missed or calls unanswered.
    private func fixedPenalty(
        all: [(SchoolSession, AttendanceCode)], calendar: SchoolCalendar, asOf: LocalDate,
        converting: Set<SchoolSession>, evidence: PenaltyEvidence
    ) -> DueAction? {
        guard let term = calendar.term(containing: asOf) else { return nil }
        let inTerm = all.filter { term.range.contains($0.0.date) }
        let isUnauthorised = { (mark: (SchoolSession, AttendanceCode)) in
            converting.contains(mark.0) || (mark.1.category == .unauthorised && !mark.1.means(.noReasonYet))
        }
        let criteria: [(String, Int, ((SchoolSession, AttendanceCode)) -> Bool)] = [
            ("unauthorised", policy.fixedPenaltyPerTerm.unauthorisedSessions, isUnauthorised),
            ("late_after_close", policy.fixedPenaltyPerTerm.lateAfterCloseSessions, { $0.1.means(.lateAfterClose) }),
            (
                "unagreed_holiday", policy.fixedPenaltyPerTerm.unagreedHolidaySessions,
                { $0.1.means(.holidayNotAgreed) }
            ),
        ]
        var met: [String] = []
        var sessions = Set<SchoolSession>()
        for (basis, needed, counts) in criteria {
            let found = inTerm.filter(counts).map(\.0)
            if found.count >= needed {
                met.append(basis)
                sessions.formUnion(found)
            }
        }
        let inPart = { (day: LocalDate) in term.range.contains(day) && day <= asOf }
        let policeSessions = Set(evidence.policeDays.filter(inPart)).flatMap { day in
            inTerm.filter { $0.0.date == day && isUnauthorised($0) }.map(\.0)
        }
        if Set(policeSessions.map(\.date)).count >= policy.casework.policeContactDays {
            met.append("police_contact")
            sessions.formUnion(policeSessions)
        }
        let missed = Set(evidence.missedMeetings.filter(inPart)).count
        let unanswered = evidence.unansweredContacts.filter(inPart).count
        var events = 0
        if !evidence.prosecutionBegun
            && (missed >= policy.casework.missedMeetings || unanswered >= policy.casework.unansweredContactAttempts)
        {
            met.append("non_engagement")
            events = missed + unanswered
        }
        guard !met.isEmpty else { return nil }
        return DueAction(
            action: .fpnEligible, basis: met.joined(separator: ","), count: sessions.isEmpty ? events : sessions.count,
            sessions: sessions.sorted(), key: ProcedureAction.fpnEligible.key(term.range.start.iso))
    }

    /// Runs of school days on which every mark is an unauthorised absence, long enough to report.
    private func continuous(all: [(SchoolSession, AttendanceCode)], calendar: SchoolCalendar, asOf: LocalDate)
        -> [DueAction]
    {
        var byDate: [LocalDate: [AttendanceCode]] = [:]
        for (session, code) in all { byDate[session.date, default: []].append(code) }
        guard let first = all.first?.0.date else { return [] }
        var result: [DueAction] = []
        var run: [LocalDate] = []
        func close() {
            if run.count >= policy.continuousAbsenceSchoolDays {
                let sessions = all.filter { run.contains($0.0.date) }.map(\.0)
                result.append(
                    DueAction(
                        action: .continuousAbsenceReport, basis: "unauthorised", count: run.count, sessions: sessions,
                        key: ProcedureAction.continuousAbsenceReport.key(run[0].iso)))
            }
            run = []
        }
        for day in calendar.schoolDays(in: DateRange(first, asOf) ?? DateRange(asOf, asOf)!) {
            let codes = byDate[day] ?? []
            if !codes.isEmpty && codes.allSatisfy({ $0.category == .unauthorised && !$0.means(.lateAfterClose) }) {
                run.append(day)
            } else {
                close()
            }
        }
        close()
        return result
    }

    /// Absence in the last school days before holidays, repeated across holidays this year.
    private func preHoliday(
        all: [(SchoolSession, AttendanceCode)], calendar: SchoolCalendar, year: AcademicYear, asOf: LocalDate
    ) -> [DueAction] {
        // In the weeks before the next break only.
        guard let toBreak = calendar.schoolDaysToNextBreak(from: asOf), toBreak <= policy.preHolidayNoticeSchoolDays
        else { return [] }
        var absentDates: [LocalDate: [SchoolSession]] = [:]
        for (session, code) in all where code.category == .unauthorised && !code.means(.lateAfterClose) {
            absentDates[session.date, default: []].append(session)
        }
        var holidays: [[SchoolSession]] = []
        for start in calendar.breakStarts where start > year.firstDay && start <= asOf {
            let before = calendar.schoolDays(policy.preHolidaySchoolDays, before: start)
            let sessions = before.flatMap { absentDates[$0] ?? [] }
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
