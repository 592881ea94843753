import AttendanceCore
import Foundation
import SQLKit

extension PenaltyRepository {
    /// What the penalty criteria beyond the register count, by pupil id, from the first day of `year` to `asOf`:
    /// patrol and police sightings (matched to a pupil), panels missed without notice, contact attempts that
    /// reached nobody, and whether a prosecution has begun. Four queries for any number of pupils.
    /// - Parameter pupils: a condition on `pupil_id` ("" for every pupil).
    func penaltyEvidence(year: AcademicYear, asOf: LocalDate, pupils: SQLQueryString) async throws
        -> [Int: PenaltyEvidence]
    {
        var evidence: [Int: PenaltyEvidence] = [:]
        let from = year.firstDay.iso
        let to = asOf.iso
        func days(_ query: SQLQueryString, _ column: String, into path: WritableKeyPath<PenaltyEvidence, [LocalDate]>)
            async throws
        {
            for row in try await store.reader.raw(query).all() {
                guard let day = LocalDate(iso: try row.decode(column: column, as: String.self)) else { continue }
                evidence[try row.decode(column: "pupil_id", as: Int.self), default: .none][keyPath: path].append(day)
            }
        }
        try await days(
            """
            SELECT * FROM (SELECT COALESCE(e.pupil_id, m.pupil_id) AS pupil_id, e.seen_on FROM patrol_entries e
            LEFT JOIN patrol_matches m ON m.entry_id = e.id
            WHERE e.seen_on >= \(bind: from) AND e.seen_on <= \(bind: to)) seen WHERE pupil_id IS NOT NULL
            """ + pupils, "seen_on", into: \.policeDays)
        try await days(
            """
            SELECT c.pupil_id, a.on_day FROM attendance_panels a JOIN esw_cases c ON c.id = a.case_id
            WHERE a.attendance = \(bind: PanelAttendance.absentWithoutNotice.rawValue)
            AND a.on_day >= \(bind: from) AND a.on_day <= \(bind: to)
            """ + pupils, "on_day", into: \.missedMeetings)
        try await days(
            """
            SELECT pupil_id, date FROM contact_attempts
            WHERE outcome <> \(bind: ContactAttempt.Outcome.reached.rawValue)
            AND date >= \(bind: from) AND date <= \(bind: to)
            """ + pupils, "date", into: \.unansweredContacts)
        for row in try await store.reader.raw(
            """
            SELECT DISTINCT c.pupil_id FROM penalty_notices n JOIN penalty_cases c ON c.id = n.case_id
            WHERE n.status = \(bind: NoticeStatus.prosecutionReferred.rawValue)
            """ + pupils
        ).all() {
            evidence[try row.decode(column: "pupil_id", as: Int.self), default: .none].prosecutionBegun = true
        }
        return evidence
    }

    /// One pupil's evidence this school year up to the day: what a warning letter and a case quote.
    public func penaltyEvidence(of upn: UPN, asOf: LocalDate) async throws -> PenaltyEvidence {
        let pupil = try await store.reference.requirePupil(upn)
        return try await penaltyEvidence(
            year: asOf.academicYear, asOf: asOf, pupils: " AND pupil_id = \(bind: pupil.id)")[pupil.id] ?? .none
    }
}

extension PenaltyRepository {
    /// A pupil's penalty figures for the term containing `asOf`, by the procedure's own rule, from everything
    /// it reads (marks, declines, police contacts and missed engagement): what the warning letter, the case and
    /// the evidence pack quote. Nil outside a term.
    public func penaltyTerm(of upn: UPN, school: School, asOf: LocalDate, policy: Policy) async throws -> PenaltyTerm? {
        ProcedureEngine(policy: policy, codes: store.codes).penaltyTerm(
            marks: try await store.registers.yearMarks(of: upn, year: asOf.academicYear),
            calendar: try await store.reference.calendar(for: school),
            asOf: asOf, penaltyDeclined: try await penaltyDeclines(of: upn),
            evidence: try await penaltyEvidence(of: upn, asOf: asOf))
    }
}
