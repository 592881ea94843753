import AttendanceCore
import AttendanceStore
import Foundation
import Testing
import VaporTesting

@testable import AttendanceWeb

/// Every route × every role × a target in and out of the role's scope. The expectations are written out
/// here by hand from DOMAIN.md section 1, not derived from the policy they test.
@Suite struct RouteAccessTests {
    /// The pupils the matrix asks about.
    struct Pupils {
        let child: UPN  // in the form tutor's form; the demo parent's child
        let yearEight: UPN  // in the head of year's years, not in the tutor's form
        let yearEleven: UPN  // at the main school, outside the head of year's years
        let elsewhere: UPN  // at a school no school-level role here covers

        init(store: Store) async throws {
            let parent = try await store.user(email: "parent@demo.example")!
            child = parent.grants[0].child!
            let year = DateRange(testToday.academicYear.firstDay, testToday)!
            let main = try await store.roll(of: try await store.requireSchool(mainSchool).id, in: year)
                .filter { $0.onRoll.end == testToday }
            yearEight = main.first { $0.pupil.yearGroup == "8" }!.pupil.upn
            yearEleven = main.first { $0.pupil.yearGroup == "11" }!.pupil.upn
            elsewhere = try await store.roll(of: try await store.requireSchool(otherSchool).id, in: year)[0].pupil.upn
        }
    }

    enum Subject: CaseIterable {
        case child, yearEight, yearEleven, elsewhere
    }

    static let staffAtMain: Set<Role> = [.headTeacher, .seniorManagement, .attendanceAdministrator]

    /// Who may see each pupil, by hand.
    static func mayViewPupil(_ role: Role, _ subject: Subject) -> Bool {
        switch (role, subject) {
        case (.educationLead, _): return true
        case (.governor, _): return false
        case (.parent, .child): return true
        case (.parent, _): return false
        case (.formTutor, .child): return true
        case (.formTutor, _): return false
        case (.headOfYear, .child), (.headOfYear, .yearEight): return true  // the child is in Year 7
        case (.headOfYear, _): return false
        case (.educationSocialWorker, .elsewhere): return false
        case (.educationSocialWorker, _): return true
        case (_, .elsewhere): return false
        default: return staffAtMain.contains(role)
        }
    }

    /// Who may see each school's aggregate figures, by hand.
    static func mayViewSchool(_ role: Role, _ school: LAESTAB) -> Bool {
        switch role {
        case .educationLead: return true
        case .parent: return false
        case .educationSocialWorker: return school != otherSchool
        default: return school == mainSchool
        }
    }

    static let mayAudit: Set<Role> = [.educationLead, .headTeacher]
    static let office: Set<Role> = [.attendanceAdministrator, .seniorManagement, .headTeacher]

    /// Registers: the tutor's own form, another form at the main school, and a form at another school.
    enum Form: CaseIterable {
        case tutors, otherAtMain, elsewhere
    }

    static func mayTake(_ role: Role, _ form: Form) -> Bool {
        switch form {
        case .tutors: return role == .formTutor || office.contains(role)
        case .otherAtMain: return office.contains(role)
        case .elsewhere: return false
        }
    }

    static func mayViewRegister(_ role: Role, _ form: Form, formYear: String) -> Bool {
        switch (role, form) {
        case (.educationLead, _): return true
        case (_, .elsewhere): return false
        case (.formTutor, .tutors): return true
        case (.headOfYear, _): return ["7", "8"].contains(formYear)
        case (.educationSocialWorker, _): return true
        default: return office.contains(role)
        }
    }

