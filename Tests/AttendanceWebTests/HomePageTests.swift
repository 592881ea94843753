import AttendanceCore
import AttendanceStore
import Foundation
import Testing
import VaporTesting

@testable import AttendanceWeb

@Suite struct HomePageTests {
    @Test func listsEverySchoolWithThisWeeksFigureFromTheStore() async throws {
        try await withWebApp { app, store in
            let week = SchoolWeek.current(on: testToday)
            try await app.testing().test(.GET, "/") { response in
                #expect(response.status == .ok)
                #expect(response.headers.contentType == .html)
                let html = response.body.string
                #expect(html.contains("<html lang=\"en\">"))
                #expect(html.contains("Week of 2026-11-23 to 2026-11-25"))
                for stored in try await store.schools() {
                    let report = try await store.schoolReport(stored.school.laestab, in: week)
                    let total = report.reduce(AttendanceSummary.empty()) { $0 + $1.summary }
                    #expect(total.possible > 0)
                    #expect(html.contains(stored.school.name.replacingOccurrences(of: "'", with: "&#39;")))
                    #expect(html.contains(">\(report.count)</td>"))
                    #expect(html.contains(">\(total.attendancePercentText)</td>"))
                }
                #expect(html.contains("Demonstration system"))
            }
        }
    }

    @Test func speaksWelshWhenAskedAndRemembersIt() async throws {
        try await withWebApp { app, _ in
            var cookie = ""
            try await app.testing().test(.GET, "/?lang=cy") { response in
                let html = response.body.string
                #expect(html.contains("<html lang=\"cy\">"))
                #expect(html.contains("Ysgolion a&#39;u presenoldeb yr wythnos hon"))
                #expect(html.contains("Cynradd") || html.contains("Uwchradd"))
                #expect(html.contains("href=\"/?lang=en\""))
                let setCookie = response.headers.first(name: .setCookie) ?? ""
                #expect(setCookie.contains("lang=cy"))
                #expect(setCookie.contains("HttpOnly"))
                cookie = String(setCookie.split(separator: ";")[0])
            }
            try await app.testing().test(.GET, "/", headers: ["Cookie": cookie]) { response in
                #expect(response.body.string.contains("<html lang=\"cy\">"))
            }
            try await app.testing().test(.GET, "/", headers: ["Accept-Language": "cy-GB,cy;q=0.9,en;q=0.5"]) {
                response in
                #expect(response.body.string.contains("<html lang=\"cy\">"))
            }
        }
    }

    @Test func theDemoBannerShowsOnlyInDemoMode() async throws {
        try await withWebApp(demoMode: false) { app, _ in
            try await app.testing().test(.GET, "/") { response in
                #expect(!response.body.string.contains("demo-banner"))
            }
        }
    }

    @Test func errorsArePagesInTheReadersLanguageOrJSON() async throws {
        try await withWebApp { app, _ in
            try await app.testing().test(.GET, "/no-such-page?lang=cy") { response in
                #expect(response.status == .notFound)
                #expect(response.headers.contentType == .html)
                #expect(
                    response.body.string.contains("Nid yw'r dudalen hon yn bodoli.")
                        || response.body.string.contains("Nid yw&#39;r dudalen hon yn bodoli."))
            }
            try await app.testing().test(.GET, "/no-such-page", headers: ["Accept": "application/json"]) { response in
                #expect(response.status == .notFound)
                #expect(response.body.string == #"{"error":"This page does not exist."}"#)
            }
        }
    }

    @Test func everyResponseCarriesTheSecurityHeaders() async throws {
        try await withWebApp { app, _ in
            for path in ["/", "/styles.css", "/health", "/missing"] {
                try await app.testing().test(.GET, path) { response in
                    let csp = response.headers.first(name: "Content-Security-Policy") ?? ""
                    #expect(csp.contains("frame-ancestors 'none'"), "\(path)")
                    #expect(!csp.contains("unsafe-inline"), "\(path)")
                    #expect(response.headers.first(name: "X-Content-Type-Options") == "nosniff")
                    #expect(response.headers.first(name: "Referrer-Policy") == "same-origin")
                }
            }
        }
    }

    @Test func everyRouteDeclaresAPermission() async throws {
        try await withWebApp { app, _ in
            #expect(!app.routes.all.isEmpty)
            for route in app.routes.all {
                #expect(
                    route.permission != nil,
                    "\(route.method) \(route.path.map(\.description).joined(separator: "/")) declares no permission")
            }
        }
    }
}
