import AttendanceCore
import Foundation
import Testing
import VaporTesting

@testable import AttendanceStore
@testable import AttendanceWeb

/// Every page a head teacher uses, in both languages, fills every heading, label and link its template names: a
/// value the page's model forgot shows as an empty heading, label or link, and fails here.
@Suite struct PageCompletenessTests {
    @Test(arguments: Language.allCases)
    func noPageLeavesAHeadingLabelOrLinkEmpty(language: Language) async throws {
        try await withWebApp { app, store in
            var head = try await Browser.signedIn(app, as: .headTeacher)
            head.cookies["lang"] = language.rawValue
            let report = try await store.registers.schoolReport(mainSchool, in: DateRange(testToday, testToday)!)
            let pupil = try #require(report.first?.pupil)
            let group = pupil.registrationGroup
            let pages = [
                SiteURL.home.path(), SiteURL.school(mainSchool), SiteURL.pupil(pupil.upn),
                SiteURL.registers.path(), SiteURL.register(mainSchool, group: group, date: testToday, half: .am),
                SiteURL.printRegister(mainSchool, group: group), SiteURL.school(.office, mainSchool),
                SiteURL.school(.lateBook, mainSchool), SiteURL.school(.actions, mainSchool), SiteURL.users.path(),
                SiteURL.audit.path(), SiteURL.account.path(), SiteURL.password.path(),
            ]
            for path in pages {
                let response = try await head.get(path)
                #expect(response.status == .ok, "\(path)")
                let html = response.body.string
                for empty in [
                    "<h1></h1>", "<h2></h2>", "<th scope=\"col\"></th>", "data-label=\"\"", "href=\"\"", "action=\"\"",
                    "<button type=\"submit\"></button>", "<dt></dt>", "colspan=\"4\"></th>",
                ] {
                    #expect(!html.contains(empty), "\(language) \(path) has \(empty)")
                }
                // A label names its field: never empty text.
                #expect(html.range(of: #"<label for="[^"]+"></label>"#, options: .regularExpression) == nil, "\(path)")
            }
        }
    }
}
