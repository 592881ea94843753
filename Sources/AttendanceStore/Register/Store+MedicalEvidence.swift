import AttendanceCore
import Foundation
import SQLKit

/// Medical evidence seen for an absence, as recorded.
public struct MedicalEvidence: Sendable, Hashable {
    public let id: Int
    public let days: DateRange
    public let what: String
    public let seenBy: String
    public let seenOn: LocalDate
    public let recordedBy: String
}

extension MedicalRepository {
    /// Records evidence seen for a pupil's absence at a school, in the audit trail too.
    public func recordMedicalEvidence(
        upn: UPN, school laestab: LAESTAB, days: DateRange, what: String, seenBy: String, seenOn: LocalDate,
        by actor: AuditActor, at now: Date = Date()
    ) async throws {
        let pupil = try await store.reference.requirePupil(upn)
        let school = try await store.reference.requireSchool(laestab)
        try await store.transaction { db in
            try await db.insert(into: "medical_evidence")
                .columns(
                    "pupil_id", "school_id", "from_date", "to_date", "what", "seen_by", "seen_on", "recorded_by",
                    "recorded_at"
                )
                .values(
                    pupil.id, school.id, days.start.iso, days.end.iso, what, seenBy, seenOn.iso, actor.name,
                    Timestamp.text(now)
                ).run()
            try await Store.audit(
                [
                    AuditEvent(
                        at: now, actor: actor, action: "medical_evidence.recorded", school: laestab, upn: upn,
                        subject: "\(days.start.iso) to \(days.end.iso)",
                        after: auditJSON(["what": what, "seen_by": seenBy, "seen_on": seenOn.iso]))
                ], on: db)
        }
    }

    /// A pupil's recorded evidence, oldest first.
    public func medicalEvidence(of upn: UPN) async throws -> [MedicalEvidence] {
        try await store.sql.raw(
            """
            SELECT m.* FROM medical_evidence m JOIN pupils p ON p.id = m.pupil_id
            WHERE p.upn = \(bind: upn.value) ORDER BY m.id
            """
        ).all().compactMap { row in
            guard let from = LocalDate(iso: try row.decode(column: "from_date", as: String.self)),
                let to = LocalDate(iso: try row.decode(column: "to_date", as: String.self)),
                let days = DateRange(from, to),
                let seenOn = LocalDate(iso: try row.decode(column: "seen_on", as: String.self))
            else { return nil }
            return MedicalEvidence(
                id: try row.decode(column: "id", as: Int.self), days: days,
                what: try row.decode(column: "what", as: String.self),
                seenBy: try row.decode(column: "seen_by", as: String.self), seenOn: seenOn,
                recordedBy: try row.decode(column: "recorded_by", as: String.self))
        }
    }

    /// When Letter 3 was carried out for the pupil at the school this school year, if it was.
    public func letter3Sent(upn: UPN, school laestab: LAESTAB, year: AcademicYear) async throws -> LocalDate? {
        guard let school = try await store.reference.school(laestab) else { return nil }
        return try await store.procedure.actions(schoolID: school.id, status: .done, upn: upn)
            .filter { $0.action == .letter3 && $0.dueOn.academicYear == year }
            .compactMap { $0.statusChangedAt.flatMap { LocalDate(iso: Timestamp.text($0).prefix(10)) } }.min()
    }
}
