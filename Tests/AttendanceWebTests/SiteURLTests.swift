import AttendanceCore
import Testing
import VaporTesting

@testable import AttendanceStore
@testable import AttendanceWeb

/// One declaration per route: every case is registered, with its pattern, and links encode each value once.
@Suite struct SiteURLTests {
    @Test func everyCaseIsARegisteredRouteAndEveryRouteACase() async throws {
        try await withWebApp { app, _ in
            let registered = Set(app.routes.all.map { $0.path.map(\.description) })
            for url in SiteURL.allCases {
                #expect(registered.contains(url.pattern), "\(url) is not a route")
            }
            #expect(registered == Set(SiteURL.allCases.map(\.pattern)), "a route not declared in SiteURL")
        }
    }

    @Test(arguments: [
        ("7A", "/registers/6654001/7A/2026-11-25/AM"),
        ("7A/B", "/registers/6654001/7A%2FB/2026-11-25/AM"),
        ("Blwyddyn 7 Ŵ", "/registers/6654001/Blwyddyn%207%20%C5%B4/2026-11-25/AM"),
        ("a?b#c&d", "/registers/6654001/a%3Fb%23c%26d/2026-11-25/AM"),
    ])
    func eachValueIsPercentEncodedOnce(group: String, expected: String) {
        let link = SiteURL.register(mainSchool, group: group, date: testToday, half: .am)
        #expect(link == expected)
        // Decoding the segment gives the value back: encoded once, not twice.
        let segment = link.split(separator: "/")[2]
        #expect(segment.removingPercentEncoding == group)
    }

    @Test func queriesAndFragmentsAreBuiltInOnePlace() throws {
        let upn = try UPN("B801200005001")
        #expect(
            SiteURL.pupil(upn, fragment: "letters", query: ["produced": "1"])
                == "/pupils/B801200005001?produced=1#letters")
        #expect(
            SiteURL.signIn.path(query: ["next": "/pupils/A1?x=1&y=2"]) == "/sign-in?next=%2Fpupils%2FA1%3Fx%3D1%26y%3D2"
        )
        #expect(SiteURL.home.path() == "/")
        #expect(SiteURL.school(.confirmReason, mainSchool, id: 7) == "/schools/6654001/office/confirm/7")
    }

    /// A link built for a register whose group needs encoding reaches that register (the router decodes it once).
    @Test func anEncodedLinkReachesItsPage() async throws {
        try await withWebApp { app, store in
            var head = try await Browser.signedIn(app, as: .headTeacher)
            let pupil = try #require(
                try await store.registers.schoolReport(mainSchool, in: DateRange(testToday, testToday)!).first?.pupil)
            let group = pupil.registrationGroup
            let page = try await head.get(SiteURL.register(mainSchool, group: group, date: testToday, half: .am))
            #expect(page.status == .ok)
            #expect(page.body.string.contains(pupil.upn.value))
            let unknown = try await head.get(
                SiteURL.register(mainSchool, group: group + "/x", date: testToday, half: .am))
            // The slash is part of the value, not a path separator: another (unknown) group, not this one's register.
            #expect(!unknown.body.string.contains(pupil.upn.value))
        }
    }
}
