import AttendanceCore
import Foundation

/// The store's edge for a school's procedure actions and contact attempts, keyed by LAESTAB: the row ids the queries use stay inside the store.
extension ProcedureRepository {
    /// A school's procedure actions (pending by default), newest first; with `upn`, only that pupil's; with
    /// `year`, only that school year's.
    public func actions(
        school: LAESTAB, status: RecordedAction.Status? = .pending, upn: UPN? = nil, year: AcademicYear? = nil
    ) async throws -> [QueuedAction] {
        try await actions(
            schoolID: try await store.reference.requireSchool(school).id, status: status, upn: upn, year: year)
    }

    /// Marks a school's pending action done or dismissed.
    public func closeAction(
        id: ActionID, school: LAESTAB, as status: RecordedAction.Status, note: String, by actor: AuditActor,
        at now: Date = Date()
    ) async throws {
        try await closeAction(
            id: id, schoolID: try await store.reference.requireSchool(school).id, as: status, note: note, by: actor,
            at: now)
    }

    public func logContactAttempt(
        upn: UPN, school: LAESTAB, date: LocalDate, method: ContactAttempt.Method, contactName: String,
        outcome: ContactAttempt.Outcome, notes: String?, proposedCode: String?, by actor: AuditActor,
        at now: Date = Date()
    ) async throws {
        try await logContactAttempt(
            upn: upn, schoolID: try await store.reference.requireSchool(school).id, date: date, method: method,
            contactName: contactName, outcome: outcome, notes: notes, proposedCode: proposedCode, by: actor, at: now)
    }

    /// The telephone calls to a pupil's parents at a school in a range of days that reached nobody: the attempts a
    /// phone call action counts before the head of year may close it without a conversation.
    public func unansweredCalls(_ upn: UPN, school: LAESTAB, in range: DateRange) async throws -> Int {
        try await contactAttempts(of: upn, school: school, in: range).filter {
            $0.method == .call && $0.outcome != .reached
        }.count
    }

    /// A pupil's calls, messages and meetings at a school in a range of days, oldest first (a mentor's log).
    public func contactAttempts(of upn: UPN, school: LAESTAB, in range: DateRange) async throws -> [ContactAttempt] {
        try await contactAttempts(
            of: try await store.reference.requirePupil(upn).id,
            school: try await store.reference.requireSchool(school).id, in: range)
    }

    /// Each pupil's latest contact attempt at a school in a range of days (the parents' evening list's "last
    /// contact"), read in one query.
    public func latestContacts(school: LAESTAB, in range: DateRange) async throws -> [UPN: ContactAttempt] {
        let schoolID = try await store.reference.requireSchool(school).id
        var latest: [UPN: ContactAttempt] = [:]
        for attempt in try await contactAttempts(schoolID: schoolID, in: range) { latest[attempt.upn] = attempt }
        return latest
    }

    public func contactAttempts(school: LAESTAB, on date: LocalDate) async throws -> [ContactAttempt] {
        try await contactAttempts(schoolID: try await store.reference.requireSchool(school).id, on: date)
    }

    public func confirmProposal(attemptID: Int, school: LAESTAB, by actor: AuditActor, at now: Date = Date())
        async throws
    {
        try await confirmProposal(
            attemptID: attemptID, schoolID: try await store.reference.requireSchool(school).id, by: actor, at: now)
    }
}
