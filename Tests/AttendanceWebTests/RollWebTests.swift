import AttendanceCore
import Foundation
import Testing
import VaporTesting

@testable import AttendanceStore
@testable import AttendanceWeb

/// Leaving the roll from the pupil's page: refused without a ground or with the missing-education enquiries
/// open, and nothing written; with them complete, the deletion is on the authority's return, page and CSV.
@Suite struct RollWebTests {
    @Test func aPupilLeavesTheRollOnlyWithAGroundAndTheEnquiriesComplete() async throws {
        try await withWebApp { app, store in
            let pupil = try #require(try await onRollToday(store).last)
            var office = try await Browser.signedIn(app, as: .attendanceAdministrator)
            #expect(try await office.get(SiteURL.pupil(pupil.upn)).body.string.contains("id=\"take-off-roll\""))
            let takeOff = SiteURL.schoolPupil(.takeOffRoll, mainSchool, pupil.upn)
            let refused = try await office.post(takeOff, ["ground": "whereabouts_unknown", "day": testToday.iso])
            #expect(refused.status == .unprocessableEntity)
            #expect(refused.body.string.contains("Children Missing Education enquiries are complete"))
            #expect(
                try await office.post(takeOff, ["ground": "", "day": testToday.iso]).status == .unprocessableEntity)
            #expect(try await store.reference.pupil(pupil.upn)?.enrolments.last?.onRollTo == nil)
            // Referred; the Education Lead records an enquiry and the outcome.
            let refer = SiteURL.schoolPupil(.referMissingEducation, mainSchool, pupil.upn)
            #expect(try await office.post(refer, ["reason": "No contact for four weeks"]).status == .seeOther)
            let cme = try #require(try await store.roll.missingEducationCases(of: pupil.upn).first)
            var lead = try await Browser.signedIn(app, as: .educationLead)
            #expect(
                try await lead.get(SiteURL.missingEducation.path()).body.string.contains("No contact for four weeks"))
            let id = ["id": String(cme.id)]
            #expect(
                try await lead.post(
                    SiteURL.cmeEnquiry.path(id),
                    ["on": testToday.iso, "check": "Home visit", "with": "Neighbour", "result": "Family moved away"]
                ).status == .seeOther)
            #expect(
                try await lead.post(SiteURL.cmeOutcome.path(id), ["outcome": "whereabouts_unknown"]).status
                    == .seeOther)
            // Now the deletion goes through and is on the return.
            #expect(
                try await office.post(takeOff, ["ground": "whereabouts_unknown", "day": testToday.iso]).status
                    == .seeOther)
            #expect(try await store.reference.pupil(pupil.upn)?.enrolments.last?.onRollTo == testToday)
            let returns = try await lead.get(SiteURL.returns.path()).body.string
            // The page names the pupil and the day in words; the CSV file, the return itself, has the UPN and ISO.
            #expect(returns.contains(pupil.displayName) && returns.contains("whereabouts unknown after enquiries"))
            #expect(!returns.contains(pupil.upn.value) && returns.contains(testToday.readable(.en)))
            let csv = try await lead.get(SiteURL.deletionsCSV.path()).body.string
            #expect(csv.contains("\(mainSchool),\(pupil.upn),") && csv.contains("whereabouts_unknown"))
            let absence = try await lead.get(SiteURL.continuousAbsenceCSV.path())
            #expect(absence.status == .ok && absence.body.string.hasPrefix("school,upn,name,from,to,school_days"))
        }
    }

    /// A pupil the record suggests may be missing education (extended leave recorded as off the roll, still on it)
    /// is on the school's office page with the reason, linked to the pupil's "Leaving the roll", and on the
    /// Education Lead's page; the school's referral takes them off both.
    @Test func theOfficeSeesWhoMayBeMissingEducationUntilItRefers() async throws {
        try await withWebApp { app, store in
            let age = { (pupil: Pupil) in CompulsorySchoolAge(dateOfBirth: pupil.dateOfBirth) }
            let pupil = try #require(
                try await onRollToday(store).first { age($0).isOfCompulsorySchoolAge(on: testToday) })
            let office = AuditActor("office@demo.example")
            let dates = DateRange(testToday.adding(days: 14), testToday.adding(days: 56))!
            let request = try await store.leave.requestLeave(
                for: pupil.upn, dates: dates, reason: "Six weeks abroad", category: nil, details: "", siblings: "",
                today: nil, by: office)
            _ = try await store.leave.decideLeave(
                request.id, school: mainSchool, kind: .offRoll, agreed: nil, reason: "More than four weeks",
                category: nil, limit: 10, by: AuditActor("head@demo.example"),
                at: ISO8601DateFormatter().date(from: "\(testToday.iso)T09:00:00Z")!)
            var desk = try await Browser.signedIn(app, as: .attendanceAdministrator)
            let page = try await desk.get(SiteURL.school(.office, mainSchool)).body.string
            #expect(page.contains("May be missing education"))
            #expect(page.contains(SiteURL.pupil(pupil.upn, fragment: "roll")))
            #expect(page.contains("Extended leave from \(dates.start.readable(.en)) to \(dates.end.readable(.en))"))
            let welsh = try await desk.get(SiteURL.school(.office, mainSchool, query: ["lang": "cy"])).body.string
            #expect(
                welsh.contains("Gall fod yn colli addysg")
                    && welsh.contains(
                        "Absenoldeb estynedig o \(WelshGrammar.softenDays("o " + dates.start.readable(.cy)).dropFirst(2))"
                    ))
            var lead = try await Browser.signedIn(app, as: .educationLead)
            #expect(try await lead.get(SiteURL.missingEducation.path()).body.string.contains(pupil.upn.value))
            let refer = SiteURL.schoolPupil(.referMissingEducation, mainSchool, pupil.upn)
            #expect(try await desk.post(refer, ["reason": "Extended leave; not known where"]).status == .seeOther)
            let after = try await desk.get(SiteURL.school(.office, mainSchool)).body.string
            #expect(!after.contains(SiteURL.pupil(pupil.upn, fragment: "roll")))
        }
    }
}
