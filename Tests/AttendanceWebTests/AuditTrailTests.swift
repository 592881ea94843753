import AttendanceCore
import Foundation
import SQLKit
import Testing
import VaporTesting

@testable import AttendanceStore
@testable import AttendanceWeb

@Suite struct AuditTrailTests {
    @Test func aChangedMarkAndTheSignInsAppearAndExportAsCSV() async throws {
        try await withWebApp { app, store in
            var head = try await Browser.signedIn(app, as: .headTeacher)
            // The tutor's pupil had an N last week; the office records the parent's reason.
            let tutor = try await store.identity.user(email: "tutor@demo.example")!
            _ = tutor
            let pupil = try await store.registers.schoolReport(
                mainSchool, in: DateRange(testToday.academicYear.firstDay, testToday)!)[0]
            let stored = try await store.reference.requirePupil(pupil.pupil.upn)
            let session = SchoolSession(LocalDate(iso: "2026-11-24")!, .am)
            let entry = { (code: String) in
                MarkEntry(
                    pupilID: stored.id, schoolID: try! await store.reference.requireSchool(mainSchool).id,
                    mark: Mark(upn: pupil.pupil.upn, session: session, code: code))
            }
            let existing = try await store.registers.marks(
                of: pupil.pupil.upn, in: DateRange(session.date, session.date)!
            )
            .first { $0.mark.session == session }!.mark.code
            let newCode = existing == "I" ? "M" : "I"
            try await store.registers.writeMarks(
                [await entry(newCode)], by: AuditActor("office@demo.example", ip: "127.0.0.1"),
                reason: "Mother phoned: dentist")
            let page = try await head.get("/audit?upn=\(pupil.pupil.upn)")
            #expect(page.status == .ok)
            let html = page.body.string
            #expect(html.contains("Mark changed") && !html.contains("mark.amended"))
            #expect(html.contains("Mother phoned: dentist"))
            #expect(html.contains("Carys Ellis") && !html.contains("office@demo.example"))
            let everything = try await head.get("/audit").body.string
            #expect(everything.contains("Signed in") && everything.contains("Mair Hughes"))
            let csv = try await head.get("/audit.csv?upn=\(pupil.pupil.upn)")
            #expect(csv.headers.contentType?.subType == "csv")
            let lines = csv.body.string.split(separator: "\n")
            #expect(lines[0] == "id,at,actor,ip,action,school,upn,subject,before,after,reason")
            #expect(
                lines.contains {
                    $0.contains("mark.amended") && $0.contains("Mother phoned: dentist")
                        && $0.contains(#""{""code"":""\#(existing)""}""#)
                })
            // The export is itself in the trail.
            #expect(
                try await store.auditTrail.search(AuditQuery()).contains {
                    $0.action == "export" && $0.actor == "head@demo.example"
                })
            // Bad filters are named, not a crash.
            #expect(try await head.get("/audit?from=yesterday").status == .badRequest)
        }
    }

    @Test func aHeadTeacherSeesOnlyTheirSchoolAndNothingCanBeChanged() async throws {
        try await withWebApp { app, store in
            try await store.auditTrail.record(
                AuditEvent(actor: AuditActor("someone"), action: "test.elsewhere", school: otherSchool))
            var head = try await Browser.signedIn(app, as: .headTeacher)
            #expect(!(try await head.get("/audit").body.string.contains("test.elsewhere")))
            var lead = try await Browser.signedIn(app, as: .educationLead)
            #expect(try await lead.get("/audit").body.string.contains("test.elsewhere"))
            // The database itself refuses to change or remove the trail or the register's history.
            for statement in [
                "UPDATE audit_events SET actor = 'x'", "DELETE FROM audit_events", "DELETE FROM mark_amendments",
            ] {
                await #expect(throws: (any Error).self, "\(statement)") {
                    try await store.sql.raw(SQLQueryString(statement)).run()
                }
            }
        }
    }
}
