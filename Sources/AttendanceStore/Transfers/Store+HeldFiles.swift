import AttendanceCore
import AttendanceInterop
import Foundation
import SQLKit

/// A file made when a pupil left, kept until the office marks it sent.
public struct HeldTransferFile: Sendable, Hashable {
    public let id: Int
    /// The school the pupil left, which made the file.
    public let school: LAESTAB
    public let upn: UPN
    public let pupilName: String
    /// Nil while the new school is not known: held for the authority's Children Missing Education process.
    public let destination: LAESTAB?
    public let fileName: String
    public let madeBy: String
    public let madeAt: Date
}

extension TransferRepository {
    /// Keeps a file made for a leaving pupil, audited as made (in the caller's transaction).
    static func hold(
        _ file: CommonTransferFile, pupilID: Int, schoolID: Int, school: LAESTAB, by actor: AuditActor, at now: Date,
        on db: any SQLDatabase
    ) async throws {
        try await db.insert(into: "ctf_files")
            .columns("school_id", "pupil_id", "destination", "file_name", "xml", "made_by", "made_at")
            .values(
                SQLBind(schoolID), SQLBind(pupilID), SQLBind(file.header.destination?.laestab.description),
                SQLBind(file.fileName), SQLBind(CTFWriter.xml(file)), SQLBind(actor.name), SQLBind(Timestamp.text(now))
            ).run()
        try await Store.audit([RegisterRepository.made(file, school: school, by: actor, at: now)], on: db)
    }

    /// A school's files not yet sent, oldest first.
    public func heldFiles(school laestab: LAESTAB) async throws -> [HeldTransferFile] {
        let school = try await store.reference.requireSchool(laestab)
        return try await held(where: "f.school_id = \(bind: school.id)")
    }

    /// Every school's files made with the new school unknown and not yet sent: the authority's CME process's.
    public func heldWithoutDestination() async throws -> [HeldTransferFile] {
        try await held(where: "f.destination IS NULL")
    }

    /// Unsent files matching a condition.
    private func held(where condition: SQLQueryString) async throws -> [HeldTransferFile] {
        let rows = try await store.reader.raw(
            """
            SELECT p.*, f.id AS file_id, s.laestab AS school_laestab, f.destination, f.file_name, f.made_by,
            f.made_at FROM ctf_files f JOIN pupils p ON p.id = f.pupil_id JOIN schools s ON s.id = f.school_id
            WHERE \(condition) AND f.sent_at IS NULL ORDER BY f.made_at, f.file_name
            """
        ).all()
        return try rows.map { row in
            let pupil = try ReferenceRepository.pupil(from: row)
            guard let made = Timestamp.date(try row.decode(column: "made_at", as: String.self)),
                let school = LAESTAB(text: try row.decode(column: "school_laestab", as: String.self))
            else { throw StoreError.corrupt("a transfer file that cannot be read") }
            return HeldTransferFile(
                id: try row.decode(column: "file_id", as: Int.self), school: school, upn: pupil.upn,
                pupilName: pupil.displayName,
                destination: try row.decode(column: "destination", as: String?.self).flatMap { LAESTAB(text: $0) },
                fileName: try row.decode(column: "file_name", as: String.self),
                madeBy: try row.decode(column: "made_by", as: String.self), madeAt: made)
        }
    }

    /// A held file's name and text, for its download (audited).
    public func download(_ id: Int, school laestab: LAESTAB, by actor: AuditActor) async throws -> (String, String) {
        let school = try await store.reference.requireSchool(laestab)
        guard
            let row = try await store.reader.select().columns("file_name", "xml").from("ctf_files")
                .where("id", .equal, id).where("school_id", .equal, school.id).first()
        else { throw StoreError.notFound("transfer file \(id)") }
        let name = try row.decode(column: "file_name", as: String.self)
        try await store.auditTrail.record(
            AuditEvent(actor: actor, action: "ctf.downloaded", school: laestab, subject: name))
        return (name, try row.decode(column: "xml", as: String.self))
    }

    /// Marks a held file sent; a second click (or someone else first) is `notPending`.
    public func markSent(_ id: Int, school laestab: LAESTAB, by actor: AuditActor, at now: Date = Date()) async throws {
        let school = try await store.reference.requireSchool(laestab)
        try await store.transaction { db in
            guard
                let row = try await db.raw(
                    """
                    UPDATE ctf_files SET sent_by = \(bind: actor.name), sent_at = \(bind: Timestamp.text(now))
                    WHERE id = \(bind: id) AND school_id = \(bind: school.id) AND sent_at IS NULL RETURNING file_name
                    """
                ).first()
            else {
                let exists = try await db.select().column("id").from("ctf_files").where("id", .equal, id)
                    .where("school_id", .equal, school.id).first()
                throw exists == nil ? StoreError.notFound("transfer file \(id)") : StoreError.notPending
            }
            try await Store.audit(
                [
                    AuditEvent(
                        at: now, actor: actor, action: "ctf.sent", school: laestab,
                        subject: try row.decode(column: "file_name", as: String.self))
                ], on: db)
        }
    }
}
