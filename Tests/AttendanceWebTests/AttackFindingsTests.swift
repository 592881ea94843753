import AttendanceAccounts
import AttendanceCore
import AttendanceInterop
import Foundation
import Testing
import VaporTesting

@testable import AttendanceStore
@testable import AttendanceWeb

/// One test per finding of the attack on the demo server (issue 11); each failed on the code before the fix.
@Suite struct AttackFindingsTests {
    /// The main school's pupils in a year group, on roll today.
    static func pupils(_ store: Store, year: String) async throws -> [UPN] {
        try await store.reference.roll(
            of: try await store.reference.requireSchool(mainSchool).id, in: DateRange(testToday, testToday)!
        )
        .filter { $0.pupil.yearGroup == year }.map(\.pupil.upn)
    }

    /// Moves a main-school pupil to another school: they leave on `leaving` and join the next day, in `group`.
    static func move(_ upn: UPN, _ store: Store, leaving: LocalDate, to school: LAESTAB, group: String, year: String)
        async throws
    {
        let stored = try #require(try await store.reference.pupil(upn))
        let enrolment = try #require(stored.enrolments.last)
        try await store.reference.importPupils(
            [
                Numbered(
                    line: 2,
                    value: .init(
                        pupil: stored.pupil, onRollFrom: enrolment.onRollFrom, onRollTo: leaving,
                        leavingReason: RemovalGround.admittedElsewhere.rawValue, newSchool: school))
            ], school: enrolment.school)
        var pupil = stored.pupil
        pupil.yearGroup = year
        pupil.registrationGroup = group
        try await store.reference.importPupils(
            [
                Numbered(
                    line: 2,
                    value: .init(pupil: pupil, onRollFrom: leaving.adding(days: 1), onRollTo: nil, leavingReason: nil))
            ],
            school: school)
    }

    // 1. A head of year's batch holds only their years, and closes nothing else.
    @Test func aHeadOfYearProducesOnlyTheirYearsLetters() async throws {
        try await withWebApp { app, store in
            try await store.procedure.runProcedure(policy: .wrexham2025, asOf: testToday, dryRun: false)
            let school = try await store.reference.requireSchool(mainSchool)
            let before = try await store.procedure.actions(schoolID: school.id)
            let outside = before.filter {
                !["7", "8"].contains($0.pupil.yearGroup) && LetterKind(action: $0.action) != nil
            }
            try #require(!outside.isEmpty, "the demo has letters due outside years 7 and 8")
            var hoy = try await Browser.signedIn(app, as: .headOfYear)
            try await hoy.get("/schools/\(mainSchool)/actions")
            let location = try await hoy.produceDueLetters()
            let batch = String(location.split(separator: "/").last!.split(separator: "?").first!)
            let letters = try await store.letters.letters(batch: batch, school: mainSchool)
            for letter in letters {
                let year = try #require(try await store.reference.pupil(letter.upn)).pupil.yearGroup
                #expect(["7", "8"].contains(year), "a letter for year \(year)")
            }
            let stillPending = Set(try await store.procedure.actions(schoolID: school.id).map(\.id))
            #expect(outside.allSatisfy { stillPending.contains($0.id) }, "an action outside years 7–8 was closed")
        }
    }

