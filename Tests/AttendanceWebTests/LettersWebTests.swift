import AttendanceCore
import Foundation
import Testing
import VaporTesting

@testable import AttendanceStore
@testable import AttendanceWeb

@Suite struct LettersWebTests {
    @Test func theOfficeProducesTodaysLettersFromTheQueueAndOpensTheKeptCopies() async throws {
        try await withWebApp { app, store in
            try await store.procedure.runProcedure(policy: .wrexham2025, asOf: testToday, dryRun: false)
            var office = try await Browser.signedIn(app, as: .attendanceAdministrator)
            let queue = try await office.get("/schools/\(mainSchool)/actions").body.string
            #expect(queue.contains("Produce today&#39;s letters") || queue.contains("Produce today's letters"))
            let location = try await office.produceDueLetters()
            let page = try await office.get(location)
            #expect(page.status == .ok)
            let batch = String(location.split(separator: "/").last!.split(separator: "?").first!)
            let letters = try await store.letters.letters(batch: batch, school: mainSchool)
            #expect(!letters.isEmpty)
            let first = try #require(letters.first)
            let kept = try await office.get("/schools/\(mainSchool)/letters/\(first.id)")
            #expect(kept.status == .ok)
            #expect(kept.body.string == first.html)
            #expect(kept.headers.first(name: "Content-Security-Policy")?.contains("script") == false)
            if first.pdf != nil {
                #expect(
                    try await office.get("/schools/\(mainSchool)/letters/\(first.id)/pdf").body.readableBytes > 1000)
                #expect(try await office.get(location.split(separator: "?").first! + "/pdf").status == .ok)
            }
            // The pupil's page lists it; a form tutor (no queue) and another school's office may not open it.
            let pupil = try await office.get("/pupils/\(first.upn)").body.string
            #expect(pupil.contains("/schools/\(mainSchool)/letters/\(first.id)"))
            var tutor = try await Browser.signedIn(app, as: .formTutor)
            #expect(try await tutor.get("/schools/\(mainSchool)/letters/\(first.id)").status == .forbidden)
            #expect(try await tutor.get(location).status == .forbidden)
            var lead = try await Browser.signedIn(app, as: .educationLead)
            #expect(try await lead.get("/schools/\(mainSchool)/letters/\(first.id)/pdf").status == .forbidden)
        }
    }

    @Test func aCertificateFromThePupilPageAndAnInvitationNeedsItsDetails() async throws {
        try await withWebApp { app, store in
            var head = try await Browser.signedIn(app, as: .headTeacher)
            let roll = try await store.reference.roll(
                of: try await store.reference.requireSchool(mainSchool).id, in: DateRange(testToday, testToday)!)
            let upn = roll[0].pupil.upn
            try await head.get("/pupils/\(upn)")
            let missing = try await head.post(
                "/schools/\(mainSchool)/pupils/\(upn)/letters", ["kind": "meeting_invitation"])
            #expect(missing.status == .unprocessableEntity)
            #expect(missing.body.string.contains("needs more details"))
            #expect(try await store.letters.letters(of: upn).isEmpty)
            try await head.get("/pupils/\(upn)")
            let made = try await head.post(
                "/schools/\(mainSchool)/pupils/\(upn)/letters",
                [
                    "kind": "holiday_decision", "holiday_from": "2027-02-01", "holiday_to": "2027-02-05",
                    "holiday_decision": "agreed", "holiday_reason": "a family funeral abroad",
                ])
            #expect(made.status == .seeOther)
            let letters = try await store.letters.letters(of: upn)
            #expect(letters.count >= 1 && letters.allSatisfy { $0.kind == .holidayDecision })
            let kept = try #require(try await store.letters.letter(id: letters[0].id)?.html)
            #expect(kept.contains("a family funeral abroad"))
        }
    }

    @Test func theEducationLeadEditsAWordingWithAPreviewAndAnUnknownPlaceholderIsRefused() async throws {
        try await withWebApp { app, store in
            var lead = try await Browser.signedIn(app, as: .educationLead)
            let editor = try await lead.get("/letters/templates/letter_1/cy")
            #expect(editor.status == .ok)
            #expect(editor.body.string.contains("{{pupil_forename}}"))
            let bad = try await lead.post("/letters/templates/letter_1/cy/preview", ["body": "Annwyl {{rhiant}}"])
            #expect(bad.status == .unprocessableEntity)
            #expect(bad.body.string.contains("{{rhiant}}"))
            try await lead.get("/letters/templates/letter_1/cy")
            let refused = try await lead.post("/letters/templates/letter_1/cy", ["body": "Annwyl {{rhiant}}"])
            #expect(refused.status == .unprocessableEntity)
            #expect(try await store.letters.letterTemplateOverrides().isEmpty)
            try await lead.get("/letters/templates/letter_1/cy")
            let preview = try await lead.post(
                "/letters/templates/letter_1/cy/preview",
                ["body": "<p>Mae {{pupil_forename}} wedi colli {{absent}}.</p>"])
            #expect(preview.status == .ok)
            #expect(preview.body.string.contains("Mae Siôn wedi colli 20."))
            try await lead.get("/letters/templates/letter_1/cy")
            let saved = try await lead.post(
                "/letters/templates/letter_1/cy", ["body": "<p>Mae {{pupil_forename}} wedi colli {{absent}}.</p>"])
            #expect(saved.status == .seeOther)
            #expect(try await store.letters.letterTemplateOverrides()["cy/letter_1"]?.contains("wedi colli") == true)
            let trail = try await store.auditTrail.search(AuditQuery(actor: "lead@demo.example"))
            #expect(trail.filter { $0.action == "letter_template.saved" }.count == 1)
        }
    }
}
