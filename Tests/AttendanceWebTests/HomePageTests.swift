import AttendanceCore
import Foundation
import Testing
import VaporTesting

@testable import AttendanceStore
@testable import AttendanceWeb

@Suite struct HomePageTests {
    @Test func theEducationLeadSeesEverySchoolWithThisWeeksFigureFromTheStore() async throws {
        try await withWebApp { app, store in
            var browser = try await Browser.signedIn(app, as: .educationLead)
            let week = SchoolWeek.current(on: testToday)
            let response = try await browser.get("/")
            #expect(response.status == .ok)
            #expect(response.headers.contentType == .html)
            let html = response.body.string
            #expect(html.contains("<html lang=\"en\">"))
            #expect(html.contains("Week of Monday 23 November 2026 to Wednesday 25 November 2026"))
            for stored in try await store.reference.schools() {
                let report = try await store.registers.schoolReport(stored.school.laestab, in: week)
                let total = report.reduce(AttendanceSummary.empty()) { $0 + $1.summary }
                #expect(total.possible > 0)
                #expect(html.contains(stored.school.name.replacingOccurrences(of: "'", with: "&#39;")))
                #expect(
                    html.contains(
                        ">\(try await store.reference.onRoll(stored.school.laestab, on: testToday).count)</td>"))
                #expect(html.contains(">\(total.attendancePercentText)</td>"))
            }
            #expect(html.contains("Demonstration system"))
        }
    }

    @Test func eachRoleHasItsOwnHomePage() async throws {
        try await withWebApp { app, store in
            let tutor = try await store.identity.user(email: "tutor@demo.example")!
            let form = tutor.grants[0].registrationGroups[0]
            var browser = try await Browser.signedIn(app, as: .formTutor)
            let html = try await browser.get("/").body.string
            #expect(html.contains("Form tutor, "))
            #expect(html.contains("Your pupils this school year"))
            let rows = html.components(separatedBy: "<tr>").filter { $0.contains("/pupils/") }
            #expect(!rows.isEmpty)
            #expect(rows.allSatisfy { $0.contains(">\(form)</td>") })
            var parent = try await Browser.signedIn(app, as: .parent)
            let parentHome = try await parent.get("/").body.string
            #expect(parentHome.contains("Your children"))
            #expect(parentHome.components(separatedBy: "/pupils/").count == 2)  // one child, one link
            #expect(!parentHome.contains("/schools/"))
        }
    }

    @Test func speaksWelshWhenAskedAndRemembersIt() async throws {
        try await withWebApp { app, _ in
            var browser = Browser(app)
            let page = try await browser.get("/sign-in?lang=cy")
            #expect(page.body.string.contains("<html lang=\"cy\">"))
            #expect(page.body.string.contains("Cyfrifon arddangos"))
            let setCookie = page.headers[.setCookie].first { $0.hasPrefix("lang=") } ?? ""
            #expect(setCookie.contains("lang=cy"))
            #expect(setCookie.contains("HttpOnly"))
            let remembered = try await app.testing().sendRequest(
                .GET, "/sign-in", headers: ["Cookie": String(setCookie.split(separator: ";")[0])])
            #expect(remembered.body.string.contains("<html lang=\"cy\">"))
            let accepted = try await app.testing().sendRequest(
                .GET, "/sign-in", headers: ["Accept-Language": "cy-GB,cy;q=0.9,en;q=0.5"])
            #expect(accepted.body.string.contains("<html lang=\"cy\">"))
            var lead = try await Browser.signedIn(app, as: .educationLead)
            let welsh = try await lead.get("/?lang=cy").body.string
            #expect(welsh.contains("Ysgolion a&#39;u presenoldeb yr wythnos hon"))
            #expect(welsh.contains("Cynradd") && welsh.contains("Uwchradd"))
        }
    }

    @Test func demoAccountsShowOnlyInDemoMode() async throws {
        try await withWebApp(demoMode: false) { app, _ in
            let page = try await app.testing().sendRequest(.GET, "/sign-in")
            #expect(!page.body.string.contains("demo-banner"))
            #expect(!page.body.string.contains("demo-head"))
        }
        try await withWebApp(demoMode: true) { app, _ in
            let page = try await app.testing().sendRequest(.GET, "/sign-in").body.string
            for account in DemoAccounts.all {
                #expect(page.contains(account.email) && page.contains(account.password))
            }
        }
    }

    @Test func errorsArePagesInTheReadersLanguageOrJSON() async throws {
        try await withWebApp { app, _ in
            let page = try await app.testing().sendRequest(.GET, "/no-such-page?lang=cy")
            #expect(page.status == .notFound)
            #expect(page.headers.contentType == .html)
            #expect(page.body.string.contains("Nid yw&#39;r dudalen hon yn bodoli."))
            let json = try await app.testing().sendRequest(
                .GET, "/no-such-page", headers: ["Accept": "application/json"])
            #expect(json.status == .notFound)
            #expect(json.body.string == #"{"error":"This page does not exist."}"#)
        }
    }

    @Test func everyResponseCarriesTheSecurityHeaders() async throws {
        try await withWebApp { app, _ in
            for path in ["/", "/sign-in", "/styles.css", "/health", "/missing", "/api/schools/6654001/summary"] {
                let response = try await app.testing().sendRequest(.GET, path)
                let csp = response.headers.first(name: "Content-Security-Policy") ?? ""
                #expect(csp.contains("frame-ancestors 'none'"), "\(path)")
                #expect(csp.contains("script-src 'self'") && !csp.contains("unsafe-inline"), "\(path)")
                #expect(response.headers.first(name: "X-Content-Type-Options") == "nosniff")
                #expect(response.headers.first(name: "Referrer-Policy") == "same-origin")
            }
        }
    }
}