    @Test func everyRouteIsCoveredForEveryRoleInAndOutOfScope() async throws {
        try await withWebApp { app, store in
            let pupils = try await Pupils(store: store)
            func upn(_ subject: Subject) -> UPN {
                switch subject {
                case .child: return pupils.child
                case .yearEight: return pupils.yearEight
                case .yearEleven: return pupils.yearEleven
                case .elsewhere: return pupils.elsewhere
                }
            }
            let tutorForm = try await store.user(email: "tutor@demo.example")!.grants[0].registrationGroups[0]
            let year = DateRange(testToday, testToday)!
            let mainRoll = try await store.roll(of: try await store.requireSchool(mainSchool).id, in: year)
            let otherForm = mainRoll.first { $0.pupil.yearGroup == "11" }!.pupil.registrationGroup
            let elsewhereForm = try await store.roll(of: try await store.requireSchool(otherSchool).id, in: year)[0]
                .pupil.registrationGroup
            let forms: [Form: (LAESTAB, String, String)] = [
                .tutors: (mainSchool, tutorForm, "7"), .otherAtMain: (mainSchool, otherForm, "11"),
                .elsewhere: (otherSchool, elsewhereForm, "1"),
            ]
            // Path patterns the matrix covers: a new route with no row here fails the test.
            var covered = Set<String>()
            for role in Role.allCases {
                var browser = try await Browser.signedIn(app, as: role)
                func expect(_ method: String, _ pattern: String, _ path: String, allowed: Bool) async throws {
                    covered.insert("\(method) \(pattern)")
                    guard method == "GET" else { return }
                    let response = try await browser.get(path)
                    #expect(response.status == (allowed ? .ok : .forbidden), "\(role) GET \(path)")
                    if !allowed && !path.hasPrefix("/api/") {
                        #expect(response.body.string.contains("You do not have permission"), "\(role) GET \(path)")
                    }
                }
                try await expect("GET", "/health", "/health", allowed: true)
                try await expect("GET", "/openapi.json", "/openapi.json", allowed: true)
                try await expect("GET", "/sign-in", "/sign-in", allowed: true)
                try await expect("GET", "/", "/", allowed: true)
                try await expect("GET", "/account", "/account", allowed: true)
                try await expect("GET", "/account/password", "/account/password", allowed: true)
                for school in [mainSchool, allocatedSchool, otherSchool] {
                    let allowed = Self.mayViewSchool(role, school)
                    try await expect("GET", "/schools/:laestab", "/schools/\(school)", allowed: allowed)
                    try await expect(
                        "GET", "/api/schools/:laestab/summary", "/api/schools/\(school)/summary", allowed: allowed)
                }
                for subject in Subject.allCases {
                    let allowed = Self.mayViewPupil(role, subject)
                    try await expect("GET", "/pupils/:upn", "/pupils/\(upn(subject))", allowed: allowed)
                    try await expect(
                        "GET", "/api/pupils/:upn/summary", "/api/pupils/\(upn(subject))/summary", allowed: allowed)
                    try await expect(
                        "GET", "/api/pupils/:upn/marks", "/api/pupils/\(upn(subject))/marks", allowed: allowed)
                }
                try await expect("GET", "/audit", "/audit", allowed: Self.mayAudit.contains(role))
                try await expect("GET", "/users", "/users", allowed: Self.mayAudit.contains(role))
                let listAllowed = [.formTutor, .headOfYear].contains(role) || Self.office.contains(role)
                try await expect("GET", "/registers", "/registers", allowed: listAllowed)
                for form in Form.allCases {
                    let (school, group, year) = forms[form]!
                    try await expect(
                        "GET", "/registers/:laestab/:group/:date/:session",
                        "/registers/\(school)/\(group)/\(testToday)/AM",
                        allowed: Self.mayTake(role, form))
                    try await expect(
                        "GET", "/registers/:laestab/:group/print", "/registers/\(school)/\(group)/print",
                        allowed: Self.mayViewRegister(role, form, formYear: year))
                    try await expect(
                        "GET", "/api/registers/:laestab/:group/:date/:session",
                        "/api/registers/\(school)/\(group)/\(testToday)/AM",
                        allowed: Self.mayViewRegister(role, form, formYear: year))
                }
                for school in [mainSchool, otherSchool] {
                    let works =
                        school == mainSchool
                        && (Self.office.contains(role) || [.headOfYear, .educationSocialWorker].contains(role))
                    try await expect("GET", "/schools/:laestab/actions", "/schools/\(school)/actions", allowed: works)
                    let allowed = school == mainSchool && Self.office.contains(role)
                    try await expect("GET", "/schools/:laestab/office", "/schools/\(school)/office", allowed: allowed)
                    try await expect(
                        "GET", "/schools/:laestab/late-book", "/schools/\(school)/late-book", allowed: allowed)
                }
                try await expect("GET", "/audit.csv", "/audit.csv", allowed: Self.mayAudit.contains(role))
                try await expect("GET", "/letters/templates", "/letters/templates", allowed: role == .educationLead)
                try await expect(
                    "GET", "/letters/templates/:kind/:language", "/letters/templates/letter_1/cy",
                    allowed: role == .educationLead)
                // A batch and a kept letter need letters to exist: LettersWebTests checks who may open them.
                for pattern in [
                    "/schools/:laestab/letters/batches/:batch", "/schools/:laestab/letters/batches/:batch/pdf",
                    "/schools/:laestab/letters/:id", "/schools/:laestab/letters/:id/pdf",
                ] {
                    covered.insert("GET \(pattern)")
                }
                // Forms: each signed-in role may use its own account's forms (checked in AccountTests); saving a
                // register and the late book follow their pages' rules (checked in RegisterTests).
                for pattern in [
                    "/sign-in", "/sign-out", "/account/password", "/account/tokens", "/account/tokens/:id/revoke",
                    "/registers/:laestab/:group/:date/:session", "/schools/:laestab/late-book",
                    "/api/registers/:laestab/:group/:date/:session", "/schools/:laestab/actions/run",
                    "/users/:id/reset",
                    "/schools/:laestab/office/contact", "/schools/:laestab/office/confirm/:id",
                    "/schools/:laestab/actions/:id/complete", "/schools/:laestab/actions/:id/dismiss",
                    "/schools/:laestab/letters/due", "/schools/:laestab/pupils/:upn/letters",
                    "/schools/:laestab/messages/first-day", "/letters/templates/:kind/:language",
                    "/letters/templates/:kind/:language/preview", "/letters/templates/:kind/:language/reset",
                ] {
                    try await expect("POST", pattern, pattern, allowed: true)
                }
            }
            let routes = Set(
                app.routes.all.map { "\($0.method.rawValue) /" + $0.path.map(\.description).joined(separator: "/") })
            #expect(
                routes == covered,
                "routes without a row: \(routes.subtracting(covered)); rows without a route: \(covered.subtracting(routes))"
            )
        }
    }

    @Test func everyRouteDeclaresAPermission() async throws {
        try await withWebApp { app, _ in
            #expect(app.routes.all.count >= 15)
            for route in app.routes.all {
                #expect(
                    route.rule != nil,
                    "\(route.method) \(route.path.map(\.description).joined(separator: "/")) declares no permission")
            }
        }
    }

    @Test func withoutSignInPagesAskForItAndTheAPIRefuses() async throws {
        try await withWebApp { app, store in
            let pupils = try await Pupils(store: store)
            var browser = Browser(app)
            for path in [
                "/", "/account", "/schools/\(mainSchool)", "/pupils/\(pupils.child)", "/audit?upn=\(pupils.child)",
            ] {
                let response = try await browser.get(path)
                #expect(response.status == .seeOther, "\(path)")
                let location = response.headers.first(name: .location) ?? ""
                #expect(location.hasPrefix("/sign-in?next="), "\(path)")
                #expect(location.removingPercentEncoding == "/sign-in?next=" + path, "\(path)")
            }
            for path in ["/api/pupils/\(pupils.child)/summary", "/api/schools/\(mainSchool)/summary"] {
                let response = try await browser.get(path)
                #expect(response.status == .unauthorized, "\(path)")
                #expect(response.headers.contentType == .json)
            }
            #expect(try await browser.get("/health").status == .ok)
            // Signing in from the redirect comes back to where the user was going.
            try await browser.get(
                "/sign-in?next=" + "/schools/\(mainSchool)".addingPercentEncoding(
                    withAllowedCharacters: .alphanumerics)!)
            let signIn = try await browser.post(
                "/sign-in", ["email": "head@demo.example", "password": "demo-head", "next": "/schools/\(mainSchool)"])
            #expect(signIn.headers.first(name: .location) == "/schools/\(mainSchool)")
            // Another site is never a place to return to.
            #expect(SignInController.safeNext("//evil.example/") == "/")
            #expect(SignInController.safeNext("https://evil.example/") == "/")
        }
    }

    @Test func aGovernorSeesFiguresButNeverANamedPupil() async throws {
        try await withWebApp { app, store in
            var browser = try await Browser.signedIn(app, as: .governor)
            let home = try await browser.get("/").body.string
            #expect(!home.contains("/pupils/"))
            let school = try await browser.get("/schools/\(mainSchool)").body.string
            #expect(school.contains("By form"))
            #expect(!school.contains("/pupils/"))
            let pupils = try await store.schoolReport(
                mainSchool, in: DateRange(testToday.academicYear.firstDay, testToday)!)
            for line in pupils {
                #expect(!school.contains(line.pupil.upn.value) && !home.contains(line.pupil.upn.value))
                #expect(!school.contains(line.pupil.displayName) && !home.contains(line.pupil.displayName))
            }
        }
    }
}