    // 2. A batch page shows only what the reader may open; its PDF only to someone who may open every letter.
    @Test func aBatchShowsAHeadOfYearOnlyTheirYearsAndItsPDFIsRefusedThem() async throws {
        try await withWebApp { app, store in
            try await store.procedure.runProcedure(policy: .wrexham2025, asOf: testToday, dryRun: false)
            var office = try await Browser.signedIn(app, as: .attendanceAdministrator)
            try await office.get("/schools/\(mainSchool)/actions")
            let location = try await office.produceDueLetters()
            let path = String(location.split(separator: "?")[0])
            let batch = String(path.split(separator: "/").last!)
            let letters = try await store.letters.letters(batch: batch, school: mainSchool)
            var years: [UPN: String] = [:]
            for letter in letters { years[letter.upn] = try await store.reference.pupil(letter.upn)?.pupil.yearGroup }
            let theirs = letters.filter { ["7", "8"].contains(years[$0.upn] ?? "") }
            let others = letters.filter { !["7", "8"].contains(years[$0.upn] ?? "") }
            try #require(!others.isEmpty)
            var hoy = try await Browser.signedIn(app, as: .headOfYear)
            let page = try await hoy.get(path)
            #expect(page.status == .ok)
            for letter in others {
                #expect(!page.body.string.contains("/letters/\(letter.id)\""), "letter \(letter.id) shown")
                #expect(!page.body.string.contains(letter.upn.value))
            }
            for letter in theirs { #expect(page.body.string.contains("/letters/\(letter.id)\"")) }
            #expect(!page.body.string.contains(path + "/pdf"))
            #expect(
                try await hoy.get(path + "/pdf").status == (letters.contains { $0.pdf != nil } ? .forbidden : .notFound)
            )
            if letters.contains(where: { $0.pdf != nil }) {
                #expect(try await office.get(path + "/pdf").status == .ok)
            }
        }
    }

    // 4. A reset or a change of password ends every other session and token; an administrator revokes tokens
    // and deactivates a user at once.
    @Test func aPasswordResetOrChangeEndsOtherSessionsAndTokensAndDeactivationEndsEverything() async throws {
        try await withWebApp { app, store in
            let tutor = try #require(try await store.identity.user(email: "tutor@demo.example"))
            var laptop = try await Browser.signedIn(app, as: .formTutor)
            var tablet = try await Browser.signedIn(app, as: .formTutor)
            try await store.identity.createToken(
                userID: tutor.id, name: "script", tokenHash: Secrets.digest("att_one"), by: AuditActor("t"))
            let api = { (token: String) async throws -> HTTPStatus in
                try await app.testing().sendRequest(
                    .GET, "/api/schools/\(mainSchool)/summary", headers: ["Authorization": "Bearer \(token)"]
                ).status
            }
            #expect(try await api("att_one") == .ok)
            // The tutor changes their own password on the laptop: the tablet and the token end, the laptop stays.
            try await laptop.get("/account/password")
            let changed = try await laptop.post(
                "/account/password",
                ["current": "demo-tutor", "new": "a-new-long-secret", "confirm": "a-new-long-secret"])
            #expect(changed.status == .seeOther)
            #expect(try await laptop.get("/").status == .ok)
            #expect(try await tablet.get("/").status == .seeOther)
            #expect(try await api("att_one") == .unauthorized)
            // The head resets it: the laptop ends too.
            try await store.identity.createToken(
                userID: tutor.id, name: "two", tokenHash: Secrets.digest("att_two"), by: AuditActor("t"))
            var head = try await Browser.signedIn(app, as: .headTeacher)
            try await head.get("/users")
            #expect(try await head.post("/users/\(tutor.id)/reset", [:]).status == .ok)
            #expect(try await laptop.get("/").status == .seeOther)
            #expect(try await api("att_two") == .unauthorized)
            #expect(try await store.identity.sessionCount(userID: tutor.id) == 0)
            // An administrator revokes tokens without touching the password.
            try await store.identity.createToken(
                userID: tutor.id, name: "three", tokenHash: Secrets.digest("att_three"), by: AuditActor("t"))
            #expect(try await api("att_three") == .ok)
            try await head.get("/users")
            #expect(try await head.post("/users/\(tutor.id)/revoke-tokens", [:]).status == .ok)
            #expect(try await api("att_three") == .unauthorized)
            // Deactivating ends sessions and tokens at once and keeps the door shut, even with the right password.
            let office = try #require(try await store.identity.user(email: "office@demo.example"))
            var desk = try await Browser.signedIn(app, as: .attendanceAdministrator)
            try await store.identity.createToken(
                userID: office.id, name: "four", tokenHash: Secrets.digest("att_four"), by: AuditActor("t"))
            try await head.get("/users")
            #expect(try await head.post("/users/\(office.id)/deactivate", [:]).status == .ok)
            #expect(try await desk.get("/").status == .seeOther)
            #expect(try await api("att_four") == .unauthorized)
            var again = Browser(app)
            #expect(try await again.signIn("office@demo.example", "demo-office").status == .unauthorized)
            // A governor may do none of this.
            var governor = try await Browser.signedIn(app, as: .governor)
            #expect(try await governor.post("/users/\(tutor.id)/deactivate", [:]).status == .forbidden)
            let trail = try await store.auditTrail.search(AuditQuery()).map(\.action)
            #expect(trail.contains("user.deactivated") && trail.contains("token.revoked_all"))
        }
    }

