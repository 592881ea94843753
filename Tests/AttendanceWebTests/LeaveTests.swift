import AttendanceAccounts
import AttendanceCore
import Foundation
import Testing
import VaporTesting

@testable import AttendanceStore
@testable import AttendanceWeb

/// The parents' side and the head's leave decisions, through the API with tokens and through the store: who may
/// ask and decide, the 10-day rule, what a decision writes on the register, and that a refusal writes nothing.
@Suite struct LeaveTests {
    /// A token for a demo account, made as the command makes one (parents are not offered tokens on the page).
    func token(_ store: Store, _ email: String) async throws -> String {
        let user = try #require(try await store.identity.user(email: email))
        let token = "att_" + Secrets.randomToken()
        try await store.identity.createToken(
            userID: user.id, name: "test", tokenHash: Secrets.digest(token), by: AuditActor("cli:test"))
        return token
    }

    func call(_ app: Application, _ method: HTTPMethod, _ path: String, token: String, body: String? = nil)
        async throws -> (HTTPStatus, Any?)
    {
        var headers: HTTPHeaders = ["Authorization": "Bearer \(token)"]
        if body != nil { headers.add(name: .contentType, value: "application/json") }
        let response = try await app.testing().sendRequest(
            method, path, headers: headers, body: body.map { ByteBuffer(string: $0) })
        return (response.status, try? JSONSerialization.jsonObject(with: Data(response.body.string.utf8)))
    }

    /// Three school days after the test's today: Mon 30 Nov, Tue 1 Dec, Wed 2 Dec 2026.
    static let monday = LocalDate(iso: "2026-11-30")!
    static let wednesday = LocalDate(iso: "2026-12-02")!

