import AttendanceCore
import Foundation

/// The store's edge for a school's work, keyed by LAESTAB: the row ids the queries use stay inside the store.
extension Store {
    /// A school's procedure actions (pending by default), newest first; with `upn`, only that pupil's; with
    /// `year`, only that school year's.
    public func actions(
        school: LAESTAB, status: RecordedAction.Status? = .pending, upn: UPN? = nil, year: AcademicYear? = nil
    ) async throws -> [QueuedAction] {
        try await actions(schoolID: try await requireSchool(school).id, status: status, upn: upn, year: year)
    }

    /// Marks a school's pending action done or dismissed.
    public func closeAction(
        id: Int, school: LAESTAB, as status: RecordedAction.Status, note: String, by actor: AuditActor,
        at now: Date = Date()
    ) async throws {
        try await closeAction(
            id: id, schoolID: try await requireSchool(school).id, as: status, note: note, by: actor, at: now)
    }

    public func logContactAttempt(
        upn: UPN, school: LAESTAB, date: LocalDate, method: ContactAttempt.Method, contactName: String,
        outcome: ContactAttempt.Outcome, notes: String?, proposedCode: String?, by actor: AuditActor,
        at now: Date = Date()
    ) async throws {
        try await logContactAttempt(
            upn: upn, schoolID: try await requireSchool(school).id, date: date, method: method,
            contactName: contactName, outcome: outcome, notes: notes, proposedCode: proposedCode, by: actor, at: now)
    }

    /// The telephone calls to a pupil's parents at a school in a range of days that reached nobody: the attempts a
    /// phone call action counts before the head of year may close it without a conversation.
    public func unansweredCalls(_ upn: UPN, school: LAESTAB, in range: DateRange) async throws -> Int {
        try await contactAttempts(
            of: try await requirePupil(upn).id, school: try await requireSchool(school).id, in: range
        ).filter { $0.method == .call && $0.outcome != .reached }.count
    }

    public func contactAttempts(school: LAESTAB, on date: LocalDate) async throws -> [ContactAttempt] {
        try await contactAttempts(schoolID: try await requireSchool(school).id, on: date)
    }

    public func confirmProposal(attemptID: Int, school: LAESTAB, by actor: AuditActor, at now: Date = Date())
        async throws
    {
        try await confirmProposal(
            attemptID: attemptID, schoolID: try await requireSchool(school).id, by: actor, at: now)
    }

    public func registerGroups(school: LAESTAB, on date: LocalDate) async throws -> [RegisterGroup] {
        try await registerGroups(schoolID: try await requireSchool(school).id, on: date)
    }

    public func yearGroups(school: LAESTAB, group: String, on date: LocalDate) async throws -> Set<String> {
        try await yearGroups(schoolID: try await requireSchool(school).id, group: group, on: date)
    }

    public func registerLines(school: LAESTAB, group: String, session: SchoolSession) async throws -> [RegisterLine] {
        try await registerLines(schoolID: try await requireSchool(school).id, group: group, session: session)
    }

    public func groupMarks(
        school: LAESTAB, group: String, in range: DateRange
    ) async throws -> [(pupil: Pupil, onRoll: DateRange, marks: [SchoolSession: String], amended: Set<SchoolSession>)] {
        try await groupMarks(schoolID: try await requireSchool(school).id, group: group, in: range)
    }

    public func pupils(
        withMeaning meaning: CodeMeaning, school: LAESTAB, on date: LocalDate
    ) async throws -> [(pupil: Pupil, sessions: [SessionHalf])] {
        try await pupils(withMeaning: meaning, schoolID: try await requireSchool(school).id, on: date)
    }

    /// Pupils on a school's roll at any time in a range, with the part of the range they were on roll; with
    /// `group`, only that registration group's.
    public func roll(
        of school: LAESTAB, in range: DateRange, group: String? = nil
    ) async throws -> [(pupil: Pupil, onRoll: DateRange)] {
        try await roll(of: try await requireSchool(school).id, in: range, group: group).map { ($0.pupil, $0.onRoll) }
    }
}

extension Store {
    /// The pupils on a school's roll on a day: the one meaning of "on roll" every page counts with (the home
    /// page's schools, the school page's years and forms, a form's register on that day).
    public func onRoll(_ school: LAESTAB, on date: LocalDate) async throws -> [Pupil] {
        var seen = Set<UPN>()
        return try await roll(of: school, in: DateRange(day: date)).map(\.pupil).filter {
            seen.insert($0.upn).inserted
        }
    }
}
