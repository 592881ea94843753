import AttendanceAccounts
import AttendanceCore
import Foundation
import Testing
import VaporTesting

@testable import AttendanceStore
@testable import AttendanceWeb

/// One test per finding of the second attack on the demo server (issue 30); each failed on the code before the fix
/// (the first stopped the test process itself).
@Suite struct HardeningFindingsTests {
    static func token(_ store: Store, _ email: String) async throws -> String {
        let user = try #require(try await store.identity.user(email: email))
        let token = "att_" + Secrets.randomToken()
        try await store.identity.createToken(
            userID: user.id, name: "test", tokenHash: Secrets.digest(token), by: AuditActor("cli:test"))
        return token
    }

    static func api(
        _ app: Application, _ method: HTTPMethod, _ path: String, token: String?, body: String? = nil
    ) async throws -> TestingHTTPResponse {
        var headers: HTTPHeaders = [:]
        if let token { headers.add(name: .authorization, value: "Bearer \(token)") }
        if body != nil { headers.add(name: .contentType, value: "application/json") }
        return try await app.testing().sendRequest(
            method, path, headers: headers, body: body.map { ByteBuffer(string: $0) })
    }

    /// A user of the test's own with these grants, signed in.
    static func person(_ app: Application, _ store: Store, _ email: String, _ grants: [RoleGrant]) async throws
        -> Browser
    {
        try await store.identity.createUser(
            email: email, displayName: "Test \(email)", passwordHash: try testPasswords.hash("test-password"),
            mustChangePassword: false, grants: grants, by: AuditActor("test"))
        var browser = Browser(app)
        #expect(try await browser.signIn(email, "test-password").status == .seeOther)
        try await browser.get("/")
        return browser
    }

    /// A case the office referred today for a main-school pupil, allocated to the demo ESW.
    static func allocatedEswCase(_ store: Store, for upn: UPN) async throws -> EswCase {
        let found = try await store.esw.referToEsw(
            upn, school: mainSchool, source: .school, notes: "Letters unanswered", concerns: "", on: testToday,
            by: AuditActor("office@demo.example"))
        return try await store.esw.allocateEswCase(
            found.id, to: "esw@demo.example", by: AuditActor("lead@demo.example"))
    }

    /// The office's contact log, as the form sends it, for the parent's child.
    static func logContact(_ office: inout Browser, child: UPN, _ extra: [String: String]) async throws
        -> TestingHTTPResponse
    {
        try await office.get("/schools/\(mainSchool)/office")
        return try await office.post(
            "/schools/\(mainSchool)/office/contact",
            ["upn": child.value, "method": "call", "outcome": "reached", "contact": "Mother"].merging(extra) { $1 })
    }