    @Test func parentsAskTheHeadDecidesAndNoOneElseDoes() async throws {
        try await withWebApp { app, store in
            let parent = try await token(store, "parent@demo.example")
            let head = try await token(store, "head@demo.example")
            let tutor = try await token(store, "tutor@demo.example")
            let child = try #require(try await store.identity.user(email: "parent@demo.example")?.grants.first?.child)
            let roll = try await store.reference.roll(
                of: try await store.reference.requireSchool(mainSchool).id, in: DateRange(testToday, testToday)!)
            let other = try #require(roll.first { $0.pupil.upn != child }).pupil.upn

            // The parent asks for their child: 201 with the school days asked and the days agreed so far.
            let (created, body) = try await call(
                app, .POST, "/api/pupils/\(child)/leave-requests", token: parent,
                body:
                    #"{"from":"2026-11-30","to":"2026-12-02","reason":"A family wedding","exceptional_category":null,"details":""}"#
            )
            #expect(created == .created)
            let request = try #require(body as? [String: Any])
            #expect(request["status"] as? String == "pending" && request["school_days"] as? Int == 3)
            #expect(request["days_agreed_this_year"] as? Int == 0)
            let id = try #require(request["id"] as? Int)

            // Another family's request: the parent can neither read nor decide it.
            let (_, theirs) = try await call(
                app, .POST, "/api/pupils/\(other)/leave-requests", token: head,
                body: #"{"from":"2026-11-30","to":"2026-11-30","reason":"Paper form"}"#)
            let theirID = try #require((theirs as? [String: Any])?["id"] as? Int)
            #expect(try await call(app, .GET, "/api/pupils/\(other)/leave-requests", token: parent).0 == .forbidden)
            let decision = #"{"decision":"agreed","from":"2026-11-30","to":"2026-11-30","reason":"Fine"}"#
            #expect(
                try await call(app, .POST, "/api/leave-requests/\(theirID)/decision", token: parent, body: decision)
                    .0 == .forbidden)
            // Nor can the parent decide their own, nor a form tutor.
            #expect(
                try await call(app, .POST, "/api/leave-requests/\(id)/decision", token: parent, body: decision).0
                    == .forbidden)
            #expect(
                try await call(app, .POST, "/api/leave-requests/\(id)/decision", token: tutor, body: decision).0
                    == .forbidden)
            // Bad input names the field and writes nothing.
            let (bad, problem) = try await call(
                app, .POST, "/api/pupils/\(child)/leave-requests", token: parent,
                body: #"{"from":"2026-13-45","to":"2026-12-02","reason":"x"}"#)
            #expect(bad == .unprocessableEntity)
            #expect(((problem as? [String: Any])?["error"] as? String)?.contains("from") == true)
            #expect(try await store.leave.leaveRequests(of: child).count == 1)

            // Eight school days were agreed earlier this year: three more pass the limit of ten.
            let earlier = try await store.leave.requestLeave(
                for: child, dates: DateRange(LocalDate(iso: "2026-10-12")!, LocalDate(iso: "2026-10-21")!)!,
                reason: "Earlier", category: nil, details: "", siblings: "", today: nil,
                by: AuditActor("parent@demo.example"))
            _ = try await store.leave.decideLeave(
                earlier.id, school: mainSchool, kind: .agreed, agreed: earlier.dates, reason: "Agreed",
                category: nil, limit: 10, by: AuditActor("head@demo.example"))
            #expect(try await store.leave.leaveDaysAgreed(child, school: mainSchool, year: testToday.academicYear) == 8)
            let before = try await store.registers.marks(of: child, in: DateRange(Self.monday, Self.wednesday)!)
            let over = #"{"decision":"agreed","from":"2026-11-30","to":"2026-12-02","reason":"A wedding"}"#
            let (refused, why) = try await call(
                app, .POST, "/api/leave-requests/\(id)/decision", token: head, body: over)
            #expect(refused == .unprocessableEntity)
            #expect(((why as? [String: Any])?["error"] as? String)?.contains("exceptional_category") == true)
            #expect(try await store.leave.leaveRequest(LeaveRequestID(id))?.status == .pending)
            #expect(try await store.registers.marks(of: child, in: DateRange(Self.monday, Self.wednesday)!) == before)

            // Two of the three days agreed: H planned on those two; the third, if the pupil is absent, is G.
            let two = #"{"decision":"agreed","from":"2026-11-30","to":"2026-12-01","reason":"Two days only"}"#
            let (decided, result) = try await call(
                app, .POST, "/api/leave-requests/\(id)/decision", token: head, body: two)
            #expect(decided == .ok)
            #expect((result as? [String: Any])?["status"] as? String == "partly_agreed")
            let marks = try await store.registers.marks(of: child, in: DateRange(Self.monday, Self.wednesday)!)
            #expect(
                marks.filter { $0.mark.session.date <= LocalDate(iso: "2026-12-01")! }.map(\.mark.code) == [
                    "H", "H", "H", "H",
                ])
            #expect(!marks.contains { $0.mark.session.date == Self.wednesday })
            let saved = try await store.leave.applyingLeaveDecisions([
                SchoolMark(
                    school: mainSchool, mark: Mark(upn: child, session: SchoolSession(Self.wednesday, .am), code: "N")),
                SchoolMark(
                    school: mainSchool, mark: Mark(upn: other, session: SchoolSession(Self.wednesday, .am), code: "N")),
            ])
            #expect(saved.map(\.mark.code) == ["G", "N"])
            // Decided once; the decision letter is kept for the parents.
            #expect(
                try await call(app, .POST, "/api/leave-requests/\(id)/decision", token: head, body: two).0
                    == .conflict)
            let letters = try await store.letters.letters(of: child).filter { $0.kind == .holidayDecision }
            #expect(letters.count == 1)
            let audit = try await store.auditTrail.search(AuditQuery(upn: child)).map(\.action)
            #expect(audit.contains("leave.request") && audit.contains("leave.decision"))
        }
    }

    @Test func aReportedAbsenceWaitsForTheHeadOrTheirDelegateToSetTheCode() async throws {
        try await withWebApp { app, store in
            let parent = try await token(store, "parent@demo.example")
            let child = try #require(try await store.identity.user(email: "parent@demo.example")?.grants.first?.child)
            let tomorrow = testToday.adding(days: 1)
            let (status, body) = try await call(
                app, .POST, "/api/pupils/\(child)/absence-reports", token: parent,
                body: #"{"from":"\#(tomorrow.iso)","reason":"illness","note":"A temperature"}"#)
            #expect(status == .created)
            #expect((body as? [String: Any])?["proposed_code"] as? String == "I")
            // Yesterday cannot be reported; nor a reason off the list.
            let (past, _) = try await call(
                app, .POST, "/api/pupils/\(child)/absence-reports", token: parent,
                body: #"{"from":"\#(testToday.adding(days: -1).iso)","reason":"illness"}"#)
            #expect(past == .unprocessableEntity)
            let (odd, _) = try await call(
                app, .POST, "/api/pupils/\(child)/absence-reports", token: parent,
                body: #"{"from":"\#(tomorrow.iso)","reason":"holiday"}"#)
            #expect(odd == .unprocessableEntity)
            let reports = try await store.leave.absenceReports(school: mainSchool, on: tomorrow)
            #expect(reports.count == 1 && reports[0].confirmedBy == nil)
            // Nothing on the register until the head confirms; then I on both sessions, naming the report.
            #expect(try await store.registers.marks(of: child, in: DateRange(tomorrow, tomorrow)!).isEmpty)
            try await store.leave.confirmAbsenceReport(
                reports[0].id, school: mainSchool, code: "I", by: AuditActor("head@demo.example"))
            let marks = try await store.registers.marks(of: child, in: DateRange(tomorrow, tomorrow)!)
            #expect(marks.map(\.mark.code) == ["I", "I"])
            await #expect(throws: StoreError.notPending) {
                try await store.leave.confirmAbsenceReport(
                    reports[0].id, school: mainSchool, code: "I", by: AuditActor("head@demo.example"))
            }
        }
    }

    @Test func aParentKeepsTheirContactDetailsAndTheOfficeSeesWhatChanged() async throws {
        try await withWebApp { app, store in
            let child = try #require(try await store.identity.user(email: "parent@demo.example")?.grants.first?.child)
            var parent = try await Browser.signedIn(app, as: .parent)
            let page = try await parent.get(SiteURL.pupil(child)).body.string
            #expect(page.contains("id=\"my-contact\""))
            let before = try await store.contacts.contacts(of: child)
            // A bad email is refused, naming the field, and nothing is written.
            let bad = try await parent.post(
                SiteURL.contactDetails.path(["upn": child.value]),
                ["mobile": "07700 900123", "email": "not an email", "language": "cy"])
            #expect(bad.status == .unprocessableEntity && bad.body.string.contains("Email"))
            #expect(try await store.contacts.contacts(of: child) == before)
            let saved = try await parent.post(
                SiteURL.contactDetails.path(["upn": child.value]),
                ["mobile": "07700 900123", "email": "rhian@example.org", "address": "1 Stryt Fawr", "language": "cy"])
            #expect(saved.status == .seeOther)
            let mine = try #require(
                try await store.contacts.contacts(of: child).first { $0.email == "rhian@example.org" })
            #expect(mine.mobile == "07700 900123" && mine.language == .cy && mine.address == "1 Stryt Fawr")
            // The office sees who changed what, in words.
            var office = try await Browser.signedIn(app, as: .attendanceAdministrator)
            let day = try await office.get(SiteURL.school(.office, mainSchool)).body.string
            // By the parent's and the child's names, not an email or a UPN (issue 33, point 6).
            let parentName = try #require(try await store.identity.user(email: "parent@demo.example")).displayName
            let childName = try #require(try await store.reference.pupil(child)).pupil.displayName
            #expect(day.contains("contact-changes") && day.contains(", \(childName), \(parentName): "))
            #expect(!day.contains("parent@demo.example") && !day.contains(child.value + ","))
            #expect(day.contains("rhian@example.org"))
            // Staff cannot change a contact here: the school's records come from its MIS.
            var head = try await Browser.signedIn(app, as: .headTeacher)
            let refused = try await head.post(
                SiteURL.contactDetails.path(["upn": child.value]), ["mobile": "07700 900999", "language": "en"])
            #expect(refused.status == .forbidden)
        }
    }

    @Test func anExtendedAbsenceIsFlaggedAndTakesThePupilOffTheRollAndIsNeverAgreed() async throws {
        try await withWebApp { _, store in
            let roll = try await store.reference.roll(
                of: try await store.reference.requireSchool(mainSchool).id, in: DateRange(testToday, testToday)!)
            let (one, two) = (roll[3].pupil.upn, roll[4].pupil.upn)
            let head = AuditActor("head@demo.example")
            let five = DateRange(LocalDate(iso: "2027-01-11")!, LocalDate(iso: "2027-02-12")!)!
            #expect(LeaveRules.isExtended(five))
            #expect(!LeaveRules.isExtended(DateRange(LocalDate(iso: "2027-01-11")!, LocalDate(iso: "2027-02-07")!)!))
            let short = try await store.leave.requestLeave(
                for: one, dates: DateRange(LocalDate(iso: "2027-01-11")!, LocalDate(iso: "2027-01-12")!)!,
                reason: "Short", category: nil, details: "", siblings: "", today: nil, by: head)
            await #expect(throws: StoreError.leave(.notExtended)) {
                _ = try await store.leave.decideLeave(
                    short.id, school: mainSchool, kind: .offRoll, agreed: nil, reason: "No", category: nil,
                    limit: 10, by: head)
            }
            let long = try await store.leave.requestLeave(
                for: one, dates: five, reason: "Abroad", category: nil, details: "", siblings: "", today: nil, by: head)
            let off = try await store.leave.decideLeave(
                long.id, school: mainSchool, kind: .offRoll, agreed: nil, reason: "Over four weeks", category: nil,
                limit: 10, by: head)
            #expect(off.status == .offRoll)
            #expect(try await store.registers.marks(of: one, in: five).isEmpty)
            // "The Head Teacher will remove the child from their school roll if a parent requests … longer than
            // four continuous weeks, including exceptional circumstances": it cannot be agreed, even so.
            let agreed = try await store.leave.requestLeave(
                for: two, dates: five, reason: "Service tour", category: .serviceTour, details: "", siblings: "",
                today: nil, by: head)
            await #expect(throws: StoreError.leave(.extendedCannotBeAgreed)) {
                _ = try await store.leave.decideLeave(
                    agreed.id, school: mainSchool, kind: .agreed, agreed: five, reason: "Exceptional",
                    category: .serviceTour, limit: 10, by: head)
            }
            #expect(try await store.registers.marks(of: two, in: five).isEmpty)
        }
    }

    /// The office and senior managers read the leave queue to prepare the head's decisions (issue 33, point 10):
    /// they see what the head will weigh, with no decision form, and a decision posted by them is refused.
    @Test func theOfficeReadsTheLeaveQueueAndOnlyTheHeadDecides() async throws {
        try await withWebApp { app, store in
            let parent = try #require(try await store.identity.user(email: "parent@demo.example"))
            let child = try #require(parent.grants.first?.child)
            let asked = try await store.leave.requestLeave(
                for: child, dates: DateRange(LocalDate(iso: "2027-01-11")!, LocalDate(iso: "2027-01-13")!)!,
                reason: "Priodas", category: .familyOccasion, details: "", siblings: "", today: nil,
                by: AuditActor("parent@demo.example"))
            let strings = try Strings(directory: WebServer.resources.appendingPathComponent("strings"))
            let queue = SiteURL.school(.leaveQueue, mainSchool)
            for role in [Role.attendanceAdministrator, .seniorManagement] {
                var desk = try await Browser.signedIn(app, as: role)
                let page = try await desk.get(queue)
                #expect(page.status == .ok, "\(role)")
                #expect(page.body.string.contains("leave-\(asked.id)") && !page.body.string.contains("decide-leave"))
                #expect(page.body.string.contains(strings("leave.headDecides", .en)))
                let decision = try await desk.post(
                    SiteURL.school(.decideLeave, mainSchool, id: asked.id),
                    ["decision": "refused", "reason": "Na", "exceptional_category": ""])
                #expect(decision.status == .forbidden, "\(role)")
            }
            var head = try await Browser.signedIn(app, as: .headTeacher)
            #expect(try await head.get(queue).body.string.contains("decide-leave"))
            #expect(try await store.leave.leaveRequest(asked.id)?.status == .pending)
        }
    }

    /// Confirming a parent's report says so, not "Attempt logged." (issue 33, point 5).
    @Test func confirmingAParentsReportSaysWhatItDid() async throws {
        try await withWebApp { app, store in
            let strings = try Strings(directory: WebServer.resources.appendingPathComponent("strings"))
            let child = try #require(try await store.identity.user(email: "parent@demo.example")?.grants.first?.child)
            let report = try await store.leave.reportAbsence(
                for: child, dates: DateRange(day: testToday), part: .whole, reason: .illness, note: "",
                today: testToday, by: AuditActor("parent@demo.example"))
            var head = try await Browser.signedIn(app, as: .headTeacher)
            try await head.get("/schools/\(mainSchool)/office")
            let confirmed = try await head.post(
                "/schools/\(mainSchool)/office/reports/\(report.id)/confirm", ["code": "I"])
            #expect(confirmed.status == .seeOther)
            let next = try #require(confirmed.headers.first(name: .location))
            #expect(next.contains("confirmed=report"))
            let page = try await head.get(next).body.string
            #expect(page.contains(strings("office.reportConfirmed", .en).replacingOccurrences(of: "'", with: "&#39;")))
            #expect(!page.contains(strings("contact.logged", .en)))
        }
    }

    /// The office page lists the coming school days with parents' reports, each linked to its day, and steps to
    /// the school days either side (issue 33, point 2).
    @Test func theOfficeSeesTheComingDaysReports() async throws {
        try await withWebApp { app, store in
            let child = try #require(try await store.identity.user(email: "parent@demo.example")?.grants.first?.child)
            let monday = LocalDate(iso: "2026-11-30")!
            _ = try await store.leave.reportAbsence(
                for: child, dates: DateRange(day: monday), part: .whole, reason: .illness, note: "",
                today: testToday, by: AuditActor("parent@demo.example"))
            let name = try #require(try await store.reference.pupil(child)).pupil.displayName
            var office = try await Browser.signedIn(app, as: .attendanceAdministrator)
            let page = try await office.get(SiteURL.school(.office, mainSchool)).body.string
            #expect(
                page.contains(
                    "<a href=\"/schools/\(mainSchool)/office?date=2026-11-30\">Monday 30 November 2026: \(name)</a>"))
            #expect(page.contains("rel=\"next\">Next school day (Thursday 26 November 2026)</a>"))
            #expect(page.contains("rel=\"prev\">Previous school day (Tuesday 24 November 2026)</a>"))
        }
    }
}
