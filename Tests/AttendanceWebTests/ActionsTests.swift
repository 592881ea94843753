import AttendanceCore
import AttendanceLetters
import Foundation
import SQLKit
import Testing
import VaporTesting

@testable import AttendanceStore
@testable import AttendanceWeb

@Suite struct ActionsTests {
    /// Makes the parent's child (Year 7, the tutor's form) absent for 22 sessions, then runs the procedure.
    func prepare(_ store: Store) async throws -> UPN {
        let child = try await store.identity.user(email: "parent@demo.example")!.grants[0].child!
        let pupil = try await store.reference.requirePupil(child)
        let school = try await store.reference.requireSchool(mainSchool)
        let calendar = try await store.reference.calendar(for: school.school)
        let sessions = calendar.sessions(in: DateRange(LocalDate(iso: "2026-09-14")!, testToday.adding(days: -1))!)
            .prefix(22)
        try await store.registers.writeMarks(
            sessions.map {
                MarkEntry(pupilID: pupil.id, schoolID: school.id, mark: Mark(upn: child, session: $0, code: "I"))
            },
            by: AuditActor("head@demo.example"), reason: "test: illness")
        try await store.procedure.runProcedure(policy: .wrexham2025, asOf: testToday, dryRun: false)
        return child
    }

    /// A fresh system shows work: a server whose last run is older than the day the run last fell due runs it at
    /// start, as of that school day, once; the actions page says when it last ran.
    @Test func aServerStartingAfterAMissedRunCatchesUpOnce() async throws {
        try await withWebApp { app, store in
            var head = try await Browser.signedIn(app, as: .headTeacher)
            let before = try await head.get(SiteURL.school(.actions, mainSchool)).body.string
            #expect(before.contains("The procedure has not run for this school yet."))
            #expect(before.contains("Nothing is due."))
            let nineAM = try #require(TimeOfDay(hour: 9, minute: 0)),
                sixPM = try #require(TimeOfDay(hour: 18, minute: 0))
            // Wednesday morning, before the day's run: the last run fell due on Tuesday. Two servers starting
            // together record each action once.
            async let first = ProcedureSchedule.catchUp(
                store: store, policy: .wrexham2025, now: (testToday, nineAM), runAt: sixPM)
            async let second = ProcedureSchedule.catchUp(
                store: store, policy: .wrexham2025, now: (testToday, nineAM), runAt: sixPM)
            let (a, b) = try await (first, second)
            #expect(a.recorded + b.recorded > 0)
            let tuesday = try #require(LocalDate(iso: "2026-11-24"))
            #expect(Set(try await store.procedure.lastRuns().values) == [tuesday])
            let rows = try await store.sql.raw(
                "SELECT COUNT(*) AS n, COUNT(DISTINCT pupil_id || ' ' || key) AS k FROM procedure_actions"
            ).first()
            let (n, k) = (try rows?.decode(column: "n", as: Int.self), try rows?.decode(column: "k", as: Int.self))
            #expect(n == k && (n ?? 0) > 0)
            let after = try await head.get(SiteURL.school(.actions, mainSchool)).body.string
            #expect(after.contains("The procedure last ran for Tuesday 24 November 2026."))
            #expect(!after.contains("Nothing is due."))
            // Up to date: a second start records nothing.
            let again = try await ProcedureSchedule.catchUp(
                store: store, policy: .wrexham2025, now: (testToday, nineAM), runAt: sixPM)
            #expect(again.recorded == 0 && again.lines.isEmpty)
            // After six on Wednesday the run fell due today; on Sunday, the last school day is Friday.
            _ = try await ProcedureSchedule.catchUp(
                store: store, policy: .wrexham2025, now: (testToday, try #require(TimeOfDay(hour: 19, minute: 0))),
                runAt: sixPM)
            #expect(Set(try await store.procedure.lastRuns().values) == [testToday])
            _ = try await ProcedureSchedule.catchUp(
                store: store, policy: .wrexham2025, now: (try #require(LocalDate(iso: "2026-11-29")), nineAM),
                runAt: sixPM)
            #expect(Set(try await store.procedure.lastRuns().values) == [try #require(LocalDate(iso: "2026-11-27"))])
        }
    }

    @Test func aHeadOfYearMakesTodaysCallAndItMovesToTheTimeline() async throws {
        try await withWebApp { app, store in
            let child = try await prepare(store)
            var hoy = try await Browser.signedIn(app, as: .headOfYear)
            #expect(try await hoy.get("/").body.string.contains("/schools/\(mainSchool)/actions"))
            let queue = try await hoy.get("/schools/\(mainSchool)/actions?action=phone_call").body.string
            #expect(queue.contains("Phone the parent or carer"))
            #expect(queue.contains("/pupils/\(child)"))
            // Only the head of year's years are in their queue.
            let items = try await store.procedure.actions(
                schoolID: try await store.reference.requireSchool(mainSchool).id)
            for item in items where !["7", "8"].contains(item.pupil.yearGroup) {
                #expect(!queue.contains("/pupils/\(item.pupil.upn)"))
            }
            let call = items.first { $0.action == .phoneCall && $0.pupil.upn == child }!
            #expect(call.count >= 22 && call.sessions.count == 22)
            #expect(queue.contains("Outcome of the call"))
            let noOutcome = try await hoy.post(
                "/schools/\(mainSchool)/actions/\(call.id)/complete", ["note": "Spoke to mother: flu, back Monday"])
            #expect(noOutcome.status == .unprocessableEntity)
            // Whom to ring is beside the call: the parents' numbers, as links, and the language they speak.
            let parent = try #require(try await store.contacts.contacts(of: child).min { $0.priority < $1.priority })
            let number = try #require(parent.mobile ?? parent.phone)
            #expect(queue.contains("Whom to call"))
            #expect(queue.contains(">\(number)</a>") && queue.contains("href=\"tel:"))
            // The call is saved from the filtered list, and the list comes back filtered.
            let filtered = try await hoy.get("/schools/\(mainSchool)/actions?action=phone_call&year=7").body.string
            #expect(filtered.contains("/actions/\(call.id)/complete?action=phone_call&amp;year=7"))
            let done = try await hoy.post(
                "/schools/\(mainSchool)/actions/\(call.id)/complete?action=phone_call&year=7",
                ["note": "Spoke to mother: flu, back Monday", "outcome": "spoke"])
            #expect(done.status == .seeOther)
            #expect(
                done.headers.first(name: .location)
                    == "/schools/\(mainSchool)/actions?action=phone_call&year=7&saved=1")
            let after = try await hoy.get("/schools/\(mainSchool)/actions?action=phone_call").body.string
            #expect(!after.contains("id=\"action-\(call.id)\""))
            let timeline = try await hoy.get("/pupils/\(child)").body.string
            #expect(timeline.contains("Procedure timeline"))
            #expect(timeline.contains("done, Dafydd Morgan"))
            #expect(timeline.contains("Call: Spoke to the parent or carer. Spoke to mother: flu, back Monday"))
            // Without a note nothing is recorded; dismissing needs the head.
            let letter = items.first { $0.action == .letter1 && $0.pupil.upn == child }!
            #expect(
                try await hoy.post("/schools/\(mainSchool)/actions/\(letter.id)/complete", ["note": " "]).status
                    == .unprocessableEntity)
            #expect(
                try await hoy.post("/schools/\(mainSchool)/actions/\(letter.id)/dismiss", ["note": "no"]).status
                    == .forbidden)
            var head = try await Browser.signedIn(app, as: .headTeacher)
            try await head.get("/schools/\(mainSchool)/actions")
            #expect(
                try await head.post(
                    "/schools/\(mainSchool)/actions/\(letter.id)/dismiss", ["note": "Known hospital stay"]
                ).status == .seeOther)
            let actions = try await store.auditTrail.search(AuditQuery(upn: child)).map(\.action)
            #expect(actions.contains("procedure.done") && actions.contains("procedure.dismissed"))
        }
    }

    /// Gives Year 11 pupils 26 sessions of unauthorised absence, runs the procedure, and returns each one's
    /// pending meeting action.
    func meetings(_ store: Store, pupils count: Int) async throws -> [QueuedAction] {
        let school = try await store.reference.requireSchool(mainSchool)
        let roll = try await store.reference.roll(of: school.id, in: DateRange(testToday, testToday)!)
        let pupils = Array(roll.filter { $0.pupil.yearGroup == "11" }.prefix(count))
        let calendar = try await store.reference.calendar(for: school.school)
        let sessions = calendar.sessions(in: DateRange(LocalDate(iso: "2026-09-14")!, testToday.adding(days: -1))!)
            .prefix(26)
        for pupil in pupils {
            try await store.registers.writeMarks(
                sessions.map {
                    MarkEntry(
                        pupilID: pupil.id, schoolID: school.id, mark: Mark(upn: pupil.pupil.upn, session: $0, code: "O")
                    )
                },
                by: AuditActor("head@demo.example"), reason: "test: truancy")
        }
        try await store.procedure.runProcedure(policy: .wrexham2025, asOf: testToday, dryRun: false)
        let pending = try await store.procedure.actions(schoolID: school.id)
        return pupils.map { pupil in
            pending.first { $0.action == .attendanceMeeting && $0.pupil.upn == pupil.pupil.upn }!
        }
    }

    @Test func aMeetingIsRecordedWithItsDate() async throws {
        try await withWebApp { app, store in
            let school = try await store.reference.requireSchool(mainSchool)
            let meeting = try await meetings(store, pupils: 1)[0]
            var office = try await Browser.signedIn(app, as: .attendanceAdministrator)
            let page = try await office.get("/schools/\(mainSchool)/actions?action=attendance_meeting").body.string
            #expect(page.contains("Meeting date (YYYY-MM-DD)"))
            let undated = try await office.post(
                "/schools/\(mainSchool)/actions/\(meeting.id)/complete", ["note": "Letter sent"])
            #expect(undated.status == .unprocessableEntity)
            try await office.get("/schools/\(mainSchool)/actions")
            let dated = try await office.post(
                "/schools/\(mainSchool)/actions/\(meeting.id)/complete",
                ["note": "Invitation sent", "meeting": "2026-12-02"])
            #expect(dated.status == .seeOther)
            let closed = try await store.procedure.actions(schoolID: school.id, status: .done).first {
                $0.id == meeting.id
            }
            #expect(closed?.statusNote == "meeting arranged for 2026-12-02. Invitation sent")
        }
    }

    @Test func aMeetingWithItsTimeAndPlaceProducesTheInvitationAndWithoutAContactSaysSo() async throws {
        try await withWebApp { app, store in
            let school = try await store.reference.requireSchool(mainSchool)
            let found = try await meetings(store, pupils: 2)
            let (invited, unreachable) = (found[0], found[1])
            var office = try await Browser.signedIn(app, as: .attendanceAdministrator)
            try await office.get("/schools/\(mainSchool)/actions")
            let done = try await office.post(
                "/schools/\(mainSchool)/actions/\(invited.id)/complete",
                [
                    "note": "Invitation sent", "meeting": "2026-12-02", "meeting_time": "10:30",
                    "meeting_place": "the school library",
                ])
            #expect(done.status == .seeOther)
            let letters = try await store.letters.letters(of: invited.pupil.upn)
            #expect(!letters.isEmpty && letters.allSatisfy { $0.kind == .meetingInvitation })
            let kept = try #require(try await store.letters.letter(id: letters[0].id)?.html)
            #expect(kept.contains("the school library") && kept.contains("10:30"))
            #expect(kept.contains("2 December 2026") || kept.contains("2 Rhagfyr 2026"))
            // With no contact the meeting is still recorded, and the page says the letter could not be made.
            let pupilID = try await store.reference.pupil(unreachable.pupil.upn)!.id
            try await store.sql.delete(from: "contacts").where("pupil_id", .equal, pupilID).run()
            try await office.get("/schools/\(mainSchool)/actions")
            let noContact = try await office.post(
                "/schools/\(mainSchool)/actions/\(unreachable.id)/complete",
                [
                    "note": "Invitation by hand", "meeting": "2026-12-03", "meeting_time": "09:00",
                    "meeting_place": "the office",
                ])
            #expect(noContact.status == .ok)
            #expect(noContact.body.string.contains("This pupil has no contact to write to"))
            let closed = try await store.procedure.actions(schoolID: school.id, status: .done).first {
                $0.id == unreachable.id
            }
            #expect(closed?.statusNote == "meeting arranged for 2026-12-03. Invitation by hand")
            #expect(try await store.letters.letters(of: unreachable.pupil.upn).isEmpty)
        }
    }

    @Test func staffCanRunTheProcedureOnDemandAndAGovernorCannotSeeTheQueue() async throws {
        try await withWebApp { app, store in
            var office = try await Browser.signedIn(app, as: .attendanceAdministrator)
            try await office.get("/schools/\(mainSchool)/actions")
            let ran = try await office.post("/schools/\(mainSchool)/actions/run", [:])
            #expect(ran.status == .ok)
            #expect(ran.body.string.contains("The procedure ran:"))
            let again = try await office.post("/schools/\(mainSchool)/actions/run", [:])
            #expect(again.body.string.contains("The procedure ran: 0 new actions"))
            var governor = try await Browser.signedIn(app, as: .governor)
            #expect(try await governor.get("/schools/\(mainSchool)/actions").status == .forbidden)
        }
    }
}

