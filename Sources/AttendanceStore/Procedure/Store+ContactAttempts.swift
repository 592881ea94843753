import AttendanceCore
import Foundation
import SQLKit

/// One attempt to reach a contact about an absence.
public struct ContactAttempt: Sendable, Hashable {
    /// How: a text message, a call, an email, or a meeting (a mentor's with the pupil or family, a parents' evening).
    public enum Method: String, Sendable, CaseIterable { case text, call, email, meeting }
    public enum Outcome: String, Sendable, CaseIterable {
        case reached
        case noAnswer = "no_answer"
        case leftMessage = "left_message"
        case wrongNumber = "wrong_number"
    }

    public let id: Int
    public let upn: UPN
    public let date: LocalDate
    public let method: Method
    public let contactName: String
    public let outcome: Outcome
    public let notes: String?
    /// The code the reason given suggests, until an authorised person confirms it.
    public let proposedCode: String?
    public let recordedBy: String
    public let confirmedBy: String?
}

extension ProcedureRepository {
    func logContactAttempt(
        upn: UPN, schoolID: Int, date: LocalDate, method: ContactAttempt.Method, contactName: String,
        outcome: ContactAttempt.Outcome, notes: String?, proposedCode: String?, by actor: AuditActor,
        at now: Date = Date()
    ) async throws {
        let pupil = try await store.reference.requirePupil(upn)
        if let proposedCode, store.codes[proposedCode] == nil { throw StoreError.unknownCode(proposedCode) }
        let school = try await store.reference.schools().first { $0.id == schoolID }?.school.laestab
        try await store.transaction { db in
            try await db.insert(into: "contact_attempts")
                .columns(
                    "pupil_id", "school_id", "date", "method", "contact_name", "outcome", "notes", "proposed_code",
                    "recorded_by", "recorded_at"
                )
                .values(
                    pupil.id, schoolID, date.iso, method.rawValue, contactName, outcome.rawValue, notes, proposedCode,
                    actor.name, Timestamp.text(now)
                ).run()
            try await Store.audit(
                [
                    AuditEvent(
                        at: now, actor: actor, action: "contact.attempt", school: school, upn: upn, subject: date.iso,
                        after: auditJSON([
                            "method": method.rawValue, "contact": contactName, "outcome": outcome.rawValue,
                            "proposed_code": proposedCode,
                        ]), reason: notes)
                ], on: db)
        }
    }

    func contactAttempts(schoolID: Int, on date: LocalDate) async throws -> [ContactAttempt] {
        try await contactAttempts(where: "c.school_id = \(bind: schoolID) AND c.date = \(bind: date.iso)")
    }

    /// Every pupil's calls and messages at a school in a range of days, oldest first.
    func contactAttempts(schoolID: Int, in range: DateRange) async throws -> [ContactAttempt] {
        try await contactAttempts(
            where: "c.school_id = \(bind: schoolID) AND c.date >= \(bind: range.start.iso) AND c.date <= "
                + "\(bind: range.end.iso)")
    }

    /// A pupil's calls and messages at a school in a range of days, oldest first.
    func contactAttempts(of pupilID: Int, school schoolID: Int, in range: DateRange) async throws -> [ContactAttempt] {
        try await contactAttempts(
            where: "c.pupil_id = \(bind: pupilID) AND c.school_id = \(bind: schoolID) AND c.date >= "
                + "\(bind: range.start.iso) AND c.date <= \(bind: range.end.iso)")
    }

    private func contactAttempts(where condition: SQLQueryString) async throws -> [ContactAttempt] {
        let rows = try await store.sql.raw(
            "SELECT c.*, p.upn FROM contact_attempts c JOIN pupils p ON p.id = c.pupil_id WHERE " + condition
                + " ORDER BY c.date, c.id"
        ).all()
        return try rows.compactMap { row in
            guard let method = ContactAttempt.Method(rawValue: try row.decode(column: "method", as: String.self)),
                let outcome = ContactAttempt.Outcome(rawValue: try row.decode(column: "outcome", as: String.self)),
                let upn = try? UPN(try row.decode(column: "upn", as: String.self)),
                let date = LocalDate(iso: try row.decode(column: "date", as: String.self))
            else { return nil }
            return ContactAttempt(
                id: try row.decode(column: "id", as: Int.self), upn: upn, date: date, method: method,
                contactName: try row.decode(column: "contact_name", as: String.self), outcome: outcome,
                notes: try row.decode(column: "notes", as: String?.self),
                proposedCode: try row.decode(column: "proposed_code", as: String?.self),
                recordedBy: try row.decode(column: "recorded_by", as: String.self),
                confirmedBy: try row.decode(column: "confirmed_by", as: String?.self))
        }
    }

    /// Confirms a proposed code: the day's N marks for the pupil become that code, as amendments whose reason
    /// names who took the reason and who confirmed it.
    func confirmProposal(attemptID: Int, schoolID: Int, by actor: AuditActor, at now: Date = Date()) async throws {
        guard
            let row = try await store.sql.raw(
                """
                SELECT c.*, p.upn FROM contact_attempts c JOIN pupils p ON p.id = c.pupil_id
                WHERE c.id = \(bind: attemptID) AND c.school_id = \(bind: schoolID)
                """
            ).first(),
            let code = try row.decode(column: "proposed_code", as: String?.self),
            try row.decode(column: "confirmed_by", as: String?.self) == nil,
            let date = LocalDate(iso: try row.decode(column: "date", as: String.self))
        else { throw StoreError.notFound("a proposal waiting for confirmation") }
        let upn = try UPN(try row.decode(column: "upn", as: String.self))
        let pupilID = try row.decode(column: "pupil_id", as: Int.self)
        guard let laestab = try await store.reference.schools().first(where: { $0.id == schoolID })?.school.laestab
        else {
            throw StoreError.notFound("school")
        }
        // After Letter 3, illness or an appointment is authorised only with the medical evidence recorded.
        if let proposed = store.codes[code],
            MedicalEvidenceRule.needsEvidence(
                proposed, on: date,
                letter3Sent: try await store.medical.letter3Sent(upn: upn, school: laestab, year: date.academicYear),
                evidence: try await store.medical.medicalEvidence(of: upn).map(\.days))
        {
            throw StoreError.evidenceRequired
        }
        let noReason = store.codes.noReasonYet.code
        let marks = try await store.registers.marks(of: upn, in: DateRange(day: date)).filter {
            $0.mark.code == noReason
        }
        let notes = try row.decode(column: "notes", as: String?.self) ?? ""
        let reason =
            "reason from parent (\(try row.decode(column: "recorded_by", as: String.self))): \(notes); confirmed by \(actor.name)"
        let entries = marks.map {
            MarkEntry(
                pupilID: pupilID, schoolID: schoolID, mark: Mark(upn: upn, session: $0.mark.session, code: code),
                expected: .code(noReason))
        }
        // The confirmation and its marks in one transaction, the confirmation first: two clicks confirm once.
        try await store.transaction { db in
            try await db.update("contact_attempts").set("confirmed_by", to: actor.name)
                .set("confirmed_at", to: Timestamp.text(now))
                .where("id", .equal, attemptID).where("confirmed_by", .is, SQLLiteral.null).changeStanding()
            _ = try await store.registers.writeMarks(
                entries, by: actor, reason: reason, at: now, laestabs: [schoolID: laestab], on: db)
        }
    }
}
