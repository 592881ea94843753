import AttendanceCore
import Foundation
import SQLKit

/// A school's interventions (tables `interventions`, `intervention_pupils`, `intervention_sessions`,
/// `intervention_attendance`): started with their pupils and lead, sessions held with who came, ended. A mentoring
/// intervention gives its lead a mentor's grant for each pupil in the transaction that starts it, and takes the
/// grants away in the one that ends it. Every step is audited.
public struct InterventionRepository: Sendable {
    let store: Store
}

extension Store {
    public var interventions: InterventionRepository { InterventionRepository(store: self) }
}

extension InterventionRepository {
    /// Starts an intervention for pupils on the school's roll today, led by a member of its staff.
    @discardableResult
    public func start(
        _ draft: Intervention.Draft, school laestab: LAESTAB, today: LocalDate, by actor: AuditActor,
        at now: Date = Date()
    ) async throws -> Int {
        let school = try await store.reference.requireSchool(laestab)
        let onRoll = Set(try await store.reference.onRoll(laestab, on: today).map(\.upn))
        guard draft.pupils.allSatisfy(onRoll.contains) else { throw StoreError.intervention(.noPupils) }
        guard let leader = try await store.identity.user(email: draft.leader), leader.isActive,
            leader.grants.contains(where: { $0.school == laestab && Intervention.leaderRoles.contains($0.role) })
        else { throw StoreError.intervention(.notStaff) }
        let ids = try await ReferenceRepository.pupilIDs(for: draft.pupils, on: store.reader)
        return try await store.transaction { db in
            let row = try await db.insert(into: "interventions")
                .columns(
                    "school_id", "kind", "title", "leader", "start_on", "end_on", "notes", "created_by", "created_at"
                )
                .values(
                    SQLBind(school.id), SQLBind(draft.kind.rawValue), SQLBind(draft.title), SQLBind(leader.email),
                    SQLBind(draft.start.iso), SQLBind(draft.end?.iso), SQLBind(draft.notes), SQLBind(actor.name),
                    SQLBind(Timestamp.text(now))
                )
                .returning("id").first()
            guard let id = try row?.decode(column: "id", as: Int.self) else {
                throw StoreError.corrupt("an intervention with no id")
            }
            if draft.kind == .sanction {
                for pupil in draft.pupils.compactMap({ ids[$0] }) {
                    let kept = try await db.insert(into: "sanction_days")
                        .columns("pupil_id", "held_on", "intervention_id")
                        .values(SQLBind(pupil), SQLBind(draft.start.iso), SQLBind(id))
                        .ignoringConflicts(with: ["pupil_id", "held_on"]).returning("pupil_id").all()
                    guard !kept.isEmpty else { throw StoreError.intervention(.alreadyRecorded) }
                }
            }
            try await db.insertRows(
                into: "intervention_pupils", columns: ["intervention_id", "pupil_id"],
                rows: draft.pupils.compactMap { ids[$0] }.map { [id, $0] })
            if draft.kind == .mentoring {
                let held = Set(leader.grants)
                let grants = draft.pupils.map { RoleGrant(role: .mentor, school: laestab, child: $0) }
                    .filter { !held.contains($0) }
                try await IdentityRepository.insertGrants(grants, userID: leader.id, on: db)
                try await Store.accountsChanged(on: db)
            }
            try await Store.audit(
                draft.pupils.map { upn in
                    AuditEvent(
                        at: now, actor: actor, action: "intervention.started", school: laestab, upn: upn,
                        subject: "intervention/\(id)",
                        after: auditJSON([
                            "kind": draft.kind.rawValue, "leader": leader.email, "start": draft.start.iso,
                            "end": draft.end?.iso,
                        ]))
                }, on: db)
            return id
        }
    }

    /// Records a session held, with the pupils who came (only the intervention's own). Once per day and topic:
    /// a second click finds the session already kept and adds nothing.
    public func recordSession(
        intervention id: Int, school laestab: LAESTAB, on day: LocalDate, topic: String, attended: Set<UPN>,
        today: LocalDate, by actor: AuditActor, at now: Date = Date()
    ) async throws {
        guard let found = try await intervention(id), found.school == laestab else {
            throw StoreError.notFound("intervention \(id)")
        }
        do { try found.checkSession(on: day, topic: topic, today: today) } catch {
            throw StoreError.intervention(error)
        }
        let topic = topic.trimmingCharacters(in: .whitespacesAndNewlines)
        let came = attended.intersection(found.pupils)
        let ids = try await ReferenceRepository.pupilIDs(for: came, on: store.reader)
        try await store.transaction { db in
            // Once per day and topic: a second click at the same moment finds the row there and adds nothing.
            let row = try await db.insert(into: "intervention_sessions")
                .columns("intervention_id", "held_on", "topic", "recorded_by", "recorded_at")
                .values(
                    SQLBind(id), SQLBind(day.iso), SQLBind(topic), SQLBind(actor.name), SQLBind(Timestamp.text(now))
                )
                .ignoringConflicts(with: ["intervention_id", "held_on", "topic"])
                .returning("id").first()
            guard let row else { return }
            let session = try row.decode(column: "id", as: Int.self)
            try await db.insertRows(
                into: "intervention_attendance", columns: ["session_id", "pupil_id"],
                rows: came.compactMap { ids[$0] }.map { [session, $0] })
            try await Store.audit(
                [
                    AuditEvent(
                        at: now, actor: actor, action: "intervention.session", school: laestab,
                        subject: "intervention/\(id)",
                        after: auditJSON(["on": day.iso, "attended": String(came.count)]))
                ], on: db)
        }
    }

    /// Ends an intervention on a day (not before it started, not after today). Read and written in one
    /// transaction: an intervention ended already is refused (`ended`). A mentoring intervention's grants go with
    /// it, unless the lead still mentors the pupil in another.
    public func end(
        intervention id: Int, school laestab: LAESTAB, on day: LocalDate, today: LocalDate, by actor: AuditActor,
        at now: Date = Date()
    ) async throws {
        guard let found = try await intervention(id), found.school == laestab else {
            throw StoreError.notFound("intervention \(id)")
        }
        guard day <= today, day >= found.start else { throw StoreError.intervention(.outOfOrder) }
        let leader = try await store.identity.user(email: found.leader)
        let others = try await mentoring(ledBy: found.leader, today: today).filter {
            $0.id != id && $0.school == laestab
        }
        try await store.transaction { db in
            let changed = try await db.update("interventions").set("end_on", to: day.iso).where("id", .equal, id)
                .where(SQLBinaryExpression(SQLColumn("end_on"), .is, SQLLiteral.null))
                .returning("id").all()
            guard !changed.isEmpty else { throw StoreError.intervention(.ended) }
            if found.kind == .mentoring, let leader {
                let kept = Set(others.flatMap(\.pupils))
                for upn in found.pupils where !kept.contains(upn) {
                    try await db.delete(from: "role_grants").where("user_id", .equal, leader.id)
                        .where("role", .equal, Role.mentor.rawValue).where("child_upn", .equal, upn.value)
                        .where("school_laestab", .equal, laestab.description).run()
                }
                try await Store.accountsChanged(on: db)
            }
            try await Store.audit(
                [
                    AuditEvent(
                        at: now, actor: actor, action: "intervention.ended", school: laestab,
                        subject: "intervention/\(id)", after: auditJSON(["end": day.iso]))
                ], on: db)
        }
    }
}
