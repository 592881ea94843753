import AttendanceAccounts
import AttendanceCore
import Foundation
import SQLKit
import Testing
import VaporTesting

@testable import AttendanceStore
@testable import AttendanceWeb

@Suite struct AccountTests {
    @Test func aFailedSignInNeverSaysWhetherTheAccountExists() async throws {
        try await withWebApp { app, store in
            var browser = Browser(app)
            let wrongPassword = try await browser.signIn("head@demo.example", "not-the-password")
            let unknownUser = try await browser.signIn("nobody@demo.example", "not-the-password")
            #expect(wrongPassword.status == .unauthorized && unknownUser.status == .unauthorized)
            func message(_ html: String) -> String? {
                html.range(of: #"<p class="error"[^>]*>[^<]*</p>"#, options: .regularExpression).map {
                    String(html[$0])
                }
            }
            #expect(message(wrongPassword.body.string) != nil)
            #expect(message(wrongPassword.body.string) == message(unknownUser.body.string))
            let failures = try await store.auditTrail.search(AuditQuery()).filter { $0.action == "sign_in_failed" }
            #expect(Set(failures.compactMap(\.subject)) == ["head@demo.example", "nobody@demo.example"])
        }
    }

    @Test func afterFiveFailuresTheAccountWaits() async throws {
        try await withWebApp { app, store in
            var browser = Browser(app)
            for _ in 0..<IdentityRepository.freeAttempts {
                #expect(try await browser.signIn("office@demo.example", "wrong-password").status == .unauthorized)
            }
            let user = try await store.identity.user(email: "office@demo.example")!
            #expect(user.failedAttempts == 5)
            let wait = user.lockedUntil!.timeIntervalSinceNow
            #expect(wait > 50 && wait <= 61)
            // The right password does not open a waiting account, and the message is the same.
            let blocked = try await browser.signIn("office@demo.example", "demo-office")
            #expect(blocked.status == .unauthorized)
            #expect(blocked.body.string.contains("must wait a few minutes"))
            // A failure while waiting does not lengthen the wait; the first failure after it does, doubled.
            try await store.identity.recordFailedSignIn(email: "office@demo.example", actor: AuditActor("test"))
            #expect(try await store.identity.user(email: "office@demo.example")!.lockedUntil == user.lockedUntil)
            let later = user.lockedUntil!.addingTimeInterval(1)
            try await store.identity.recordFailedSignIn(
                email: "office@demo.example", actor: AuditActor("test"), at: later)
            let longer = try await store.identity.user(email: "office@demo.example")!.lockedUntil!.timeIntervalSince(
                later)
            #expect(longer > 110 && longer <= 121)
        }
    }

    @Test func formsWithoutTheirCSRFTokenAreRefused() async throws {
        try await withWebApp { app, _ in
            var browser = Browser(app)
            try await browser.get("/sign-in")
            let forged = try await browser.post(
                "/sign-in", ["email": "head@demo.example", "password": "demo-head"], csrf: false)
            #expect(forged.status == .forbidden)
            #expect(forged.body.string.contains("This form has expired"))
            var signedIn = try await Browser.signedIn(app, as: .headTeacher)
            signedIn.csrf = "wrong"
            #expect(try await signedIn.post("/account/tokens", ["name": "x"]).status == .forbidden)
            signedIn.csrf = "wrong"
            #expect(try await signedIn.post("/sign-out", [:]).status == .forbidden)
            #expect(try await signedIn.get("/").status == .ok)  // still signed in
        }
    }