    // 1. A date outside the years the record can hold is a bad request naming the field; the server goes on.
    @Test func aDateOutsideTheRecordsYearsIsABadRequestAndTheServerGoesOn() async throws {
        try await withWebApp { app, store in
            let child = try #require(try await store.identity.user(email: "parent@demo.example")?.grants.first?.child)
            let form = try #require(try await store.identity.user(email: "tutor@demo.example")?.grants.first)
                .registrationGroups[0]
            var governor = try await Browser.signedIn(app, as: .governor)
            var parent = try await Browser.signedIn(app, as: .parent)
            var tutor = try await Browser.signedIn(app, as: .formTutor)
            var office = try await Browser.signedIn(app, as: .attendanceAdministrator)
            let asked: [(String, TestingHTTPResponse)] = [
                ("to", try await governor.get("/api/schools/\(mainSchool)/summary?to=0001-06-30")),
                ("to", try await parent.get("/api/pupils/\(child)/summary?to=0001-06-30")),
                ("to", try await parent.get("/api/pupils/\(child)/marks?from=2026-09-01&to=9999-12-31")),
                ("from", try await parent.get("/api/pupils/\(child)/marks?from=1899-12-31")),
                ("", try await tutor.get("/registers/\(mainSchool)/\(form)/9999-12-31/am")),
                ("date", try await tutor.get("/registers?date=9999-12-31")),
                ("date", try await office.get("/schools/\(mainSchool)/office?date=9999-12-31")),
            ]
            for (field, response) in asked {
                #expect(response.status == .badRequest, "\(response.body.string)")
                #expect(response.body.string.contains("1990"), "the answer says which years are accepted")
                if !field.isEmpty { #expect(response.body.string.contains(field)) }
            }
            #expect(try await governor.get("/health").status == .ok)
            #expect(try await parent.get("/api/pupils/\(child)/summary").status == .ok)
        }
    }

    // 2. The head's request on the day of the warning is refused by the rule, not a crash.
    @Test func aRequestOnTheDayOfTheWarningIsRefusedByTheRule() async throws {
        try await withWebApp { app, store in
            let pupil = try #require(try await onRollToday(store).first)
            let found = try await store.penalties.openPenaltyCase(
                for: pupil.upn, school: mainSchool,
                term: DateRange(LocalDate(iso: "2026-09-01")!, LocalDate(iso: "2026-12-18")!)!,
                criteria: [.unauthorised], counts: ["unauthorised": 12], warnedOn: testToday,
                by: AuditActor("head@demo.example"))
            var head = try await Browser.signedIn(app, as: .headTeacher)
            try await head.get(SiteURL.school(.schoolPenalties, mainSchool))
            let sent = try await head.post(
                SiteURL.school(.requestPenalty, mainSchool, id: found.id),
                ["engagement": "No reply to two letters", "equality": "None known"])
            #expect(sent.status == .unprocessableEntity)
            #expect(try await store.penalties.requirePenaltyCase(found.id).status == .warned)
            #expect(try await head.get("/health").status == .ok)
        }
    }

    // 3. A governor who is also a parent sees counts only, never a named case or a pack.
    @Test func aGovernorWhoIsAlsoAParentSeesNoNamedCaseOrPack() async throws {
        try await withWebApp { app, store in
            let (found, pupil) = try await PenaltyWebTests.warnedCase(store)
            let head = try await store.identity.user(email: "head@demo.example")
            _ = try await store.penalties.requestPenalty(
                found.id, school: mainSchool, engagement: "Unanswered", equality: "None", today: testToday,
                policy: .wrexham2025, by: AuditActor(try #require(head).email)
            ) { pack in PenaltyPackDocument(language: .en, html: "<p>\(pack.pupil.upn)</p>", pdf: nil) }
            let child = try #require(try await store.identity.user(email: "parent@demo.example")?.grants.first?.child)
            var person = try await Self.person(
                app, store, "governor-parent@example.org",
                [RoleGrant(role: .governor, school: mainSchool), RoleGrant(role: .parent, child: child)])
            let page = try await person.get(SiteURL.school(.schoolPenalties, mainSchool))
            #expect(page.status == .ok)
            #expect(!page.body.string.contains(pupil.displayName) && !page.body.string.contains(pupil.upn.value))
            for path in [
                SiteURL.school(.penaltyPack, mainSchool, id: found.id),
                SiteURL.school(.penaltyPackPDF, mainSchool, id: found.id),
                SiteURL.school(.penaltyPackData, mainSchool, id: found.id),
            ] {
                #expect(try await person.get(path).status == .forbidden, "\(path)")
            }
            // Their own child they still see, as a parent.
            #expect(try await person.get(SiteURL.pupil(child)).status == .ok)
        }
    }

    /// A main-school pupil with a request for leave made while on its roll, then moved to the other school (leaving
    /// yesterday), where a second request is made.
    static func movedWithRequests(_ store: Store) async throws -> (UPN, LeaveRequest, LeaveRequest) {
        let upn = try #require(try await onRollToday(store).first { $0.yearGroup == "9" }).upn
        let before = try await store.leave.requestLeave(
            for: upn, dates: DateRange(LocalDate(iso: "2026-11-30")!, LocalDate(iso: "2026-12-01")!)!,
            reason: "A wedding", category: nil, details: "", siblings: "", today: nil, by: AuditActor("parent"))
        try await AttackFindingsTests.move(
            upn, store, leaving: testToday.adding(days: -1), to: otherSchool, group: "9X", year: "9")
        let after = try await store.leave.requestLeave(
            for: upn, dates: DateRange(LocalDate(iso: "2026-12-07")!, LocalDate(iso: "2026-12-08")!)!,
            reason: "A funeral", category: nil, details: "", siblings: "", today: nil, by: AuditActor("parent"))
        #expect(before.school == mainSchool && after.school == otherSchool)
        return (upn, before, after)
    }

    // 4. A former school reads through the API only the requests made to it.
    @Test func aFormerSchoolReadsOnlyItsOwnLeaveRequests() async throws {
        try await withWebApp { app, store in
            let (upn, before, _) = try await Self.movedWithRequests(store)
            let head = try await Self.token(store, "head@demo.example")
            let answer = try await Self.api(app, .GET, "/api/pupils/\(upn)/leave-requests", token: head)
            #expect(answer.status == .ok)
            let list = try #require(
                try JSONSerialization.jsonObject(with: Data(answer.body.string.utf8)) as? [[String: Any]])
            #expect(list.map { $0["id"] as? Int } == [before.id.rawValue])
        }
    }

    // 5. A decision after the pupil left writes nothing on the new school's register and says what happened.
    @Test func aDecisionAfterThePupilLeftWritesOnlyTheDecidingSchoolsDays() async throws {
        try await withWebApp { app, store in
            let (upn, before, _) = try await Self.movedWithRequests(store)
            let head = try await Self.token(store, "head@demo.example")
            let answer = try await Self.api(
                app, .POST, "/api/leave-requests/\(before.id)/decision", token: head,
                body: #"{"decision":"agreed","from":"2026-11-30","to":"2026-12-01","reason":"Family wedding"}"#)
            #expect(answer.status == .ok, "\(answer.body.string)")
            let body = try #require(
                try JSONSerialization.jsonObject(with: Data(answer.body.string.utf8)) as? [String: Any])
            #expect(body["status"] as? String == "agreed")
            #expect(["made", "no_contact", "not_made"].contains(body["letter"] as? String ?? ""))
            let marks = try await store.registers.marks(
                of: upn, in: DateRange(LocalDate(iso: "2026-11-30")!, LocalDate(iso: "2026-12-01")!)!)
            #expect(marks.isEmpty, "marks on the new school's days: \(marks.map(\.mark.code))")
        }
    }

    // 7. A notice issued on an impossible day is refused; nothing is stored and every penalty page still opens.
    @Test func anIssueDateBeyondTodayIsRefusedAndNothingIsStored() async throws {
        try await withWebApp { app, store in
            let (found, _) = try await PenaltyWebTests.warnedCase(store)
            var head = try await Browser.signedIn(app, as: .headTeacher)
            try await head.get(SiteURL.school(.schoolPenalties, mainSchool))
            #expect(
                try await head.post(
                    SiteURL.school(.requestPenalty, mainSchool, id: found.id),
                    ["engagement": "Two letters unanswered", "equality": "None known"]
                ).status == .seeOther)
            var lead = try await Browser.signedIn(app, as: .educationLead)
            try await lead.get(SiteURL.penaltyQueue.path())
            #expect(
                try await lead.post(
                    SiteURL.decidePenalty.path(["id": String(found.id)]),
                    ["decision": "approve", "reason": "Meets the code"]
                ).status == .seeOther)
            for day in ["9999-12-31", "0001-01-01", testToday.adding(days: 1).iso] {
                let issued = try await lead.post(
                    SiteURL.issuePenalty.path(["id": String(found.id)]), ["method": "hand", "issued_on": day])
                #expect(issued.status == .unprocessableEntity, "\(day)")
            }
            let after = try await store.penalties.requirePenaltyCase(found.id)
            #expect(after.status == .approved && after.notices.isEmpty)
            #expect(try await lead.get(SiteURL.penaltyQueue.path()).status == .ok)
            #expect(try await head.get(SiteURL.school(.schoolPenalties, mainSchool)).status == .ok)
        }
    }

    // 8. A head manages only their school's staff: an ESW covering only that school is still the lead's.
    @Test func aHeadCannotResetTheSchoolsEducationSocialWorker() async throws {
        try await withWebApp { app, store in
            var covering = try await Self.person(
                app, store, "covering-esw@example.org", [RoleGrant(role: .educationSocialWorker, school: mainSchool)])
            #expect(try await covering.get(SiteURL.eswCaseload.path()).status == .ok)
            let esw = try #require(try await store.identity.user(email: "covering-esw@example.org"))
            var head = try await Browser.signedIn(app, as: .headTeacher)
            let users = try await head.get("/users")
            #expect(!users.body.string.contains("covering-esw@example.org"))
            for action in ["reset", "revoke-tokens", "deactivate"] {
                #expect(try await head.post("/users/\(esw.id)/\(action)", [:]).status == .forbidden, "\(action)")
            }
            var again = Browser(app)
            #expect(try await again.signIn("covering-esw@example.org", "test-password").status == .seeOther)
            // The school's own staff are still the head's to manage.
            let tutor = try #require(try await store.identity.user(email: "tutor@demo.example"))
            #expect(try await head.post("/users/\(tutor.id)/reset", [:]).status != .forbidden)
        }
    }

    // 9. After a move the former school's ESW keeps the case as history: no new contacts, no new casework.
    @Test func aFormerSchoolsEswKeepsTheCaseAsHistoryOnly() async throws {
        try await withWebApp { app, store in
            let pupil = try #require(try await onRollToday(store).first { $0.yearGroup == "10" })
            let contacts = try await store.contacts.contacts(of: pupil.upn)
            try #require(!contacts.isEmpty)
            let found = try await Self.allocatedEswCase(store, for: pupil.upn)
            try await AttackFindingsTests.move(
                pupil.upn, store, leaving: testToday.adding(days: -1), to: otherSchool, group: "10X", year: "10")
            var esw = try await Browser.signedIn(app, as: .educationSocialWorker)
            let page = try await esw.get(SiteURL.school(.eswCase, mainSchool, id: found.id))
            #expect(page.status == .ok)
            for contact in contacts { #expect(!page.body.string.contains(contact.name), "\(contact.name)") }
            let logged = try await esw.post(
                SiteURL.school(.logEsw, mainSchool, id: found.id),
                ["kind": "home_visit", "on": testToday.iso, "with": "Mother", "outcome": "Spoke at the door"])
            #expect(logged.status == .conflict)
            #expect(try await store.esw.requireEswCase(found.id).events.count == found.events.count)  // nothing logged
        }
    }

    // 10. The API keeps the forms' limits: a long reason or a NUL byte is refused naming the field.
    @Test func theAPIAndTheOfficeKeepTheFormsLimits() async throws {
        try await withWebApp { app, store in
            let child = try #require(try await store.identity.user(email: "parent@demo.example")?.grants.first?.child)
            let parent = try await Self.token(store, "parent@demo.example")
            let long = String(repeating: "a", count: 15_000)
            let answer = try await Self.api(
                app, .POST, "/api/pupils/\(child)/leave-requests", token: parent,
                body: #"{"from":"2026-11-30","to":"2026-12-01","reason":"\#(long)"}"#)
            #expect(answer.status == .unprocessableEntity)
            #expect(answer.body.string.contains("reason"))
            #expect(try await store.leave.leaveRequests(of: child).isEmpty)
            var office = try await Browser.signedIn(app, as: .attendanceAdministrator)
            // A NUL byte is refused in any field of any form or body; another control character by the field.
            let nul = try await Self.logContact(&office, child: child, ["notes": "Called\u{0}back"])
            #expect(nul.status == .unprocessableEntity)
            let logged = try await Self.logContact(&office, child: child, ["notes": "Called\u{1}back"])
            #expect(logged.status == .unprocessableEntity)
            #expect(logged.body.string.contains("notes"))
            let json = try await Self.api(
                app, .POST, "/api/pupils/\(child)/leave-requests", token: parent,
                body: #"{"from":"2026-11-30","to":"2026-12-01","reason":"A\u0000wedding"}"#)
            #expect(json.status == .unprocessableEntity)
            #expect(try await store.leave.leaveRequests(of: child).isEmpty)
            let school = try await store.reference.requireSchool(mainSchool)
            #expect(try await store.procedure.contactAttempts(schoolID: school.id, on: testToday).isEmpty)
        }
    }

    // 11. Dates in forms are bounded: a contact, an ESW log, a patrol entry, medical evidence.
    @Test func formDatesOutsideTheRecordsYearsAreRefused() async throws {
        try await withWebApp { app, store in
            let child = try #require(try await store.identity.user(email: "parent@demo.example")?.grants.first?.child)
            var office = try await Browser.signedIn(app, as: .attendanceAdministrator)
            let contact = try await Self.logContact(&office, child: child, ["date": "0001-01-01"])
            #expect(contact.status == .unprocessableEntity)
            let evidence = try await office.post(
                SiteURL.schoolPupil(.medicalEvidence, mainSchool, child),
                ["from": "0001-01-01", "to": "9999-12-31", "seen_on": testToday.iso, "kind": "letter"])
            #expect(evidence.status == .unprocessableEntity)
            var patrol = try await Browser.signedIn(app, as: .patrol)
            try await patrol.get("/patrols")
            let seen = try await patrol.post(
                "/patrols",
                [
                    "seen_on": "0001-01-01", "seen_at": "10:00", "place": "Park", "name": "A child", "reason": "None",
                    "taken_to": "School",
                ])
            #expect(seen.status == .unprocessableEntity)
            let pupil = try #require(try await onRollToday(store).first)
            let found = try await Self.allocatedEswCase(store, for: pupil.upn)
            var esw = try await Browser.signedIn(app, as: .educationSocialWorker)
            try await esw.get(SiteURL.school(.eswCase, mainSchool, id: found.id))
            let logged = try await esw.post(
                SiteURL.school(.logEsw, mainSchool, id: found.id),
                [
                    "kind": "home_visit", "on": "0001-01-01", "with": "Mother", "outcome": "Spoke",
                    "next_step": "Visit again", "next_step_on": "9999-12-31",
                ])
            #expect(logged.status == .unprocessableEntity)
            #expect(try await store.medical.medicalEvidence(of: child).isEmpty)
        }
    }

    // 12. An API call with no token is 401, as documented, before any form check.
    @Test func anAPICallWithoutATokenIsUnauthorised() async throws {
        try await withWebApp { app, store in
            let child = try #require(try await store.identity.user(email: "parent@demo.example")?.grants.first?.child)
            for (method, path) in [
                (HTTPMethod.POST, "/api/pupils/\(child)/leave-requests"),
                (.POST, "/api/pupils/\(child)/absence-reports"), (.POST, "/api/leave-requests/1/decision"),
                (.POST, "/api/registers/\(mainSchool)/7A/\(testToday)/AM"),
            ] {
                let answer = try await Self.api(app, method, path, token: nil, body: "{}")
                #expect(answer.status == .unauthorized, "\(path)")
                #expect(answer.headers.contentType == .json)
            }
        }
    }
}
