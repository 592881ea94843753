import AttendanceCore
import Foundation
import Testing
import VaporTesting

@testable import AttendanceStore
@testable import AttendanceWeb

/// Issue 31, 5: "the policy names prosecution under s.444, Education Supervision Orders and School Attendance
/// Orders": each a sequence of recorded steps with dates and who, only the lead records them, and a step out of
/// order is refused.
@Suite struct LegalProceedingTests {
    @Test(arguments: WebTestDatabase.available)
    func eachSequenceIsWalkedInOrderByTheLeadAlone(_ database: WebTestDatabase) async throws {
        try await withWebApp(on: database) { app, store in
            let pupils = try await onRollToday(store)
            let esw = try await HardeningFindingsTests.allocatedEswCase(store, for: pupils[0].upn)
            let missing = try await store.roll.referMissingEducation(
                pupils[1].upn, school: mainSchool, reason: "Not seen since October", on: testToday,
                by: AuditActor("office@demo.example"))
            var lead = try await Browser.signedIn(app, as: .educationLead)
            let page = try await lead.get(SiteURL.legal.path()).body.string
            #expect(page.contains("esw_case/\(esw.id)") && page.contains("missing_education/\(missing.id)"))
            func open(_ kind: LegalKind, _ origin: String) async throws -> TestingHTTPResponse {
                try await lead.post(
                    SiteURL.legal.path(), ["kind": kind.rawValue, "case": origin, "day": testToday.iso, "detail": ""])
            }
            func step(_ id: Int, _ step: LegalStep, detail: String = "") async throws -> HTTPStatus {
                try await lead.post(
                    SiteURL.legalStep.path(["id": String(id)]),
                    ["step": step.rawValue, "day": testToday.iso, "detail": detail]
                ).status
            }
            func proceeding(_ kind: LegalKind) async throws -> LegalProceeding {
                try #require(try await store.penalties.legalProceedings().first { $0.kind == kind })
            }
            // A School Attendance Order is for a child missing education, not an ESW case.
            #expect(try await open(.attendanceOrder, "esw_case/\(esw.id)").status == .unprocessableEntity)

            // Education Supervision Order: applied, granted, supervisor named, ended.
            #expect(try await open(.supervisionOrder, "esw_case/\(esw.id)").status == .seeOther)
            let order = try await proceeding(.supervisionOrder)
            #expect(try await step(order.id, .supervisorNamed, detail: "Sian Roberts") == .conflict)
            #expect(try await step(order.id, .granted) == .seeOther)
            #expect(try await step(order.id, .supervisorNamed) == .unprocessableEntity)  // named by whom?
            #expect(try await step(order.id, .supervisorNamed, detail: "Sian Roberts, ESW") == .seeOther)
            #expect(try await step(order.id, .ended) == .seeOther)
            #expect(try await step(order.id, .granted) == .conflict)
            let ended = try await proceeding(.supervisionOrder)
            #expect(ended.events.map(\.step) == [.applied, .granted, .supervisorNamed, .ended] && !ended.isOpen)
            #expect(ended.events.allSatisfy { $0.by == "lead@demo.example" && $0.on == testToday })

            // Prosecution on the ESW case: referred, laid, a hearing adjourned to another, the outcome.
            #expect(try await open(.prosecution, "esw_case/\(esw.id)").status == .seeOther)
            let court = try await proceeding(.prosecution)
            #expect(try await step(court.id, .convicted) == .conflict)
            #expect(try await step(court.id, .laid, detail: "Wrexham Magistrates, ref 123") == .seeOther)
            #expect(try await step(court.id, .hearing, detail: "Adjourned") == .seeOther)
            #expect(try await step(court.id, .hearing, detail: "Heard") == .seeOther)
            #expect(try await step(court.id, .convicted) == .seeOther)
            #expect(try await proceeding(.prosecution).events.count == 5)

            // School Attendance Order on the child missing education: notice, school named, order, breached.
            #expect(try await open(.attendanceOrder, "missing_education/\(missing.id)").status == .seeOther)
            let attendance = try await proceeding(.attendanceOrder)
            #expect(try await step(attendance.id, .orderMade) == .conflict)
            #expect(try await step(attendance.id, .schoolNamed, detail: "Ysgol Morgan Llwyd (6654002)") == .seeOther)
            #expect(try await step(attendance.id, .orderMade) == .seeOther)
            #expect(try await step(attendance.id, .breached) == .seeOther)
            let listed = try await lead.get(SiteURL.legal.path()).body.string
            #expect(listed.contains("School Attendance Order") && listed.contains("Ysgol Morgan Llwyd (6654002)"))

            // Only the lead: a head teacher may neither see nor record.
            var head = try await Browser.signedIn(app, as: .headTeacher)
            #expect(try await head.get(SiteURL.legal.path()).status == .forbidden)
            // One of a kind per case.
            #expect(try await open(.supervisionOrder, "esw_case/\(esw.id)").status == .conflict)
        }
    }

    /// The order of each kind, as a table: what may follow each step, and nothing after the end.
    @Test func theRulesGiveEachKindsOrder() {
        #expect(LegalRules.next(.prosecution, after: nil) == [.referred])
        #expect(LegalRules.next(.supervisionOrder, after: .refused).isEmpty)
        #expect(LegalRules.next(.attendanceOrder, after: .orderMade) == [.complied, .breached])
        #expect(throws: LegalRules.Problem.badDay) {
            try LegalRules.check(
                .laid, kind: .prosecution, after: .referred, lastDay: testToday, on: testToday.adding(days: -1),
                today: testToday, detail: "Court")
        }
    }
}