    @Test func theSessionCookieIsHttpOnlyAndSameSiteAndRotatesAtSignIn() async throws {
        try await withWebApp { app, store in
            // Anonymous requests leave no session behind; signing in starts one.
            for path in ["/health", "/", "/no-such-page", "/api/schools/\(mainSchool)/summary"] {
                let response = try await app.testing().sendRequest(.GET, path)
                #expect(!response.headers[.setCookie].contains { $0.hasPrefix("attendance-session=") }, "\(path)")
            }
            let sessions = try await store.sql.raw("SELECT COUNT(*) AS n FROM web_sessions").first(
                decodingColumn: "n", as: Int.self)
            #expect(sessions == 0)
            var browser = Browser(app)
            // Twenty visits to the sign-in page leave no session row: its form token is a cookie of its own.
            for _ in 0..<20 {
                var visitor = Browser(app)
                try await visitor.get("/sign-in")
            }
            let page = try await browser.get("/sign-in")
            #expect(!page.headers[.setCookie].contains { $0.hasPrefix("attendance-session=") })
            let formCookie = page.headers[.setCookie].first { $0.hasPrefix("attendance-sign-in=") } ?? ""
            #expect(formCookie.contains("HttpOnly") && formCookie.lowercased().contains("samesite=strict"))
            #expect(try await store.identity.sessionRowCount() == 0)
            let signIn = try await browser.post(
                "/sign-in", ["email": "smt@demo.example", "password": "demo-smt", "next": "/"])
            let setCookie = signIn.headers[.setCookie].first { $0.hasPrefix("attendance-session=") } ?? ""
            #expect(setCookie.contains("HttpOnly"))
            #expect(setCookie.lowercased().contains("samesite=lax"))
            #expect(try await browser.get("/").status == .ok)
            // Signing in again gives a new session id; the old one is worth nothing now.
            let before = "attendance-session=" + (browser.cookies["attendance-session"] ?? "")
            try await browser.get("/sign-in")
            // The page's first token is the sign-out form's (the session's); the sign-in form carries its own.
            browser.csrf = try #require(browser.cookies[SignInController.formCookie])
            try await browser.post("/sign-in", ["email": "smt@demo.example", "password": "demo-smt", "next": "/"])
            #expect("attendance-session=" + (browser.cookies["attendance-session"] ?? "") != before)
            let stale = try await app.testing().sendRequest(.GET, "/", headers: ["Cookie": before])
            #expect(stale.status == .seeOther)
            // A sign-in form without the sign-in page's own token is refused.
            var stranger = Browser(app)
            #expect(
                try await stranger.post("/sign-in", ["email": "smt@demo.example", "password": "demo-smt", "next": "/"])
                    .status == .forbidden)
            try await browser.get("/account")
            let out = try await browser.post("/sign-out", [:])
            #expect(out.headers.first(name: .location) == "/sign-in?out=1")
            #expect(try await browser.get("/").status == .seeOther)
        }
    }

    @Test func aTemporaryPasswordMustBeChangedFirst() async throws {
        try await withWebApp { app, store in
            try await store.identity.createUser(
                email: "new.tutor@demo.example", displayName: "New Tutor",
                passwordHash: try testPasswords.hash("temp-1234-abcd"), mustChangePassword: true,
                grants: [RoleGrant(role: .formTutor, school: mainSchool, registrationGroups: ["7A"])],
                by: AuditActor("test")
            )
            var browser = Browser(app)
            let signIn = try await browser.signIn("new.tutor@demo.example", "temp-1234-abcd")
            #expect(signIn.headers.first(name: .location) == "/account/password")
            #expect(try await browser.get("/").headers.first(name: .location) == "/account/password")
            let page = try await browser.get("/account/password")
            #expect(page.body.string.contains("temporary password"))
            let short = try await browser.post(
                "/account/password", ["current": "temp-1234-abcd", "new": "short", "confirm": "short"])
            #expect(short.status == .unprocessableEntity)
            #expect(short.body.string.contains("at least 10 characters"))
            let wrong = try await browser.post(
                "/account/password", ["current": "nope", "new": "a-good-passphrase", "confirm": "a-good-passphrase"])
            #expect(wrong.body.string.contains("current password is not right"))
            let done = try await browser.post(
                "/account/password",
                ["current": "temp-1234-abcd", "new": "a-good-passphrase", "confirm": "a-good-passphrase"])
            #expect(done.status == .seeOther)
            #expect(try await browser.get("/").status == .ok)
            #expect(try await store.identity.user(email: "new.tutor@demo.example")!.mustChangePassword == false)
            let actions = try await store.auditTrail.search(AuditQuery()).map(\.action)
            #expect(actions.contains("user.password_changed") && actions.contains("user.created"))
        }
    }

    @Test func apiTokensAreShownOnceUsableAndRevocable() async throws {
        try await withWebApp { app, store in
            var browser = try await Browser.signedIn(app, as: .headTeacher)
            try await browser.get("/account")
            let made = try await browser.post("/account/tokens", ["name": "MIS sync"])
            let html = made.body.string
            let range = try #require(
                html.range(of: #"att_[A-Za-z0-9_-]+"#, options: .regularExpression), "no token shown")
            let token = String(html[range])
            // Shown once: the account page no longer has it.
            #expect(!(try await browser.get("/account").body.string.contains(token)))
            let pupil = try await store.registers.schoolReport(
                mainSchool, in: DateRange(testToday.academicYear.firstDay, testToday)!)[0]
            let api = try await app.testing().sendRequest(
                .GET, "/api/pupils/\(pupil.pupil.upn)/summary", headers: ["Authorization": "Bearer \(token)"])
            #expect(api.status == .ok)
            let json = try JSONSerialization.jsonObject(with: Data(api.body.string.utf8)) as! [String: Any]
            #expect(json["possible"] as? Int == pupil.summary.possible)
            #expect(json["upn"] as? String == pupil.pupil.upn.value)
            // The token has the head's scope: another school's figures are refused.
            let outside = try await app.testing().sendRequest(
                .GET, "/api/schools/\(otherSchool)/summary", headers: ["Authorization": "Bearer \(token)"])
            #expect(outside.status == .forbidden)
            #expect(outside.headers.contentType == .json)
            // Revoked, it opens nothing.
            let id = try await store.identity.tokens(
                userID: try await store.identity.user(email: "head@demo.example")!.id)[0].id
            try await browser.get("/account")
            #expect(try await browser.post("/account/tokens/\(id)/revoke", [:]).status == .seeOther)
            let revoked = try await app.testing().sendRequest(
                .GET, "/api/schools/\(mainSchool)/summary", headers: ["Authorization": "Bearer \(token)"])
            #expect(revoked.status == .unauthorized)
            // Nobody revokes another user's token.
            var office = try await Browser.signedIn(app, as: .attendanceAdministrator)
            try await office.get("/account")
            #expect(try await office.post("/account/tokens/\(id)/revoke", [:]).status == .notFound)
        }
    }

    @Test func aHeadTeacherResetsAStaffPasswordAndItMustBeChanged() async throws {
        try await withWebApp { app, store in
            var head = try await Browser.signedIn(app, as: .headTeacher)
            let list = try await head.get("/users").body.string
            #expect(list.contains("tutor@demo.example") && list.contains("governor@demo.example"))
            #expect(
                !list.contains("lead@demo.example") && !list.contains("esw@demo.example")
                    && !list.contains("parent@demo.example"))
            let tutor = try await store.identity.user(email: "tutor@demo.example")!
            let reset = try await head.post("/users/\(tutor.id)/reset", [:]).body.string
            let range = reset.range(of: #"[a-z0-9]{4}-[a-z0-9]{4}-[a-z0-9]{4}"#, options: .regularExpression)!
            let password = String(reset[range])
            #expect(try await store.identity.user(email: "tutor@demo.example")!.mustChangePassword)
            var browser = Browser(app)
            #expect(try await browser.signIn("tutor@demo.example", "demo-tutor").status == .unauthorized)
            let signIn = try await browser.signIn("tutor@demo.example", password)
            #expect(signIn.headers.first(name: .location) == "/account/password")
            // Someone with a role at another school is not the head's to reset.
            let esw = try await store.identity.user(email: "esw@demo.example")!
            try await head.get("/users")
            #expect(try await head.post("/users/\(esw.id)/reset", [:]).status == .forbidden)
            #expect(
                try await store.auditTrail.search(AuditQuery()).contains {
                    $0.action == "user.password_reset" && $0.actor == "head@demo.example"
                })
        }
    }
}