    // 5. A former school reads only its own time with the pupil, and acts on nothing.
    @Test func aSchoolThePupilLeftSeesOnlyItsOwnRecordReadOnly() async throws {
        try await withWebApp { app, store in
            let upn = try #require(try await Self.pupils(store, year: "9").first)
            let tutorForm = try await store.identity.user(email: "tutor@demo.example")!.grants[0].registrationGroups[0]
            let leaving = LocalDate(iso: "2026-11-06")!
            try await store.contacts.importContacts([
                Numbered(
                    line: 2,
                    value: .init(
                        upn: upn,
                        contact: Contact(
                            name: "New School Contact", relationship: "carer", parentalResponsibility: true,
                            priority: 9, phone: "01978 999999")))
            ])
            try await Self.move(upn, store, leaving: leaving, to: otherSchool, group: tutorForm, year: "7")
            var head = try await Browser.signedIn(app, as: .headTeacher)
            let page = try await head.get("/pupils/\(upn)")
            #expect(page.status == .ok)
            let html = page.body.string
            #expect(html.contains("Left"))
            #expect(!html.contains("New School Contact") && !html.contains("01978 999999"))
            #expect(!html.contains("produce-letter"))
            for day in ["2026-11-09", "2026-11-20", "2026-11-25"] {
                #expect(!html.contains(">\(day)<"), "\(day) shown")
            }
            let summary = try await head.get("/api/pupils/\(upn)/summary")
            #expect(summary.status == .ok)
            #expect(summary.body.string.contains("\"to\":\"2026-11-06\""))
            #expect(try await head.get("/api/pupils/\(upn)/marks?from=2026-11-09").status == .forbidden)
            // Acting for the pupil is the new school's: no letters, no contact log.
            let letter = try await head.post(
                "/schools/\(mainSchool)/pupils/\(upn)/letters", ["kind": "certificate"])
            #expect(letter.status == .forbidden)
            try await head.get("/schools/\(mainSchool)/office")
            let contact = try await head.post(
                "/schools/\(mainSchool)/office/contact",
                ["upn": upn.value, "method": "call", "contact": "x", "outcome": "reached"])
            #expect(contact.status == .forbidden)
            // The tutor of a form with the same name at the old school is nobody's tutor here.
            var tutor = try await Browser.signedIn(app, as: .formTutor)
            #expect(try await tutor.get("/pupils/\(upn)").status == .forbidden)
            // The authority sees the whole record.
            var lead = try await Browser.signedIn(app, as: .educationLead)
            #expect(try await lead.get("/pupils/\(upn)").body.string.contains("New School Contact"))
        }
    }

    // 6. Exports never carry a live formula.
    @Test func theAuditExportWritesAFormulaAsText() async throws {
        try await withWebApp { app, store in
            var stranger = Browser(app)
            try await stranger.signIn("=HYPERLINK(\"http://evil.example\",\"x\")", "nope")
            var lead = try await Browser.signedIn(app, as: .educationLead)
            let csv = try await lead.get("/audit.csv").body.string
            #expect(csv.contains("'=hyperlink("))
            #expect(!csv.contains(",=hyperlink(") && !csv.contains("\"=hyperlink("))
        }
    }