@Suite struct FirstDayContactTests {
    @Test func theOfficeLogsCallsAndTheHeadConfirmsTheReason() async throws {
        try await withWebApp { app, store in
            let school = try await store.reference.requireSchool(mainSchool)
            let child = try await store.identity.user(email: "parent@demo.example")!.grants[0].child!
            let pupil = try await store.reference.requirePupil(child)
            let session = SchoolSession(testToday, .am)
            try await store.registers.writeMarks(
                [
                    MarkEntry(
                        pupilID: pupil.id, schoolID: school.id, mark: Mark(upn: child, session: session, code: "N"))
                ],
                by: AuditActor("tutor@demo.example"), reason: nil)
            var office = try await Browser.signedIn(app, as: .attendanceAdministrator)
            let day = try await office.get("/schools/\(mainSchool)/office").body.string
            #expect(day.contains("Log a contact attempt") && day.contains("/pupils/\(child)"))
            let contact = try await store.contacts.contacts(of: child)[0].name
            let logged = try await office.post(
                "/schools/\(mainSchool)/office/contact?date=\(testToday)",
                [
                    "upn": child.value, "method": "call", "contact": contact, "outcome": "reached",
                    "notes": "Flu since Monday", "code": "I",
                ])
            #expect(logged.status == .seeOther)
            let page = try await office.get("/schools/\(mainSchool)/office").body.string
            #expect(page.contains("Phone call, \(contact): Spoke to them (Carys Ellis). Flu since Monday → I"))
            let attempt = try await store.procedure.contactAttempts(schoolID: school.id, on: testToday)[0]
            // The office proposes; only the head confirms an authorised code.
            let refused = try await office.post(
                "/schools/\(mainSchool)/office/confirm/\(attempt.id)?date=\(testToday)", [:])
            #expect(refused.status == .forbidden)
            #expect(
                try await store.registers.marks(of: child, in: DateRange(testToday, testToday)!).first?.mark.code == "N"
            )
            var head = try await Browser.signedIn(app, as: .headTeacher)
            try await head.get("/schools/\(mainSchool)/office")
            #expect(
                try await head.post("/schools/\(mainSchool)/office/confirm/\(attempt.id)?date=\(testToday)", [:]).status
                    == .seeOther)
            #expect(
                try await store.registers.marks(of: child, in: DateRange(testToday, testToday)!).first?.mark.code == "I"
            )
            let amendment = try await store.registers.amendments(of: child).last!
            #expect(
                amendment.reason
                    == "reason from parent (office@demo.example): Flu since Monday; confirmed by head@demo.example")
            #expect(
                try await store.auditTrail.search(AuditQuery(upn: child)).contains { $0.action == "contact.attempt" })
        }
    }
}

