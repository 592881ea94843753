import AttendanceCore
import Foundation
import SQLKit

extension RollRepository {
    /// Pupils of compulsory school age on a school's roll today (every school's when `only` is nil) whom the record
    /// suggests may be missing education, with why (`MissingEducationCandidate.Reason`); a pupil the school has
    /// referred since is left off. The long-absence reason reads the register as it stands today through the
    /// procedure's own continuous-absence rule (a run without recording).
    public func missingEducationCandidates(policy: Policy, school only: LAESTAB?, today: LocalDate) async throws
        -> [MissingEducationCandidate]
    {
        var rolls: [LAESTAB: Set<UPN>] = [:]
        func onRollToday(_ upn: UPN, at school: LAESTAB) async throws -> Bool {
            if rolls[school] == nil {
                rolls[school] = Set(try await store.reference.onRoll(school, on: today).map(\.upn))
            }
            return rolls[school]?.contains(upn) == true
        }
        var found: [UPN: (school: LAESTAB, reasons: [MissingEducationCandidate.Reason])] = [:]
        func add(_ upn: UPN, _ school: LAESTAB, _ reason: MissingEducationCandidate.Reason) {
            found[upn, default: (school, [])].reasons.append(reason)
        }

        // Long absence with no successful contact: each pupil's latest run, if it is still going.
        var latest: [UPN: ProcedureLine] = [:]
        for line in try await store.procedure.runProcedure(policy: policy, asOf: today, school: only, dryRun: true)
            .lines
        where line.due.action == .continuousAbsenceReport {
            if let earlier = latest[line.upn], let was = earlier.due.sessions.first, let now = line.due.sessions.first,
                was.date > now.date
            {
                continue
            }
            latest[line.upn] = line
        }
        for (upn, line) in latest {
            guard let first = line.due.sessions.first?.date, let last = line.due.sessions.last?.date,
                try await onRollToday(upn, at: line.school)
            else { continue }
            // Still going: nothing since but unauthorised absence (a late mark, even after the register closed,
            // means the child was seen, as the rule itself counts it).
            if let after = DateRange(last.adding(days: 1), today),
                try await store.registers.marks(of: upn, in: after).contains(where: { recorded in
                    store.codes[recorded.mark.code].map { $0.category != .unauthorised || $0.isLate } ?? true
                })
            {
                continue
            }
            let pupil = try await store.reference.requirePupil(upn)
            let school = try await store.reference.requireSchool(line.school)
            let reached = try await store.procedure.contactAttempts(
                of: pupil.id, school: school.id, in: DateRange(start: first, notBefore: today)
            )
            .contains { $0.outcome == .reached }
            let reported = try await store.leave.absenceReports(of: upn).contains {
                String($0.reportedAt.prefix(10)) >= first.iso
            }
            if !reached && !reported { add(upn, line.school, .longAbsence(from: first, schoolDays: line.due.count)) }
        }

        // Extended leave recorded as taking the pupil off the roll, and the pupil still on it.
        let schoolCondition: SQLQueryString =
            only.map { "s.laestab = \(bind: $0.description)" } ?? "1 = 1"
        for request in try await store.leave.leaveRequests(
            where: "r.status = \(bind: LeaveRequest.Status.offRoll.rawValue) AND " + schoolCondition)
        where try await onRollToday(request.upn, at: request.school) {
            let decided = request.decision.flatMap { LocalDate(iso: String($0.decidedAt.prefix(10))) } ?? today
            add(
                request.upn, request.school,
                .extendedLeave(request: request.id, dates: request.dates, decidedOn: decided))
        }

        // An ESW case closed because the family left, and the pupil still on the roll.
        for closed in try await store.esw.eswCases(schools: only.map { [$0] }) where closed.status == .closed {
            guard let close = closed.events.last(where: { $0.step == "close" }),
                close.data["outcome"] == EswOutcome.left.rawValue,
                let on = LocalDate(iso: String(close.at.prefix(10))),
                try await onRollToday(closed.upn, at: closed.school)
            else { continue }
            add(closed.upn, closed.school, .familyMoved(on: on))
        }

        // Of compulsory school age today; not referred since.
        let pupils = try await store.reference.pupils(Array(found.keys))
        for upn in found.keys
        where pupils[upn].map({ !CompulsorySchoolAge(dateOfBirth: $0.dateOfBirth).isOfCompulsorySchoolAge(on: today) })
            ?? true
        {
            found[upn] = nil
        }
        var referred: [UPN: LocalDate] = [:]
        for cme in try await missingEducationCases() where found[cme.upn] != nil {
            referred[cme.upn] = max(referred[cme.upn] ?? cme.referredOn, cme.referredOn)
        }
        return MissingEducationCandidate.list(found, referredSince: referred)
    }
}
