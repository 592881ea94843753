import AttendanceCore
import Foundation
import Testing
import VaporTesting

@testable import AttendanceStore
@testable import AttendanceWeb

/// The authority's concerns (issue 35, point 7): raised by the Education Lead with the figures behind it, answered
/// by the head, closed by the lead; each step once, with who and when.
@Suite struct ConcernsWebTests {
    @Test(arguments: WebTestDatabase.available)
    func aConcernMovesRaisedAnsweredClosedEachStepOnce(_ database: WebTestDatabase) async throws {
        try await withWebApp(on: database) { app, store in
            var lead = try await Browser.signedIn(app, as: .educationLead)
            _ = try await lead.get(SiteURL.concerns.path())
            // Refused, naming the field, with nothing kept: a day that has passed, one that does not exist, none asked.
            for (form, status) in [
                (
                    ["school": mainSchool.description, "request": "Why?", "due_by": "2026-11-01"],
                    HTTPStatus.unprocessableEntity
                ),
                (["school": mainSchool.description, "request": "Why?", "due_by": "2026-02-30"], .unprocessableEntity),
                (["school": mainSchool.description, "request": "Why?", "due_by": "2031-01-01"], .unprocessableEntity),
                (["school": mainSchool.description, "request": "  ", "due_by": "2026-12-09"], .unprocessableEntity),
                (["school": "9999999", "request": "Why?", "due_by": "2026-12-09"], .notFound),
            ] {
                #expect(try await lead.post(SiteURL.concerns.path(), form).status == status, "\(form)")
            }
            #expect(try await store.concerns.concerns().isEmpty)
            let raised = try await lead.post(
                SiteURL.concerns.path(),
                [
                    "school": mainSchool.description, "request": "Persistent absence in Year 10 has risen.",
                    "due_by": "2026-12-09",
                ])
            #expect(raised.status == .seeOther)
            let concern = try #require(try await store.concerns.concerns().first)
            #expect(
                concern.status == .raised && concern.school == mainSchool && concern.raisedBy == "lead@demo.example")
            // The figures behind it are the school page's year to date.
            let lines = try await store.registers.schoolReport(mainSchool, in: .yearToDate(testToday))
            let total = lines.map(\.summary).reduce(AttendanceSummary.empty(), +)
            #expect(concern.figures.attendanceTenths == total.attendanceTenths)
            // The lead cannot close what has not been answered; the governor reads it and cannot answer.
            #expect(try await lead.post(SiteURL.user(.closeConcern, concern.id), [:]).status == .conflict)
            var governor = try await Browser.signedIn(app, as: .governor)
            let theirs = try await governor.get(SiteURL.school(.schoolConcerns, mainSchool)).body.string
            #expect(theirs.contains("Persistent absence in Year 10 has risen.") && !theirs.contains("name=\"answer\""))
            // The head answers; two clicks at once make one answer.
            var head = try await Browser.signedIn(app, as: .headTeacher)
            let page = try await head.get(SiteURL.school(.schoolConcerns, mainSchool)).body.string
            #expect(page.contains("name=\"answer\"") && page.contains("waiting for the head&#39;s answer"))
            let answer = SiteURL.school(.answerConcern, mainSchool, id: concern.id)
            let statuses = try await ConcurrentDecisionTests.atOnce(2) { [head] index in
                try await ConcurrentDecisionTests.post(
                    app, as: head, answer, ["answer": "A plan with the ESW, starting Monday (\(index))."])
            }
            #expect(statuses.sorted { $0.code < $1.code } == [.seeOther, .conflict], "\(statuses)")
            let answered = try #require(try await store.concerns.concern(concern.id))
            #expect(answered.status == .answered && answered.answeredBy == "head@demo.example")
            #expect(answered.answer?.hasPrefix("A plan with the ESW, starting Monday") == true)
            // Another school's head may not answer it (the route asks the school it names).
            #expect(
                try await head.post(SiteURL.school(.answerConcern, otherSchool, id: concern.id), ["answer": "x"]).status
                    == .forbidden)
            // The lead closes it, once.
            #expect(try await lead.post(SiteURL.user(.closeConcern, concern.id), [:]).status == .seeOther)
            #expect(try await lead.post(SiteURL.user(.closeConcern, concern.id), [:]).status == .conflict)
            let closed = try #require(try await store.concerns.concern(concern.id))
            #expect(closed.status == .closed && closed.closedBy == "lead@demo.example" && closed.closedAt != nil)
            let steps = try await store.auditTrail.search(AuditQuery(schools: [mainSchool])).map(\.action)
                .filter { $0.hasPrefix("concern.") }
            #expect(steps.sorted() == ["concern.answered", "concern.closed", "concern.raised"])
            let list = try await lead.get(SiteURL.concerns.path()).body.string
            #expect(list.contains("Answered") && list.contains("Closed") && list.contains("by Mair Hughes"))
        }
    }
}