extension AccountTests {
    /// The demo parent is one of their child's contacts, and a parent is never offered API tokens; staff are.
    @Test func aParentIsAContactAndHasNoAPITokens() async throws {
        try await withWebApp { app, store in
            let parent = try #require(try await store.identity.user(email: "parent@demo.example"))
            let child = try #require(parent.grants.first?.child)
            #expect(try await store.contacts.contacts(of: child).map(\.name).contains(parent.displayName))
            var browser = try await Browser.signedIn(app, as: .parent)
            let page = try await browser.get("/account").body.string
            #expect(!page.contains("API") && !page.contains("/account/tokens"))
            #expect(try await browser.post("/account/tokens", ["name": "mine"]).status == .forbidden)
            var office = try await Browser.signedIn(app, as: .attendanceAdministrator)
            #expect(try await office.get("/account").body.string.contains("action=\"/account/tokens\""))
            // The office's menu has its daily pages; the parent's does not.
            let menu = try await office.get("/").body.string
            #expect(menu.contains("href=\"/schools/\(mainSchool)/office\"") && menu.contains("/late-book\""))
            #expect(!(try await browser.get("/").body.string.contains("/office\"")))
        }
    }
}

extension AccountTests {
    /// A head teacher adds staff at their school, gives and takes away school roles, and nothing beyond: every
    /// change is in the audit trail; a refused form keeps what was typed and says which field.
    @Test func aHeadAddsStaffAndGivesAndTakesRolesAtTheirSchoolOnly() async throws {
        try await withWebApp { app, store in
            var head = try await Browser.signedIn(app, as: .headTeacher)
            try await head.get("/users")
            let added = try await head.post(
                "/users",
                [
                    "email": "Newtutor@Example.org", "name": "Ms New", "role": "form_tutor",
                    "school": mainSchool.description, "groups": "7A",
                ])
            #expect(added.status == .ok && added.body.string.contains("newtutor@example.org is added"))
            let user = try #require(try await store.identity.user(email: "newtutor@example.org"))
            #expect(user.mustChangePassword && user.grants.map(\.registrationGroups) == [["7A"]])
            let more = try await head.post(
                "/users/\(user.id)/roles",
                ["role": "head_of_year", "school": mainSchool.description, "years": "7, 8"])
            #expect(more.status == .ok)
            #expect(try await store.identity.user(id: user.id)?.grants.count == 2)
            let removed = try await head.post(
                "/users/\(user.id)/roles/remove", ["role": "form_tutor", "school": mainSchool.description, "child": ""])
            #expect(removed.status == .ok)
            #expect(try await store.identity.user(id: user.id)?.grants.map(\.role) == [.headOfYear])
            // The last role stays: the account is deactivated instead.
            let last = try await head.post(
                "/users/\(user.id)/roles/remove",
                ["role": "head_of_year", "school": mainSchool.description, "child": ""])
            #expect(last.status == .forbidden || last.status == .unprocessableEntity)
            #expect(try await store.identity.user(id: user.id)?.grants.count == 1)
            // Not the head's to give: the authority's roles; a role without what it needs is named.
            let lead = try await head.post(
                "/users/\(user.id)/roles", ["role": "education_lead", "school": mainSchool.description])
            #expect(lead.status == .forbidden)
            let noGroups = try await head.post(
                "/users",
                ["email": "x@example.org", "name": "X", "role": "form_tutor", "school": mainSchool.description])
            #expect(noGroups.status == .unprocessableEntity)
            #expect(
                noGroups.body.string.contains("registration group")
                    && noGroups.body.string.contains("value=\"x@example.org\""))
            let actions = try await store.auditTrail.search(AuditQuery()).map(\.action)
            #expect(
                actions.contains("user.created") && actions.contains("user.role_added")
                    && actions.contains("user.role_removed"))
        }
    }
}
