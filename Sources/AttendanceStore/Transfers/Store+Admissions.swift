import AttendanceCore
import Foundation
import SQLKit

extension TransferRepository {
    /// Confirms a prepared admission with the first day on roll and the form group: the pupil goes on the school's
    /// roll. Read and written in one transaction, so two clicks admit once (the second is `notPrepared`).
    public func confirmAdmission(
        _ id: Int, school laestab: LAESTAB, firstDay: LocalDate, group: String, today: LocalDate,
        by actor: AuditActor, at now: Date = Date()
    ) async throws {
        let group = try Self.checked { () throws(Admission.Problem) in
            try Admission.check(group: group, firstDay: firstDay, today: today)
        }
        let school = try await store.reference.requireSchool(laestab)
        try await store.transaction { db in
            guard
                let row = try await db.raw(
                    """
                    UPDATE ctf_admissions SET status = 'admitted', admitted_on = \(bind: firstDay.iso),
                    registration_group = \(bind: group), decided_by = \(bind: actor.name),
                    decided_at = \(bind: Timestamp.text(now))
                    WHERE id = \(bind: id) AND school_id = \(bind: school.id) AND status = 'prepared'
                    RETURNING pupil_id
                    """
                ).first()
            else {
                let exists = try await db.select().column("id").from("ctf_admissions").where("id", .equal, id)
                    .where("school_id", .equal, school.id).first()
                throw exists == nil ? StoreError.notFound("admission \(id)") : StoreError.admission(.notPrepared)
            }
            let pupilID = try row.decode(column: "pupil_id", as: Int.self)
            // On the roll already that day or after it (a roll import meanwhile): one spell at a time.
            let overlapping = try await db.raw(
                """
                SELECT pupil_id FROM enrolments WHERE pupil_id = \(bind: pupilID) AND school_id = \(bind: school.id)
                AND (on_roll_to IS NULL OR on_roll_to >= \(bind: firstDay.iso))
                """
            ).first()
            guard overlapping == nil else { throw StoreError.admission(.onRoll) }
            try await db.insert(into: "enrolments").columns("pupil_id", "school_id", "on_roll_from")
                .values(SQLBind(pupilID), SQLBind(school.id), SQLBind(firstDay.iso)).run()
            try await db.update("pupils").set("registration_group", to: group).where("id", .equal, pupilID).run()
            guard
                let upn = try await db.select().column("upn").from("pupils").where("id", .equal, pupilID).first()?
                    .decode(column: "upn", as: String.self)
            else { throw StoreError.corrupt("an admission for no pupil") }
            try await Store.audit(
                [
                    AuditEvent(
                        at: now, actor: actor, action: "ctf.admitted", school: laestab, upn: try UPN(upn),
                        subject: "admission/\(id)",
                        after: auditJSON(["on_roll_from": firstDay.iso, "registration_group": group]))
                ], on: db)
            try await Store.referenceChanged(on: db)
        }
        store.referenceCache.clear()
    }

    private static func checked<T>(_ work: () throws(Admission.Problem) -> T) throws -> T {
        do { return try work() } catch { throw StoreError.admission(error) }
    }

    /// Admissions waiting for the office at a school, oldest first.
    public func admissions(school laestab: LAESTAB) async throws -> [PreparedAdmission] {
        let school = try await store.reference.requireSchool(laestab)
        let rows = try await store.reader.raw(
            """
            SELECT p.*, a.id AS admission_id, i.file_name, i.source_laestab, i.source_name, i.imported_at FROM ctf_admissions a
            JOIN pupils p ON p.id = a.pupil_id JOIN ctf_imports i ON i.id = a.import_id
            WHERE a.school_id = \(bind: school.id) AND a.status = 'prepared' ORDER BY a.id
            """
        ).all()
        return try rows.map { row in
            PreparedAdmission(
                id: try row.decode(column: "admission_id", as: Int.self),
                pupil: try ReferenceRepository.pupil(from: row),
                from: try Self.school(row, laestab: "source_laestab", name: "source_name"),
                fileName: try row.decode(column: "file_name", as: String.self),
                importedAt: try Self.moment(row, "imported_at"))
        }
    }

    /// The files imported at a school, newest first (the last fifty).
    public func imports(school laestab: LAESTAB) async throws -> [CTFImportRecord] {
        let school = try await store.reference.requireSchool(laestab)
        let rows = try await store.reader.select().column("*").from("ctf_imports")
            .where("school_id", .equal, school.id).orderBy("id", .descending).limit(50).all()
        return try rows.map { row in
            CTFImportRecord(
                id: try row.decode(column: "id", as: Int.self),
                fileName: try row.decode(column: "file_name", as: String.self),
                source: try Self.school(row, laestab: "source_laestab", name: "source_name"),
                pupils: try row.decode(column: "pupils", as: Int.self),
                importedBy: try row.decode(column: "imported_by", as: String.self),
                importedAt: try Self.moment(row, "imported_at"),
                unread: try row.decode(column: "unread", as: String.self).split(separator: "\n").map(String.init))
        }
    }

    /// A pupil's years at other schools, oldest first.
    public func history(of upn: UPN) async throws -> [OtherSchoolYear] {
        try await store.reader.select().column("*").from("other_school_years")
            .where("upn", .equal, upn.value).orderBy("year").orderBy("la").orderBy("estab").all()
            .map(Self.year(from:))
    }

    /// The years at other schools a file brought (those a later file has not replaced), by pupil.
    public func years(ofImport id: Int) async throws -> [OtherSchoolYear] {
        try await store.reader.select().column("*").from("other_school_years")
            .where("import_id", .equal, id).orderBy("upn").orderBy("year").all()
            .map(Self.year(from:))
    }

    private static func year(from row: any SQLRow) throws -> OtherSchoolYear {
        let marksFrom = try row.decode(column: "marks_from", as: String?.self)
        return OtherSchoolYear(
            upn: try UPN(try row.decode(column: "upn", as: String.self)),
            school: OtherSchoolYear.School(
                la: try row.decode(column: "la", as: Int.self), estab: try row.decode(column: "estab", as: Int.self),
                name: try row.decode(column: "school_name", as: String.self)),
            year: try row.decode(column: "year", as: Int.self),
            totals: OtherSchoolYear.Totals(
                possible: try row.decode(column: "possible", as: Int.self),
                attended: try row.decode(column: "attended", as: Int.self),
                authorised: try row.decode(column: "authorised", as: Int.self),
                unauthorised: try row.decode(column: "unauthorised", as: Int.self)),
            marksFrom: try marksFrom.map { text in
                guard let day = LocalDate(iso: text) else { throw StoreError.corrupt("an invalid history date") }
                return day
            },
            marks: try row.decode(column: "marks", as: String?.self))
    }

    private static func school(_ row: any SQLRow, laestab: String, name: String) throws -> OtherSchoolYear.School {
        guard let code = LAESTAB(text: try row.decode(column: laestab, as: String.self)) else {
            throw StoreError.corrupt("an invalid LAESTAB")
        }
        return OtherSchoolYear.School(
            la: code.la, estab: code.estab, name: try row.decode(column: name, as: String.self))
    }

    private static func moment(_ row: any SQLRow, _ column: String) throws -> Date {
        guard let date = Timestamp.date(try row.decode(column: column, as: String.self)) else {
            throw StoreError.corrupt("an invalid timestamp")
        }
        return date
    }
}
