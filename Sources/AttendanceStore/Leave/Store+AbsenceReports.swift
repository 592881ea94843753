import AttendanceCore
import Foundation
import SQLKit

extension LeaveRepository {
    /// How far ahead a parent may report an absence, in days.
    public static let reportAheadDays = AbsenceReportRules.aheadDays

    /// Keeps a parent's report of an absence (today or coming days) at the pupil's school, with the code its
    /// reason proposes. Nothing on the register changes until the head or their delegate confirms it.
    public func reportAbsence(
        for upn: UPN, dates: DateRange, part: AbsenceReport.Part, reason: AbsenceReport.Reason, note: String,
        today: LocalDate, by actor: AuditActor, at now: Date = Date()
    ) async throws -> AbsenceReport {
        let stored = try await store.reference.requirePupil(upn)
        guard note.count <= 1000 else { throw StoreError.badReport(field: "note") }
        guard let laestab = stored.enrolments.first(where: { $0.isCurrent(on: max(dates.start, today)) })?.school,
            let school = try await store.reference.school(laestab)
        else { throw StoreError.badReport(field: "from") }
        let calendar = try await store.reference.calendar(for: school.school)
        do {
            try AbsenceReportRules.check(dates, today: today, calendar: calendar)
        } catch let error as AbsenceReportRules.Problem { throw StoreError.reportDates(error) }
        let proposed = reason.proposedMeaning.flatMap { store.codes.code(meaning: $0) }?.code
        let id = try await store.transaction { db in
            let row = try await db.insert(into: "absence_reports")
                .columns(
                    "pupil_id", "school_id", "date_from", "date_to", "part", "reason", "note", "proposed_code",
                    "reported_by", "reported_at"
                )
                .values(
                    stored.id, school.id, dates.start.iso, dates.end.iso, part.rawValue, reason.rawValue, note,
                    proposed, actor.name, Timestamp.text(now)
                ).returning("id").first()
            guard let id = try row?.decode(column: "id", as: Int.self) else {
                throw StoreError.corrupt("an absence report with no id")
            }
            try await Store.audit(
                [
                    AuditEvent(
                        at: now, actor: actor, action: "absence.report", school: laestab, upn: upn,
                        subject: "report/\(id)",
                        after: auditJSON([
                            "from": dates.start.iso, "to": dates.end.iso, "part": part.rawValue,
                            "reason": reason.rawValue, "proposed_code": proposed,
                        ]), reason: note.isEmpty ? nil : note)
                ], on: db)
            return id
        }
        guard let report = try await absenceReports(where: "a.id = \(bind: id)").first else {
            throw StoreError.corrupt("a lost absence report")
        }
        return report
    }

    /// A school's reports that cover a day, in the order they came.
    public func absenceReports(school laestab: LAESTAB, on date: LocalDate) async throws -> [AbsenceReport] {
        try await absenceReports(
            where: """
                s.laestab = \(bind: laestab.description) AND a.date_from <= \(bind: date.iso) \
                AND a.date_to >= \(bind: date.iso)
                """
        ).reversed()
    }

    /// A pupil's reports, newest first.
    public func absenceReports(of upn: UPN) async throws -> [AbsenceReport] {
        try await absenceReports(where: "p.upn = \(bind: upn.value)")
    }

    /// The head or their delegate confirms a report with a code: every school-day session it covers that is not
    /// yet marked, or marked absent with no reason, gets the code, as amendments naming the report (a pupil who
    /// came in keeps their mark). After Letter 3, illness or an appointment needs the medical evidence recorded.
    public func confirmAbsenceReport(
        _ id: Int, school laestab: LAESTAB, code: String, by actor: AuditActor, at now: Date = Date()
    ) async throws {
        guard let report = try await absenceReports(where: "a.id = \(bind: id)").first, report.school == laestab
        else { throw StoreError.notFound("absence report \(id)") }
        guard report.confirmedBy == nil else { throw StoreError.notPending }
        guard let chosen = store.codes[code], chosen.category != .present else { throw StoreError.unknownCode(code) }
        let school = try await store.reference.requireSchool(laestab)
        let calendar = try await store.reference.calendar(for: school.school)
        let letter3 = try await store.medical.letter3Sent(
            upn: report.upn, school: laestab, year: report.dates.start.academicYear)
        let evidence = try await store.medical.medicalEvidence(of: report.upn).map(\.days)
        if calendar.schoolDays(in: report.dates).contains(where: {
            MedicalEvidenceRule.needsEvidence(chosen, on: $0, letter3Sent: letter3, evidence: evidence)
        }) {
            throw StoreError.evidenceRequired
        }
        let noReason = store.codes.code(meaning: .noReasonYet)?.code
        let existing = try await markCodes(of: report.upn, in: report.dates)
        let pupilID = try await store.reference.requirePupil(report.upn).id
        let entries = calendar.sessions(in: report.dates).filter(report.covers).compactMap { session -> MarkEntry? in
            let current = existing[session]
            guard current == nil || current == noReason else { return nil }
            return MarkEntry(
                pupilID: pupilID, schoolID: school.id, mark: Mark(upn: report.upn, session: session, code: code),
                expected: current.map { .code($0) } ?? .noMark)
        }
        try await store.transaction { db in
            try await db.update("absence_reports").set("confirmed_by", to: actor.name)
                .set("confirmed_code", to: code).set("confirmed_at", to: Timestamp.text(now))
                .where("id", .equal, id).where("confirmed_by", .is, SQLLiteral.null).changeStanding()
            try await Store.audit(
                [
                    AuditEvent(
                        at: now, actor: actor, action: "absence.confirm", school: laestab, upn: report.upn,
                        subject: "report/\(id)", after: auditJSON(["code": code]))
                ], on: db)
            _ = try await store.registers.writeMarks(
                entries, by: actor, reason: AmendmentReason.parentReport(report: id).stored, at: now,
                laestabs: [school.id: laestab], on: db)
        }
    }

    private func absenceReports(where condition: SQLQueryString) async throws -> [AbsenceReport] {
        let rows = try await store.sql.raw(
            """
            SELECT a.*, p.upn, s.laestab FROM absence_reports a JOIN pupils p ON p.id = a.pupil_id
            JOIN schools s ON s.id = a.school_id WHERE
            """ + " " + condition + " ORDER BY a.id DESC"
        ).all()
        return try rows.map { row in
            guard let from = LocalDate(iso: try row.decode(column: "date_from", as: String.self)),
                let to = LocalDate(iso: try row.decode(column: "date_to", as: String.self)),
                let dates = DateRange(from, to),
                let laestab = LAESTAB(text: try row.decode(column: "laestab", as: String.self)),
                let part = AbsenceReport.Part(rawValue: try row.decode(column: "part", as: String.self)),
                let reason = AbsenceReport.Reason(rawValue: try row.decode(column: "reason", as: String.self))
            else { throw StoreError.corrupt("an absence report that cannot be read") }
            return AbsenceReport(
                id: try row.decode(column: "id", as: Int.self),
                upn: try UPN(try row.decode(column: "upn", as: String.self)),
                school: laestab, dates: dates, part: part, reason: reason,
                note: try row.decode(column: "note", as: String.self),
                proposedCode: try row.decode(column: "proposed_code", as: String?.self),
                reportedBy: try row.decode(column: "reported_by", as: String.self),
                reportedAt: try row.decode(column: "reported_at", as: String.self),
                confirmedBy: try row.decode(column: "confirmed_by", as: String?.self),
                confirmedCode: try row.decode(column: "confirmed_code", as: String?.self))
        }
    }
}