extension HomePageTests {
    /// The numbers in a page's cells headed `heading` (by their `data-label`), in order.
    static func cells(_ html: String, _ heading: String) -> [Int] {
        let regex = try! NSRegularExpression(
            pattern: "data-label=\"" + NSRegularExpression.escapedPattern(for: heading) + "\">([0-9]+)</td>")
        return regex.matches(in: html, range: NSRange(html.startIndex..., in: html)).compactMap {
            Range($0.range(at: 1), in: html).flatMap { Int(html[$0]) }
        }
    }

    /// A tutor's and a head of year's lists are of pupils on the roll today: every pupil listed is one they may
    /// open. A pupil of their year who left this year was listed, and their record answered 403 (found by the
    /// bench's page-timing pass, issue 39).
    @Test func aTutorsAndAHeadOfYearsListsLinkOnlyPupilsTheyMayOpen() async throws {
        try await withWebApp { app, store in
            let hoy = try #require(try await store.identity.user(email: "hoy@demo.example"))
            let years = Set(hoy.grants.flatMap(\.yearGroups))
            // A pupil of the head of year's years leaves this week (home education, as the parents told the school).
            let leaver = try #require(
                try await store.reference.onRoll(mainSchool, on: testToday).first { years.contains($0.yearGroup) })
            try await store.roll.removeFromRoll(
                leaver.upn, school: mainSchool, on: testToday.adding(days: -2), ground: .homeEducation, newSchool: nil,
                by: AuditActor("office@demo.example"))
            let current = Set(try await store.reference.onRoll(mainSchool, on: testToday).map(\.upn.value))
            let year = try await store.registers.schoolReport(
                mainSchool, in: DateRange(testToday.academicYear.firstDay, testToday)!)
            #expect(!current.contains(leaver.upn.value) && year.contains { $0.pupil.upn == leaver.upn })
            for role in [Role.headOfYear, .formTutor] {
                var browser = try await Browser.signedIn(app, as: role)
                let home = try await browser.get("/").body.string
                let listed = Set(home.matches(of: #/href="/pupils/([A-Z0-9]+)"/#).map { String($0.output.1) })
                #expect(!listed.isEmpty && listed.isSubset(of: current), "\(role)")
                for upn in listed {
                    #expect(try await browser.get("/pupils/\(upn)").status == .ok, "\(role) \(upn)")
                }
            }
        }
    }

    /// "On roll" is one number: the home page's count for a school, the school page's whole school and each form,
    /// and each form's register on the day all agree (the demo has pupils who joined and left this year).
    @Test func onRollIsTheSameNumberOnTheHomeSchoolAndRegisterPages() async throws {
        try await withWebApp { app, store in
            var head = try await Browser.signedIn(app, as: .headTeacher)
            let home = try await head.get("/").body.string
            let school = try await head.get("/schools/\(mainSchool)").body.string
            let homeRow = try #require(home.range(of: ">\(mainSchool)</td>")).upperBound
            let homeCount = try #require(Self.cells(String(home[homeRow...]), "On roll today").first)
            let onRoll = Self.cells(school, "On roll \(testToday.readable(.en))")
            // Whole school, then each year group, then each form.
            let forms = try await store.registers.registerGroups(school: mainSchool, on: testToday)
            let years = Set(try await store.reference.onRoll(mainSchool, on: testToday).map(\.yearGroup))
            #expect(onRoll.count == 1 + years.count + forms.count)
            #expect(onRoll.first == homeCount)
            #expect(onRoll.dropFirst().prefix(years.count).reduce(0, +) == homeCount)
            var registers = 0
            for (form, count) in zip(
                forms.sorted { ($0.group.count, $0.group) < ($1.group.count, $1.group) }, onRoll.suffix(forms.count))
            {
                let page = try await head.get("/registers/\(mainSchool)/\(form.group)/\(testToday)/AM").body.string
                let lines = page.components(separatedBy: "<tr id=\"row-").count - 1
                #expect(lines == count, "\(form.group)")
                #expect(form.onRoll == count, "\(form.group)")
                registers += lines
            }
            #expect(registers == homeCount)
            // A pupil who left this year is still in the year's figures but not on roll.
            let everyone = try await store.registers.schoolReport(
                mainSchool, in: DateRange(testToday.academicYear.firstDay, testToday)!)
            #expect(Set(everyone.map(\.pupil.upn)).count >= homeCount)
        }
    }
}
