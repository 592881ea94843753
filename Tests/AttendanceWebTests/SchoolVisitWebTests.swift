import AttendanceCore
import Foundation
import Testing
import VaporTesting

@testable import AttendanceStore
@testable import AttendanceWeb

/// The ESW's school visit: from the caseload to the school's list of pupils below 92% (the same pupils and
/// figures as the store's list), a visit recorded, and the trend measured from it the next day.
@Suite struct SchoolVisitWebTests {
    @Test func theEswFindsTheSchoolsListAndRecordsTheVisit() async throws {
        try await withWebApp { app, store in
            var esw = try await Browser.signedIn(app, as: .educationSocialWorker)
            let visits = SiteURL.school(.schoolVisits, mainSchool)
            #expect(try await esw.get(SiteURL.eswCaseload.path()).body.string.contains(visits))
            let listing = try await store.esw.schoolVisitList(mainSchool, on: testToday)
            let red = try #require(listing.lines.first, "the demo has pupils below 92%")
            let page = try await esw.get(visits).body.string
            #expect(page.contains(red.pupil.legalSurname) && page.contains(red.now.attendancePercentText))
            #expect(page.contains("Nothing to compare") || listing.lastVisit != nil)
            // Every pupil listed is below 92%; none at or above it is.
            for line in listing.lines { #expect(line.now.band == .red) }
            let bad = try await esw.post(visits, ["on": testToday.adding(days: 1).iso, "met_with": "Deputy head"])
            #expect(bad.status == .unprocessableEntity && bad.body.string.contains("Give the day of the visit"))
            #expect(try await store.esw.schoolVisits(mainSchool).isEmpty)
            let saved = try await esw.post(
                visits,
                ["on": testToday.adding(days: -1).iso, "met_with": "Mr Rees, deputy head", "notes": "Six pupils"])
            #expect(saved.status == .seeOther)
            let after = try await esw.get(visits + "?saved=1").body.string
            #expect(after.contains("The visit is recorded.") && after.contains("Mr Rees, deputy head"))
            #expect(after.contains("with the change since the visit on \(testToday.adding(days: -1).readable(.en))"))
            let audit = try await store.auditTrail.search(AuditQuery()).filter { $0.action == "esw.visit" }
            #expect(audit.count == 1 && audit[0].school == mainSchool)
            // In Welsh.
            let welsh = try await esw.get(visits + "?lang=cy").body.string
            #expect(welsh.contains("disgyblion o dan 92%"))
        }
    }
}
