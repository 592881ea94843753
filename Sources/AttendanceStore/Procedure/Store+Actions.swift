import AttendanceCore
import Foundation
import SQLKit

/// An action in a school's queue, or on a pupil's timeline.
public struct QueuedAction: Sendable, Hashable {
    public let id: ActionID
    public let pupil: Pupil
    public let action: ProcedureAction
    public let basis: String
    public let count: Int
    public let sessions: [String]
    public let dueOn: LocalDate
    public let status: RecordedAction.Status
    public let statusChangedBy: String?
    public let statusChangedAt: Date?
    public let statusNote: String?
}

extension ProcedureRepository {
    /// Actions at a school, newest first: the pending queue, or (with `status` nil) every one; with `year`, only
    /// that school year's (an earlier year's pending action never makes a letter or stands in a queue).
    func actions(
        schoolID: Int, status: RecordedAction.Status? = .pending, upn: UPN? = nil, year: AcademicYear? = nil
    ) async throws -> [QueuedAction] {
        var query: SQLQueryString = """
            SELECT a.*, p.upn, p.legal_surname, p.legal_forename, p.preferred_surname, p.preferred_forename,
            p.date_of_birth, p.sex, p.year_group, p.registration_group, p.free_school_meals, p.looked_after,
            p.additional_learning_needs FROM procedure_actions a JOIN pupils p ON p.id = a.pupil_id
            WHERE a.school_id = \(bind: schoolID)
            """
        if let status { query = query + " AND a.status = \(bind: status.rawValue)" }
        if let upn { query = query + " AND p.upn = \(bind: upn.value)" }
        if let year { query = query + " AND a.academic_year = \(bind: year.startYear)" }
        query = query + " ORDER BY a.due_on DESC, a.id DESC"
        return try await store.sql.raw(query).all().compactMap { row in
            guard let action = ProcedureAction(rawValue: try row.decode(column: "action", as: String.self)),
                let status = RecordedAction.Status(rawValue: try row.decode(column: "status", as: String.self)),
                let dueOn = LocalDate(iso: try row.decode(column: "due_on", as: String.self))
            else { return nil }
            let sessions = try row.decode(column: "sessions", as: String.self)
            return QueuedAction(
                id: ActionID(try row.decode(column: "id", as: Int.self)),
                pupil: try ReferenceRepository.pupil(from: row),
                action: action,
                basis: try row.decode(column: "basis", as: String.self),
                count: try row.decode(column: "count", as: Int.self),
                sessions: sessions.isEmpty ? [] : sessions.split(separator: ",").map(String.init), dueOn: dueOn,
                status: status, statusChangedBy: try row.decode(column: "status_changed_by", as: String?.self),
                statusChangedAt: try row.decode(column: "status_changed_at", as: String?.self).map(
                    Store.date(fromTimestamp:)),
                statusNote: try row.decode(column: "status_note", as: String?.self))
        }
    }

    /// Marks a pending action done (how, and its outcome), or dismissed (why). Only a pending action changes.
    func closeAction(
        id: ActionID, schoolID: Int, as status: RecordedAction.Status, note: String, by actor: AuditActor,
        at now: Date = Date()
    ) async throws {
        guard status == .done || status == .dismissed else {
            throw StoreError.cannotCloseAs(status)
        }
        guard
            let row = try await store.sql.raw(
                """
                SELECT a.key, a.status, a.pupil_id, p.upn FROM procedure_actions a JOIN pupils p ON p.id = a.pupil_id
                WHERE a.id = \(bind: id.rawValue) AND a.school_id = \(bind: schoolID)
                """
            ).first()
        else { throw StoreError.notFound("action \(id)") }
        guard try row.decode(column: "status", as: String.self) == RecordedAction.Status.pending.rawValue else {
            throw StoreError.notPending
        }
        let school = try await store.reference.schools().first { $0.id == schoolID }?.school.laestab
        let key = try row.decode(column: "key", as: String.self)
        let upn = try? UPN(try row.decode(column: "upn", as: String.self))
        try await store.transaction { db in
            try await db.update("procedure_actions").set("status", to: status.rawValue)
                .set("status_changed_by", to: actor.name).set("status_changed_at", to: Timestamp.text(now))
                .set("status_note", to: note).where("id", .equal, id.rawValue)
                .where("status", .equal, RecordedAction.Status.pending.rawValue).changeStanding()
            try await Store.audit(
                [
                    AuditEvent(
                        at: now, actor: actor, action: "procedure.\(status.rawValue)", school: school, upn: upn,
                        subject: key,
                        reason: note)
                ], on: db)
            if status == .done, key.hasPrefix(ProcedureAction.eswReferral.key("")), let upn, let school {
                // The procedure's referral, done by hand: it arrives in the authority's ESW inbox.
                _ = try await EswRepository.openEswReferral(
                    pupilID: try row.decode(column: "pupil_id", as: Int.self), schoolID: schoolID, upn: upn,
                    school: school, source: .procedure, notes: note, concerns: "",
                    on: Timestamp.day(now), by: actor, at: now, on: db)
            }
        }
    }
}