extension ActionsTests {
    /// Issue 31, 8. "A phone call is made to the parent/carer … Record of conversation is kept": a call that reached
    /// nobody is an attempt in the contact log and the action stays open; after the policy file's 3 attempts the
    /// head of year may close it with a reason, and Letter 3 says the school tried, not that it spoke.
    @Test(arguments: WebTestDatabase.available)
    func noAnswerIsAnAttemptNotACallMade(_ database: WebTestDatabase) async throws {
        try await withWebApp(on: database) { app, store in
            let child = try await prepare(store)
            let items = try await store.procedure.actions(
                schoolID: try await store.reference.requireSchool(mainSchool).id)
            let call = try #require(items.first { $0.action == .phoneCall && $0.pupil.upn == child })
            var hoy = try await Browser.signedIn(app, as: .headOfYear)
            try await hoy.get("/schools/\(mainSchool)/actions")
            let complete = "/schools/\(mainSchool)/actions/\(call.id)/complete"
            let first = try await hoy.post(complete, ["note": "Rang at 9:10, no answer", "outcome": "noAnswer"])
            #expect(first.status == .seeOther)
            #expect(try await store.procedure.actions(school: mainSchool, upn: child).contains { $0.id == call.id })
            let queue = try await hoy.get("/schools/\(mainSchool)/actions?action=phone_call&attempt=1").body.string
            #expect(queue.contains("Call attempt recorded (1 so far)"))
            #expect(queue.contains("Calls that reached nobody so far: 1"))
            let tooSoon = try await hoy.post(complete, ["note": "Cannot reach them", "outcome": "unreached"])
            #expect(tooSoon.status == .unprocessableEntity)
            #expect(tooSoon.body.string.contains("only after 3 attempts that reached nobody; 1 recorded so far"))
            for note in ["Left a message on the mobile", "No answer again"] {
                _ = try await hoy.post(
                    complete, ["note": note, "outcome": note.hasPrefix("Left") ? "message" : "noAnswer"])
            }
            let closed = try await hoy.post(complete, ["note": "Three tries on two numbers", "outcome": "unreached"])
            #expect(closed.status == .seeOther)
            let done = try #require(
                try await store.procedure.actions(school: mainSchool, status: .done, upn: child).first {
                    $0.id == call.id
                })
            #expect(done.statusNote == "call: unreached. 3 attempts. Three tries on two numbers")
            // Letter 3 (once the pupil has missed its 26 sessions) says the school tried three times, and never
            // that it spoke.
            let school = try await store.reference.requireSchool(mainSchool)
            let more = try await store.reference.calendar(for: school.school).sessions(
                in: DateRange(LocalDate(iso: "2026-11-16")!, testToday.adding(days: -1))!)
            try await store.registers.writeMarks(
                more.map { SchoolMark(school: mainSchool, mark: Mark(upn: child, session: $0, code: "I")) },
                by: AuditActor("head@demo.example"), reason: "test: illness")
            let draft = try await app.context.letters.draft(
                .letter3, for: child, school: mainSchool, today: testToday, signatory: "Head of Year")
            for document in draft.documents {
                #expect(document.contains("tried 3 times") || document.contains("ffonio 3 gwaith"))
                #expect(!document.contains("spoke to you") && !document.contains("siaradom â chi ar y ffôn ar"))
            }
        }
    }
}