    // 7. No marks for a session that has not begun (planned codes aside), and each half keeps its own present mark.
    @Test func aRegisterAheadOrTheOtherHalfsPresentMarkIsRefused() async throws {
        try await withWebApp { app, store in
            let tutorForm = try await store.identity.user(email: "tutor@demo.example")!.grants[0].registrationGroups[0]
            let head = try #require(try await store.identity.user(email: "head@demo.example"))
            try await store.identity.createToken(
                userID: head.id, name: "t", tokenHash: Secrets.digest("att_head"), by: AuditActor("t"))
            let school = try await store.reference.requireSchool(mainSchool)
            let calendar = try await store.reference.calendar(for: school.school)
            var ahead = testToday.adding(days: 7)
            while !calendar.isSchoolDay(ahead) { ahead = ahead.adding(days: 1) }
            let lines = try await store.registers.registerLines(
                schoolID: school.id, group: tutorForm, session: SchoolSession(ahead, .am))
            let upn = try #require(lines.first).pupil.upn.value
            func save(_ date: LocalDate, _ half: String, _ code: String) async throws -> TestingHTTPResponse {
                try await app.testing().sendRequest(
                    .POST, "/api/registers/\(mainSchool)/\(tutorForm)/\(date)/\(half)",
                    headers: ["Authorization": "Bearer att_head", "Content-Type": "application/json"],
                    body: ByteBuffer(string: #"{"marks":[{"upn":"\#(upn)","code":"\#(code)"}]}"#))
            }
            let early = try await save(ahead, "AM", "/")
            #expect(early.status == .unprocessableEntity)
            #expect(early.body.string.contains("\(ahead) AM"))
            #expect(try await save(ahead, "AM", "H").status == .ok)  // an agreed holiday, entered ahead
            var today = testToday
            while !calendar.isSchoolDay(today) { today = today.adding(days: -1) }
            let wrong = try await save(today, "PM", "/")
            #expect(wrong.status == .unprocessableEntity)
            #expect(try await save(today, "AM", "\\\\").status == .unprocessableEntity)
            // Two marks for one pupil in one save are named, not merged.
            let twice = try await app.testing().sendRequest(
                .POST, "/api/registers/\(mainSchool)/\(tutorForm)/\(today)/AM",
                headers: ["Authorization": "Bearer att_head", "Content-Type": "application/json"],
                body: ByteBuffer(string: #"{"marks":[{"upn":"\#(upn)","code":"N"},{"upn":"\#(upn)","code":"/"}]}"#))
            #expect(twice.status == .unprocessableEntity)
            #expect(twice.body.string.contains("twice"))
        }
    }

    // 8. Bad input is a 4xx with a message, and the log names the route, never the path.
    @Test func anUnknownProposedCodeAndAVeryLongPathAreClientErrors() async throws {
        try await withWebApp { app, store in
            let upn = try #require(try await Self.pupils(store, year: "9").first)
            var office = try await Browser.signedIn(app, as: .attendanceAdministrator)
            try await office.get("/schools/\(mainSchool)/office")
            let bad = try await office.post(
                "/schools/\(mainSchool)/office/contact",
                ["upn": upn.value, "method": "call", "contact": "x", "outcome": "reached", "code": "ZZ"])
            #expect(bad.status == .unprocessableEntity)
            #expect(bad.body.string.contains("ZZ"))
            for path in ["/" + String(repeating: "a", count: 300), "/pupils/" + String(repeating: "B", count: 400)] {
                let response = try await app.testing().sendRequest(.GET, path)
                #expect(response.status.code < 500, "\(path.prefix(20))… was \(response.status)")
            }
            #expect(
                PageErrorMiddleware.pattern(of: Request(application: app, on: app.eventLoopGroup.next()))
                    == "(no route)")
        }
    }

    // 9. After sign-in, only a page of this site.
    @Test(arguments: [
        ("/%09/evil.example/", "/"), ("/\t/evil.example/", "/"), ("//evil.example", "/"), ("/\\evil.example", "/"),
        ("https://evil.example/", "/"), ("/ /evil.example", "/"), ("/no-such-page", "/"),
        ("/schools/6654001", "/schools/6654001"), ("/audit?upn=x", "/audit?upn=x"), ("/", "/"),
    ])
    func signingInReturnsOnlyToAKnownPage(next: String, expected: String) async throws {
        try await withWebApp { app, _ in
            let decoded = next.removingPercentEncoding ?? next
            #expect(SignInController.safeNext(decoded, routes: app.routes) == expected, "\(next)")
            var browser = Browser(app)
            let page = try await browser.get(
                "/sign-in?next=" + (next.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? ""))
            #expect(page.body.string.contains("name=\"next\" value=\"\(expected)\""), "\(next)")
        }
    }

    // 10. Hand-made letters and logged contacts are checked field by field before anything is kept.
    @Test func aLetterOrContactWithABadFieldIsRefusedNamingIt() async throws {
        try await withWebApp { app, store in
            let upn = try #require(try await Self.pupils(store, year: "9").first)
            var head = try await Browser.signedIn(app, as: .headTeacher)
            for (field, value, words) in [
                ("meeting_date", "garbage", "Meeting date"), ("meeting_time", "25:99", "time"),
                ("meeting_place", String(repeating: "x", count: 5000), "200"),
            ] {
                try await head.get("/pupils/\(upn)")
                var form = [
                    "kind": "meeting_invitation", "meeting_date": "2026-12-01", "meeting_time": "09:30",
                    "meeting_place": "Hall",
                ]
                form[field] = value
                let response = try await head.post("/schools/\(mainSchool)/pupils/\(upn)/letters", form)
                #expect(response.status == .unprocessableEntity, "\(field)")
                #expect(response.body.string.contains(words), "\(field)")
            }
            #expect(try await store.letters.letters(of: upn).isEmpty)
            try await head.get("/schools/\(mainSchool)/office")
            let contact = try await head.post(
                "/schools/\(mainSchool)/office/contact?date=garbage",
                ["upn": upn.value, "method": "call", "contact": "x", "outcome": "reached"])
            #expect(contact.status == .unprocessableEntity)
            #expect(contact.body.string.contains("date"))
        }
    }

    // 11. Locked accounts stay locked only as long as they should; one address is limited however many accounts
    // it tries; HTTPS sites are told to stay HTTPS.
    @Test func aLockDoesNotGrowWhileLockedAndOneAddressIsLimited() async throws {
        try await withWebApp { app, store in
            var browser = Browser(app)
            for _ in 0..<5 { try await browser.signIn("smt@demo.example", "wrong") }
            let locked = try #require(try await store.identity.user(email: "smt@demo.example")?.lockedUntil)
            for _ in 0..<5 { try await browser.signIn("smt@demo.example", "wrong") }
            let still = try #require(try await store.identity.user(email: "smt@demo.example"))
            #expect(still.lockedUntil == locked)
            #expect(still.failedAttempts == 5)
            // Twenty failures from one address, across accounts, and the twenty-first try waits.
            for index in 0..<10 { try await browser.signIn("nobody\(index)@demo.example", "wrong") }
            let limited = try await browser.signIn("head@demo.example", "demo-head")
            #expect(limited.status == .tooManyRequests)
            #expect(limited.body.string.contains("Too many failed sign-ins"))
        }
        try await withWebApp { app, _ in
            let plain = try await app.testing().sendRequest(.GET, "/health")
            #expect(plain.headers.first(name: "Strict-Transport-Security") == nil)
        }
    }

    @Test func secureCookiesBringStrictTransportSecurity() async throws {
        var logger = Logger(label: "test")
        logger.logLevel = .critical
        let store = try Store(location: .sqliteMemory, logger: logger)
        try await store.migrate()
        do {
            try await withApp(configure: { app in
                app.logger.logLevel = .critical
                try await WebServer.configure(
                    app, store: store, configuration: WebConfiguration(today: testToday, secureCookies: true))
            }) { app in
                let response = try await app.testing().sendRequest(.GET, "/sign-in")
                #expect(response.headers.first(name: "Strict-Transport-Security")?.contains("max-age=31536000") == true)
                #expect(response.headers[.setCookie].allSatisfy { $0.contains("Secure") })
            }
        } catch {
            await store.shutdown()
            throw error
        }
        await store.shutdown()
    }
}
